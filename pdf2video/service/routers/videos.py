"""Videos: list, get, stream (Range), download, thumbnail, delete, and share links."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from pdf2video.core import shares
from pdf2video.core.library import count_videos, thumbnail_file, video_file
from pdf2video.service.deps import BackendDep, BaseDep, parts
from pdf2video.service.media import MediaFile, download_name, media
from pdf2video.service.schemas import (
    Deleted,
    DeleteVideos,
    Page,
    ShareCreate,
    ShareOut,
    VideoOut,
    iso,
)

router = APIRouter(prefix="/videos", tags=["videos"])


@router.get("")
def list_videos(
    backend: BackendDep,
    base: BaseDep,
    sort: Literal["date", "title", "duration"] = "date",
    search: Annotated[str | None, Query(max_length=200)] = None,
    source_type: Annotated[str | None, Query(pattern="^(pdf|text_images|project)$")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Page[VideoOut]:
    found = backend.videos(
        sort=sort, search=search, source_type=source_type, limit=limit, offset=offset
    )
    total = count_videos(backend.store, backend.user, search=search, source_type=source_type)
    return Page(
        items=[VideoOut.of(v, base) for v in found], total=total, limit=limit, offset=offset
    )


@router.get("/{video_id}")
def get_video(video_id: str, backend: BackendDep, base: BaseDep) -> VideoOut:
    return VideoOut.of(backend.video(video_id), base)


@router.get("/{video_id}/stream", response_class=MediaFile)
def stream_video(video_id: str, backend: BackendDep) -> MediaFile:
    """The MP4, inline; send ``Range: bytes=a-b`` to seek (206 Partial Content)."""
    return media(backend.video_file(video_id), "video/mp4")


@router.get("/{video_id}/download", response_class=MediaFile)
def download_video(video_id: str, backend: BackendDep) -> MediaFile:
    video = backend.video(video_id)
    return media(
        video_file(backend.settings, video), "video/mp4", filename=download_name(video.title)
    )


@router.get("/{video_id}/thumbnail", response_class=MediaFile)
def thumbnail(video_id: str, backend: BackendDep) -> MediaFile:
    video = backend.video(video_id)
    return media(thumbnail_file(backend.settings, video), "image/jpeg", cache_s=86400)


@router.delete("/{video_id}")
def delete_video(video_id: str, backend: BackendDep) -> Deleted:
    return Deleted(deleted=backend.delete_videos([video_id]))


@router.post("/delete")
def delete_videos(body: DeleteVideos, backend: BackendDep) -> Deleted:
    """Delete several videos: all must be the caller's, or none is deleted."""
    return Deleted(deleted=backend.delete_videos(body.video_ids))


def share_out(request: Request, share: shares.Share) -> ShareOut:
    """The share with its URL: on the service's public address when configured."""
    public = parts(request).settings.pdf2video_public_url
    base = public or str(request.base_url)  # the request's base carries the hub's prefix
    return ShareOut(
        id=share.id, url=shares.link(base, share.token or ""), expires_at=iso(share.expires_at)
    )


@router.post("/{video_id}/shares", status_code=201)
def create_share(
    video_id: str, body: ShareCreate, backend: BackendDep, request: Request
) -> ShareOut:
    """A link anyone may watch this video with until it expires or is revoked."""
    share = shares.create_share(
        backend.store,
        backend.settings,
        backend.user,
        video_id,
        expires_in_s=body.expires_in_hours * 3600,
    )
    return share_out(request, share)


@router.get("/{video_id}/shares")
def list_shares(video_id: str, backend: BackendDep, request: Request) -> list[ShareOut]:
    found = shares.list_shares(backend.store, backend.settings, backend.user, video_id)
    return [share_out(request, s) for s in found]


@router.delete("/{video_id}/shares/{share_id}", status_code=204)
def revoke_share(video_id: str, share_id: str, backend: BackendDep) -> None:
    backend.video(video_id)
    shares.revoke_share(backend.store, backend.user, share_id)
