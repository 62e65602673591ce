"""papermill runs notebooks/batch.ipynb headless: a report, and a non-zero exit on failure."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat

from pdf2video.batch.cli import NOTEBOOK
from tests import builders
from tests.batch.test_cli import report_rows

PAPERMILL = Path(sys.executable).with_name("papermill")


def papermill(report: Path, *params: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(PAPERMILL), str(NOTEBOOK), str(report), *params],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_the_parameters_cell_holds_exactly_the_documented_names():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    (cell,) = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    names: dict[str, object] = {}
    exec(cell.source, {}, names)
    assert names == {
        "inputs": ["pdf2video:sample"],
        "output_dir": None,
        "preset": None,
        "voice": None,
        "resolution": "1920x1080",
        "fps": 30,
        "captions": "sidecar",
        "provider": "offline",
        "draft": False,
        "workers": 0,
        "scheduler": None,
        "webhook_url": None,
    }


def test_three_pdfs_one_corrupt_two_videos_a_failure_and_a_rerun_that_skips(tmp_path):
    inbox = builders.batch_folder(tmp_path / "inbox")
    params = ["-p", "inputs", str(inbox), "-p", "output_dir", "videos", "-p", "draft", "True"]
    first = papermill(tmp_path / "first.ipynb", *params, cwd=tmp_path)
    assert first.returncode != 0
    assert "BatchFailed" in first.stderr and "broken.pdf: not a readable PDF" in first.stderr
    assert sorted(p.name for p in (tmp_path / "videos").glob("*.mp4")) == ["alpha.mp4", "beta.mp4"]
    table = report_rows(tmp_path / "first.ipynb")
    assert "2 rendered, 0 up to date, 1 failed" in table
    assert table.count("✅ done") == 2 and table.count("❌ failed") == 1
    assert "| not a readable PDF (Failed to open file 'broken.pdf'" in table
    cells = nbformat.read(tmp_path / "first.ipynb", 4).cells
    outputs = [o for c in cells for o in c.get("outputs", [])]
    assert any("image/png" in o.get("data", {}) for o in outputs)  # the chart of stage times

    second = papermill(tmp_path / "second.ipynb", *params, cwd=tmp_path)
    assert second.returncode != 0  # the corrupt one still fails
    table = report_rows(tmp_path / "second.ipynb")
    assert "0 rendered, 2 up to date, 1 failed" in table
    assert table.count("⏭ up to date") == 2
