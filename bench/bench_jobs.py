"""Benchmark: job throughput of the worker, and the store's write latency under that load.

    .venv/bin/python bench/bench_jobs.py [--jobs 8]

For concurrency 1, 2 and 4: a fresh workspace, N small draft jobs (a two-section text,
480p at 15 fps, no captions) queued, then ``pdf2video worker --concurrency C --once``
(with MAX_CONCURRENT_JOBS=C) run until the queue is empty. Reported: jobs per minute,
and the latency of small writes to the store (a progress update every 50 ms from this
process) while the workers write their own progress.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from pdf2video.core.backend import LocalBackend
from pdf2video.core.config import load_settings
from pdf2video.core.jobs import JobRequest, JobStatus

STORY = "\n".join(
    [
        "# Sun power at home",
        "",
        "## Panels",
        "",
        "Panels turn light into electricity. They sit on the roof and face the sun.",
        "",
        "## Storage",
        "",
        "A battery keeps the midday surplus. It powers the house in the evening.",
    ]
)


class WriteProbe:
    """Times a one-row update every 50 ms, as a front door writing state would."""

    def __init__(self, backend: LocalBackend) -> None:
        self.store = backend.store
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> WriteProbe:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        n = 0
        while not self._stop.wait(0.05):
            started = time.perf_counter()
            with self.store.transaction() as conn:
                conn.execute(
                    "INSERT INTO settings (owner, key, value) VALUES ('bench', 'tick', ?)"
                    " ON CONFLICT(owner, key) DO UPDATE SET value = excluded.value",
                    (str(n),),
                )
            self.samples.append(time.perf_counter() - started)
            n += 1


def run(concurrency: int, jobs: int) -> tuple[float, list[float]]:
    with tempfile.TemporaryDirectory(prefix="pdf2video-bench-jobs-") as home:
        env = dict(os.environ, PDF2VIDEO_HOME=home, MAX_CONCURRENT_JOBS=str(concurrency))
        os.environ["PDF2VIDEO_HOME"] = home
        backend = LocalBackend(load_settings(), "bench")
        for n in range(jobs):
            backend.submit(
                JobRequest(
                    source_type="text_images",
                    title=f"Bench {n}",
                    text_content=STORY + f"\n\nThis is job number {n}.",
                    draft=True,
                    captions="off",
                )
            )
        with WriteProbe(backend) as probe:
            started = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pdf2video.core.cli",
                    "worker",
                    "--concurrency",
                    str(concurrency),
                    "--once",
                ],
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            wall = time.perf_counter() - started
        statuses = {j.status for j in backend.jobs()}
        if statuses != {JobStatus.COMPLETED}:
            raise SystemExit(f"jobs did not all complete: {statuses}")
        return wall, probe.samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=8)
    args = parser.parse_args()
    print(f"{args.jobs} small draft jobs each (480p, 15 fps), {os.cpu_count()} cores")
    for concurrency in (1, 2, 4):
        wall, samples = run(concurrency, args.jobs)
        ms = sorted(s * 1000 for s in samples)
        p95 = ms[int(0.95 * (len(ms) - 1))]
        print(
            f"concurrency {concurrency}: {args.jobs} jobs in {wall:.1f} s = "
            f"{60 * args.jobs / wall:.1f} jobs/min; store writes: median "
            f"{statistics.median(ms):.1f} ms, p95 {p95:.1f} ms, max {ms[-1]:.1f} ms "
            f"({len(ms)} writes)"
        )


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    main()
