"""``pdf2video batch`` from a shell, as cron runs it: ZIPs, refusals, exit codes, the lock."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import nbformat

from tests import builders

PDF2VIDEO = [sys.executable, "-m", "pdf2video.core.cli"]


def batch(*args: object, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*PDF2VIDEO, "batch", *map(str, args)],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def report_rows(report: Path) -> str:
    """The report notebook's table, as Markdown."""
    notebook = nbformat.read(report, as_version=4)
    return "\n".join(
        str(output.get("data", {}).get("text/markdown", ""))
        for cell in notebook.cells
        for output in cell.get("outputs", [])
    )


def test_a_zip_with_a_slip_and_a_link_gives_one_video_and_two_refusals(tmp_path):
    pdf = builders.varied_text_pdf(tmp_path / "doc.pdf", sections=1, sentences_per_section=2)
    archive = builders.zip_with(
        tmp_path / "upload.zip",
        {"doc.pdf": pdf.read_bytes(), "../evil.pdf": pdf.read_bytes()},
        links={"passwd.pdf": "/etc/passwd"},
    )
    report = tmp_path / "report.ipynb"
    run = batch(archive, "--out", "videos", "--draft", "--report", report, cwd=tmp_path)
    stdout, stderr = run.communicate(timeout=300)
    assert run.returncode == 1, stderr  # refusals are failures cron should see
    assert sorted(p.name for p in (tmp_path / "videos").glob("*.mp4")) == ["doc.mp4"]
    assert not (tmp_path / "evil.pdf").exists()
    assert "1 rendered, 0 up to date, 0 failed, 2 refused" in stdout
    assert "Traceback" not in stderr
    table = report_rows(report)
    assert table.count("⛔ refused") == 2 and table.count("✅ done") == 1
    assert "a '..' path (refused" in table and "a symbolic link (refused)" in table


def test_two_batches_started_together_one_runs_one_exits_with_the_lock_message(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    builders.varied_text_pdf(inbox / "one.pdf", sections=1, sentences_per_section=2)
    runs = [batch(inbox, "--out", "videos", "--draft", cwd=tmp_path) for _ in range(2)]
    started = time.monotonic()
    results = [(run.wait(timeout=300), *run.communicate()) for run in runs]
    codes = sorted(code for code, _, _ in results)
    assert codes == [0, 75], results
    locked = next(err for code, _, err in results if code == 75)
    assert locked.startswith("pdf2video: another batch (pid ")
    assert "is writing into" in locked and "this run stops here" in locked
    assert time.monotonic() - started < 300
    assert (tmp_path / "videos" / "one.mp4").is_file()
    last = json.loads((tmp_path / "videos" / ".pdf2video" / "last-result.json").read_text())
    assert [item["status"] for item in last["items"]] == ["done"]


def test_a_missing_input_and_a_bad_flag_are_one_line_errors(tmp_path):
    run = batch(tmp_path / "nope.pdf", "--out", "videos", cwd=tmp_path)
    stdout, stderr = run.communicate(timeout=300)
    assert run.returncode == 1 and "no such file or folder" in stdout
    bad = batch(tmp_path, "--out", "v", "--resolution", "huge", cwd=tmp_path)
    stdout, stderr = bad.communicate(timeout=300)
    assert bad.returncode == 1
    assert stderr.strip() == (
        "pdf2video: error: batch parameter resolution: "
        "'huge' is not a resolution (e.g. 1280x720 or 1080p)"
    )
    assert not (tmp_path / "v" / "reports").exists()  # refused before papermill started


def test_the_kernels_progress_lines_become_a_bar_per_input(tmp_path):
    from io import StringIO  # noqa: PLC0415
    from threading import Thread  # noqa: PLC0415

    from rich.console import Console  # noqa: PLC0415

    from pdf2video.batch.cli import Follower  # noqa: PLC0415
    from pdf2video.core.batch.progress import ProgressFile  # noqa: PLC0415

    lines = tmp_path / "progress.jsonl"
    report = ProgressFile(lines, every_s=0)

    def kernel() -> None:
        report("*", 0, "Dask dashboard: http://127.0.0.1:8787/status")
        for fraction in (0.1, 0.5, 0.9):
            report("alpha", fraction, "compose")
            time.sleep(0.05)
        report("alpha", 1.0, "done")
        report("broken", 1.0, "failed")

    screen = StringIO()
    running = Thread(target=kernel)
    running.start()
    Follower(lines, Console(file=screen, force_terminal=True, width=100)).follow(running)
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.getvalue())  # colours aside
    assert "Dask dashboard: http://127.0.0.1:8787/status" in shown
    assert "alpha" in shown and "100%" in shown and "done" in shown and "failed" in shown

    plain = StringIO()
    follower = Follower(lines, Console(file=plain, force_terminal=False))
    follower.follow(Thread())
    assert plain.getvalue().splitlines()[1:] == ["alpha: done", "broken: failed"]
