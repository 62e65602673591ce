"""Share links, for anyone holding one: the video's title, and the video itself (Range)."""

from __future__ import annotations

from fastapi import APIRouter

from pdf2video.core import shares
from pdf2video.core.library import video_file
from pdf2video.service.deps import BaseDep, PartsDep
from pdf2video.service.media import MediaFile, media
from pdf2video.service.schemas import SharedVideo, iso

router = APIRouter(prefix="/shared", tags=["shared"])


@router.get("/{token}")
def shared_video(token: str, parts: PartsDep, base: BaseDep) -> SharedVideo:
    share, video = shares.shared_video(parts.store, parts.settings, token)
    return SharedVideo(
        title=video.title,
        duration=video.duration,
        width=video.width,
        height=video.height,
        expires_at=iso(share.expires_at),
        stream_url=f"{base}/shared/{token}/stream",
    )


@router.get("/{token}/stream", response_class=MediaFile)
def stream_shared(token: str, parts: PartsDep) -> MediaFile:
    _, video = shares.shared_video(parts.store, parts.settings, token)
    return media(video_file(parts.settings, video), "video/mp4")
