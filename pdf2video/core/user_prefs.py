"""A user's own defaults: the OpenAI-compatible base URL, the voice, the resolution.

Kept in the store's ``settings`` table (one row per user and key), set from the
studio's Settings tab; each overrides the server's setting for that user's work, and
a job uses its owner's (see :func:`apply`).
"""

from __future__ import annotations

from pydantic import BaseModel, field_validator

from pdf2video.core.config import Settings
from pdf2video.core.errors import JobError
from pdf2video.core.presets import parse_resolution
from pdf2video.core.store import Store
from pdf2video.core.users import User

KEYS = ("openai_base_url", "voice", "resolution")


class UserPrefs(BaseModel):
    openai_base_url: str | None = None
    voice: str | None = None
    resolution: str | None = None

    @field_validator("openai_base_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("the base URL starts with http:// or https://")
        return value or None

    @field_validator("resolution")
    @classmethod
    def _resolution(cls, value: str | None) -> str | None:
        if value:
            try:
                parse_resolution(value)
            except JobError as exc:
                raise ValueError(exc.message) from None
        return value or None


def get_prefs(store: Store, owner: str) -> UserPrefs:
    rows = store.all("SELECT key, value FROM settings WHERE owner = ?", (owner,))
    return UserPrefs(**{r["key"]: r["value"] for r in rows if r["key"] in KEYS})


def save_prefs(store: Store, user: User, prefs: UserPrefs) -> UserPrefs:
    user.require_editor()
    with store.transaction() as conn:
        for key in KEYS:
            value = getattr(prefs, key)
            if value is None:
                conn.execute("DELETE FROM settings WHERE owner = ? AND key = ?", (user.name, key))
            else:
                conn.execute(
                    "INSERT INTO settings (owner, key, value) VALUES (?, ?, ?)"
                    " ON CONFLICT(owner, key) DO UPDATE SET value = excluded.value",
                    (user.name, key, value),
                )
    return prefs


def apply(settings: Settings, prefs: UserPrefs) -> Settings:
    """The settings with the user's base URL and voice in force."""
    update: dict[str, object] = {}
    if prefs.openai_base_url:
        update["openai_base_url"] = prefs.openai_base_url
    if prefs.voice:
        update["voice"] = prefs.voice
    return settings.model_copy(update=update) if update else settings
