"""Benchmark: batch throughput, in one process against a LocalCluster of 2 Dask workers.

    .venv/bin/python bench/bench_batch.py [--docs 8] [--workers 2]

N small documents (the bundled sample's kind: 5 pages, text, a photo, a chart, a
diagram, a table; a different seed each), rendered in draft quality (480p at 15 fps)
by ``run_batch``: once with ``workers=0`` (inputs one after another, each one's scenes
on all cores) and once with ``workers=2`` (a LocalCluster: prepare, scenes and export of
every input as Dask tasks). Each run starts from an empty workspace and output folder,
so both read, script, voice and render everything. Reported: wall time, videos per
minute, and the speed-up; and that both made the same number of scene segments.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from pdf2video.core.batch import run_batch
from pdf2video.core.config import load_settings
from pdf2video.core.sample import build_sample_pdf


def one_run(inputs: list[Path], root: Path, workers: int) -> tuple[float, int, int]:
    """(seconds, videos made, segments made) for a batch from scratch."""
    os.environ["PDF2VIDEO_HOME"] = str(root / "home")
    started = time.perf_counter()
    result = run_batch(inputs=inputs, output_dir=root / "out", draft=True, workers=workers)
    seconds = time.perf_counter() - started
    made = result.count("done")
    segments = sum(len(item.segments) for item in result.items)
    assert result.ok, [item.error for item in result.items if item.error]
    assert load_settings().pdf2video_home == root / "home"
    return seconds, made, segments


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0))
    with tempfile.TemporaryDirectory(prefix="pdf2video-bench-batch-") as tmp:
        root = Path(tmp)
        inbox = root / "inbox"
        inputs = [build_sample_pdf(inbox / f"doc-{n}.pdf", seed=n) for n in range(args.docs)]
        rows = []
        for label, workers in (
            ("one process", 0),
            (f"LocalCluster, {args.workers} workers", args.workers),
        ):
            seconds, made, segments = one_run(inputs, root / f"run-{workers}", workers)
            rows.append((label, seconds, made, segments))
            print(
                f"{label:<28} {seconds:7.1f} s  {made} videos  "
                f"{60 * made / seconds:5.2f} videos/min  {segments} segments",
                flush=True,
            )
    base, spread = rows[0][1], rows[1][1]
    print(f"\n{args.docs} documents, draft, {cores} cores")
    print("| runner | wall time | videos per minute |")
    print("| --- | --- | --- |")
    for label, seconds, made, _ in rows:
        print(f"| {label} | {seconds:.1f} s | {60 * made / seconds:.2f} |")
    print(
        f"speed-up of the cluster: {base / spread:.2f}x; same segments: {rows[0][3] == rows[1][3]}"
    )


if __name__ == "__main__":
    main()
