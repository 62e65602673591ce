"""``pdf2video studio [FILE]``: JupyterLab on the workspace with the studio notebook open.

The notebook is written into the workspace on first run (from the package, so it works
from a pip install as well as from a checkout); with FILE, a notebook named after it
opens that document. Runs as root too (a container), with ``--allow-root``.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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
    command.append(str(target.resolve()))  # inside root_dir, opened at start
    return command


@contextmanager
def running_lab(home: Path, notebook_name: str = "studio.ipynb") -> Iterator[str]:
    """A JupyterLab on 127.0.0.1 with a fresh token, rooted at ``home``, for tests and
    benchmarks; yields the URL that opens ``notebook_name``."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    token = secrets.token_hex(16)
    env = dict(os.environ, PDF2VIDEO_HOME=str(home), PDF2VIDEO_LAB_ROOT=str(home))
    command = [
        *lab_command(home, home / notebook_name, port, open_browser=False)[:-1],
        f"--ServerApp.token={token}",
        "--LabApp.expose_app_in_browser=True",  # lets a test run all cells
    ]
    if "--allow-root" not in command:
        command.append("--allow-root")
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=1):
                        break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        log.seek(0)
                        raise RuntimeError(log.read().decode(errors="replace")[-2000:]) from None
                    time.sleep(0.2)
            yield f"http://127.0.0.1:{port}/lab/tree/{notebook_name}?token={token}"
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()


def run_all_cells(page: Any, ready_selector: str, tries: int = 6) -> float:
    """In a Playwright page showing a notebook: run every cell, until ``ready_selector``
    shows; the seconds from the run that took to that. The command is sent again when
    the notebook was not yet ready to take it (the cell's prompt stays empty)."""

    def accept_kernel_dialog() -> None:
        # JupyterLab sometimes asks which kernel to start although the notebook names one.
        dialog = page.locator(".jp-Dialog", has_text="Select Kernel")
        if dialog.count():
            page.keyboard.press("Enter")  # its default button: Select (the named kernel)

    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']")
    for _ in range(tries):
        accept_kernel_dialog()
        sent = time.monotonic()
        # Not awaited: the command's promise waits for a kernel that may never connect.
        page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
        while time.monotonic() < sent + 10:
            accept_kernel_dialog()
            if page.locator(ready_selector).count():
                took = time.monotonic() - sent
                time.sleep(1.0)  # a late kernel dialog would cover the widgets
                accept_kernel_dialog()
                return took
            time.sleep(0.05)
    page.wait_for_selector(ready_selector)  # a last, long wait: its timeout says what failed
    return time.monotonic() - sent


def cmd_studio(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    home = settings.pdf2video_home
    source = args.file.resolve() if args.file is not None else None
    if source is not None and not source.is_file():
        raise FileNotFound("no such file", path=args.file)
    target = write_notebook(home, source)
    console.print(f"pdf2video studio: {target} (Ctrl-C stops JupyterLab)", markup=False)
    env = dict(os.environ, PDF2VIDEO_LAB_ROOT=str(home), PDF2VIDEO_HOME=str(home))
    command = lab_command(home, target, args.port, not args.no_browser)
    sys.stdout.flush()
    # JupyterLab takes this process's place, so Ctrl-C and SIGTERM reach it directly.
    os.execve(command[0], command, env)
