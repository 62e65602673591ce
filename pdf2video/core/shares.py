"""Share links: anyone holding one may watch one video until it expires or is revoked.

The link's token is the share's id sealed with the workspace's secret key (Fernet, the
key of :mod:`pdf2video.core.user_keys`): it cannot be forged or edited, and it reveals
no id of the video, the job or the owner. The share row says when it expires and
whether the owner revoked it; an unknown, expired or revoked link all answer the same.
"""

from __future__ import annotations

import uuid

from cryptography.fernet import InvalidToken
from pydantic import BaseModel

from pdf2video.core.config import Settings
from pdf2video.core.errors import JobError, ShareNotFound
from pdf2video.core.library import Video, get_video
from pdf2video.core.store import Store, now
from pdf2video.core.user_keys import fernet
from pdf2video.core.users import User, owned

MAX_DAYS = 365.0
SHARED_PATH = "/api/v1/shared"  # where the pdf2video service answers share links


def link(base_url: str, token: str) -> str:
    """The URL of a share link, with ``base_url`` the service's address (its API's parent)."""
    return f"{base_url.rstrip('/')}{SHARED_PATH}/{token}"


class Share(BaseModel):
    id: str
    owner: str
    video_id: str
    created_at: float
    expires_at: float
    revoked_at: float | None = None
    token: str | None = None  # only when made or listed by its owner


def _seal(settings: Settings, share_id: str) -> str:
    return fernet(settings).encrypt(share_id.encode()).decode()


def create_share(
    store: Store, settings: Settings, user: User, video_id: str, *, expires_in_s: float
) -> Share:
    """A link to the user's video ``video_id`` that works for ``expires_in_s`` seconds."""
    user.require_editor()
    if not 60 <= expires_in_s <= MAX_DAYS * 86400:
        raise JobError(f"a share link lasts from one minute to {MAX_DAYS:g} days")
    video = get_video(store, user, video_id)
    stamp = now()
    share = Share(
        id=uuid.uuid4().hex,
        owner=video.owner,
        video_id=video.id,
        created_at=stamp,
        expires_at=stamp + expires_in_s,
    )
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO shares (id, owner, video_id, created_at, expires_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (share.id, share.owner, share.video_id, share.created_at, share.expires_at),
        )
    return share.model_copy(update={"token": _seal(settings, share.id)})


def list_shares(store: Store, settings: Settings, user: User, video_id: str) -> list[Share]:
    """The live links to one of the user's videos."""
    video = get_video(store, user, video_id)
    rows = store.all(
        "SELECT * FROM shares WHERE video_id = ? AND revoked_at IS NULL AND expires_at > ?"
        " ORDER BY created_at DESC",
        (video.id, now()),
    )
    return [Share(**r, token=_seal(settings, r["id"])) for r in rows]


def revoke_share(store: Store, user: User, share_id: str) -> None:
    where, params = owned(user)
    with store.transaction() as conn:
        gone = conn.execute(
            f"UPDATE shares SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL AND {where}",
            (now(), share_id, *params),
        ).rowcount
    if not gone:
        raise ShareNotFound(f"there is no share link {share_id!r}")


def shared_video(store: Store, settings: Settings, token: str) -> tuple[Share, Video]:
    """The share and the video behind a link's token, if it still works."""
    missing = ShareNotFound("this share link does not exist, has expired or was revoked")
    try:
        share_id = fernet(settings).decrypt(token.encode()).decode()
    except (InvalidToken, UnicodeError, ValueError):
        raise missing from None
    row = store.one("SELECT * FROM shares WHERE id = ?", (share_id,))
    if row is None or row["revoked_at"] is not None or row["expires_at"] <= now():
        raise missing
    video_row = store.one("SELECT * FROM videos WHERE id = ?", (row["video_id"],))
    if video_row is None:
        raise missing
    return Share(**row), Video(**video_row)
