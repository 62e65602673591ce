"""The finished audio track: narration laid to the scenes, music under it, AAC, cached.

The narration of every scene is laid end to end, each padded or trimmed to its scene's
length in whole frames, so picture and voice stay together. Optional background music
is looped or trimmed, faded in and out, and ducked under speech (a sidechain
compressor keyed by the narration); the voice is compressed as voice-overs are. The mix
is then normalised to -16 LUFS in two passes: ``ebur128`` measures it, and one linear
gain plus a peak limiter brings it to the target (no pumping, unlike a one-pass
``loudnorm``, and a quarter of its time). The result is AAC in ``segments/audio-<key>.m4a``,
named by the hash of everything that shaped it, so a render whose narration and music
did not change reuses it, and a render that needs it can build it while the scenes
render.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pdf2video.core.audio import read_wav, write_wav
from pdf2video.core.encoder import ffmpeg, ffmpeg_command
from pdf2video.core.errors import RenderError
from pdf2video.core.hashing import inputs_hash, sha256_file
from pdf2video.core.models import Scene
from pdf2video.core.project import ProjectFolder

SOUNDTRACK_VERSION = "1"  # bump when the mix would change: earlier tracks go stale
SAMPLE_RATE = 48_000
TARGET_LUFS = -16.0
PEAK_LIMIT = 0.84  # -1.5 dBFS
MAX_GAIN_DB = 30.0  # a near-silent track is not blown up into noise
# Voice-over practice: tame the peaks first (Piper scales every sentence to full scale),
# so the loudness target is reached under the peak ceiling.
COMPRESS = "acompressor=threshold=-18dB:ratio=3:attack=5:release=120:makeup=2"


@dataclass(frozen=True)
class Soundtrack:
    """What goes into the audio track: each scene's narration and its length on screen."""

    folder: ProjectFolder
    scenes: list[Scene]
    durations: list[float]
    music: Path | None = None

    @property
    def duration(self) -> float:
        return float(sum(self.durations))

    def key(self) -> str:
        voiced = [(s.audio.key if s.audio else None) for s in self.scenes]
        lengths = [round(d, 6) for d in self.durations]
        music = sha256_file(self.music) if self.music is not None else None
        return inputs_hash("soundtrack", SOUNDTRACK_VERSION, voiced, lengths, music)[:32]

    def path(self) -> Path:
        return self.folder.segments / f"audio-{self.key()}.m4a"


def narration_track(track: Soundtrack, target: Path) -> float:
    """One WAV of every scene's narration, each exactly as long as its scene; its length."""
    pieces = []
    rate = SAMPLE_RATE
    for scene, length in zip(track.scenes, track.durations, strict=True):
        assert scene.audio is not None
        samples, rate = read_wav(track.folder.resolve(scene.audio.path))
        wanted = round(length * rate)
        if len(samples) >= wanted:
            samples = samples[:wanted]
        else:
            samples = np.concatenate([samples, np.zeros(wanted - len(samples), np.float32)])
        pieces.append(samples)
    joined = np.concatenate(pieces) if pieces else np.zeros(1, np.float32)
    write_wav(target, joined, rate)
    return len(joined) / rate


def mix_filter(has_music: bool, duration: float) -> str:
    """The filter graph from narration (input 0) and music (input 1) to ``[a]``, measured."""
    measure = f"aresample={SAMPLE_RATE},ebur128=framelog=quiet"
    if not has_music:
        return f"[0:a]{COMPRESS},{measure}[a]"
    fade_out = max(0.0, duration - 2.5)
    return (
        f"[0:a]aresample={SAMPLE_RATE},{COMPRESS},asplit=2[voice][key];"
        f"[1:a]aresample={SAMPLE_RATE},volume=0.35,afade=t=in:d=1.5,"
        f"afade=t=out:st={fade_out:.2f}:d=2.5[music];"
        "[music][key]sidechaincompress=threshold=0.02:ratio=12:attack=20:release=400[ducked];"
        f"[voice][ducked]amix=inputs=2:duration=first:normalize=0,{measure}[a]"
    )


def _run(command: list[str], what: str) -> str:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        reason = (result.stderr.strip().splitlines() or ["ffmpeg failed"])[-1]
        raise RenderError(f"{what} failed: {reason[:200]}")
    return result.stderr


def build(track: Soundtrack) -> Path:
    """The AAC track for ``track``, reused when it exists; built atomically otherwise."""
    final = track.path()
    if final.is_file():
        return final
    final.parent.mkdir(parents=True, exist_ok=True)
    partial = final.with_name(f".{final.stem}.part.m4a")
    with tempfile.TemporaryDirectory(prefix="pdf2video-audio-") as tmp:
        voice, mixed = Path(tmp) / "narration.wav", Path(tmp) / "mixed.wav"
        duration = narration_track(track, voice)
        command = [ffmpeg(), "-hide_banner", "-nostats", "-loglevel", "info", "-y"]
        command += ["-i", str(voice)]
        if track.music is not None:
            command += ["-stream_loop", "-1", "-i", str(track.music)]
        command += ["-filter_complex", mix_filter(track.music is not None, duration)]
        command += ["-map", "[a]", "-t", f"{duration:.3f}", "-c:a", "pcm_f32le", str(mixed)]
        measured = re.findall(r"I:\s+(-?[\d.]+|-inf) LUFS", _run(command, "mixing the audio"))
        loudness = float(measured[-1]) if measured else TARGET_LUFS
        gain = min(MAX_GAIN_DB, TARGET_LUFS - loudness) if np.isfinite(loudness) else 0.0
        try:
            _run(
                [
                    *ffmpeg_command("-i", str(mixed)),
                    "-af",
                    f"volume={gain:.2f}dB,alimiter=limit={PEAK_LIMIT}:level=0:latency=1",
                    "-c:a",
                    "aac",
                    "-aac_coder",
                    "fast",  # twice as fast as the default, no audible loss for speech at 192k
                    "-b:a",
                    "192k",
                    "-ar",
                    str(SAMPLE_RATE),
                    str(partial),
                ],
                "encoding the audio",
            )
            partial.replace(final)
        finally:
            partial.unlink(missing_ok=True)
    return final
