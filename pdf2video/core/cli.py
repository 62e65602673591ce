"""The ``pdf2video`` command: a thin layer over the core functions.

Every domain error becomes one line on stderr naming the file and the reason, and a
non-zero exit; a traceback is shown only with ``--debug``. Nothing in the library
prints; this module is the only place that writes to the terminal.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

from pdf2video import __version__
from pdf2video.core import cli_store
from pdf2video.core.config import Encoder, ProviderName, Settings, load_settings
from pdf2video.core.errors import Pdf2VideoError
from pdf2video.core.models import Project
from pdf2video.core.narration import voice_script
from pdf2video.core.pipeline import (
    inspect_source,
    preview_scene,
    render_video,
    still_frame,
    write_script,
)
from pdf2video.core.presets import parse_resolution
from pdf2video.core.progress import ProgressEvent, ProgressFn, no_progress
from pdf2video.core.project import ProjectFolder, load_project, safe_file_name
from pdf2video.core.render import RenderOptions, frame_size, options_from
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
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

Command = Callable[[argparse.Namespace, Settings, Console], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pdf2video",
        description="Turn a document (a PDF, or text plus images) into a narrated explainer video.",
    )
    parser.add_argument("--version", action="version", version=f"pdf2video {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks and debug logs")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    inspect = commands.add_parser(
        "inspect",
        help="read a document and summarise its pages, headings and images",
        description=(
            "Read a PDF, a .md/.txt file or a text-plus-images folder; print its pages, "
            "headings and images (with class and confidence) and any warnings."
        ),
    )
    inspect.add_argument("file", type=Path, metavar="FILE", help="PDF, .md/.txt file or folder")
    inspect.add_argument("--json", action="store_true", help="print the document as JSON")
    inspect.add_argument(
        "--project",
        type=Path,
        metavar="DIR",
        help="write the project folder here (project.json, assets, thumbnails)",
    )
    inspect.add_argument("--password", metavar="PW", help="password of an encrypted PDF")
    inspect.set_defaults(run=cmd_inspect)

    script = commands.add_parser(
        "script",
        help="write the scene-by-scene narration script",
        description=(
            "Write the script of a document or a project folder: scenes with title, "
            "narration, bullets, visual and layout. With a document, --project keeps the "
            "project folder."
        ),
    )
    script.add_argument(
        "source",
        type=Path,
        metavar="FILE|PROJECT",
        help="a document (as for inspect) or a project folder",
    )
    script.add_argument("--json", action="store_true", help="print the script as JSON")
    script.add_argument(
        "--provider",
        choices=["offline", "openai"],
        help="who writes it (default: SCRIPT_PROVIDER, offline)",
    )
    script.add_argument(
        "--minutes", type=_positive_float, metavar="N", help="target length in minutes"
    )
    script.add_argument(
        "--project", type=Path, metavar="DIR", help="with a document: write the project folder here"
    )
    script.add_argument("--password", metavar="PW", help="password of an encrypted PDF")
    script.add_argument(
        "--force",
        action="store_true",
        help="write it again even if nothing changed (the old one is kept)",
    )
    script.set_defaults(run=cmd_script)

    voice = commands.add_parser(
        "voice",
        help="voice the script of a project (only scenes that changed)",
        description=(
            "Make each scene's narration audio with sentence and word timings, and the "
            "captions (out/video.srt, out/video.vtt). Scenes whose narration, voice and speed "
            "are unchanged keep their audio."
        ),
    )
    voice.add_argument("project_dir", type=Path, metavar="PROJECT", help="a project folder")
    voice.add_argument("--voice", metavar="NAME", help="a voice from `pdf2video voices`")
    voice.add_argument("--speed", type=_speed, metavar="X", help="0.5 (slow) to 2.0 (fast)")
    voice.set_defaults(run=cmd_voice)

    voices = commands.add_parser(
        "voices", help="list the voices", description="List the voices that can speak now."
    )
    voices.add_argument("--json", action="store_true", help="print the list as JSON")
    voices.add_argument(
        "--samples", action="store_true", help="also make (or reuse) a short sample of each voice"
    )
    voices.set_defaults(run=cmd_voices)

    render = commands.add_parser(
        "render",
        help="make the narrated video of a document or a project",
        description=(
            "Run the whole pipeline (read, classify, script, voice, backgrounds, compose, "
            "export) and write the MP4. Finished work is reused: after an edit only the "
            "changed scenes are voiced and rendered again."
        ),
    )
    render.add_argument("source", type=Path, metavar="FILE|PROJECT")
    render.add_argument("-o", "--output", type=Path, metavar="OUT.mp4", required=True)
    render.add_argument(
        "--project",
        type=Path,
        metavar="DIR",
        help="project folder for a document (default: <workspace>/projects/<name>)",
    )
    render.add_argument(
        "--resolution",
        type=_resolution,
        metavar="WxH",
        help="e.g. 1280x720; or 720p, 1080p, 1440p, 2160p",
    )
    render.add_argument("--fps", type=int, choices=[24, 25, 30, 50, 60])
    render.add_argument("--aspect", choices=["16:9", "9:16", "1:1"])
    render.add_argument("--voice", metavar="NAME")
    render.add_argument("--speed", type=_speed, metavar="X")
    render.add_argument("--minutes", type=_positive_float, metavar="N")
    render.add_argument("--music", type=Path, metavar="FILE", help="background music, ducked")
    render.add_argument("--logo", metavar="FILE", help="watermark image (or 'off')")
    render.add_argument("--captions", choices=["burn", "sidecar", "off"])
    render.add_argument("--encoder", choices=[e.value for e in Encoder])
    render.add_argument("--draft", action="store_true", help="480p, fastest settings")
    render.add_argument("--password", metavar="PW")
    render.set_defaults(run=cmd_render)

    preview = commands.add_parser(
        "preview",
        help="render one scene at draft quality (or one still frame)",
        description="Render scene N of a project at draft quality with its narration, or "
        "with --at T the still frame T seconds into it.",
    )
    preview.add_argument("project_dir", type=Path, metavar="PROJECT")
    preview.add_argument("--scene", type=int, required=True, metavar="N", help="1 = first")
    preview.add_argument("--at", type=float, metavar="T", help="a still frame at T seconds")
    preview.add_argument("-o", "--output", type=Path, metavar="FILE")
    preview.set_defaults(run=cmd_preview)

    demo = commands.add_parser(
        "demo",
        help="build the bundled sample document and run the pipeline on it",
        description=(
            "Write the bundled sample PDF into the workspace (PDF2VIDEO_HOME) and run the "
            "pipeline on it, offline: read it, write the script, voice it."
        ),
    )
    demo.add_argument(
        "--project",
        type=Path,
        metavar="DIR",
        help="project folder (default: <workspace>/projects/demo)",
    )
    demo.set_defaults(run=cmd_demo)
    cli_store.register(commands)
    return parser


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be more than 0, got {text}")
    return value


def _resolution(text: str) -> tuple[int, int]:
    try:
        return parse_resolution(text)
    except Pdf2VideoError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def _speed(text: str) -> float:
    value = _positive_float(text)
    if not 0.5 <= value <= 2.0:
        raise argparse.ArgumentTypeError(f"speed goes from 0.5 to 2.0, got {text}")
    return value


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
    resolution = args.resolution
    if resolution is not None and args.aspect and args.aspect != "16:9":
        short = min(resolution)
        resolution = frame_size(short, args.aspect)
    return options_from(
        settings,
        resolution=resolution,
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.ERROR,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    out = Console(highlight=False)
    try:
        settings = load_settings()
        code: int = args.run(args, settings, out)
        return code
    except Pdf2VideoError as exc:
        if args.debug:
            raise
        err.print(f"pdf2video: error: {exc.one_line()}", markup=False)
        return EXIT_ERROR
    except KeyboardInterrupt:
        err.print("pdf2video: interrupted", markup=False)
        return EXIT_INTERRUPTED
    except Exception as exc:
        if args.debug:
            raise
        err.print(
            f"pdf2video: unexpected error: {type(exc).__name__}: {exc} "
            "(run with --debug for details)",
            markup=False,
        )
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
