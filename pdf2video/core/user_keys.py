"""Users' own OpenAI API keys, encrypted at rest with Fernet.

The Fernet key comes from ``PDF2VIDEO_SECRET_KEY``, or from ``<workspace>/secret.key``,
made on first use with mode 0600. The store holds only the token; the plain key is
returned by :func:`api_key_for` alone, for the job that needs it, and is never
printed, logged or listed (``has_api_key`` answers yes or no).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from pdf2video.core.config import Settings
from pdf2video.core.errors import InvalidSetting
from pdf2video.core.store import Store
from pdf2video.core.users import User


def fernet(settings: Settings) -> Fernet:
    """The workspace's Fernet key: user API keys and share links are sealed with it."""
    if settings.pdf2video_secret_key is not None:
        key = settings.pdf2video_secret_key.get_secret_value().encode()
    else:
        made = secret_file(
            settings.pdf2video_home / "secret.key", lambda: Fernet.generate_key().decode()
        )
        key = made[0].encode()
    try:
        return Fernet(key)
    except ValueError:
        raise InvalidSetting(
            "invalid setting PDF2VIDEO_SECRET_KEY: not a Fernet key (32 url-safe base64 bytes)"
        ) from None


def secret_file(path: Path, make: Callable[[], str]) -> tuple[str, bool]:
    """The secret kept in ``path`` (mode 0600, made with ``make`` when missing), and whether
    it was made just now. The workspace's key, the service's token and the hub's admin token
    all live in such files."""
    if path.is_file():
        return path.read_text().strip(), False
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = make()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(secret + "\n")
    return secret, True


def set_api_key(store: Store, settings: Settings, user: User, api_key: str | None) -> None:
    """Keep ``user``'s own key (encrypted), or forget it with ``None``."""
    token = fernet(settings).encrypt(api_key.encode()).decode() if api_key else None
    with store.transaction() as conn:
        conn.execute("UPDATE users SET api_key = ? WHERE name = ?", (token, user.name))


def has_api_key(store: Store, user: User) -> bool:
    row = store.one("SELECT api_key FROM users WHERE name = ?", (user.name,))
    return bool(row and row["api_key"])


def api_key_for(store: Store, settings: Settings, owner: str) -> str | None:
    """The plain key of ``owner``, for their job's provider; None when they have none."""
    row = store.one("SELECT api_key FROM users WHERE name = ?", (owner,))
    if not row or not row["api_key"]:
        return None
    try:
        return fernet(settings).decrypt(row["api_key"].encode()).decode()
    except InvalidToken:
        return None  # the secret key changed: the server's key (if any) is used instead
