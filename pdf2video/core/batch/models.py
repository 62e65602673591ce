"""The batch's parameters (the notebook's ``parameters`` cell) and its results (the report)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from pdf2video.core.errors import BatchFailed, JobError
from pdf2video.core.presets import parse_resolution

ItemStatus = Literal["done", "skipped", "failed", "refused", "ignored"]
STAGES = ("extract", "classify", "script", "voiceover", "backgrounds", "compose", "export")


class BatchParams(BaseModel):
    """Exactly the names and defaults of the notebook's ``parameters`` cell."""

    inputs: list[Path] = Field(min_length=1)
    output_dir: Path | None = None  # None: <workspace>/batch-output
    preset: str | None = None
    voice: str | None = None
    resolution: str = "1920x1080"
    fps: Literal[24, 25, 30, 50, 60] = 30
    captions: Literal["burn", "sidecar", "off"] = "sidecar"
    provider: Literal["offline", "openai"] = "offline"
    draft: bool = False
    workers: Annotated[int, Field(ge=0, le=256)] = 0
    scheduler: Annotated[str, Field(pattern=r"^(tcp|tls|ucx|inproc)://\S+$")] | None = None
    webhook_url: Annotated[str, Field(pattern=r"^https?://\S+$")] | None = None

    @field_validator("inputs", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str | Path) else value

    @field_validator("resolution")
    @classmethod
    def _resolution(cls, value: str) -> str:
        try:
            parse_resolution(value)
        except JobError as exc:
            raise ValueError(exc.message) from None
        return value

    @model_validator(mode="after")
    def _one_place_to_run(self) -> BatchParams:
        if self.workers and self.scheduler:
            raise ValueError("give workers (a local Dask cluster) or scheduler, not both")
        return self

    def explicit(self) -> dict[str, Any]:
        """The render choices set to something other than the notebook's defaults."""
        defaults = BatchParams.model_fields
        return {
            name: getattr(self, name)
            for name in ("voice", "resolution", "fps", "captions", "draft")
            if getattr(self, name) != defaults[name].default
        }


class ItemResult(BaseModel):
    """One row of the report: an input and what became of it."""

    input: str  # as the user named it; "archive.zip:inner/name.pdf" for a ZIP's entry
    name: str  # the output's file stem in output_dir
    status: ItemStatus
    title: str | None = None
    pages: int | None = None
    scenes: int | None = None
    duration_s: float | None = None
    size_bytes: int | None = None
    render_s: float | None = None
    video: str | None = None  # the MP4 in output_dir
    error: str | None = None
    key: str | None = None  # content hash + settings: the same key means the same video
    segments: list[str] = Field(default_factory=list)  # the scene segments, by hash
    stage_s: dict[str, float] = Field(default_factory=dict)
    warnings: list[str] = Field(default_factory=list)


class BatchResult(BaseModel):
    output_dir: Path
    report: Path | None = None
    started_at: float
    finished_at: float
    runner: str  # "in this process", "on a LocalCluster of 2 workers", ...
    dashboard: str | None = None
    items: list[ItemResult]
    webhook: dict[str, Any] | None = None  # how the notification went

    def count(self, status: ItemStatus) -> int:
        return sum(1 for item in self.items if item.status == status)

    @property
    def ok(self) -> bool:
        return not any(item.status in ("failed", "refused") for item in self.items)

    def summary(self) -> str:
        """One line: how many were made, skipped, failed and refused."""
        parts = [
            f"{self.count('done')} rendered",
            f"{self.count('skipped')} up to date",
            f"{self.count('failed')} failed",
        ]
        for status in ("refused", "ignored"):
            if self.count(status):
                parts.append(f"{self.count(status)} {status}")
        return ", ".join(parts) + f" in {self.finished_at - self.started_at:.1f} s"

    def raise_if_failed(self) -> None:
        """After the report: fail (so papermill and cron see it) when any input failed."""
        bad = [item for item in self.items if item.status in ("failed", "refused")]
        if bad:
            names = "; ".join(f"{item.input}: {item.error}" for item in bad[:5])
            more = f" (and {len(bad) - 5} more)" if len(bad) > 5 else ""
            raise BatchFailed(f"{self.summary()}. {names}{more}")

    def warnings(self) -> list[str]:
        return [f"{item.input}: {w}" for item in self.items for w in item.warnings]
