"""Choosing the video encoder by a real probe, and its ffmpeg arguments (one place).

``auto`` tries a tiny test encode with ``h264_nvenc`` (then ``hevc_nvenc``) on the ffmpeg
that imageio-ffmpeg ships and uses it when it works; otherwise ``libx264``. An explicit
choice in the settings wins, but one that fails its probe falls back to libx264 with a
warning rather than failing the render.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from dataclasses import dataclass

import imageio_ffmpeg

from pdf2video.core.config import Encoder


@dataclass(frozen=True)
class EncoderChoice:
    name: str  # libx264, h264_nvenc or hevc_nvenc
    gpu: str | None = None
    warning: str | None = None


def ffmpeg() -> str:
    return str(imageio_ffmpeg.get_ffmpeg_exe())


def ffmpeg_command(*args: str) -> list[str]:
    """ffmpeg, quiet but for errors, overwriting its output, then ``args``."""
    return [ffmpeg(), "-hide_banner", "-loglevel", "error", "-y", *args]


@functools.lru_cache(maxsize=8)
def probe_failure(name: str) -> str | None:
    """Why a tiny test encode with ``name`` fails on this machine; None when it works."""
    command = [
        ffmpeg(),
        "-hide_banner",
        "-loglevel",
        "error",
        "-f",
        "lavfi",
        "-i",
        "color=c=black:s=256x256:r=30:d=0.2",
        "-c:v",
        name,
        "-f",
        "null",
        "-",
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"the test encode did not finish ({exc})"
    if result.returncode == 0:
        return None
    lines = [line.split("] ", 1)[-1] for line in result.stderr.strip().splitlines()]
    return lines[0][:200] if lines else f"ffmpeg exited with {result.returncode}"


def probe(name: str) -> bool:
    """True when a tiny test encode with ``name`` succeeds on this machine."""
    return probe_failure(name) is None


@functools.lru_cache(maxsize=1)
def gpu_name() -> str | None:
    smi = shutil.which("nvidia-smi")
    if smi is None:
        return None
    try:
        out = subprocess.run(
            [smi, "--query-gpu=name", "--format=csv,noheader"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return (
        out.stdout.strip().splitlines()[0] if out.returncode == 0 and out.stdout.strip() else None
    )


def choose(wanted: Encoder) -> EncoderChoice:
    if wanted is Encoder.LIBX264:
        return EncoderChoice("libx264")
    if wanted is not Encoder.AUTO:
        if probe(wanted.value):
            return EncoderChoice(wanted.value, gpu_name())
        return EncoderChoice(
            "libx264", None, f"the {wanted.value} encoder is not available here; using libx264"
        )
    for name in ("h264_nvenc", "hevc_nvenc"):
        if probe(name):
            return EncoderChoice(name, gpu_name())
    gpu = gpu_name()
    if gpu is not None:  # a GPU that cannot encode: say why, once per render
        return EncoderChoice(
            "libx264",
            None,
            f"{gpu} is here but NVENC failed, so libx264 is used: {probe_failure('h264_nvenc')}",
        )
    return EncoderChoice("libx264")


def video_args(choice: EncoderChoice, fps: int, bitrate: str, *, draft: bool) -> list[str]:
    """Encoder arguments shared by every segment of a render, so they join by stream copy."""
    common = ["-r", str(fps), "-g", str(fps * 2), "-pix_fmt", "yuv420p"]
    if choice.name == "libx264":
        if draft:
            return [
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast",
                "-tune",
                "zerolatency",
                "-crf",
                "28",
                *common,
            ]
        return [
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-b:v",
            bitrate,
            "-maxrate",
            bitrate,
            "-bufsize",
            _double(bitrate),
            *common,
        ]
    preset = "p1" if draft else "p4"
    return ["-c:v", choice.name, "-preset", preset, "-b:v", bitrate, *common]


def _double(bitrate: str) -> str:
    number, unit = (bitrate[:-1], bitrate[-1]) if bitrate[-1] in "kKmM" else (bitrate, "")
    return f"{float(number) * 2:g}{unit}"
