"""Exporting: segments joined by stream copy, with the final audio, into ``out/video.mp4``.

The narration of every scene is laid end to end, each padded or trimmed to its scene's
length in whole frames, so picture and voice stay together. Optional background music
is looped or trimmed, faded in and out, and ducked under speech (a sidechain
compressor keyed by the narration); the voice is compressed as voice-overs are, the
mix loudness-normalised to -16 LUFS and encoded as AAC. The MP4 gets faststart, an
optional soft subtitle track, a thumbnail from a representative (never black) frame,
SRT/VTT sidecars, and a record in project.json.
"""

from __future__ import annotations

import subprocess
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

from pdf2video.core.audio import read_wav, write_wav
from pdf2video.core.captions import write_captions
from pdf2video.core.encoder import ffmpeg_command
from pdf2video.core.errors import RenderError
from pdf2video.core.models import Layout, RenderRecord
from pdf2video.core.render import Renderer

SAMPLE_RATE = 48_000
LOUDNESS = "loudnorm=I=-16:TP=-1.5:LRA=11"
# Voice-over practice: tame the peaks first (Piper scales every sentence to full scale),
# so the loudness target is reached under the true-peak ceiling.
COMPRESS = "acompressor=threshold=-18dB:ratio=3:attack=5:release=120:makeup=2"


def narration_track(renderer: Renderer, target: Path) -> float:
    """One WAV of every scene's narration, each exactly as long as its scene; its length."""
    pieces = []
    rate = 0
    for scene in renderer.scenes:
        assert scene.audio is not None
        samples, rate = read_wav(renderer.folder.resolve(scene.audio.path))
        wanted = round(renderer.duration(scene) * rate)
        if len(samples) >= wanted:
            samples = samples[:wanted]
        else:
            samples = np.concatenate([samples, np.zeros(wanted - len(samples), np.float32)])
        pieces.append(samples)
    track = np.concatenate(pieces)
    write_wav(target, track, rate)
    return len(track) / rate


def _audio_filter(has_music: bool, duration: float) -> str:
    if not has_music:
        return f"[1:a]{COMPRESS},{LOUDNESS},aresample={SAMPLE_RATE}[a]"
    fade_out = max(0.0, duration - 2.5)
    return (
        f"[1:a]aresample={SAMPLE_RATE},{COMPRESS},asplit=2[voice][key];"
        f"[2:a]aresample={SAMPLE_RATE},volume=0.35,afade=t=in:d=1.5,"
        f"afade=t=out:st={fade_out:.2f}:d=2.5[music];"
        "[music][key]sidechaincompress=threshold=0.02:ratio=12:attack=20:release=400[ducked];"
        f"[voice][ducked]amix=inputs=2:duration=first:normalize=0,{LOUDNESS},"
        f"aresample={SAMPLE_RATE}[a]"
    )


def export(
    renderer: Renderer,
    segments: list[Path],
    *,
    output: Path | None,
    soft_subtitles: bool,
    started: float,
    rendered: int,
    reused: int,
    warnings: list[str],
) -> RenderRecord:
    folder, options, project = renderer.folder, renderer.options, renderer.project
    assert project.script is not None
    folder.out.mkdir(parents=True, exist_ok=True)
    durations = [renderer.duration(s) for s in renderer.scenes]
    srt, vtt = write_captions(project, folder.out, durations)
    final = folder.out / ("preview.mp4" if options.draft and output is None else "video.mp4")
    partial = final.with_name(f".{final.stem}.part.mp4")
    with tempfile.TemporaryDirectory(prefix="pdf2video-export-") as tmp:
        voice = Path(tmp) / "narration.wav"
        duration = narration_track(renderer, voice)
        listing = Path(tmp) / "segments.txt"
        listing.write_text("".join(f"file '{p.resolve()}'\n" for p in segments), encoding="utf-8")
        command = [
            *ffmpeg_command(),
            "-f",
            "concat",
            "-safe",
            "0",
            "-i",
            str(listing),
            "-i",
            str(voice),
        ]
        if options.music is not None:
            command += ["-stream_loop", "-1", "-i", str(options.music)]
        subtitle_input = 3 if options.music is not None else 2
        if soft_subtitles:
            command += ["-i", str(srt)]
        command += [
            "-filter_complex",
            _audio_filter(options.music is not None, duration),
            "-map",
            "0:v",
            "-map",
            "[a]",
        ]
        if soft_subtitles:
            command += [
                "-map",
                f"{subtitle_input}:s",
                "-c:s",
                "mov_text",
                "-metadata:s:s:0",
                "language=eng",
            ]
        command += [
            "-c:v",
            "copy",
            "-c:a",
            "aac",
            "-aac_coder",
            "fast",  # twice as fast as the default, no audible loss for speech at 192k
            "-b:a",
            "192k",
            "-ar",
            str(SAMPLE_RATE),
            "-t",
            f"{duration:.3f}",
            "-movflags",
            "+faststart",
            str(partial),
        ]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            partial.unlink(missing_ok=True)
            reason = (result.stderr.strip().splitlines() or ["ffmpeg failed"])[-1]
            raise RenderError(f"joining the scenes failed: {reason[:200]}")
        partial.replace(final)
    thumbnail = _thumbnail(renderer, final, durations, folder.out / "thumb.jpg")
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        if output.resolve() != final.resolve():
            output.write_bytes(final.read_bytes())
    pages = sorted({n for s in project.script.scenes for n in s.source_pages})
    return RenderRecord(
        path=folder.relative(final),
        thumbnail=folder.relative(thumbnail) if thumbnail else None,
        captions=[folder.relative(srt), folder.relative(vtt)],
        duration=round(duration, 3),
        width=options.width,
        height=options.height,
        fps=options.fps,
        codec="hevc" if "hevc" in renderer.choice.name else "h264",
        encoder=renderer.choice.name,
        size_bytes=final.stat().st_size,
        scenes=len(project.script.scenes),
        mood=str(project.script.mood),
        source_pages=pages,
        render_seconds=round(time.monotonic() - started, 2),
        segments_rendered=rendered,
        segments_reused=reused,
        warnings=warnings,
    )


def _thumbnail(
    renderer: Renderer, video: Path, durations: list[float], target: Path
) -> Path | None:
    """A frame from the middle of the most telling scene (a photo or figure), never black."""
    scenes = renderer.scenes
    starts = np.concatenate([[0.0], np.cumsum(durations)])
    preferred = [Layout.FULL_BLEED, Layout.FIGURE, Layout.IMAGE_BULLETS, Layout.TITLE]
    order = sorted(
        range(len(scenes)),
        key=lambda i: (
            preferred.index(scenes[i].layout) if scenes[i].layout in preferred else 9,
            i,
        ),
    )
    for index in order:
        at = starts[index] + durations[index] / 2
        result = subprocess.run(
            [
                *ffmpeg_command(),
                "-ss",
                f"{at:.3f}",
                "-i",
                str(video),
                "-frames:v",
                "1",
                "-q:v",
                "3",
                str(target),
            ],
            capture_output=True,
            check=False,
        )
        image = cv2.imread(str(target)) if result.returncode == 0 else None
        if image is not None and float(image.mean()) > 20:
            return target
    target.unlink(missing_ok=True)
    return None
