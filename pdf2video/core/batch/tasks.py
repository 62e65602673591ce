"""The units of a batch's work, the same wherever they run: here, or on a Dask worker.

``prepare`` runs every stage before compose (read, classify, script, voiceover,
backdrops) in the project folder; ``render_scene`` renders one scene to its segment;
``finish`` builds the soundtrack and exports. They take only picklable values and touch
only the project folder (never the store), so a worker on another machine needs the
same paths on shared storage and nothing else. Segments are named by the hash of what
shaped them, so a scene rendered on a worker is the one this process would have made.
"""

from __future__ import annotations

import functools
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import ParamSpec, TypeVar

from pdf2video.core.config import Settings
from pdf2video.core.errors import Pdf2VideoError
from pdf2video.core.models import Project
from pdf2video.core.pipeline import finish_render, prepare_render, soundtrack_for
from pdf2video.core.progress import ProgressEvent, ProgressFn, no_progress
from pdf2video.core.project import ProjectFolder, load_project
from pdf2video.core.render import Renderer, RenderOptions
from pdf2video.core.soundtrack import build as build_soundtrack

P = ParamSpec("P")
R = TypeVar("R")


def plain_errors(task: Callable[P, R]) -> Callable[P, R]:
    """A domain error leaves the task alone, without the library errors behind it: Dask
    pickles an exception's causes with it, and some (MuPDF's) cannot be pickled."""

    @functools.wraps(task)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        error: Pdf2VideoError | None = None
        try:
            return task(*args, **kwargs)
        except Pdf2VideoError as exc:
            error = exc.with_traceback(None)
            error.__context__ = error.__cause__ = None
        raise error

    return run


@dataclass(frozen=True)
class Work:
    """One video to make: where its project lives and how to render it."""

    name: str
    project_dir: Path
    settings: Settings
    options: RenderOptions
    voice: str | None = None


@dataclass
class Prepared:
    title: str
    pages: int
    scenes: int
    stage_s: dict[str, float]
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, project: Project, stage_s: dict[str, float]) -> Prepared:
        """What the report shows of a project that is read, scripted and voiced."""
        assert project.document is not None and project.script is not None
        return cls(
            title=project.script.title or project.document.title,
            pages=project.document.page_count,
            scenes=len(project.script.scenes),
            stage_s=stage_s,
            warnings=list(project.document.warnings),
        )


class StageClock:
    """A progress callback that adds up the seconds each stage takes, and passes events on.

    Stages report after their work, so the time since the last event is the reporting
    stage's; a stage that was cached reports nothing and costs nothing.
    """

    def __init__(self, report: ProgressFn = no_progress) -> None:
        self.report = report
        self.seconds: dict[str, float] = defaultdict(float)
        self.mark = time.monotonic()

    def __call__(self, event: ProgressEvent) -> None:
        moment = time.monotonic()
        self.seconds[event.stage] += moment - self.mark
        self.mark = moment
        self.report(event)

    def rounded(self) -> dict[str, float]:
        return {stage: round(s, 3) for stage, s in self.seconds.items()}


@plain_errors
def prepare(work: Work, progress: ProgressFn = no_progress) -> Prepared:
    """Every stage before compose, in the project folder (which holds the source)."""
    clock = StageClock(progress)
    _, project = prepare_render(
        work.project_dir,
        work.settings,
        work.options,
        project_dir=work.project_dir,
        voice=work.voice,
        progress=clock,
    )
    return Prepared.of(project, clock.rounded())


def renderer_for(work: Work) -> Renderer:
    folder = ProjectFolder(work.project_dir)
    return Renderer(folder, load_project(work.project_dir), work.settings, work.options)


@plain_errors
def render_scene(work: Work, index: int) -> tuple[str, bool]:
    """Scene ``index`` rendered to its segment, kept when it exists; (segment, rendered)."""
    renderer = renderer_for(work)
    plan = renderer.plans()[index]
    if plan.path.is_file():
        return plan.path.name, False
    renderer.render_segment(plan, None)
    return plan.path.name, True


@plain_errors
def soundtrack(work: Work) -> str:
    """The narration and music mixed (kept when made before); made beside the scenes."""
    return build_soundtrack(soundtrack_for(renderer_for(work))).name


@plain_errors
def finish(
    work: Work, rendered: int, progress: ProgressFn = no_progress
) -> tuple[float, list[str]]:
    """The soundtrack and the export into the project's ``out/``; (seconds, warnings)."""
    moment = time.monotonic()
    renderer = renderer_for(work)
    plans = renderer.plans()
    missing = [p.index + 1 for p in plans if not p.path.is_file()]
    if missing:
        raise RuntimeError(f"scenes {missing} have no segment; render them first")
    audio = build_soundtrack(soundtrack_for(renderer))
    project = finish_render(
        renderer,
        [p.path for p in plans],
        audio,
        started=moment,
        rendered=rendered,
        reused=len(plans) - rendered,
        progress=progress,
    )
    assert project.render is not None
    return round(time.monotonic() - moment, 3), list(project.render.warnings)
