"""Benchmark: offline image classification accuracy and speed on generated pictures.

    .venv/bin/python bench/bench_classify.py [--per-class 20]

Draws each kind of picture with fresh seeds and sizes (photo, chart, table, logo,
diagram, scanned text, decoration), classifies them with no page context (the hardest
case: in a PDF, size on the page and repetition help), and prints a confusion summary.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from pathlib import Path

from pdf2video.core import sample_art
from pdf2video.core.image_classifier import ClassifierInput, OfflineClassifier

KINDS = {
    "photo": lambda s: sample_art.jpeg_bytes(sample_art.photo(480 + 20 * s, 320 + 9 * s, seed=s)),
    "chart": lambda s: sample_art.png_bytes(sample_art.bar_chart(500 + 10 * s, 340, seed=s)),
    "table": lambda s: sample_art.png_bytes(
        sample_art.table(seed=s, rows=3 + s % 6, cols=2 + s % 5)
    ),
    "logo": lambda s: sample_art.png_bytes(sample_art.logo(size=80 + 10 * s, seed=s)),
    "diagram": lambda s: sample_art.png_bytes(
        sample_art.diagram(300 + 20 * s, 200 + 8 * s, seed=s)
    ),
    "text_scan": lambda s: sample_art.jpeg_bytes(sample_art.scanned_page(seed=s)),
    "decorative": lambda s: sample_art.png_bytes(
        sample_art.gradient_band(400 + 20 * s, 40 + s)
        if s % 2
        else sample_art.rule(300 + 10 * s, 3 + s % 5)
    ),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-class", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        items, truth = [], []
        for kind, make in KINDS.items():
            for seed in range(args.per_class):
                path = Path(tmp) / f"{kind}-{seed}.img"
                path.write_bytes(make(seed))
                items.append(ClassifierInput(path.name, path))
                truth.append(kind)
        started = time.perf_counter()
        results = OfflineClassifier().classify(items)
        seconds = time.perf_counter() - started
    correct = sum(r.label.value == t for r, t in zip(results, truth, strict=True))
    print(
        f"offline classifier: {correct}/{len(items)} correct ({100 * correct / len(items):.0f}%), "
        f"{len(items) / seconds:.0f} images/s"
    )
    for kind in KINDS:
        got = Counter(r.label.value for r, t in zip(results, truth, strict=True) if t == kind)
        print(f"  {kind:<10} -> " + ", ".join(f"{label} {n}" for label, n in got.most_common()))


if __name__ == "__main__":
    main()
