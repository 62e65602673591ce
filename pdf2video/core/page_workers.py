"""Reading page ranges in worker processes, one per core, for long PDFs.

The parent writes each worker's ranges to a file and starts
``python -m pdf2video.core.page_workers JOBS OUT``; the worker prints the number of
pages done after each range (the parent turns that into progress), then writes its
results to OUT. Plain subprocesses rather than ``multiprocessing``: nothing re-imports
the caller's ``__main__`` (a script without a main guard, a notebook, stdin), and a
cancel kills the workers at once.
"""

from __future__ import annotations

import logging
import pickle
import selectors
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from pdf2video.core.progress import CancelToken, StageProgress

if TYPE_CHECKING:
    from pdf2video.core.pdf_pages import RangeJob, RangeResult

log = logging.getLogger(__name__)


class WorkerFailed(RuntimeError):
    """A worker process died or wrote no result."""


def run_in_workers(
    jobs: list[RangeJob], processes: int, steps: StageProgress, cancel: CancelToken | None
) -> list[RangeResult]:
    """Run ``jobs`` on ``processes`` workers; results come back in page order."""
    groups = [jobs[n::processes] for n in range(processes)]
    with tempfile.TemporaryDirectory(prefix="pdf2video-pages-") as tmp:
        folder = Path(tmp)
        workers: list[tuple[subprocess.Popen[str], Path, Path]] = []
        selector = selectors.DefaultSelector()
        try:
            for n, group in enumerate(groups):
                job_file, out_file, log_file = (
                    folder / f"{kind}-{n}" for kind in ("jobs", "out", "log")
                )
                job_file.write_bytes(pickle.dumps(group))
                with log_file.open("w") as errors:
                    proc = subprocess.Popen(
                        [sys.executable, "-m", __name__, str(job_file), str(out_file)],
                        stdout=subprocess.PIPE,
                        stderr=errors,
                        text=True,
                    )
                assert proc.stdout is not None
                selector.register(proc.stdout, selectors.EVENT_READ)
                workers.append((proc, out_file, log_file))
            _follow(selector, workers, steps, cancel)
            results: list[RangeResult] = []
            for proc, out_file, log_file in workers:
                if proc.wait() != 0 or not out_file.exists():
                    tail = log_file.read_text(errors="replace")[-400:]
                    raise WorkerFailed(f"a page worker exited with {proc.returncode}: {tail}")
                results.extend(pickle.loads(out_file.read_bytes()))
            return sorted(results, key=lambda r: r.scans[0].number if r.scans else 0)
        finally:
            for proc, _, _ in workers:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
            selector.close()


def _follow(
    selector: selectors.BaseSelector,
    workers: list[tuple[subprocess.Popen[str], Path, Path]],
    steps: StageProgress,
    cancel: CancelToken | None,
) -> None:
    done, open_streams = 0, len(workers)
    while open_streams:
        if cancel is not None:
            cancel.check()  # raises; the caller's finally kills the workers
        for key, _ in selector.select(timeout=0.25):
            line = key.fileobj.readline()  # type: ignore[union-attr]
            if not line:
                selector.unregister(key.fileobj)
                open_streams -= 1
            elif line.strip().isdigit():
                done += int(line)
                steps.step(done, f"page {done} of {steps.total}")


def _main(argv: list[str]) -> int:
    # The reader does not use PyMuPDF's layout model; not importing it saves ~0.5 s.
    sys.modules.setdefault("pymupdf.layout", None)  # type: ignore[arg-type]
    from pdf2video.core.pdf_pages import read_page_range  # noqa: PLC0415

    jobs: list[RangeJob] = pickle.loads(Path(argv[0]).read_bytes())
    results = []
    for job in jobs:
        results.append(read_page_range(job))
        print(job.stop - job.start, flush=True)
    Path(argv[1]).write_bytes(pickle.dumps(results))
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    sys.exit(_main(sys.argv[1:]))
