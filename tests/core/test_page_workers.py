"""Long PDFs are read on every core, with the same result as one process."""

from __future__ import annotations

import psutil
import pytest

from pdf2video.core.errors import Cancelled
from pdf2video.core.page_workers import WorkerFailed, run_in_workers
from pdf2video.core.pdf_extractor import read_pdf
from pdf2video.core.pdf_pages import RangeJob
from pdf2video.core.progress import CancelToken, StageProgress, no_progress
from pdf2video.core.sample import build_sample_pdf


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory):
    return build_sample_pdf(tmp_path_factory.mktemp("long") / "long.pdf", pages=130)


def summary(document):
    return (
        [(p.number, [(b.text, b.role, b.heading_level) for b in p.blocks]) for p in document.pages],
        [(a.id, a.pages, a.sha256, a.path) for a in document.assets],
    )


def test_reading_on_two_workers_matches_one_process(long_pdf, tmp_path):
    one = read_pdf(long_pdf, tmp_path / "one", workers=1)
    two = read_pdf(long_pdf, tmp_path / "two", workers=2)
    assert summary(one) == summary(two)
    logo = two.assets[0]
    assert logo.pages == list(range(1, 131))  # met by every range, kept once
    files = {p.name for p in (tmp_path / "two" / "assets").glob("xref-*")}
    assert files == {a.path.split("/")[-1] for a in two.assets}


def test_cancel_stops_the_workers(long_pdf, tmp_path):
    token = CancelToken()
    events = []

    def report(event):
        events.append(event)
        token.cancel()

    with pytest.raises(Cancelled):
        read_pdf(long_pdf, tmp_path / "p", workers=2, progress=report, cancel=token)
    assert len(events) <= 2
    workers = [
        c
        for c in psutil.Process().children(recursive=True)
        if "page_workers" in " ".join(c.cmdline())
    ]
    assert workers == []


def test_a_worker_that_dies_is_reported(tmp_path):
    job = RangeJob(tmp_path / "missing.pdf", None, 0, 5, tmp_path, 320, 2000)
    with pytest.raises(WorkerFailed, match="exited with 1"):
        run_in_workers([job, job], 2, StageProgress("extract", 10, no_progress), None)
