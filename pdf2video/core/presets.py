"""Presets: named sets of render settings, built-in (read-only) or a user's own.

A job names a preset and may override any of its fields. Each user may pick one
preset as their default, used when a job names none.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from pdf2video.core.config import Encoder
from pdf2video.core.errors import Forbidden, JobError, PresetNotFound
from pdf2video.core.store import Store, now
from pdf2video.core.users import User, owned

M = TypeVar("M", bound=BaseModel)
RESOLUTIONS = {
    "720p": (1280, 720),
    "1080p": (1920, 1080),
    "1440p": (2560, 1440),
    "2160p": (3840, 2160),
}


class RenderChoices(BaseModel):
    """Render settings a preset or a job may set; ``None`` leaves the setting as it is."""

    model_config = ConfigDict(extra="forbid")

    resolution: str | None = None  # 720p, 1080p, 1440p, 2160p or WxH
    fps: Literal[24, 25, 30, 50, 60] | None = None
    aspect: Literal["16:9", "9:16", "1:1"] | None = None
    voice: str | None = None
    speed: Annotated[float, Field(ge=0.5, le=2.0)] | None = None
    captions: Literal["burn", "sidecar", "off"] | None = None
    backgrounds: Literal["offline", "openai"] | None = None
    encoder: Encoder | None = None
    draft: bool | None = None

    @field_validator("resolution")
    @classmethod
    def _resolution(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                parse_resolution(value)
            except JobError as exc:
                raise ValueError(exc.message) from None
        return value

    def over(self, base: RenderChoices) -> RenderChoices:
        """These choices, falling back to ``base`` where they leave a field unset."""
        merged = base.model_dump(exclude_none=True) | self.model_dump(exclude_none=True)
        return RenderChoices(**merged)


def parse_resolution(value: str) -> tuple[int, int]:
    if value.lower() in RESOLUTIONS:
        return RESOLUTIONS[value.lower()]
    try:
        width, height = (int(v) for v in value.lower().split("x"))
    except ValueError:
        raise JobError(f"{value!r} is not a resolution (e.g. 1280x720 or 1080p)") from None
    if not (16 <= width <= 7680 and 16 <= height <= 4320):
        raise JobError(f"{value} is outside 16x16 .. 7680x4320")
    return width - width % 2, height - height % 2


class Preset(BaseModel):
    id: str
    owner: str | None  # None: built in
    name: str
    settings: RenderChoices

    @property
    def built_in(self) -> bool:
        return self.owner is None


BUILT_IN = [
    Preset(
        id="builtin-1080p",
        owner=None,
        name="1080p narrated",
        settings=RenderChoices(resolution="1080p", fps=30, aspect="16:9", captions="sidecar"),
    ),
    Preset(
        id="builtin-short",
        owner=None,
        name="9:16 short",
        settings=RenderChoices(resolution="1080x1920", fps=30, aspect="9:16", captions="burn"),
    ),
    Preset(
        id="builtin-4k",
        owner=None,
        name="4K showcase",
        settings=RenderChoices(resolution="2160p", fps=30, aspect="16:9", captions="sidecar"),
    ),
    Preset(
        id="builtin-draft",
        owner=None,
        name="720p draft",
        settings=RenderChoices(resolution="720p", fps=24, draft=True, captions="sidecar"),
    ),
]


def _row(row: dict[str, object]) -> Preset:
    return Preset(
        id=str(row["id"]),
        owner=str(row["owner"]) if row["owner"] is not None else None,
        name=str(row["name"]),
        settings=RenderChoices.model_validate_json(str(row["settings"])),
    )


def list_presets(store: Store, user: User) -> list[Preset]:
    where, params = owned(user)
    rows = store.all(f"SELECT * FROM presets WHERE {where} ORDER BY name", params)
    return [*BUILT_IN, *(_row(r) for r in rows)]


def find_preset(store: Store, user: User, id_or_name: str) -> Preset:
    """A built-in preset or one of the user's own, by id or by name."""
    for preset in BUILT_IN:
        if id_or_name in (preset.id, preset.name):
            return preset
    row = store.one(
        "SELECT * FROM presets WHERE (id = ? OR name = ?) AND owner = ?",
        (id_or_name, id_or_name, user.name),
    )
    if row is None and user.is_admin:
        row = store.one("SELECT * FROM presets WHERE id = ?", (id_or_name,))
    if row is None:
        raise PresetNotFound(f"there is no preset {id_or_name!r}")
    return _row(row)


def save_preset(store: Store, user: User, name: str, settings: RenderChoices) -> Preset:
    """Create the user's preset ``name``, or update it when it exists."""
    user.require_editor()
    name = name.strip()
    if not name or len(name) > 80:
        raise JobError("a preset needs a name of 1 to 80 characters")
    if any(name == p.name for p in BUILT_IN):
        raise Forbidden(f"{name!r} is a built-in preset; save yours under another name")
    stamp = now()
    with store.transaction() as conn:
        existing = conn.execute(
            "SELECT id FROM presets WHERE owner = ? AND name = ?", (user.name, name)
        ).fetchone()
        preset_id = existing["id"] if existing else uuid.uuid4().hex[:12]
        conn.execute(
            "INSERT INTO presets (id, owner, name, settings, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
            "settings = excluded.settings, updated_at = excluded.updated_at",
            (preset_id, user.name, name, settings.model_dump_json(exclude_none=True), stamp, stamp),
        )
    return Preset(id=preset_id, owner=user.name, name=name, settings=settings)


def delete_preset(store: Store, user: User, id_or_name: str) -> Preset:
    user.require_editor()
    preset = find_preset(store, user, id_or_name)
    if preset.built_in:
        raise Forbidden(f"{preset.name!r} is built in and cannot be deleted")
    if preset.owner != user.name and not user.is_admin:
        raise PresetNotFound(f"there is no preset {id_or_name!r}")
    with store.transaction() as conn:
        conn.execute("DELETE FROM presets WHERE id = ?", (preset.id,))
        conn.execute(
            "UPDATE users SET default_preset = NULL WHERE default_preset = ?", (preset.id,)
        )
    return preset


def set_default_preset(store: Store, user: User, id_or_name: str | None) -> Preset | None:
    preset = find_preset(store, user, id_or_name) if id_or_name else None
    with store.transaction() as conn:
        conn.execute(
            "UPDATE users SET default_preset = ? WHERE name = ?",
            (preset.id if preset else None, user.name),
        )
    return preset


def default_preset(store: Store, user: User) -> Preset | None:
    row = store.one("SELECT default_preset FROM users WHERE name = ?", (user.name,))
    if not row or not row["default_preset"]:
        return None
    try:
        return find_preset(store, user, row["default_preset"])
    except PresetNotFound:
        return None


def validated(model: type[M], data: dict[str, Any]) -> M:
    """``model`` from ``data``; a bad field becomes one plain :class:`JobError` line."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "request"
        message = first["msg"].removeprefix("Value error, ")
        raise JobError(f"{where}: {message}") from None
