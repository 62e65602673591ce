"""API tokens: how a program proves who it is to a standalone pdf2video service.

A token is shown once, when it is made (``pdf2video tokens create``); the store keeps
only its SHA-256, so a copy of the database gives nobody a way in. Under JupyterHub the
hub issues the tokens instead (:mod:`pdf2video.service.hub_auth`), and these are not used.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid

from pydantic import BaseModel

from pdf2video.core.errors import NotFound
from pdf2video.core.store import Store, now
from pdf2video.core.users import User, get_user

PREFIX = "p2v_"
TOUCH_EVERY_S = 60.0  # last_used_at is a hint, not an audit log: one write a minute at most


class ApiToken(BaseModel):
    id: str
    owner: str
    name: str
    created_at: float
    last_used_at: float | None = None
    expires_at: float | None = None


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(
    store: Store, user: User, name: str, *, expires_in_days: float | None = None
) -> tuple[str, ApiToken]:
    """A new token for ``user``: the secret (shown once) and its record."""
    secret = PREFIX + secrets.token_urlsafe(32)
    record = ApiToken(
        id=uuid.uuid4().hex[:12],
        owner=user.name,
        name=name.strip()[:80] or "token",
        created_at=now(),
        expires_at=now() + expires_in_days * 86400 if expires_in_days else None,
    )
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO api_tokens (id, owner, name, token_sha256, created_at, expires_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                record.id,
                record.owner,
                record.name,
                digest(secret),
                record.created_at,
                record.expires_at,
            ),
        )
    return secret, record


def user_for_token(
    store: Store, token: str, *, admins: frozenset[str] = frozenset()
) -> User | None:
    """The user a token belongs to; None for a token nobody issued or one that expired."""
    if not token.startswith(PREFIX):
        return None
    row = store.one("SELECT * FROM api_tokens WHERE token_sha256 = ?", (digest(token),))
    if row is None:
        return None
    stamp = now()
    if row["expires_at"] is not None and row["expires_at"] < stamp:
        return None
    if (row["last_used_at"] or 0) < stamp - TOUCH_EVERY_S:
        with store.transaction() as conn:
            conn.execute("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", (stamp, row["id"]))
    return get_user(store, row["owner"], admins=admins)


def list_tokens(store: Store, user: User) -> list[ApiToken]:
    rows = store.all(
        "SELECT * FROM api_tokens WHERE owner = ? ORDER BY created_at DESC", (user.name,)
    )
    return [ApiToken(**{k: v for k, v in r.items() if k in ApiToken.model_fields}) for r in rows]


def revoke_token(store: Store, user: User, token_id: str) -> None:
    with store.transaction() as conn:
        gone = conn.execute(
            "DELETE FROM api_tokens WHERE id = ? AND (owner = ? OR ?)",
            (token_id, user.name, user.is_admin),
        ).rowcount
    if not gone:
        raise NotFound(f"there is no token {token_id!r}")
