"""The readable summary of a read document that ``pdf2video inspect`` prints."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.table import Table

from pdf2video.core.models import Document

MAX_HEADINGS = 40


def _pages(numbers: list[int]) -> str:
    if not numbers:
        return "-"
    if len(numbers) <= 3:
        return ", ".join(str(n) for n in numbers)
    return f"{numbers[0]}, {numbers[1]} … ({len(numbers)} pages)"


def render_summary(console: Console, document: Document, project_dir: Path | None) -> None:
    """Pages, headings, images with class and confidence, warnings and where files are."""
    textless = sum(1 for p in document.pages if not p.has_text_layer)
    furniture = sum(1 for p in document.pages for b in p.blocks if b.is_furniture)
    console.print(f"[bold]{document.title}[/bold]")
    facts = [
        f"{document.page_count} page{'s' if document.page_count != 1 else ''}",
        document.source_name,
    ]
    if document.author:
        facts.insert(0, f"by {document.author}")
    console.print("  " + " · ".join(facts), markup=False)
    if textless:
        console.print(f"  pages without a text layer: {textless}")
    if furniture:
        console.print(f"  running headers, footers and page numbers set aside: {furniture}")

    headings = document.headings
    console.print(f"\n[bold]Headings[/bold] ({len(headings)})")
    for page, block in headings[:MAX_HEADINGS]:
        indent = "  " * (block.heading_level or 1)
        console.print(f"  p{page:<4}{indent}{block.text}", markup=False)
    if len(headings) > MAX_HEADINGS:
        console.print(f"  … and {len(headings) - MAX_HEADINGS} more")

    console.print(f"\n[bold]Images[/bold] ({len(document.assets)})")
    if document.assets:
        classes = Counter(str(a.image_class) for a in document.assets)
        console.print("  " + ", ".join(f"{n} {c}" for c, n in classes.most_common()))
        table = Table(show_edge=False, pad_edge=False, box=None)
        for column in ("id", "pages", "pixels", "class", "confidence", "decided by"):
            table.add_column(column)
        for asset in document.assets:
            table.add_row(
                asset.id,
                _pages(asset.pages),
                f"{asset.width}x{asset.height}",
                str(asset.image_class or "-"),
                f"{asset.confidence:.2f}",
                asset.decision_source or "-",
            )
        console.print(table)

    if document.warnings:
        console.print("\n[bold yellow]Warnings[/bold yellow]")
        for warning in document.warnings:
            console.print(f"  ! {warning}", markup=False)
    if project_dir is not None:
        console.print(f"\nProject folder: {project_dir}", markup=False)
