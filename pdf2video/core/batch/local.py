"""Rendering a batch in this process: inputs one after another, each one's scenes on all cores.

Each input is the whole pipeline (:func:`pdf2video.core.pipeline.render_video`: its scenes
on every core, the soundtrack made meanwhile), timed per stage by the progress events.
"""

from __future__ import annotations

from pdf2video.core.batch import tasks
from pdf2video.core.batch.outcome import Finished, Outcome, message
from pdf2video.core.batch.progress import ItemProgress, stage_reporter
from pdf2video.core.batch.tasks import Prepared, StageClock, Work
from pdf2video.core.pipeline import render_video


def render_here(works: list[Work], report: ItemProgress, finished: Finished) -> None:
    """Each input to its end, then ``finished`` (so its video is out before the next starts)."""
    for work in works:
        outcome = Outcome()
        try:
            clock = StageClock(stage_reporter(work.name, report))
            project = render_video(
                work.project_dir,
                work.settings,
                work.options,
                project_dir=work.project_dir,
                voice=work.voice,
                progress=clock,
            )
            assert project.render is not None
            outcome.stage_s = clock.rounded()
            outcome.prepared = Prepared.of(project, outcome.stage_s)
            outcome.segments = [plan.path.name for plan in tasks.renderer_for(work).plans()]
            outcome.warnings = list(project.render.warnings)
        except Exception as exc:  # one input's failure never stops the others
            outcome.error = message(exc)
        finished(work, outcome)
