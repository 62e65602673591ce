"""The video library: finished videos, their files, storage used, and cleanup.

A video row is filed by the job that made it (:func:`pdf2video.core.job_queue.complete`);
its files stay in the job's project folder (``out/video.mp4``, ``out/thumb.jpg``,
captions). Deleting a video removes those files and the row; the job stays, marked as
having no video.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from pdf2video.core.config import Settings
from pdf2video.core.errors import VideoNotFound
from pdf2video.core.models import RenderRecord
from pdf2video.core.store import Store, contains, now
from pdf2video.core.users import User, find_owned, owned

SORTS = {
    "date": "created_at DESC",
    "title": "title COLLATE NOCASE ASC",
    "duration": "duration DESC",
}
TMP_MAX_AGE_S = 24 * 3600.0


class Video(BaseModel):
    id: str
    owner: str
    job_id: str | None
    title: str
    source_type: str | None
    path: str  # relative to the workspace (a batch's video: absolute)
    thumbnail: str | None
    duration: float | None
    width: int | None
    height: int | None
    fps: int | None
    codec: str | None
    size_bytes: int | None
    created_at: float


def video_of(record: RenderRecord, **fields: Any) -> Video:
    """A library row for a rendered video: its figures from the render record, the rest given."""
    figures = record.model_dump(
        include={"duration", "width", "height", "fps", "codec", "size_bytes"}
    )
    return Video(**figures, **fields)


def insert_video(conn: sqlite3.Connection, video: Video) -> None:
    """Add ``video`` to the library inside the caller's transaction."""
    data = video.model_dump()
    names = ", ".join(data)
    conn.execute(
        f"INSERT INTO videos ({names}) VALUES ({', '.join('?' for _ in data)})",
        tuple(data.values()),
    )


def file_video(store: Store, user: User, video: Video) -> Video:
    """File a video made outside a job (a batch): it replaces the user's row for the same file."""
    with store.transaction() as conn:
        conn.execute("DELETE FROM videos WHERE owner = ? AND path = ?", (user.name, video.path))
        insert_video(conn, video)
    return video


def list_videos(
    store: Store,
    user: User,
    *,
    sort: Literal["date", "title", "duration"] = "date",
    search: str | None = None,
    source_type: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[Video]:
    where, values = _matching(user, search, source_type)
    rows = store.all(
        f"SELECT * FROM videos WHERE {where} ORDER BY {SORTS[sort]}, id LIMIT ? OFFSET ?",
        (*values, limit, offset),
    )
    return [Video(**r) for r in rows]


def _matching(user: User, search: str | None, source_type: str | None) -> tuple[str, list[Any]]:
    where, params = owned(user)
    clauses, values = [where], list(params)
    if search:
        clauses.append("title LIKE ? ESCAPE '\\'")
        values.append(contains(search))
    if source_type:
        clauses.append("source_type = ?")
        values.append(source_type)
    return " AND ".join(clauses), values


def count_videos(
    store: Store, user: User, *, search: str | None = None, source_type: str | None = None
) -> int:
    where, values = _matching(user, search, source_type)
    row = store.one(f"SELECT count(*) AS n FROM videos WHERE {where}", tuple(values))
    return int(row["n"]) if row else 0


def get_video(store: Store, user: User, video_id: str) -> Video:
    return Video(**find_owned(store, "videos", video_id, user, VideoNotFound))


def video_file(settings: Settings, video: Video) -> Path:
    """The MP4 to stream or download."""
    return settings.pdf2video_home / video.path


def thumbnail_file(settings: Settings, video: Video) -> Path | None:
    return settings.pdf2video_home / video.thumbnail if video.thumbnail else None


def _remove_files(settings: Settings, video: Video) -> None:
    target = video_file(settings, video)
    out = target.parent
    for path in (target, thumbnail_file(settings, video)):
        if path is not None:
            path.unlink(missing_ok=True)
    for sidecar in (out / f"{target.stem}.srt", out / f"{target.stem}.vtt"):
        sidecar.unlink(missing_ok=True)


def delete_videos(store: Store, settings: Settings, user: User, video_ids: list[str]) -> int:
    """Delete these videos (all must be the user's, or none is deleted); how many."""
    user.require_editor()
    videos = [get_video(store, user, v) for v in dict.fromkeys(video_ids)]
    with store.transaction() as conn:
        for video in videos:
            conn.execute("DELETE FROM videos WHERE id = ?", (video.id,))
            conn.execute("UPDATE jobs SET video_id = NULL WHERE video_id = ?", (video.id,))
    for video in videos:
        _remove_files(settings, video)
    return len(videos)


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    if not path.is_dir():
        return 0
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def storage_used(store: Store, settings: Settings, user: User) -> dict[str, int]:
    """Bytes on disk per user (uploads plus job folders) that ``user`` may see."""
    where, params = owned(user)
    home = settings.pdf2video_home
    used: dict[str, int] = {}
    for row in store.all(
        f"SELECT owner, sum(size_bytes) AS n FROM uploads WHERE {where} GROUP BY owner", params
    ):
        used[row["owner"]] = used.get(row["owner"], 0) + int(row["n"] or 0)
    for row in store.all(f"SELECT owner, project_dir FROM jobs WHERE {where}", params):
        if row["project_dir"]:
            used[row["owner"]] = used.get(row["owner"], 0) + _size(home / row["project_dir"])
    return used


def cleanup(
    store: Store,
    settings: Settings,
    *,
    older_than_days: float | None = None,
    owner: str | None = None,
) -> int:
    """Remove stale temporary files, and finished jobs older than the retention (with their
    files), only ``owner``'s when given; the number of jobs removed."""
    home = settings.pdf2video_home
    tmp = home / "tmp"
    if tmp.is_dir():
        for entry in tmp.iterdir():
            if time.time() - entry.stat().st_mtime > TMP_MAX_AGE_S:
                shutil.rmtree(entry, ignore_errors=True) if entry.is_dir() else entry.unlink()
    for partial in (home / "uploads").glob("*/.*.part"):
        if time.time() - partial.stat().st_mtime > TMP_MAX_AGE_S:
            partial.unlink(missing_ok=True)
    days = settings.job_retention_days if older_than_days is None else older_than_days
    if days <= 0:
        return 0
    cutoff = now() - days * 86400
    mine, params = ("AND owner = ?", (owner,)) if owner is not None else ("", ())
    rows = store.all(
        "SELECT id, project_dir FROM jobs WHERE status IN ('completed', 'failed', 'cancelled')"
        f" AND coalesce(completed_at, created_at) < ? {mine}",
        (cutoff, *params),
    )
    with store.transaction() as conn:
        for row in rows:
            conn.execute("DELETE FROM videos WHERE job_id = ?", (row["id"],))
            conn.execute("DELETE FROM jobs WHERE id = ?", (row["id"],))
    for row in rows:
        if row["project_dir"]:
            shutil.rmtree(home / row["project_dir"], ignore_errors=True)
    return len(rows)
