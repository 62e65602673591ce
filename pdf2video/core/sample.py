"""The bundled sample document, built as a real PDF on demand (no binary in git).

``build_sample_pdf(path)`` writes a short illustrated explainer ("How solar power
reaches your home"): a title page, headings, paragraphs, a photo, a chart, a
diagram, a table, a logo in every page header, running headers and footers and page
numbers. ``pages=N`` repeats its sections with fresh pictures to make a long
document for benchmarks.
"""

from __future__ import annotations

from pathlib import Path

import pymupdf

from pdf2video.core import sample_art

TITLE = "How Solar Power Reaches Your Home"
SECTIONS: list[tuple[str, list[str], str | None]] = [
    (
        "Sunlight becomes electricity",
        [
            "A solar panel is a sandwich of thin silicon cells. When sunlight strikes a cell, "
            "it knocks electrons loose, and the cell's built-in electric field pushes them "
            "in one direction. That flow of electrons is a direct current.",
            "A single cell makes about half a volt, so panels wire dozens of cells together. "
            "A typical rooftop panel today produces between three hundred and four hundred "
            "watts in full sun.",
        ],
        "photo",
    ),
    (
        "From the roof to the wall socket",
        [
            "Homes run on alternating current, so an inverter converts the panel's direct "
            "current. Modern inverters also track the best operating point of the panels "
            "as clouds pass and the sun moves across the sky.",
            "From the inverter, power flows to the home's main panel. Whatever the house "
            "does not use at that moment goes to a battery or back to the grid.",
        ],
        "diagram",
    ),
    (
        "How much energy a roof can make",
        [
            "Output follows the sun. A roof makes most of its energy around midday and in "
            "summer, and far less in winter. The chart shows a typical year by quarter.",
            "Orientation matters: in the northern hemisphere a south-facing roof tilted at "
            "about thirty degrees collects the most energy over a year.",
        ],
        "chart",
    ),
    (
        "Costs and payback",
        [
            "Panel prices have fallen by roughly ninety percent in fifteen years. Installation, "
            "permits and the inverter now make up most of the cost of a home system.",
            "The table compares three common system sizes. Payback depends mostly on local "
            "electricity prices and on how much of the energy the home uses itself.",
        ],
        "table",
    ),
    (
        "Looking ahead",
        [
            "Batteries let a home keep its midday surplus for the evening. As their prices "
            "fall, more homes will store energy rather than export it.",
            "Solar power is now the cheapest source of new electricity in much of the world. "
            "The next decade will be about storing it and sharing it well.",
        ],
        None,
    ),
]

_MARGIN = 56.0
_WIDTH, _HEIGHT = 595.0, 842.0  # A4


def _picture(kind: str, seed: int) -> bytes:
    makers = {
        "photo": lambda: sample_art.jpeg_bytes(sample_art.photo(seed=seed)),
        "diagram": lambda: sample_art.png_bytes(sample_art.diagram(seed=seed)),
        "chart": lambda: sample_art.png_bytes(sample_art.bar_chart(seed=seed)),
        "table": lambda: sample_art.png_bytes(sample_art.table(seed=seed)),
    }
    return makers[kind]()


def _furniture(page: pymupdf.Page, number: int, logo: bytes) -> None:
    page.insert_image(pymupdf.Rect(_MARGIN, 18, _MARGIN + 24, 42), stream=logo)
    page.insert_text(
        (_MARGIN + 32, 34), "Solar Basics · A sample explainer", fontsize=8, color=(0.4, 0.4, 0.4)
    )
    page.insert_text(
        (_MARGIN, _HEIGHT - 24),
        "pdf2video studio sample document",
        fontsize=8,
        color=(0.4, 0.4, 0.4),
    )
    page.insert_text(
        (_WIDTH - _MARGIN - 10, _HEIGHT - 24), str(number), fontsize=8, color=(0.4, 0.4, 0.4)
    )


def build_sample_pdf(path: Path, *, pages: int = 0, seed: int = 0) -> Path:
    """Write the sample PDF; ``pages`` > 0 pads it to that many pages with more sections."""
    doc = pymupdf.open()
    logo = sample_art.png_bytes(sample_art.logo(size=120))
    doc.set_metadata({"title": TITLE, "author": "pdf2video studio", "subject": "Sample"})

    page = doc.new_page(width=_WIDTH, height=_HEIGHT)
    _furniture(page, 1, logo)
    page.insert_textbox(
        pymupdf.Rect(_MARGIN, 260, _WIDTH - _MARGIN, 360),
        TITLE,
        fontsize=28,
        fontname="hebo",
        align=pymupdf.TEXT_ALIGN_CENTER,
    )
    page.insert_textbox(
        pymupdf.Rect(_MARGIN, 380, _WIDTH - _MARGIN, 420),
        "A short illustrated explainer",
        fontsize=14,
        align=pymupdf.TEXT_ALIGN_CENTER,
    )
    toc: list[list[int | str]] = []
    target = max(pages, len(SECTIONS) + 1)
    round_no = 0
    while doc.page_count < target:
        for heading, paragraphs, picture in SECTIONS:
            if doc.page_count >= target:
                break
            page = doc.new_page(width=_WIDTH, height=_HEIGHT)
            _furniture(page, doc.page_count, logo)
            title = heading if round_no == 0 else f"{heading} ({round_no + 1})"
            toc.append([1, title, doc.page_count])
            y = 80.0
            page.insert_textbox(
                pymupdf.Rect(_MARGIN, y, _WIDTH - _MARGIN, y + 60),
                title,
                fontsize=18,
                fontname="hebo",
            )
            y += 44
            for paragraph in paragraphs:
                rect = pymupdf.Rect(_MARGIN, y, _WIDTH - _MARGIN, y + 120)
                left = page.insert_textbox(rect, paragraph, fontsize=11, lineheight=1.4)
                y += 120 - max(0.0, left) + 14
            if picture:
                data = _picture(picture, seed=seed + round_no * 10 + len(toc))
                page.insert_image(
                    pymupdf.Rect(_MARGIN + 40, y + 10, _WIDTH - _MARGIN - 40, y + 290), stream=data
                )
        round_no += 1
    doc.set_toc(toc)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path, garbage=3, deflate=True)
    doc.close()
    return path
