"""Rendering a batch in this process: inputs one after another, each one's scenes on all cores."""

from __future__ import annotations

from pdf2video.core.batch import tasks
from pdf2video.core.batch.outcome import Finished, Outcome, message
from pdf2video.core.batch.progress import ItemProgress, stage_reporter
from pdf2video.core.batch.tasks import StageClock, Work


def render_here(works: list[Work], report: ItemProgress, finished: Finished) -> None:
    """Each input to its end, then ``finished`` (so its video is out before the next starts)."""
    for work in works:
        outcome = Outcome()
        try:
            events = stage_reporter(work.name, report)
            outcome.prepared = tasks.prepare(work, events)
            clock = StageClock(events)
            outcome.segments, rendered = tasks.compose_here(work, clock)
            seconds, outcome.warnings = tasks.finish(work, rendered, clock)
            outcome.stage_s = {**outcome.prepared.stage_s, **clock.rounded(), "export": seconds}
        except Exception as exc:  # one input's failure never stops the others
            outcome.error = message(exc)
        finished(work, outcome)
