"""Benchmark: pages per second to read and classify a 300-page PDF with text and images.

    .venv/bin/python bench/bench_read.py [--pages 300] [--repeat 3]

Target on a 2-core machine: at least 50 pages/s (issue 2). Prints one line per run and
the best; the document is generated first (not timed).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from pdf2video.core.config import load_settings
from pdf2video.core.pipeline import classify, extract
from pdf2video.core.project import ProjectFolder, create_project
from pdf2video.core.sample import build_sample_pdf


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    settings = load_settings()
    with tempfile.TemporaryDirectory(prefix="pdf2video-bench-") as tmp:
        pdf = build_sample_pdf(Path(tmp) / "bench.pdf", pages=args.pages)
        size_mb = pdf.stat().st_size / 1e6
        print(f"read+classify: {args.pages}-page PDF, {size_mb:.1f} MB")
        rates = []
        for run in range(args.repeat):
            root = Path(tmp) / f"project-{run}"
            project = create_project(root, [pdf])
            folder = ProjectFolder(root)
            started = time.perf_counter()
            project = extract(folder, project, settings)
            read_s = time.perf_counter() - started
            project = classify(folder, project, settings)
            total_s = time.perf_counter() - started
            assert project.document is not None
            rate = args.pages / total_s
            rates.append(rate)
            print(
                f"  run {run + 1}: read {read_s:.2f} s, classify {total_s - read_s:.2f} s "
                f"({len(project.document.assets)} images), {rate:.0f} pages/s"
            )
            shutil.rmtree(root)
        best = max(rates)
        verdict = "meets" if best >= 50 else "MISSES"
        print(f"read+classify best: {best:.0f} pages/s ({verdict} the 50 pages/s target)")


if __name__ == "__main__":
    main()
