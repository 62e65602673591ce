"""What one input's render came to, wherever it ran, and the message a failure shows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from pdf2video.core.batch.tasks import Prepared, Work
from pdf2video.core.errors import Pdf2VideoError


@dataclass
class Outcome:
    """A finished render (``error`` None) or the reason it stopped."""

    prepared: Prepared | None = None
    segments: list[str] = field(default_factory=list)
    stage_s: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None


Finished = Callable[[Work, "Outcome"], None]  # called as each input ends, done or failed


def message(exc: BaseException) -> str:
    """A failure as the report shows it: the domain message (the row names the input)."""
    if isinstance(exc, Pdf2VideoError):
        return exc.message
    if type(exc).__name__ == "KilledWorker":
        return "a Dask worker died while rendering this input (out of memory?)"
    return f"unexpected error: {type(exc).__name__}: {exc}"
