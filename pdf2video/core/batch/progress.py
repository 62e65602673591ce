"""Progress of a batch, per input: one fraction across the stages, for bars and logs.

The batch notebook runs in a kernel that papermill starts, so ``pdf2video batch`` cannot
see its progress directly: it sets ``PDF2VIDEO_BATCH_PROGRESS`` to a file, and the runner
appends one JSON line per update there (throttled), which the command draws as bars.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from pdf2video.core.progress import ProgressEvent, ProgressFn

PROGRESS_ENV = "PDF2VIDEO_BATCH_PROGRESS"
# The share of an input's time each stage takes, roughly (offline providers, 1080p).
WEIGHTS = {
    "extract": 0.08,
    "classify": 0.04,
    "script": 0.03,
    "voiceover": 0.25,
    "backgrounds": 0.05,
    "compose": 0.5,
    "export": 0.05,
}
ItemProgress = Callable[[str, float, str], None]  # (input name, fraction, message)


def overall(stage: str, fraction: float) -> float:
    """The fraction of the whole input done when ``stage`` is ``fraction`` done."""
    done = 0.0
    for name, weight in WEIGHTS.items():
        if name == stage:
            return min(1.0, done + weight * max(0.0, min(1.0, fraction)))
        done += weight
    return done


def stage_reporter(name: str, report: ItemProgress) -> ProgressFn:
    """A pipeline progress callback that reports the input's overall fraction."""

    def on_event(event: ProgressEvent) -> None:
        report(name, overall(event.stage, event.fraction), event.stage)

    return on_event


class ProgressFile:
    """Appends ``{"name", "fraction", "message", "status"}`` lines; at most 5 a second per input."""

    def __init__(self, path: Path, every_s: float = 0.2) -> None:
        self.path = path
        self.every_s = every_s
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def __call__(self, name: str, fraction: float, message: str) -> None:
        moment = time.monotonic()
        final = message in ("done", "skipped", "failed")
        with self._lock:
            if not final and moment - self._last.get(name, 0.0) < self.every_s:
                return
            self._last[name] = moment
            line = json.dumps({"name": name, "fraction": round(fraction, 4), "message": message})
            with self.path.open("a", encoding="utf-8") as sink:
                sink.write(line + "\n")


def batch_messages(name: str, _fraction: float, message: str) -> None:
    """Only what concerns the whole batch (the Dask dashboard's link), printed as it comes."""
    if name == "*":
        print(message, flush=True)  # a notebook cell's output, or a script's


def progress_from_env() -> ItemProgress:
    """The progress file ``pdf2video batch`` asked for; else the batch's messages printed."""
    target = os.environ.get(PROGRESS_ENV)
    return ProgressFile(Path(target)) if target else batch_messages
