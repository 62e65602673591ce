"""``pdf2video batch``: run ``notebooks/batch.ipynb`` through papermill, with progress bars.

The executed notebook is the report (``OUT/reports/batch-<time>.ipynb`` unless
``--report``). The command takes the output folder's lock before papermill starts (a
second batch into the same folder exits at once with code 75) and hands the lock's token
to the kernel. The kernel reports progress as JSON lines into a file this command
follows, one bar per input on a terminal, one line per finished input otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from pdf2video.core.batch.inputs import SAMPLE
from pdf2video.core.batch.lock import TOKEN_ENV, BatchLock
from pdf2video.core.batch.models import BatchResult
from pdf2video.core.batch.progress import PROGRESS_ENV
from pdf2video.core.batch.runner import STATE, checked_params
from pdf2video.core.config import Settings
from pdf2video.core.errors import BatchLocked, Pdf2VideoError

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "batch.ipynb"
EXIT_OK, EXIT_FAILED, EXIT_LOCKED = 0, 1, 75
FLAGS = ("preset", "resolution", "fps", "voice", "captions", "provider", "workers", "scheduler")


def parameters(args: argparse.Namespace, output_dir: Path) -> dict[str, Any]:
    """The notebook's parameters from the command line: only what was given."""
    inputs = [i if i == SAMPLE else str(Path(i).expanduser()) for i in args.inputs]
    values: dict[str, Any] = {"inputs": inputs, "output_dir": str(output_dir)}
    values |= {name: getattr(args, name) for name in FLAGS if getattr(args, name) is not None}
    if args.draft:
        values["draft"] = True
    if args.webhook:
        values["webhook_url"] = args.webhook
    return values


@contextmanager
def environment(**values: str) -> Iterator[None]:
    """Variables the notebook's kernel inherits (papermill starts it from this process)."""
    before = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class Follower:
    """Reads the kernel's progress lines and shows them: bars on a terminal, else lines."""

    def __init__(self, path: Path, console: Console) -> None:
        self.path, self.console = path, console
        self.offset = 0
        self.bar: Progress | None = None
        self.tasks: dict[str, TaskID] = {}

    def lines(self) -> list[dict[str, Any]]:
        try:
            with self.path.open("rb") as source:
                source.seek(self.offset)
                data = source.read()
        except FileNotFoundError:
            return []
        complete = data[: data.rfind(b"\n") + 1]
        self.offset += len(complete)
        return [json.loads(line) for line in complete.splitlines() if line.strip()]

    def show(self, line: dict[str, Any]) -> None:
        name, fraction, message = line["name"], float(line["fraction"]), line["message"]
        if name == "*":  # about the whole batch (the Dask dashboard)
            self.console.print(message, markup=False)
        elif self.bar is not None:
            if name not in self.tasks:
                self.tasks[name] = self.bar.add_task(name, total=1.0, status="")
            self.bar.update(self.tasks[name], completed=fraction, status=message)
        elif message in ("done", "skipped", "failed"):
            label = {"skipped": "up to date, skipped"}.get(message, message)
            self.console.print(f"{name}: {label}", markup=False)

    def follow(self, running: threading.Thread) -> None:
        columns = (
            TextColumn("{task.description:<24}"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TextColumn("{task.fields[status]:<12}"),
            TimeElapsedColumn(),
        )
        if self.console.is_terminal:
            self.bar = Progress(*columns, console=self.console)
            self.bar.start()
        try:
            while running.is_alive():
                for line in self.lines():
                    self.show(line)
                running.join(0.2)
            for line in self.lines():
                self.show(line)
        finally:
            if self.bar is not None:
                self.bar.stop()


def summary_table(result: BatchResult) -> Table:
    table = Table(title=result.summary(), title_justify="left")
    for column in ("input", "status", "video", "duration", "error"):
        table.add_column(column, overflow="fold")
    for item in result.items:
        table.add_row(
            item.input,
            item.status,
            Path(item.video).name if item.video else "",
            f"{item.duration_s:.1f} s" if item.duration_s is not None else "",
            item.error or "",
        )
    return table


def cmd_batch(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    try:
        import papermill  # noqa: PLC0415
    except ImportError:
        raise Pdf2VideoError("batch needs papermill: pip install 'pdf2video[batch]'") from None
    notebook = (args.notebook or NOTEBOOK).expanduser()
    if not notebook.is_file():
        raise Pdf2VideoError(f"the batch notebook is not at {notebook} (give --notebook PATH)")
    output_dir = args.out.expanduser().resolve()
    values = parameters(args, output_dir)
    checked_params(values)  # a bad flag fails here, before a kernel starts
    output_dir.mkdir(parents=True, exist_ok=True)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        lock = BatchLock(output_dir).acquire()
    except BatchLocked as exc:
        err.print(f"pdf2video: {exc.message}", markup=False)
        return EXIT_LOCKED
    try:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        report = (args.report or output_dir / "reports" / f"batch-{stamp}.ipynb").expanduser()
        report.parent.mkdir(parents=True, exist_ok=True)
        state = output_dir / STATE
        progress_file = state / f"progress-{os.getpid()}.jsonl"
        last = state / "last-result.json"
        for stale in (progress_file, last):
            stale.unlink(missing_ok=True)
        failure: list[BaseException] = []

        def execute() -> None:
            try:
                papermill.execute_notebook(
                    str(notebook),
                    str(report),
                    parameters=values,
                    progress_bar=False,
                    cwd=str(Path.cwd()),  # inputs are as named on the command line
                    extra_arguments=["--IPKernelApp.log_level=ERROR"],
                )
            except BaseException as exc:  # shown below, in this thread
                failure.append(exc)

        with environment(**{TOKEN_ENV: lock.token, PROGRESS_ENV: str(progress_file)}):
            running = threading.Thread(target=execute, name="papermill", daemon=True)
            running.start()
            Follower(progress_file, console).follow(running)
        progress_file.unlink(missing_ok=True)
    finally:
        lock.release()
    result = BatchResult.model_validate_json(last.read_text()) if last.is_file() else None
    if result is not None:
        console.print(summary_table(result))
    console.print(f"Report: {report}", markup=False)
    if failure:
        exc = failure[0]
        if result is None or type(exc).__name__ != "PapermillExecutionError" or result.ok:
            reason = getattr(exc, "evalue", None) or str(exc)
            err.print(f"pdf2video: error: {reason.strip().splitlines()[-1]}", markup=False)
        return EXIT_FAILED
    return EXIT_OK
