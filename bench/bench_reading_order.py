"""Benchmark: our reader against pymupdf4llm with PyMuPDF's layout model.

    .venv/bin/pip install pymupdf4llm pymupdf-layout   # optional, only for this comparison
    .venv/bin/python bench/bench_reading_order.py

Reads a generated two-column page whose paragraph gaps line up across the columns
(the case that breaks row-first readers) and reports, for each reader, whether the
columns come out in order, whether running headers/footers are set aside, and pages/s
on a 60-page document. Skips the comparison when pymupdf4llm is not installed.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pdf2video.core.pdf_extractor import read_pdf
from pdf2video.core.sample import build_sample_pdf
from tests import builders

EXPECTED = ["LEFT1-0", "LEFT1-1", "LEFT1-2", "RIGHT1-0", "RIGHT1-1", "RIGHT1-2"]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        cols = builders.two_column_pdf(root / "cols.pdf")
        big = build_sample_pdf(root / "big.pdf", pages=60)

        document = read_pdf(cols, root / "ours")
        ours = [b.text.split()[0] for b in document.pages[0].content_blocks]
        ours = [w for w in ours if w.startswith(("LEFT", "RIGHT"))]
        furniture = sum(b.is_furniture for b in document.pages[0].blocks)
        started = time.perf_counter()
        read_pdf(big, root / "ours-big", workers=1)
        rate = 60 / (time.perf_counter() - started)
        print(
            f"pdf2video reader: columns in order: {ours == EXPECTED}; furniture set aside: "
            f"{furniture}; {rate:.1f} pages/s (one process, with thumbnails and image files)"
        )

        if importlib.util.find_spec("pymupdf4llm") is None:
            print("pymupdf4llm: not installed, comparison skipped")
            return
        import pymupdf.layout  # noqa: F401, PLC0415
        import pymupdf4llm  # noqa: PLC0415

        markdown = pymupdf4llm.to_markdown(str(cols), pages=[0])
        theirs = re.findall(r"(?:LEFT|RIGHT)1-\d", markdown)
        has_header = "ACME Quarterly Review" in markdown
        started = time.perf_counter()
        pymupdf4llm.to_markdown(str(big))
        rate = 60 / (time.perf_counter() - started)
        print(
            f"pymupdf4llm + layout: columns in order: {theirs == EXPECTED} ({' '.join(theirs)}); "
            f"running header kept in text: {has_header}; {rate:.1f} pages/s (text only)"
        )


if __name__ == "__main__":
    main()
