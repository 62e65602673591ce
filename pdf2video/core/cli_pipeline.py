"""The pipeline commands of ``pdf2video``: inspect, script, voice, voices, render, preview, demo.

Loaded only when one of them runs (see :mod:`pdf2video.core.cli`), so quick commands
such as ``pdf2video jobs list`` do not pay for importing the pipeline.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

from pdf2video.core.config import Encoder, ProviderName, Settings
from pdf2video.core.models import Project
from pdf2video.core.narration import voice_script
from pdf2video.core.pipeline import (
    inspect_source,
    preview_scene,
    render_video,
    still_frame,
    write_script,
)
from pdf2video.core.progress import ProgressEvent, ProgressFn, no_progress
from pdf2video.core.project import ProjectFolder, load_project, safe_file_name
from pdf2video.core.render import RenderOptions, options_from
from pdf2video.core.report import (
    render_result,
    render_script,
    render_summary,
    render_voices,
    render_voicing,
)
from pdf2video.core.sample import build_sample_pdf
from pdf2video.core.voices import list_voices, voice_sample

EXIT_OK = 0


@contextmanager
def project_for(
    source: Path,
    project_dir: Path | None,
    settings: Settings,
    password: str | None,
    report: ProgressFn,
) -> Iterator[tuple[ProjectFolder, Project]]:
    """A project folder for ``source``: itself when it is one, else the document read into
    ``project_dir`` (or a temporary folder, removed afterwards)."""
    if ProjectFolder(source).exists():
        yield ProjectFolder(source), load_project(source)
        return
    with ExitStack() as stack:
        root = project_dir or Path(
            stack.enter_context(tempfile.TemporaryDirectory(prefix="pdf2video-"))
        )
        project = inspect_source(source, root, settings, password=password, progress=report)
        yield ProjectFolder(root), project


@contextmanager
def progress_bar(console: Console, enabled: bool) -> Iterator[ProgressFn]:
    """A rich progress bar on a terminal; nothing when output is piped."""
    if not enabled or not console.is_terminal:
        yield no_progress
        return
    columns = (
        TextColumn("{task.description:<10}"),
        BarColumn(),
        TextColumn("{task.fields[msg]}"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def report(event: ProgressEvent) -> None:
            if event.stage not in tasks:
                tasks[event.stage] = bar.add_task(event.stage, total=1.0, msg="")
            bar.update(tasks[event.stage], completed=event.fraction, msg=event.message)

        yield report


def cmd_inspect(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    with progress_bar(console, not args.json) as report:
        if args.project is not None:
            project = inspect_source(
                args.file, args.project, settings, password=args.password, progress=report
            )
            where: Path | None = args.project
        else:
            with tempfile.TemporaryDirectory(prefix="pdf2video-inspect-") as tmp:
                project = inspect_source(
                    args.file, Path(tmp), settings, password=args.password, progress=report
                )
            where = None
    document = project.document
    assert document is not None
    if args.json:
        sys.stdout.write(document.model_dump_json(indent=2) + "\n")
    else:
        render_summary(console, document, where)
    return EXIT_OK


def cmd_script(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    if args.provider:
        settings = settings.model_copy(update={"script_provider": ProviderName(args.provider)})
    with (
        progress_bar(console, not args.json) as report,
        project_for(args.source, args.project, settings, args.password, report) as (folder, read),
    ):
        project = write_script(
            folder, read, settings, report, minutes=args.minutes, force=args.force
        )
    assert project.script is not None
    if args.json:
        sys.stdout.write(project.script.model_dump_json(indent=2) + "\n")
    else:
        render_script(console, project.script)
    return EXIT_OK


def cmd_voice(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    folder = ProjectFolder(args.project_dir)
    project = load_project(args.project_dir)
    with progress_bar(console, True) as report:
        project, voiced = voice_script(
            folder, project, settings, report, voice_name=args.voice, speed=args.speed
        )
    render_voicing(console, project, voiced, folder)
    return EXIT_OK


def cmd_voices(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    found = list_voices(settings)
    samples = {v.name: str(voice_sample(v.name, settings)) for v in found} if args.samples else {}
    if args.json:
        rows = [
            {
                "name": v.name,
                "provider": v.provider,
                "language": v.language,
                "description": v.description,
                "sample": samples.get(v.name),
            }
            for v in found
        ]
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
    else:
        render_voices(console, found, samples)
    return EXIT_OK


def _render_options(args: argparse.Namespace, settings: Settings) -> RenderOptions:
    return options_from(
        settings,
        resolution=args.resolution,
        fps=args.fps,
        aspect=args.aspect,
        captions=args.captions,
        encoder=Encoder(args.encoder) if args.encoder else None,
        draft=args.draft,
        music=args.music,
        logo=args.logo,
    )


def cmd_render(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    options = _render_options(args, settings)
    project_dir = args.project or settings.pdf2video_home / "projects" / safe_file_name(
        args.source.stem or "video"
    )
    with progress_bar(console, True) as report:
        project = render_video(
            args.source,
            settings,
            options,
            project_dir=project_dir,
            output=args.output,
            password=args.password,
            voice=args.voice,
            speed=args.speed,
            minutes=args.minutes,
            progress=report,
        )
    render_result(console, project, args.output)
    return EXIT_OK


def cmd_preview(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    folder = ProjectFolder(args.project_dir)
    project = load_project(args.project_dir)
    options = options_from(settings)
    if args.at is not None:
        target = args.output or folder.out / f"still-scene-{args.scene}-{args.at:g}s.jpg"
        still_frame(folder, project, settings, options, args.scene - 1, args.at, target)
    else:
        target = preview_scene(folder, project, settings, options, args.scene - 1, args.output)
    sys.stdout.write(f"{target}\n")  # a path for scripts: never wrapped
    return EXIT_OK


def cmd_demo(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    """The main job: the bundled sample document to a narrated video, offline."""
    home = settings.pdf2video_home
    sample = build_sample_pdf(home / "samples" / "solar-sample.pdf")
    project_dir = args.project or home / "projects" / "demo"
    output = home / "videos" / "solar-sample.mp4"
    console.print(f"Sample document: {sample}", markup=False)
    with progress_bar(console, True) as report:
        project = render_video(
            sample,
            settings,
            options_from(settings),
            project_dir=project_dir,
            output=output,
            progress=report,
        )
    assert project.document is not None and project.script is not None
    render_summary(console, project.document, None)
    console.print()
    render_script(console, project.script)
    console.print()
    render_result(console, project, output)
    console.print(f"Project folder: {project_dir}", markup=False)
    return EXIT_OK
