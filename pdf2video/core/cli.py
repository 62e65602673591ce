"""The ``pdf2video`` command: a thin layer over the core functions.

Every domain error becomes one line on stderr naming the file and the reason, and a
non-zero exit; a traceback is shown only with ``--debug``. Nothing in the library
prints; this module is the only place that writes to the terminal.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from rich.console import Console

from pdf2video import __version__
from pdf2video.core import json_logs
from pdf2video.core.cli_args import (
    register_batch_command,
    register_hub_commands,
    register_service_commands,
    register_store_commands,
)
from pdf2video.core.config import Encoder, Settings, load_settings
from pdf2video.core.errors import Pdf2VideoError
from pdf2video.core.presets import parse_resolution

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
    parser.add_argument(
        "--remote",
        metavar="URL",
        help="use the pdf2video service at URL (jobs, videos, uploads, presets, stats); "
        "the token comes from PDF2VIDEO_API_TOKEN",
    )
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
    inspect.set_defaults(run="cli_pipeline:cmd_inspect")

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
    script.set_defaults(run="cli_pipeline:cmd_script")

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
    voice.set_defaults(run="cli_pipeline:cmd_voice")

    voices = commands.add_parser(
        "voices", help="list the voices", description="List the voices that can speak now."
    )
    voices.add_argument("--json", action="store_true", help="print the list as JSON")
    voices.add_argument(
        "--samples", action="store_true", help="also make (or reuse) a short sample of each voice"
    )
    voices.set_defaults(run="cli_pipeline:cmd_voices")

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
    render.set_defaults(run="cli_pipeline:cmd_render")

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
    preview.set_defaults(run="cli_pipeline:cmd_preview")

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
    demo.set_defaults(run="cli_pipeline:cmd_demo")
    studio = commands.add_parser(
        "studio",
        help="open the studio in JupyterLab (needs pdf2video[studio])",
        description="Start JupyterLab on the workspace with the studio notebook open; with "
        "FILE, a notebook that opens that document.",
    )
    studio.add_argument("file", type=Path, nargs="?", metavar="FILE")
    studio.add_argument("--port", type=int, default=8888)
    studio.add_argument("--no-browser", action="store_true")
    studio.set_defaults(run="pdf2video.studio.launch:cmd_studio")
    register_store_commands(commands)
    register_service_commands(commands)
    register_hub_commands(commands)
    register_batch_command(commands)
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


def _command(where: str | Command) -> Command:
    """The command function: named as ``module:function`` so only its module is imported."""
    if callable(where):
        return where
    module, function = where.split(":")
    name = module if "." in module else f"pdf2video.core.{module}"
    found: Command = getattr(importlib.import_module(name), function)
    return found


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
        if args.remote:
            settings = settings.model_copy(update={"pdf2video_service_url": args.remote})
        if settings.log_format == "json":
            json_logs.configure(logging.DEBUG if args.debug else logging.INFO)
        code: int = _command(args.run)(args, settings, out)
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
