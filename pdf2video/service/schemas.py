"""The API's request and response bodies (the seed's shapes), apart from the store's rows.

Times are ISO 8601 in UTC. Ids are opaque strings. A response never carries a path on
the server's disk; files are reached through the URLs it gives.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from pdf2video.core.jobs import Job, JobRequest, JobStatus
from pdf2video.core.library import Video
from pdf2video.core.presets import Preset, RenderChoices
from pdf2video.core.uploads import Upload

T = TypeVar("T")


def iso(moment: float | None) -> str | None:
    return datetime.fromtimestamp(moment, UTC).isoformat(timespec="seconds") if moment else None


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


class UploadOut(BaseModel):
    id: str
    owner: str
    kind: Literal["pdf", "image", "music", "project"]
    original_name: str
    size_bytes: int
    sha256: str
    created_at: str

    @classmethod
    def of(cls, upload: Upload) -> UploadOut:
        return cls(
            id=upload.id,
            owner=upload.owner,
            kind=upload.kind,
            original_name=upload.original_name,
            size_bytes=upload.size_bytes,
            sha256=upload.sha256,
            created_at=iso(upload.created_at) or "",
        )


class JobSettings(RenderChoices):
    """A job's render settings; ``generate_backgrounds`` asks for AI-made backgrounds."""

    generate_backgrounds: bool | None = None

    def choices(self) -> RenderChoices:
        data = self.model_dump(exclude={"generate_backgrounds"}, exclude_none=True)
        if self.generate_backgrounds is not None and self.backgrounds is None:
            data["backgrounds"] = "openai" if self.generate_backgrounds else "offline"
        return RenderChoices(**data)


class JobCreate(BaseModel):
    """What to make: a source, a title, settings and/or a preset (the seed's job body)."""

    model_config = ConfigDict(extra="forbid")

    source_type: Literal["pdf", "text_images", "project"] = "pdf"
    title: Annotated[str, Field(max_length=200)] | None = None
    pdf_upload_id: str | None = None
    image_upload_ids: Annotated[list[str], Field(max_length=50)] = Field(default_factory=list)
    music_upload_id: str | None = None
    logo_upload_id: str | None = None
    project_upload_id: str | None = None
    text_content: Annotated[str, Field(max_length=200_000)] | None = None
    settings: JobSettings = Field(default_factory=JobSettings)
    preset_id: str | None = None
    webhook_url: Annotated[str, Field(pattern=r"^https?://", max_length=2000)] | None = None

    def request(self) -> JobRequest:
        fields = {ours: getattr(self, theirs) for theirs, ours in FIELD_NAMES.items()}
        return JobRequest(**self.settings.choices().model_dump(exclude_none=True), **fields)

    @classmethod
    def of(cls, request: JobRequest) -> JobCreate:
        """The body that asks for ``request`` (the client's side)."""
        fields = {theirs: getattr(request, ours) for theirs, ours in FIELD_NAMES.items()}
        settings = JobSettings(**request.choices().model_dump(exclude_none=True))
        return cls(**fields, settings=settings)


# The seed's body names of JobRequest's fields (its render choices travel in ``settings``).
FIELD_NAMES = {
    "source_type": "source_type",
    "title": "title",
    "pdf_upload_id": "pdf_upload",
    "image_upload_ids": "image_uploads",
    "music_upload_id": "music_upload",
    "logo_upload_id": "logo_upload",
    "project_upload_id": "project_upload",
    "text_content": "text_content",
    "preset_id": "preset",
    "webhook_url": "webhook_url",
}


class JobOut(BaseModel):
    id: str
    owner: str
    title: str
    source_type: str
    status: JobStatus
    progress: float
    current_step: str | None
    eta_s: float | None
    error_code: str | None
    error_message: str | None
    video_id: str | None
    attempts: int
    cancel_requested: bool
    settings: RenderChoices
    preset_id: str | None
    request: JobCreate
    webhook: dict[str, Any] | None = None  # how the job's webhook went, once sent
    created_at: str | None
    started_at: str | None
    completed_at: str | None
    updated_at: str | None

    @classmethod
    def of(cls, job: Job) -> JobOut:
        return cls(
            id=job.id,
            owner=job.owner,
            title=job.title,
            source_type=job.source_type,
            status=job.status,
            progress=round(job.progress, 4),
            current_step=job.step,
            eta_s=job.eta_s,
            error_code=job.error_code,
            error_message=job.error_message,
            video_id=job.video_id,
            attempts=job.attempts,
            cancel_requested=job.cancel_requested,
            settings=job.request.choices(),
            preset_id=job.request.preset,
            request=JobCreate.of(job.request),
            webhook=json.loads(job.webhook) if job.webhook else None,
            created_at=iso(job.created_at),
            started_at=iso(job.started_at),
            completed_at=iso(job.completed_at),
            updated_at=iso(job.updated_at),
        )


class VideoOut(BaseModel):
    id: str
    owner: str
    job_id: str | None
    title: str
    source_type: str | None
    duration: float | None
    width: int | None
    height: int | None
    fps: int | None
    codec: str | None
    size_bytes: int | None
    created_at: str | None
    stream_url: str
    download_url: str
    thumbnail_url: str | None

    @classmethod
    def of(cls, video: Video, base: str) -> VideoOut:
        here = f"{base}/videos/{video.id}"
        return cls(
            **video.model_dump(exclude={"path", "thumbnail", "created_at"}),
            created_at=iso(video.created_at),
            stream_url=f"{here}/stream",
            download_url=f"{here}/download",
            thumbnail_url=f"{here}/thumbnail" if video.thumbnail else None,
        )


class DeleteVideos(BaseModel):
    video_ids: Annotated[list[str], Field(min_length=1, max_length=500)]


class Deleted(BaseModel):
    deleted: int


class PresetIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(min_length=1, max_length=80)]
    settings: RenderChoices


class PresetOut(BaseModel):
    id: str
    name: str
    built_in: bool
    owner: str | None
    settings: RenderChoices
    is_default: bool = False

    @classmethod
    def of(cls, preset: Preset, default_id: str | None = None) -> PresetOut:
        return cls(
            id=preset.id,
            name=preset.name,
            built_in=preset.built_in,
            owner=preset.owner,
            settings=preset.settings,
            is_default=preset.id == default_id,
        )


class DefaultPreset(BaseModel):
    preset_id: str | None


class ShareCreate(BaseModel):
    expires_in_hours: Annotated[float, Field(gt=0, le=24 * 365)] = 24.0 * 7


class ShareOut(BaseModel):
    id: str
    url: str
    expires_at: str | None


class SharedVideo(BaseModel):
    """What a share link shows: the title and how to watch; no id of anything."""

    title: str
    duration: float | None
    width: int | None
    height: int | None
    expires_at: str | None
    stream_url: str


class Me(BaseModel):
    name: str
    display_name: str
    role: str
    has_api_key: bool


class ApiKey(BaseModel):
    api_key: Annotated[str, Field(min_length=1, max_length=400)]


class Health(BaseModel):
    status: Literal["ok"]
    version: str
    store: Literal["ok"]


class GpuHealth(BaseModel):
    encoder: str
    nvenc: bool
    gpu: str | None


class Cleanup(BaseModel):
    older_than_days: Annotated[float, Field(ge=0)] | None = None


class CleanedUp(BaseModel):
    jobs_removed: int
