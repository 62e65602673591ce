"""Captions (SRT and WebVTT) from the narration's word timings.

Cues hold at most two lines of at most 42 characters, last at least about a second
(short ones join their neighbour), never overlap, and stay inside the audio. Scenes are
laid end to end, in script order, as the video plays them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pdf2video.core.models import Project, Timing

MAX_LINE = 42
MAX_LINES = 2
MIN_CUE_S = 1.0


@dataclass
class Cue:
    start: float
    end: float
    lines: list[str]


def _wrap(words: list[str]) -> list[str] | None:
    """Words as at most two lines of at most 42 characters, balanced; None if they don't fit."""
    text = " ".join(words)
    if len(text) <= MAX_LINE:
        return [text]
    best: list[str] | None = None
    for cut in range(1, len(words)):
        first, second = " ".join(words[:cut]), " ".join(words[cut:])
        if (
            len(first) <= MAX_LINE
            and len(second) <= MAX_LINE
            and (best is None or abs(len(first) - len(second)) < abs(len(best[0]) - len(best[1])))
        ):
            best = [first, second]
    return best


def cues_for(words: list[Timing], offset: float = 0.0, audio_end: float | None = None) -> list[Cue]:
    """Group one scene's timed words into cues, shifted by ``offset`` seconds."""
    cues: list[Cue] = []
    group: list[Timing] = []

    def close() -> None:
        if group:
            lines = _wrap([w.text for w in group])
            assert lines is not None
            cues.append(Cue(offset + group[0].start, offset + group[-1].end, lines))
            group.clear()

    for word in words:
        if group and _wrap([w.text for w in [*group, word]]) is None:
            close()
        group.append(word)
        if word.text.endswith((".", "!", "?")) and group[-1].end - group[0].start >= MIN_CUE_S:
            close()
    close()
    limit = offset + audio_end if audio_end is not None else None
    return _tidy(cues, limit)


def _tidy(cues: list[Cue], limit: float | None) -> list[Cue]:
    """At least a second each where there is room, no overlaps, nothing past the audio."""
    for n, cue in enumerate(cues):
        next_start = cues[n + 1].start if n + 1 < len(cues) else limit
        if cue.end - cue.start < MIN_CUE_S:
            wanted = cue.start + MIN_CUE_S
            cue.end = min(wanted, next_start) if next_start is not None else wanted
        if next_start is not None:
            cue.end = min(cue.end, next_start)
    return [c for c in cues if c.end > c.start]


def project_cues(project: Project, durations: list[float] | None = None) -> list[Cue]:
    """Cues of every voiced scene, placed one after another; ``durations`` are the scenes'
    lengths in the video (whole frames), else their narration's."""
    cues: list[Cue] = []
    clock = 0.0
    scenes = [s for s in (project.script.scenes if project.script else []) if s.audio is not None]
    for n, scene in enumerate(scenes):
        assert scene.audio is not None
        length = durations[n] if durations is not None else scene.audio.duration
        cues.extend(cues_for(scene.audio.words, clock, min(length, scene.audio.duration)))
        clock += length
    return cues


def _stamp(seconds: float, separator: str) -> str:
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def to_srt(cues: list[Cue]) -> str:
    blocks = [
        f"{n}\n{_stamp(c.start, ',')} --> {_stamp(c.end, ',')}\n" + "\n".join(c.lines)
        for n, c in enumerate(cues, start=1)
    ]
    return "\n\n".join(blocks) + ("\n" if blocks else "")


def to_vtt(cues: list[Cue]) -> str:
    blocks = [
        f"{_stamp(c.start, '.')} --> {_stamp(c.end, '.')}\n" + "\n".join(c.lines) for c in cues
    ]
    return "WEBVTT\n\n" + "\n\n".join(blocks) + ("\n" if blocks else "")


def write_captions(
    project: Project, out_dir: Path, durations: list[float] | None = None
) -> tuple[Path, Path]:
    """``video.srt`` and ``video.vtt`` in ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    cues = project_cues(project, durations)
    srt, vtt = out_dir / "video.srt", out_dir / "video.vtt"
    srt.write_text(to_srt(cues), encoding="utf-8")
    vtt.write_text(to_vtt(cues), encoding="utf-8")
    return srt, vtt
