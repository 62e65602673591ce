"""Make the README's pictures: the `pdf2video inspect` summary as an SVG terminal capture,
and the studio's (and the hub's) steps as small JPEGs (from the browser tests' screenshots).

.venv/bin/python docs/make_pictures.py            # both (the studio needs /usr/bin/chromium)
.venv/bin/python docs/make_pictures.py --hub      # and the team hub's (as root)
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import cv2
from rich.console import Console

from pdf2video.core.config import load_settings
from pdf2video.core.pipeline import inspect_source
from pdf2video.core.report import render_summary
from pdf2video.core.sample import build_sample_pdf

HERE = Path(__file__).resolve().parent


def browser_pictures(test: str, name: str) -> None:
    """Run a browser test, then keep its screenshots, 960 px wide, as JPEG in docs/<name>."""
    root = HERE.parent
    subprocess.run([sys.executable, "-m", "pytest", "-q", test], cwd=root, check=True)
    target = HERE / name
    target.mkdir(exist_ok=True)
    for shot in sorted((root / "test-artifacts" / name).glob("*.png")):
        image = cv2.imread(str(shot))
        height, width = image.shape[:2]
        small = cv2.resize(image, (960, round(height * 960 / width)), interpolation=cv2.INTER_AREA)
        cv2.imwrite(str(target / f"{shot.stem}.jpg"), small, [cv2.IMWRITE_JPEG_QUALITY, 70])


def main() -> None:
    browser_pictures("tests/studio/test_browser.py", "studio")
    if "--hub" in sys.argv:  # as root, with .venv made from /usr/bin/python3
        browser_pictures("tests/hub/test_hub.py", "hub")
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
