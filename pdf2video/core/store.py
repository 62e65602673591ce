"""The SQLite store: one file in the workspace (``<home>/pdf2video.db``), WAL, migrated on open.

Tables: users, uploads, jobs, videos, presets, settings, api_tokens, shares. Each process (and
each thread) gets its own connection, with a busy timeout so writers queue instead of
failing with "database is locked". Writes go through :meth:`Store.transaction`, which
takes the write lock up front (``BEGIN IMMEDIATE``), so a read-then-write such as
claiming a job can never interleave with another process's. Schema changes are
forward-only migrations numbered by ``PRAGMA user_version``; a store written by a
newer pdf2video is refused rather than damaged.

Reads use sqlite-utils (``Store.db``); the owner check on rows lives in
:mod:`pdf2video.core.users`, the one place every query calls.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlite_utils

from pdf2video.core.errors import ProjectError

BUSY_TIMEOUT_S = 30.0


def _v1(db: sqlite_utils.Database) -> None:
    db.table("users").create(
        {
            "name": str,
            "display_name": str,
            "role": str,
            "created_at": float,
            "api_key": str,  # Fernet token, never the key itself
            "default_preset": str,
        },
        pk="name",
        not_null={"display_name", "role", "created_at"},
    )
    db.table("uploads").create(
        {
            "id": str,
            "owner": str,
            "kind": str,  # pdf, image, music, text
            "original_name": str,  # data only; never part of a path
            "path": str,  # relative to the workspace
            "sha256": str,
            "size_bytes": int,
            "created_at": float,
        },
        pk="id",
        not_null={"owner", "kind", "path", "sha256", "size_bytes", "created_at"},
    )
    db.table("uploads").create_index(["owner", "sha256"], unique=True)
    db.table("jobs").create(
        {
            "id": str,
            "owner": str,
            "title": str,
            "source_type": str,
            "status": str,
            "request": str,  # JSON of JobRequest
            "progress": float,
            "step": str,
            "eta_s": float,
            "created_at": float,
            "started_at": float,
            "completed_at": float,
            "updated_at": float,
            "error_code": str,
            "error_message": str,
            "attempts": int,
            "run_after": float,
            "claim": str,  # who runs it now: a new token per attempt
            "heartbeat_at": float,
            "cancel_requested": int,
            "project_dir": str,
            "video_id": str,
        },
        pk="id",
        not_null={"owner", "title", "status", "request", "created_at", "updated_at"},
        defaults={"progress": 0.0, "attempts": 0, "cancel_requested": 0, "run_after": 0.0},
    )
    db.table("jobs").create_index(["status", "run_after"])
    db.table("jobs").create_index(["owner", "created_at"])
    db.table("videos").create(
        {
            "id": str,
            "owner": str,
            "job_id": str,
            "title": str,
            "source_type": str,
            "path": str,
            "thumbnail": str,
            "duration": float,
            "width": int,
            "height": int,
            "fps": int,
            "codec": str,
            "size_bytes": int,
            "created_at": float,
        },
        pk="id",
        not_null={"owner", "title", "path", "created_at"},
    )
    db.table("videos").create_index(["owner", "created_at"])
    db.table("presets").create(
        {
            "id": str,
            "owner": str,  # NULL: built in, read-only
            "name": str,
            "settings": str,  # JSON of PresetSettings
            "created_at": float,
            "updated_at": float,
        },
        pk="id",
        not_null={"name", "settings", "created_at", "updated_at"},
    )
    db.table("presets").create_index(["owner", "name"], unique=True)
    db.table("settings").create(
        {"owner": str, "key": str, "value": str}, pk=("owner", "key"), not_null={"value"}
    )


def _v2(db: sqlite_utils.Database) -> None:
    """API tokens and share links (the service), and an index for an admin's job list."""
    db.table("api_tokens").create(
        {
            "id": str,
            "owner": str,
            "name": str,
            "token_sha256": str,  # never the token itself
            "created_at": float,
            "last_used_at": float,
            "expires_at": float,  # NULL: never
        },
        pk="id",
        not_null={"owner", "name", "token_sha256", "created_at"},
    )
    db.table("api_tokens").create_index(["token_sha256"], unique=True)
    db.table("shares").create(
        {
            "id": str,
            "owner": str,
            "video_id": str,
            "created_at": float,
            "expires_at": float,
            "revoked_at": float,
        },
        pk="id",
        not_null={"owner", "video_id", "created_at", "expires_at"},
    )
    db.table("shares").create_index(["video_id"])
    db.table("jobs").create_index(["created_at"])


def _v3(db: sqlite_utils.Database) -> None:
    """How a job's webhook went (JSON of webhooks.Delivery)."""
    db.table("jobs").add_column("webhook", str)


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_v1, _v2, _v3]


class Store:
    """The store of one workspace; safe to share between threads (a connection each)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        path.parent.mkdir(parents=True, exist_ok=True)
        self._migrate()

    def connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
            )
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            self._local.conn = conn
        return conn

    @property
    def db(self) -> sqlite_utils.Database:
        return sqlite_utils.Database(self.connection())

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction holding the lock from its start; rolled back on error."""
        conn = self.connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def one(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> dict[str, Any] | None:
        row = self.connection().execute(sql, params).fetchone()
        return dict(row) if row is not None else None

    def all(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        return [dict(r) for r in self.connection().execute(sql, params).fetchall()]

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def _migrate(self) -> None:
        conn = self.connection()
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise ProjectError(
                f"the store was written by a newer pdf2video (schema {version}); upgrade",
                path=self.path,
            )
        if version == len(MIGRATIONS):
            return
        with self.transaction():
            version = conn.execute("PRAGMA user_version").fetchone()[0]  # another process?
            for number, migrate in enumerate(MIGRATIONS[version:], start=version + 1):
                migrate(sqlite_utils.Database(conn))
                conn.execute(f"PRAGMA user_version = {number}")


def contains(text: str) -> str:
    """A LIKE pattern (used with ESCAPE) matching ``text`` anywhere, wildcards as plain text."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def now() -> float:
    """Time as stored: seconds since the epoch (UTC)."""
    return time.time()


def open_store(home: Path) -> Store:
    return Store(home / "pdf2video.db")
