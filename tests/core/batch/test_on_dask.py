"""A batch on a running Dask cluster (``dask scheduler`` + ``dask worker``, as the README says)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pdf2video.core.batch import on_dask, run_batch
from pdf2video.core.errors import ClusterUnavailable
from tests import builders

DASK = Path(sys.executable).with_name("dask")


@pytest.fixture
def scheduler(tmp_path: Path) -> Iterator[str]:
    """A real scheduler and one worker on 127.0.0.1; the scheduler's address."""
    info = tmp_path / "scheduler.json"
    common = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    processes = [
        subprocess.Popen(
            [
                str(DASK),
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--no-dashboard",
                "--scheduler-file",
                str(info),
            ],
            **common,
        )
    ]
    deadline = time.monotonic() + 60
    while not info.is_file() and time.monotonic() < deadline:
        time.sleep(0.2)
    processes.append(
        subprocess.Popen(
            [
                str(DASK),
                "worker",
                "--scheduler-file",
                str(info),
                "--nthreads",
                "1",
                "--no-dashboard",
                "--host",
                "127.0.0.1",
            ],
            **common,
        )
    )
    try:
        yield json.loads(info.read_text())["address"]
    finally:
        for process in reversed(processes):
            process.terminate()
            process.wait(timeout=30)


def test_a_running_cluster_renders_the_batch(scheduler, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    builders.varied_text_pdf(inbox / "one.pdf", sections=1, sentences_per_section=2)
    result = run_batch(
        inputs=[inbox],
        output_dir=tmp_path / "videos",
        draft=True,
        resolution="320x180",
        scheduler=scheduler,
    )
    assert result.runner == f"on the Dask cluster at {scheduler}"
    (item,) = result.items
    assert item.status == "done" and (tmp_path / "videos" / "one.mp4").stat().st_size > 10_000


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(on_dask, "CONNECT_TIMEOUT_S", 2)
    pdf = builders.varied_text_pdf(tmp_path / "one.pdf", sections=1, sentences_per_section=2)
    with pytest.raises(
        ClusterUnavailable, match=r"could not reach the Dask scheduler tcp://127\.0\.0\.1:9"
    ):
        run_batch(inputs=[pdf], output_dir=tmp_path / "videos", scheduler="tcp://127.0.0.1:9")
