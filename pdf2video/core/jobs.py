"""Jobs as durable rows: what a user asks for, and what they may do with it afterwards.

A job is made from uploads and render choices (or a preset), waits as ``pending``, is
run by a worker (:mod:`pdf2video.core.worker`) through the stage statuses, and ends
``completed`` (with a video in the library), ``failed`` (with an error code and
message) or ``cancelled``. Front doors create, list, watch, cancel, retry and delete
jobs here; the worker side (claiming, heartbeats, progress) is in
:mod:`pdf2video.core.job_queue`.
"""

from __future__ import annotations

import shutil
import uuid
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, model_validator

from pdf2video.core.config import Settings
from pdf2video.core.errors import JobConflict, JobError, JobNotFound
from pdf2video.core.presets import RenderChoices, default_preset, find_preset
from pdf2video.core.store import Store, contains, now
from pdf2video.core.uploads import get_upload
from pdf2video.core.users import User, find_owned, owned


class JobStatus(StrEnum):
    PENDING = "pending"
    EXTRACTING = "extracting"
    CLASSIFYING = "classifying"
    SCRIPTING = "scripting"
    VOICEOVER = "voiceover"
    BACKGROUNDS = "backgrounds"
    COMPOSING = "composing"
    EXPORTING = "exporting"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


RUNNING = (
    JobStatus.EXTRACTING,
    JobStatus.CLASSIFYING,
    JobStatus.SCRIPTING,
    JobStatus.VOICEOVER,
    JobStatus.BACKGROUNDS,
    JobStatus.COMPOSING,
    JobStatus.EXPORTING,
)
FINISHED = (JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED)


def sql_list(statuses: tuple[JobStatus, ...]) -> str:
    return ", ".join(f"'{s.value}'" for s in statuses)


class JobRequest(RenderChoices):
    """What to make (the seed's job request): the source, a title, choices or a preset."""

    source_type: Literal["pdf", "text_images", "project"] = "pdf"
    title: Annotated[str, Field(max_length=200)] | None = None
    pdf_upload: str | None = None
    image_uploads: list[str] = Field(default_factory=list, max_length=50)
    music_upload: str | None = None
    logo_upload: str | None = None
    text_content: Annotated[str, Field(max_length=200_000)] | None = None
    project_path: str | None = None  # a studio project, relative to the workspace
    project_upload: str | None = None  # or one packed and uploaded (a remote client)
    preset: str | None = None
    webhook_url: Annotated[str, Field(pattern=r"^https?://", max_length=2000)] | None = None

    @model_validator(mode="after")
    def _has_a_source(self) -> JobRequest:
        if self.source_type == "pdf" and not self.pdf_upload:
            raise ValueError("a PDF job needs pdf_upload")
        if self.source_type == "text_images" and not (self.text_content or "").strip():
            raise ValueError("a text-and-images job needs text_content")
        if self.source_type == "project" and not (self.project_path or self.project_upload):
            raise ValueError("a project job needs project_path or project_upload")
        return self

    def choices(self) -> RenderChoices:
        return RenderChoices(**self.model_dump(include=set(RenderChoices.model_fields)))


class Job(BaseModel):
    id: str
    owner: str
    title: str
    source_type: str
    status: JobStatus
    request: JobRequest
    progress: float = 0.0
    step: str | None = None
    eta_s: float | None = None
    created_at: float
    started_at: float | None = None
    completed_at: float | None = None
    updated_at: float
    error_code: str | None = None
    error_message: str | None = None
    attempts: int = 0
    run_after: float = 0.0
    cancel_requested: bool = False
    project_dir: str | None = None
    video_id: str | None = None
    webhook: str | None = None  # how the webhook went (JSON), once sent

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    def public(self) -> dict[str, Any]:
        """The job as front doors show it (times in ISO 8601, no worker internals)."""
        data = self.model_dump(mode="json", exclude={"run_after"})

        def iso(t: float | None) -> str | None:
            return datetime.fromtimestamp(t, UTC).isoformat(timespec="seconds") if t else None

        for key in ("created_at", "started_at", "completed_at", "updated_at"):
            data[key] = iso(getattr(self, key))
        return data


def job_from_row(row: dict[str, Any]) -> Job:
    data = {k: v for k, v in row.items() if k in Job.model_fields}
    data["request"] = JobRequest.model_validate_json(row["request"])
    data["cancel_requested"] = bool(row["cancel_requested"])
    return Job(**data)


def project_dir_for(settings: Settings, job_id: str) -> Path:
    return settings.pdf2video_home / "projects" / f"job-{job_id}"


def effective_choices(store: Store, user: User, request: JobRequest) -> RenderChoices:
    """The request's choices over its preset's (or the user's default preset's)."""
    preset = find_preset(store, user, request.preset) if request.preset else None
    preset = preset or default_preset(store, user)
    return request.choices().over(preset.settings) if preset else request.choices()


def create_job(store: Store, settings: Settings, user: User, request: JobRequest) -> Job:
    """Queue a job; every upload it names must be the user's own and of the right kind."""
    user.require_editor()
    wanted = [
        (request.pdf_upload, "pdf"),
        *((u, "image") for u in request.image_uploads),
        (request.music_upload, "music"),
        (request.logo_upload, "image"),
        (request.project_upload, "project"),
    ]
    names = {}
    for upload_id, kind in wanted:
        if upload_id:
            upload = get_upload(store, user, upload_id)
            if upload.kind != kind:
                raise JobError(f"upload {upload_id} is a {upload.kind} file, not a {kind} file")
            names[upload_id] = upload.original_name
    effective_choices(store, user, request)  # an unknown preset is refused now, not later
    if request.project_path:
        studio_project(settings, user, request.project_path)
    title = request.title or (
        Path(names[request.pdf_upload]).stem if request.pdf_upload else "Untitled video"
    )
    job_id = uuid.uuid4().hex[:16]
    stamp = now()
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO jobs (id, owner, title, source_type, status, request, created_at,"
            " updated_at, project_dir) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                job_id,
                user.name,
                title,
                request.source_type,
                JobStatus.PENDING.value,
                request.model_dump_json(exclude_none=True),
                stamp,
                stamp,
                str(project_dir_for(settings, job_id).relative_to(settings.pdf2video_home)),
            ),
        )
    return get_job(store, user, job_id)


def studio_project(settings: Settings, user: User, project_path: str) -> Path:
    """The project folder a job renders from: inside the workspace's projects, voiced or not."""
    projects = (settings.pdf2video_home / "projects").resolve()
    folder = (settings.pdf2video_home / project_path).resolve()
    if projects not in folder.parents or not (folder / "project.json").is_file():
        raise JobError(f"{project_path!r} is not a project in this workspace")
    return folder


def get_job(store: Store, user: User, job_id: str) -> Job:
    return job_from_row(find_owned(store, "jobs", job_id, user, JobNotFound))


class JobFilter(BaseModel):
    status: list[JobStatus] = Field(default_factory=list)
    since: float | None = None  # created at or after (epoch seconds)
    until: float | None = None
    search: str | None = None  # in the title
    limit: Annotated[int, Field(ge=1, le=500)] = 50
    offset: Annotated[int, Field(ge=0)] = 0


def _matching(user: User, query: JobFilter) -> tuple[str, list[Any]]:
    where, params = owned(user)
    clauses, values = [where], list(params)
    if query.status:
        clauses.append(f"status IN ({', '.join('?' for _ in query.status)})")
        values += [s.value for s in query.status]
    if query.since is not None:
        clauses.append("created_at >= ?")
        values.append(query.since)
    if query.until is not None:
        clauses.append("created_at <= ?")
        values.append(query.until)
    if query.search:
        clauses.append("title LIKE ? ESCAPE '\\'")
        values.append(contains(query.search))
    return " AND ".join(clauses), values


def list_jobs(store: Store, user: User, query: JobFilter | None = None) -> list[Job]:
    query = query or JobFilter()
    where, values = _matching(user, query)
    rows = store.all(
        f"SELECT * FROM jobs WHERE {where} ORDER BY created_at DESC, id LIMIT ? OFFSET ?",
        (*values, query.limit, query.offset),
    )
    return [job_from_row(r) for r in rows]


def count_jobs(store: Store, user: User, query: JobFilter | None = None) -> int:
    """How many jobs match ``query`` (its paging aside)."""
    where, values = _matching(user, query or JobFilter())
    row = store.one(f"SELECT count(*) AS n FROM jobs WHERE {where}", tuple(values))
    return int(row["n"]) if row else 0


def cancel_job(store: Store, user: User, job_id: str) -> Job:
    """Cancel: a waiting job at once; a running one at its worker's next check (seconds)."""
    user.require_editor()
    job = get_job(store, user, job_id)
    if job.finished:
        raise JobConflict(f"job {job_id} is already {job.status.value}")
    stamp = now()
    with store.transaction() as conn:
        conn.execute(
            f"UPDATE jobs SET status = '{JobStatus.CANCELLED.value}', completed_at = ?,"
            " updated_at = ?, error_code = 'CANCELLED', error_message = 'cancelled by the user'"
            f" WHERE id = ? AND status = '{JobStatus.PENDING.value}'",
            (stamp, stamp, job_id),
        )
        conn.execute(
            f"UPDATE jobs SET cancel_requested = 1, updated_at = ? WHERE id = ?"
            f" AND status IN ({sql_list(RUNNING)})",
            (stamp, job_id),
        )
    return get_job(store, user, job_id)


def retry_job(store: Store, user: User, job_id: str) -> Job:
    """Queue a failed or cancelled job again; it resumes from its project's cached stages."""
    user.require_editor()
    job = get_job(store, user, job_id)
    if job.status not in (JobStatus.FAILED, JobStatus.CANCELLED):
        raise JobConflict(
            f"job {job_id} is {job.status.value}; only failed or cancelled jobs retry"
        )
    with store.transaction() as conn:
        conn.execute(
            "UPDATE jobs SET status = ?, error_code = NULL, error_message = NULL, progress = 0,"
            " step = NULL, eta_s = NULL, cancel_requested = 0, run_after = 0, attempts = 0,"
            " completed_at = NULL, claim = NULL, updated_at = ? WHERE id = ?",
            (JobStatus.PENDING.value, now(), job_id),
        )
    return get_job(store, user, job_id)


def delete_job(store: Store, settings: Settings, user: User, job_id: str) -> Job:
    """Delete a finished or waiting job with its project folder and its video."""
    user.require_editor()
    job = get_job(store, user, job_id)
    if job.status in RUNNING:
        raise JobConflict(f"job {job_id} is running; cancel it first")
    with store.transaction() as conn:
        conn.execute("DELETE FROM videos WHERE job_id = ?", (job_id,))
        conn.execute("DELETE FROM jobs WHERE id = ?", (job_id,))
    if job.project_dir:
        shutil.rmtree(settings.pdf2video_home / job.project_dir, ignore_errors=True)
    return job


def counts_by_status(store: Store, user: User) -> dict[str, int]:
    where, params = owned(user)
    rows = store.all(
        f"SELECT status, count(*) AS n FROM jobs WHERE {where} GROUP BY status", params
    )
    return {r["status"]: r["n"] for r in rows}
