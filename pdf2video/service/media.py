"""Sending video and image files: HTTP Range for players that seek, names for downloads.

Starlette's :class:`FileResponse` answers ``Range`` requests (206, ``Content-Range``,
416 outside the file); this one reads 1 MiB at a time instead of 64 KiB (fewer reads
and event-loop turns per client; ``bench/bench_service.py`` measures the rate).
"""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.responses import FileResponse

from pdf2video.core.errors import VideoNotFound

CHUNK = 1 << 20


class MediaFile(FileResponse):
    chunk_size = CHUNK


def download_name(title: str, suffix: str = ".mp4") -> str:
    """A safe file name made from a video's title."""
    stem = re.sub(r"[^\w .,()-]+", "", title, flags=re.UNICODE).strip(" .") or "video"
    return stem[:120] + suffix


def media(
    path: Path | None, kind: str, *, filename: str | None = None, cache_s: int = 0
) -> MediaFile:
    if path is None or not path.is_file():
        raise VideoNotFound("the file of this video is missing")
    headers = {"Cache-Control": f"private, max-age={cache_s}" if cache_s else "private, no-cache"}
    return MediaFile(
        path,
        media_type=kind,
        filename=filename,
        content_disposition_type="attachment" if filename else "inline",
        headers=headers,
    )
