"""One batch per output folder at a time: a lock file, so overlapping cron runs never collide.

``flock`` on ``<output_dir>/.pdf2video/batch.lock``, held for the whole run and dropped by
the kernel when the process ends (even on SIGKILL: no stale lock to clean). The file says
who holds it. ``pdf2video batch`` takes the lock before it starts papermill and hands its
token to the notebook's kernel in ``PDF2VIDEO_BATCH_LOCK_TOKEN``, so the kernel knows the
lock is its parent's; the notebook run by papermill directly takes the lock itself.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import time
from pathlib import Path
from typing import IO

from pdf2video.core.errors import BatchLocked

TOKEN_ENV = "PDF2VIDEO_BATCH_LOCK_TOKEN"


def lock_path(output_dir: Path) -> Path:
    return output_dir / ".pdf2video" / "batch.lock"


class BatchLock:
    """Held from ``acquire`` to ``release`` (or the end of the process)."""

    def __init__(self, output_dir: Path) -> None:
        self.path = lock_path(output_dir)
        self.token = secrets.token_hex(16)
        self._file: IO[str] | None = None

    def _holder(self) -> dict[str, object]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def inherited(self) -> bool:
        """True when the process that holds the lock handed this one its token."""
        token = os.environ.get(TOKEN_ENV)
        return bool(token) and self._holder().get("token") == token

    def acquire(self) -> BatchLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            holder = self._holder()
            since = holder.get("started")
            when = (
                time.strftime(" since %Y-%m-%d %H:%M:%S", time.localtime(float(since)))
                if isinstance(since, int | float)
                else ""
            )
            raise BatchLocked(
                f"another batch (pid {holder.get('pid', '?')}{when}) is writing into "
                f"{self.path.parent.parent}; this run stops here",
            ) from None
        handle.seek(0)
        handle.truncate()
        json.dump({"pid": os.getpid(), "started": time.time(), "token": self.token}, handle)
        handle.flush()
        self._file = handle
        return self

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None

    def __enter__(self) -> BatchLock:
        return self if self.inherited() else self.acquire()

    def __exit__(self, *_: object) -> None:
        self.release()
