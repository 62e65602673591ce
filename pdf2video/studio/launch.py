"""``pdf2video studio [FILE]``: JupyterLab on the workspace with the studio notebook open.

The notebook is written into the workspace on first run (from the package, so it works
from a pip install as well as from a checkout); with FILE, a notebook named after it
opens that document. Runs as root too (a container), with ``--allow-root``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from rich.console import Console

from pdf2video.core.config import Settings
from pdf2video.core.errors import FileNotFound
from pdf2video.core.project import safe_file_name


def notebook(source: Path | None = None) -> dict[str, object]:
    """The studio notebook: one cell."""
    call = f"Studio({str(source)!r})" if source is not None else "Studio()"
    return {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "id": "studio",
                "metadata": {},
                "outputs": [],
                "source": ["from pdf2video.studio import Studio\n", "\n", call],
            }
        ],
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def write_notebook(home: Path, source: Path | None = None) -> Path:
    """The workspace's studio notebook (kept if it exists: it may hold the user's own cells)."""
    name = f"studio-{safe_file_name(source.stem)}.ipynb" if source is not None else "studio.ipynb"
    target = home / name
    if not target.exists():
        home.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(notebook(source), indent=1) + "\n", encoding="utf-8")
    return target


def lab_command(home: Path, target: Path, port: int, open_browser: bool) -> list[str]:
    command = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        f"--ServerApp.root_dir={home}",
        f"--ServerApp.port={port}",
        "--ServerApp.ip=127.0.0.1",
    ]
    if not open_browser:
        command.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    command.append(str(target.relative_to(home)))
    return command


def cmd_studio(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    home = settings.pdf2video_home
    source = args.file.resolve() if args.file is not None else None
    if source is not None and not source.is_file():
        raise FileNotFound("no such file", path=args.file)
    target = write_notebook(home, source)
    console.print(f"pdf2video studio: {target} (Ctrl-C stops JupyterLab)", markup=False)
    env = dict(os.environ, PDF2VIDEO_LAB_ROOT=str(home), PDF2VIDEO_HOME=str(home))
    command = lab_command(home, target, args.port, not args.no_browser)
    return subprocess.run(command, env=env, check=False).returncode
