"""Progress reports and cancellation, shared by every stage.

A stage calls ``progress(ProgressEvent(...))`` as it goes and ``cancel.check()`` between
units of work; the CLI draws a bar, the worker writes the job row, a widget updates.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from pdf2video.core.errors import Cancelled


@dataclass(frozen=True)
class ProgressEvent:
    stage: str
    fraction: float  # 0..1 within the stage
    message: str = ""
    eta_s: float | None = None


ProgressFn = Callable[[ProgressEvent], None]


def no_progress(_: ProgressEvent) -> None:
    """The progress callback that reports nowhere."""


class CancelToken:
    """Set from any thread; the running stage stops at its next check."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled("cancelled by the user")


class StageProgress:
    """Reports ``done / total`` for one stage with an estimate of the time left."""

    def __init__(self, stage: str, total: int, report: ProgressFn) -> None:
        self.stage = stage
        self.total = max(total, 1)
        self.report = report
        self.started = time.monotonic()

    def step(self, done: int, message: str = "") -> None:
        fraction = min(done / self.total, 1.0)
        elapsed = time.monotonic() - self.started
        eta = elapsed * (1 - fraction) / fraction if fraction > 0 else None
        self.report(ProgressEvent(self.stage, fraction, message, eta))
