"""The backend: the one interface front doors use for uploads, jobs, videos and presets.

:class:`LocalBackend` works on this machine's store for one caller (the CLI, the
studio for a single user, batch runs); a remote backend (an HTTP client of the
pdf2video service, :mod:`pdf2video.service.client`) offers the same methods, so the
studio and the app never know which one they hold; :func:`open_backend` picks. Every
method acts as ``self.user``; the owner checks happen in the functions it calls.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import BinaryIO, Literal, Protocol

from pydantic import BaseModel

from pdf2video.core import jobs, library, presets, shares, uploads
from pdf2video.core.config import Settings
from pdf2video.core.encoder import choose, probe
from pdf2video.core.errors import JobError
from pdf2video.core.jobs import Job, JobFilter, JobRequest
from pdf2video.core.library import Video
from pdf2video.core.presets import Preset, RenderChoices
from pdf2video.core.store import Store, open_store
from pdf2video.core.uploads import Upload
from pdf2video.core.user_keys import has_api_key, set_api_key
from pdf2video.core.user_prefs import UserPrefs, get_prefs, save_prefs
from pdf2video.core.users import User, admin_names, get_user
from pdf2video.core.worker import InlineRunner


class Stats(BaseModel):
    """The dashboard's numbers, over the rows the user may see."""

    user: str
    role: str
    videos: int
    video_seconds: float
    jobs: dict[str, int]
    storage_bytes: dict[str, int]
    disk_free_bytes: int
    encoder: str
    gpu: str


class Backend(Protocol):
    """What front doors may do; :class:`LocalBackend` and the service's ``RemoteBackend``."""

    settings: Settings

    @property
    def user(self) -> User: ...
    def upload(self, stream: BinaryIO, name: str) -> Upload: ...
    def upload_file(self, path: Path) -> Upload: ...
    def uploads(self, kind: str | None = None) -> list[Upload]: ...
    def delete_upload(self, upload_id: str) -> Upload: ...
    def submit(self, request: JobRequest) -> Job: ...
    def jobs(self, query: JobFilter | None = None) -> list[Job]: ...
    def job(self, job_id: str) -> Job: ...
    def cancel(self, job_id: str) -> Job: ...
    def retry(self, job_id: str) -> Job: ...
    def delete_job(self, job_id: str) -> Job: ...
    def start_worker(self) -> object: ...
    def videos(
        self,
        *,
        sort: Literal["date", "title", "duration"] = "date",
        search: str | None = None,
        source_type: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[Video]: ...
    def video(self, video_id: str) -> Video: ...
    def video_file(self, video_id: str) -> Path: ...
    def thumbnail(self, video_id: str) -> bytes | None: ...
    def delete_videos(self, video_ids: list[str]) -> int: ...
    def share_video(self, video_id: str, hours: float = 168.0) -> str: ...
    def cleanup(self, older_than_days: float | None = None) -> int: ...
    def presets(self) -> list[Preset]: ...
    def save_preset(self, name: str, settings: RenderChoices) -> Preset: ...
    def delete_preset(self, id_or_name: str) -> Preset: ...
    def set_default_preset(self, id_or_name: str | None) -> Preset | None: ...
    def default_preset(self) -> Preset | None: ...
    def prefs(self) -> UserPrefs: ...
    def save_prefs(self, prefs: UserPrefs) -> UserPrefs: ...
    def set_api_key(self, api_key: str | None) -> None: ...
    def has_api_key(self) -> bool: ...
    def stats(self) -> Stats: ...


def open_backend(settings: Settings) -> Backend:
    """The backend for this caller: the pdf2video service when ``PDF2VIDEO_SERVICE_URL`` is
    set (as under JupyterHub), else this machine's store."""
    if settings.pdf2video_service_url:
        # The HTTP client lives with the service; only a remote caller loads it.
        from pdf2video.service.client import RemoteBackend  # noqa: PLC0415

        return RemoteBackend.from_settings(settings)
    return LocalBackend(settings)


class LocalBackend:
    """The store and worker of this machine, acting as one user."""

    def __init__(
        self,
        settings: Settings,
        user_name: str | None = None,
        store: Store | None = None,
        *,
        user: User | None = None,
    ) -> None:
        self.settings = settings
        self.store = store or open_store(settings.pdf2video_home)
        self.user = user or get_user(
            self.store, user_name, admins=admin_names(settings.pdf2video_admins)
        )
        self._inline: InlineRunner | None = None
        self._worker: subprocess.Popen[bytes] | None = None

    # uploads
    def upload(self, stream: BinaryIO, name: str) -> Upload:
        return uploads.save_upload(self.store, self.settings, self.user, stream, name)

    def upload_file(self, path: Path) -> Upload:
        return uploads.save_upload_file(self.store, self.settings, self.user, path)

    def uploads(self, kind: str | None = None) -> list[Upload]:
        return uploads.list_uploads(self.store, self.user, kind)

    def delete_upload(self, upload_id: str) -> Upload:
        return uploads.delete_upload(self.store, self.settings, self.user, upload_id)

    # jobs
    def submit(self, request: JobRequest) -> Job:
        return jobs.create_job(self.store, self.settings, self.user, request)

    def jobs(self, query: JobFilter | None = None) -> list[Job]:
        return jobs.list_jobs(self.store, self.user, query)

    def job(self, job_id: str) -> Job:
        return jobs.get_job(self.store, self.user, job_id)

    def cancel(self, job_id: str) -> Job:
        return jobs.cancel_job(self.store, self.user, job_id)

    def retry(self, job_id: str) -> Job:
        return jobs.retry_job(self.store, self.user, job_id)

    def delete_job(self, job_id: str) -> Job:
        return jobs.delete_job(self.store, self.settings, self.user, job_id)

    def start_worker(self) -> subprocess.Popen[bytes]:
        """Make sure queued jobs run: a worker process of its own (``pdf2video worker
        --once``) that stops when the queue is empty. Unlike :meth:`run_inline`, the
        render then shares nothing with this process, so a notebook's kernel stays quick;
        and it goes on if this process ends."""
        if self._worker is None or self._worker.poll() is not None:
            command = [
                *(sys.executable, "-m", "pdf2video.core.cli", "worker", "--once"),
                *("--nice", "10"),  # the notebook's kernel keeps the upper hand on the CPU
            ]
            env = dict(os.environ, PDF2VIDEO_HOME=str(self.settings.pdf2video_home))
            self._worker = subprocess.Popen(
                command,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,  # not stopped by a Ctrl-C meant for this process
            )
        return self._worker

    def run_inline(self) -> InlineRunner:
        """Run queued jobs in a background thread of this process (no worker needed)."""
        if self._inline is None or not self._inline.alive:
            self._inline = InlineRunner(self.store, self.settings).start()
        return self._inline

    # library
    def videos(
        self,
        *,
        sort: Literal["date", "title", "duration"] = "date",
        search: str | None = None,
        source_type: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[Video]:
        return library.list_videos(
            self.store,
            self.user,
            sort=sort,
            search=search,
            source_type=source_type,
            limit=limit,
            offset=offset,
        )

    def video(self, video_id: str) -> Video:
        return library.get_video(self.store, self.user, video_id)

    def video_file(self, video_id: str) -> Path:
        return library.video_file(self.settings, self.video(video_id))

    def thumbnail(self, video_id: str) -> bytes | None:
        """The video's thumbnail (JPEG), if it has one."""
        path = library.thumbnail_file(self.settings, self.video(video_id))
        return path.read_bytes() if path is not None and path.is_file() else None

    def delete_videos(self, video_ids: list[str]) -> int:
        return library.delete_videos(self.store, self.settings, self.user, video_ids)

    def share_video(self, video_id: str, hours: float = 168.0) -> str:
        """A link anyone may watch the video with for ``hours``; the service serves it."""
        public = self.settings.pdf2video_public_url
        if not public:
            raise JobError(
                "share links are served by the pdf2video service: set PDF2VIDEO_PUBLIC_URL "
                "to its address (or use the service's own API)"
            )
        share = shares.create_share(
            self.store, self.settings, self.user, video_id, expires_in_s=hours * 3600
        )
        return shares.link(public, share.token or "")

    def cleanup(self, older_than_days: float | None = None) -> int:
        """Remove old finished jobs: an admin's cleanup covers everyone, anyone else's only
        their own jobs (on a shared service one user must not delete another's work)."""
        self.user.require_editor()
        owner = None if self.user.is_admin else self.user.name
        return library.cleanup(
            self.store, self.settings, older_than_days=older_than_days, owner=owner
        )

    # presets
    def presets(self) -> list[Preset]:
        return presets.list_presets(self.store, self.user)

    def save_preset(self, name: str, settings: RenderChoices) -> Preset:
        return presets.save_preset(self.store, self.user, name, settings)

    def delete_preset(self, id_or_name: str) -> Preset:
        return presets.delete_preset(self.store, self.user, id_or_name)

    def set_default_preset(self, id_or_name: str | None) -> Preset | None:
        return presets.set_default_preset(self.store, self.user, id_or_name)

    def default_preset(self) -> Preset | None:
        return presets.default_preset(self.store, self.user)

    # the user's own defaults
    def prefs(self) -> UserPrefs:
        return get_prefs(self.store, self.user.name)

    def save_prefs(self, prefs: UserPrefs) -> UserPrefs:
        return save_prefs(self.store, self.user, prefs)

    # the user's own API key
    def set_api_key(self, api_key: str | None) -> None:
        set_api_key(self.store, self.settings, self.user, api_key)

    def has_api_key(self) -> bool:
        return has_api_key(self.store, self.user)

    def stats(self) -> Stats:
        counts = jobs.counts_by_status(self.store, self.user)
        where, params = ("1 = 1", ()) if self.user.is_admin else ("owner = ?", (self.user.name,))
        row = self.store.one(
            f"SELECT count(*) AS n, coalesce(sum(duration), 0) AS s FROM videos WHERE {where}",
            params,
        )
        assert row is not None
        choice = choose(self.settings.video_codec)
        nvenc = probe("h264_nvenc")
        return Stats(
            user=self.user.name,
            role=self.user.role.value,
            videos=row["n"],
            video_seconds=round(row["s"], 1),
            jobs=counts,
            storage_bytes=library.storage_used(self.store, self.settings, self.user),
            disk_free_bytes=shutil.disk_usage(self.settings.pdf2video_home).free,
            encoder=choice.name,
            gpu="NVENC available" if nvenc else "no NVIDIA encoder (CPU encoding with libx264)",
        )
