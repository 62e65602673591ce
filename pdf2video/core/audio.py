"""Small audio helpers: WAV files in and out, loudness, and decoding other formats.

Narration is kept as mono 16-bit WAV. Anything else (an MP3 from a TTS server) is
decoded with the ffmpeg that imageio-ffmpeg ships, so no system package is needed.
"""

from __future__ import annotations

import subprocess
import wave
from pathlib import Path

import imageio_ffmpeg
import numpy as np
from numpy.typing import NDArray

from pdf2video.core.errors import NarrationError

Samples = NDArray[np.float32]


def write_wav(path: Path, samples: Samples, sample_rate: int) -> None:
    """Write float samples in [-1, 1] as mono 16-bit PCM, atomically."""
    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2")
    tmp = path.with_name(f".{path.name}.part")
    with wave.open(str(tmp), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(sample_rate)
        out.writeframes(pcm.tobytes())
    tmp.replace(path)


def read_wav(path: Path) -> tuple[Samples, int]:
    """Mono float samples and the sample rate of a 16-bit PCM WAV file."""
    with wave.open(str(path), "rb") as src:
        rate, channels, width = src.getframerate(), src.getnchannels(), src.getsampwidth()
        frames = src.readframes(src.getnframes())
    if width != 2:
        raise NarrationError(f"expected 16-bit audio, got {8 * width}-bit", path=path)
    pcm = np.frombuffer(frames, "<i2").astype(np.float32) / 32768.0
    if channels > 1:
        pcm = pcm.reshape(-1, channels).mean(axis=1)
    return pcm.astype(np.float32), rate


def duration_of(path: Path) -> float:
    with wave.open(str(path), "rb") as src:
        return src.getnframes() / float(src.getframerate())


def rms_dbfs(samples: Samples) -> float:
    """Loudness as RMS in dB below full scale (-inf for silence)."""
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))) if samples.size else 0.0
    return 20 * np.log10(rms) if rms > 0 else float("-inf")


def decode_audio(data: bytes, sample_rate: int = 24000) -> tuple[Samples, int]:
    """Decode any audio ffmpeg reads (MP3, AAC, Opus, WAV...) to mono float samples."""
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        rate = int.from_bytes(data[24:28], "little")
        bits = int.from_bytes(data[34:36], "little")
        if bits == 16:
            sample_rate = rate
    command = [
        imageio_ffmpeg.get_ffmpeg_exe(),
        "-hide_banner",
        "-loglevel",
        "error",
        "-i",
        "pipe:0",
        "-f",
        "s16le",
        "-ac",
        "1",
        "-ar",
        str(sample_rate),
        "pipe:1",
    ]
    result = subprocess.run(command, input=data, capture_output=True, check=False, timeout=120)
    if result.returncode != 0 or not result.stdout:
        reason = result.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["no audio"]
        raise NarrationError(f"the speech audio could not be decoded ({reason[0]})")
    pcm = np.frombuffer(result.stdout, "<i2").astype(np.float32) / 32768.0
    return pcm, sample_rate
