"""The worker: runs queued jobs, each in its own process, within the limits.

``pdf2video worker [--concurrency N]`` loops: take back jobs whose worker died, start
jobs while fewer than N run here (and fewer than ``MAX_CONCURRENT_JOBS`` run in all),
beat for the jobs it runs, stop any that passes the timeout, and once an hour clean
up old jobs. Each job runs in a child process (:mod:`pdf2video.core.job_runner`), so a
job that hangs or crashes is killed alone, and the child dies with the worker.

Why not huey (or another queue library): the job row has to be the truth anyway
(status, progress, owner, cancel, the video), and huey's SQLite storage deletes a task
when a consumer takes it, so a worker killed with SIGKILL loses the job; taking it back
needs the claim and heartbeat kept here. With those, a queue library would only be a
second copy of the same state.

:class:`InlineRunner` does the same in a background thread of the current process, for
one JupyterLab user with no worker running.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from types import FrameType

from pdf2video.core import job_queue, webhooks
from pdf2video.core.config import Settings
from pdf2video.core.errors import JobTimedOut, Pdf2VideoError
from pdf2video.core.job_queue import Claimed
from pdf2video.core.job_runner import run_claimed
from pdf2video.core.jobs import RUNNING, sql_list
from pdf2video.core.library import cleanup
from pdf2video.core.store import Store

log = logging.getLogger(__name__)
POLL_S = 0.5
CANCEL_GRACE_S = 4.0  # a cancelled child that has not stopped by then is killed
CLEANUP_EVERY_S = 3600.0


@dataclass
class _Child:
    claimed: Claimed
    process: subprocess.Popen[bytes]
    started: float = field(default_factory=time.monotonic)
    cancel_seen: float | None = None


class Worker:
    """Runs jobs from the store in child processes until stopped (SIGTERM, SIGINT)."""

    def __init__(self, store: Store, settings: Settings, concurrency: int | None = None) -> None:
        self.store, self.settings = store, settings
        self.concurrency = max(1, concurrency or settings.max_concurrent_jobs)
        self.children: list[_Child] = []
        self._stopping = threading.Event()
        self._last_beat = 0.0
        self._last_cleanup = 0.0

    def stop(self, *_: object) -> None:
        self._stopping.set()

    def run(self, *, once: bool = False) -> None:
        """Work until stopped; ``once``: until no job waits or runs (here or anywhere)."""
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._on_signal)
        try:
            while not self._stopping.is_set():
                self.step()
                if once and not self.children and not self._due_jobs():
                    break
                self._stopping.wait(POLL_S)
        finally:
            self._shutdown()

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.stop()

    def _due_jobs(self) -> bool:
        """Work left: a job waiting, or one running anywhere (its worker may have died)."""
        return (
            self.store.one(
                "SELECT 1 FROM jobs WHERE (status = 'pending' AND cancel_requested = 0)"
                f" OR status IN ({sql_list(RUNNING)}) LIMIT 1"
            )
            is not None
        )

    def step(self) -> None:
        settings = self.settings
        job_queue.take_back_stale(self.store, settings.job_max_attempts)
        self._reap()
        moment = time.monotonic()
        if moment - self._last_beat >= job_queue.HEARTBEAT_S:
            job_queue.heartbeat(self.store, [c.claimed.claim for c in self.children])
            self._last_beat = moment
        while len(self.children) < self.concurrency and not self._stopping.is_set():
            claimed = job_queue.claim_next(self.store, settings.max_concurrent_jobs)
            if claimed is None:
                break
            self._start(claimed)
        if moment - self._last_cleanup >= CLEANUP_EVERY_S:
            self._last_cleanup = moment
            try:
                cleanup(self.store, settings)
            except Pdf2VideoError:
                log.warning("cleanup failed", exc_info=True)

    def _start(self, claimed: Claimed) -> None:
        command = [
            sys.executable,
            "-m",
            "pdf2video.core.job_runner",
            claimed.job.id,
            claimed.claim,
            str(os.getpid()),
        ]
        env = dict(os.environ, PDF2VIDEO_HOME=str(self.settings.pdf2video_home))
        process = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL)
        self.children.append(_Child(claimed, process))
        log.info("job %s started (pid %d)", claimed.job.id, process.pid)

    def _reap(self) -> None:
        timeout_s = self.settings.job_timeout_minutes * 60
        for child in list(self.children):
            code = child.process.poll()
            if code is None:
                elapsed = time.monotonic() - child.started
                if elapsed > timeout_s + 2 * CANCEL_GRACE_S:  # it did not stop itself
                    self._kill(child)
                    minutes = self.settings.job_timeout_minutes
                    late = JobTimedOut(f"the job ran longer than {minutes:g} minutes")
                    job_queue.fail(self.store, child.claimed, late, max_attempts=1, retry_base_s=0)
                    self.children.remove(child)
                    continue
                _, cancel = job_queue.still_wanted(self.store, child.claimed)
                if cancel:
                    child.cancel_seen = child.cancel_seen or time.monotonic()
                    if time.monotonic() - child.cancel_seen > CANCEL_GRACE_S:
                        self._kill(child)
                        job_queue.cancelled(self.store, child.claimed)
                        self.children.remove(child)
                continue
            self.children.remove(child)
            holds, _ = job_queue.still_wanted(self.store, child.claimed)
            if holds:  # the child ended without recording an end: it crashed
                error = Pdf2VideoError(f"the job's process stopped unexpectedly (exit {code})")
                error.transient = True
                job_queue.fail(
                    self.store,
                    child.claimed,
                    error,
                    max_attempts=self.settings.job_max_attempts,
                    retry_base_s=self.settings.job_retry_base_s,
                )

    @staticmethod
    def _kill(child: _Child) -> None:
        child.process.kill()
        child.process.wait()

    def _shutdown(self) -> None:
        """Stop the children and put their jobs back: the next worker resumes them."""
        for child in self.children:
            child.process.terminate()
        for child in self.children:
            try:
                child.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._kill(child)
        job_queue.release(self.store, [c.claimed.claim for c in self.children])
        self.children.clear()


class InlineRunner:
    """Runs queued jobs one at a time in a background thread of this process."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store, self.settings = store, settings
        self._stop = threading.Event()
        self._current: Claimed | None = None
        self._thread = threading.Thread(target=self._loop, name="pdf2video-inline", daemon=True)
        self._beat = threading.Thread(target=self._beats, name="pdf2video-beat", daemon=True)

    def start(self) -> InlineRunner:
        self._thread.start()
        self._beat.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def _beats(self) -> None:
        while not self._stop.wait(job_queue.HEARTBEAT_S):
            current = self._current
            if current is not None:
                try:
                    job_queue.heartbeat(self.store, [current.claim])
                except Exception:
                    log.debug("heartbeat failed", exc_info=True)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                job_queue.take_back_stale(self.store, self.settings.job_max_attempts)
                claimed = job_queue.claim_next(self.store, self.settings.max_concurrent_jobs)
            except Exception:
                log.warning("inline runner: store unavailable", exc_info=True)
                claimed = None
            if claimed is None:
                self._stop.wait(POLL_S)
                continue
            self._current = claimed
            try:
                run_claimed(self.store, self.settings, claimed)
            finally:
                self._current = None
            webhooks.notify(self.store, self.settings, claimed.job.id)
