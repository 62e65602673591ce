"""Make the README's pictures: the `pdf2video demo` summary as an SVG terminal capture.

.venv/bin/python docs/make_pictures.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from rich.console import Console

from pdf2video.core.config import load_settings
from pdf2video.core.pipeline import inspect_source
from pdf2video.core.report import render_summary
from pdf2video.core.sample import build_sample_pdf

HERE = Path(__file__).resolve().parent


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        sample = build_sample_pdf(Path(tmp) / "solar-sample.pdf")
        project = inspect_source(sample, Path(tmp) / "demo", load_settings())
        assert project.document is not None
        console = Console(record=True, width=88, force_terminal=True)
        console.print("$ pdf2video inspect solar-sample.pdf", style="bold green")
        render_summary(console, project.document, None)
        console.save_svg(str(HERE / "inspect-demo.svg"), title="pdf2video inspect")


if __name__ == "__main__":
    main()
