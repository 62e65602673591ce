"""Live job progress for Server-Sent Events: one poller per watched job, any number of followers.

The worker writes progress into the job's row (another process); the service learns of
changes by reading that row, every ``POLL_S``, once per job however many clients follow
it, and hands each follower the latest state. A slow follower skips states it missed
but always gets the newest one and the final one.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from starlette.concurrency import run_in_threadpool

from pdf2video.core.jobs import Job, job_from_row
from pdf2video.core.store import Store

POLL_S = 0.25


class _Follower:
    def __init__(self) -> None:
        self.latest: Job | None = None
        self.gone = False
        self.changed = asyncio.Event()

    def offer(self, job: Job | None) -> None:
        if job is None:
            self.gone = True
        else:
            self.latest = job
        self.changed.set()


def _fingerprint(job: Job) -> tuple[object, ...]:
    return (job.status, job.progress, job.step, job.updated_at, job.video_id, job.error_code)


class JobWatcher:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._followers: dict[str, set[_Follower]] = {}
        self._pollers: dict[str, asyncio.Task[None]] = {}

    def _load(self, job_id: str) -> Job | None:
        row = self.store.one("SELECT * FROM jobs WHERE id = ?", (job_id,))
        return job_from_row(row) if row else None

    async def _poll(self, job: Job) -> None:
        last = _fingerprint(job)
        while self._followers.get(job.id):
            await asyncio.sleep(POLL_S)
            now = await run_in_threadpool(self._load, job.id)
            if now is not None and _fingerprint(now) == last:
                continue
            for follower in list(self._followers.get(job.id, ())):
                follower.offer(now)
            if now is None or now.finished:
                return
            last = _fingerprint(now)

    async def follow(self, job: Job) -> AsyncIterator[Job]:
        """The job as it is now, then each change, ending after a final status."""
        yield job
        if job.finished:
            return
        follower = _Follower()
        self._followers.setdefault(job.id, set()).add(follower)
        poller = self._pollers.get(job.id)
        if poller is None or poller.done():
            self._pollers[job.id] = asyncio.create_task(self._poll(job))
        try:
            while True:
                await follower.changed.wait()
                follower.changed.clear()
                if follower.latest is not None:
                    state, follower.latest = follower.latest, None
                    yield state
                    if state.finished:
                        return
                if follower.gone:
                    return
        finally:
            followers = self._followers.get(job.id, set())
            followers.discard(follower)
            if not followers:
                self._followers.pop(job.id, None)
                task = self._pollers.pop(job.id, None)
                if task is not None and not task.done():
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError, Exception):
                        await task
