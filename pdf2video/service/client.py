"""The remote backend: the pdf2video service over HTTP, with the local backend's methods.

:class:`RemoteBackend` speaks ``/api/v1`` with plain ``httpx`` and hands back the same
core models as :class:`~pdf2video.core.backend.LocalBackend` (``Job``, ``Upload``,
``Video``, ``Preset``, ``Stats``), so the studio, the app and the CLI work unchanged
against a shared service. The service's errors come back as the same domain errors
(``JobNotFound``, ``UploadTooLarge``, ...), with the service's message.

Under JupyterHub the service URL comes from ``PDF2VIDEO_SERVICE_URL`` (the hub config
sets it for every user's server) and the token is the one the hub gave the server
(``JUPYTERHUB_API_TOKEN``); elsewhere ``PDF2VIDEO_API_TOKEN`` or ``pdf2video --remote``.
"""

from __future__ import annotations

import os
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO, Literal

import httpx

from pdf2video.core import errors
from pdf2video.core.backend import Stats
from pdf2video.core.config import Settings
from pdf2video.core.errors import NotAuthenticated, Pdf2VideoError, ProviderUnavailable
from pdf2video.core.file_types import sniff
from pdf2video.core.jobs import Job, JobFilter, JobRequest, studio_project
from pdf2video.core.library import Video
from pdf2video.core.presets import Preset, RenderChoices
from pdf2video.core.project_archive import pack
from pdf2video.core.uploads import Upload
from pdf2video.core.user_prefs import UserPrefs
from pdf2video.core.users import Role, User
from pdf2video.service.schemas import (
    JobCreate,
    JobOut,
    Me,
    PresetOut,
    UploadOut,
    VideoOut,
)

API = "/api/v1"
CODES: dict[str, type[Pdf2VideoError]] = {
    cls.code: cls
    for cls in vars(errors).values()
    if isinstance(cls, type) and issubclass(cls, Pdf2VideoError) and cls is not errors.RateLimited
}


def _epoch(text: str | None) -> float | None:
    return datetime.fromisoformat(text).timestamp() if text else None


def job_from(out: JobOut) -> Job:
    return Job(
        id=out.id,
        owner=out.owner,
        title=out.title,
        source_type=out.source_type,
        status=out.status,
        request=out.request.request(),
        progress=out.progress,
        step=out.current_step,
        eta_s=out.eta_s,
        created_at=_epoch(out.created_at) or 0.0,
        started_at=_epoch(out.started_at),
        completed_at=_epoch(out.completed_at),
        updated_at=_epoch(out.updated_at) or 0.0,
        error_code=out.error_code,
        error_message=out.error_message,
        attempts=out.attempts,
        cancel_requested=out.cancel_requested,
        video_id=out.video_id,
    )


def upload_from(out: UploadOut) -> Upload:
    return Upload(
        id=out.id,
        owner=out.owner,
        kind=out.kind,
        original_name=out.original_name,
        path="",  # on the service's disk; not the caller's business
        sha256=out.sha256,
        size_bytes=out.size_bytes,
        created_at=_epoch(out.created_at) or 0.0,
    )


def video_from(out: VideoOut) -> Video:
    return Video(
        **out.model_dump(exclude={"created_at", "stream_url", "download_url", "thumbnail_url"}),
        path=out.stream_url,
        thumbnail=out.thumbnail_url,
        created_at=_epoch(out.created_at) or 0.0,
    )


def preset_from(out: PresetOut) -> Preset:
    return Preset(id=out.id, owner=out.owner, name=out.name, settings=out.settings)


class RemoteBackend:
    """The pdf2video service at ``url``, acting as the owner of ``token``."""

    def __init__(
        self,
        settings: Settings,
        url: str,
        token: str | None,
        *,
        timeout_s: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.settings = settings
        self.url = url.rstrip("/")
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.http = httpx.Client(
            base_url=self.url + API,
            headers=headers,
            timeout=httpx.Timeout(timeout_s, connect=10.0),
            transport=transport,
        )
        self._me: User | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> RemoteBackend:
        assert settings.pdf2video_service_url
        token = (
            settings.pdf2video_api_token.get_secret_value()
            if settings.pdf2video_api_token
            else os.environ.get("JUPYTERHUB_API_TOKEN")
        )
        return cls(settings, settings.pdf2video_service_url, token)

    # the one place answers become results or domain errors
    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            answer = self.http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise ProviderUnavailable(
                f"the pdf2video service at {self.url} did not answer ({type(exc).__name__})"
            ) from None
        if answer.is_success:
            return answer.json() if answer.content else None
        raise self._error(answer)

    def _error(self, answer: httpx.Response) -> Pdf2VideoError:
        try:
            body = answer.json()["error"]
            code, message = str(body["code"]), str(body["message"])
        except (ValueError, KeyError, TypeError):
            code, message = f"HTTP_{answer.status_code}", answer.text[:200] or answer.reason_phrase
        if answer.status_code == 429:
            wait = float(answer.headers.get("Retry-After", "1"))
            return errors.RateLimited(message, retry_after_s=wait)
        if answer.status_code == 401:
            return NotAuthenticated(f"the pdf2video service refused the token: {message}")
        kind = CODES.get(code)
        if kind is None:
            kind = errors.NotFound if answer.status_code == 404 else Pdf2VideoError
        return kind(message)

    @property
    def user(self) -> User:
        if self._me is None:
            me = Me.model_validate(self._call("GET", "/me"))
            self._me = User(name=me.name, display_name=me.display_name, role=Role(me.role))
        return self._me

    # uploads
    def upload(self, stream: BinaryIO, name: str) -> Upload:
        found = self._call("POST", "/uploads", files={"file": (name, stream)})
        return upload_from(UploadOut.model_validate(found))

    def upload_file(self, path: Path) -> Upload:
        sniff(path)  # a missing file or a folder gets its own message, as locally
        with path.open("rb") as stream:
            return self.upload(stream, path.name)

    def uploads(self, kind: str | None = None) -> list[Upload]:
        found = self._call("GET", "/uploads", params={"kind": kind} if kind else None)
        return [upload_from(UploadOut.model_validate(u)) for u in found]

    def delete_upload(self, upload_id: str) -> Upload:
        return upload_from(UploadOut.model_validate(self._call("DELETE", f"/uploads/{upload_id}")))

    # jobs
    def submit(self, request: JobRequest) -> Job:
        """Queue a job; a studio project of this machine is packed and uploaded first."""
        if request.source_type == "project" and request.project_path:
            folder = studio_project(self.settings, self.user, request.project_path)
            with tempfile.TemporaryDirectory(prefix="pdf2video-") as tmp:
                archive = pack(folder, Path(tmp) / f"{folder.name}.zip")
                upload = self.upload_file(archive)
            request = request.model_copy(update={"project_path": None, "project_upload": upload.id})
        body = JobCreate.of(request).model_dump(mode="json", exclude_none=True)
        return job_from(JobOut.model_validate(self._call("POST", "/jobs", json=body)))

    def jobs(self, query: JobFilter | None = None) -> list[Job]:
        query = query or JobFilter()
        params: dict[str, Any] = {"limit": query.limit, "offset": query.offset}
        params |= {
            k: v
            for k, v in (("since", query.since), ("until", query.until), ("search", query.search))
            if v is not None
        }
        if query.status:
            params["status"] = [s.value for s in query.status]
        page = self._call("GET", "/jobs", params=params)
        return [job_from(JobOut.model_validate(j)) for j in page["items"]]

    def job(self, job_id: str) -> Job:
        return job_from(JobOut.model_validate(self._call("GET", f"/jobs/{job_id}")))

    def cancel(self, job_id: str) -> Job:
        return job_from(JobOut.model_validate(self._call("POST", f"/jobs/{job_id}/cancel")))

    def retry(self, job_id: str) -> Job:
        return job_from(JobOut.model_validate(self._call("POST", f"/jobs/{job_id}/retry")))

    def delete_job(self, job_id: str) -> Job:
        return job_from(JobOut.model_validate(self._call("DELETE", f"/jobs/{job_id}")))

    def start_worker(self) -> None:
        """Nothing to start: the service runs its own worker."""

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
        params: dict[str, Any] = {"sort": sort, "limit": limit, "offset": offset}
        params |= {k: v for k, v in (("search", search), ("source_type", source_type)) if v}
        page = self._call("GET", "/videos", params=params)
        return [video_from(VideoOut.model_validate(v)) for v in page["items"]]

    def video(self, video_id: str) -> Video:
        return video_from(VideoOut.model_validate(self._call("GET", f"/videos/{video_id}")))

    def video_file(self, video_id: str) -> Path:
        """The video, downloaded once into this workspace's cache (``cache/videos``)."""
        video = self.video(video_id)
        target = self.settings.pdf2video_home / "cache" / "videos" / f"{video.id}.mp4"
        if target.is_file() and target.stat().st_size == video.size_bytes:
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".part")
        try:
            with self.http.stream("GET", f"/videos/{video_id}/download") as answer:
                if not answer.is_success:
                    answer.read()
                    raise self._error(answer)
                with partial.open("wb") as out:
                    for chunk in answer.iter_bytes(1 << 20):
                        out.write(chunk)
            partial.replace(target)
        except httpx.HTTPError as exc:
            raise ProviderUnavailable(f"the download stopped ({type(exc).__name__})") from None
        finally:
            partial.unlink(missing_ok=True)
        return target

    def thumbnail(self, video_id: str) -> bytes | None:
        try:
            answer = self.http.get(f"/videos/{video_id}/thumbnail")
        except httpx.HTTPError:
            return None  # a missing picture is not worth an error
        return answer.content if answer.is_success else None

    def delete_videos(self, video_ids: list[str]) -> int:
        return int(self._call("POST", "/videos/delete", json={"video_ids": video_ids})["deleted"])

    def share_video(self, video_id: str, hours: float = 168.0) -> str:
        answer = self._call("POST", f"/videos/{video_id}/shares", json={"expires_in_hours": hours})
        return str(answer["url"])

    def cleanup(self, older_than_days: float | None = None) -> int:
        answer = self._call("POST", "/cleanup", json={"older_than_days": older_than_days})
        return int(answer["jobs_removed"])

    # presets
    def presets(self) -> list[Preset]:
        return [preset_from(PresetOut.model_validate(p)) for p in self._call("GET", "/presets")]

    def save_preset(self, name: str, settings: RenderChoices) -> Preset:
        body = {"name": name, "settings": settings.model_dump(mode="json", exclude_none=True)}
        return preset_from(PresetOut.model_validate(self._call("POST", "/presets", json=body)))

    def delete_preset(self, id_or_name: str) -> Preset:
        return preset_from(PresetOut.model_validate(self._call("DELETE", f"/presets/{id_or_name}")))

    def set_default_preset(self, id_or_name: str | None) -> Preset | None:
        preset = self._find_preset(id_or_name) if id_or_name else None
        self._call("PUT", "/presets/default", json={"preset_id": preset.id if preset else None})
        return preset

    def default_preset(self) -> Preset | None:
        for found in self._call("GET", "/presets"):
            if found["is_default"]:
                return preset_from(PresetOut.model_validate(found))
        return None

    def _find_preset(self, id_or_name: str) -> Preset:
        for preset in self.presets():
            if id_or_name in (preset.id, preset.name):
                return preset
        raise errors.PresetNotFound(f"there is no preset {id_or_name!r}")

    # the user's own defaults and key
    def prefs(self) -> UserPrefs:
        return UserPrefs.model_validate(self._call("GET", "/me/prefs"))

    def save_prefs(self, prefs: UserPrefs) -> UserPrefs:
        body = prefs.model_dump(mode="json")
        return UserPrefs.model_validate(self._call("PUT", "/me/prefs", json=body))

    def set_api_key(self, api_key: str | None) -> None:
        if api_key:
            self._call("PUT", "/me/api-key", json={"api_key": api_key})
        else:
            self._call("DELETE", "/me/api-key")

    def has_api_key(self) -> bool:
        return bool(self._call("GET", "/me")["has_api_key"])

    def stats(self) -> Stats:
        return Stats.model_validate(self._call("GET", "/stats"))

    def close(self) -> None:
        self.http.close()
