"""Reading a PDF with PyMuPDF: text in reading order, headings, images, page renders.

``read_pdf(path, out_dir)`` returns a :class:`Document` and writes the images it finds
(each once, however often it appears), page thumbnails and full renders of pages that
have no text layer under ``out_dir`` (a project folder).

Pages are read in ranges (:mod:`pdf2video.core.pdf_pages`); a long document's ranges
run side by side in worker processes, one per core, and are merged here, so memory is
bounded by a range, not by the document. Every failure is a domain error from
:mod:`pdf2video.core.errors` naming the file and the reason.
"""

from __future__ import annotations

import logging
import os
import re
from collections import Counter
from pathlib import Path

import pymupdf

from pdf2video.core.errors import (
    EmptyDocument,
    EncryptedPDF,
    InvalidPDF,
    WrongPassword,
)
from pdf2video.core.file_types import require_pdf
from pdf2video.core.hashing import sha256_file
from pdf2video.core.models import (
    Asset,
    AssetKind,
    BBox,
    BlockRole,
    Document,
    ImageClass,
    OutlineEntry,
    Page,
    SourceKind,
    TextBlock,
)
from pdf2video.core.page_workers import WorkerFailed, run_in_workers
from pdf2video.core.pdf_pages import PageScan, RangeJob, RangeResult, read_page_range
from pdf2video.core.progress import CancelToken, ProgressFn, StageProgress, no_progress
from pdf2video.core.project import ProjectFolder
from pdf2video.core.text_layout import assign_heading_levels, body_font_size, find_furniture

log = logging.getLogger(__name__)

# A textless page whose image covers this share of it is a scan: the render stands for it.
_SCAN_COVER_FRACTION = 0.6
_BAD_TITLES = ("untitled", "microsoft word", "document", ".doc", ".pdf")
# Ranges of this many pages; documents this long or longer use every core.
RANGE_PAGES = 25
PARALLEL_FROM_PAGES = 60


def open_pdf(path: Path, *, password: str | None = None) -> pymupdf.Document:
    """Open a PDF, refusing anything that is not a readable, unlocked PDF."""
    require_pdf(path)
    try:
        doc = pymupdf.open(path, filetype="pdf")
    except (pymupdf.FileDataError, pymupdf.EmptyFileError, RuntimeError, ValueError) as exc:
        raise InvalidPDF(f"not a readable PDF ({_short(exc)})", path=path) from None
    if doc.needs_pass:
        if password is None:
            doc.close()
            raise EncryptedPDF("the PDF is encrypted; give its password (--password)", path=path)
        if not doc.authenticate(password):
            doc.close()
            raise WrongPassword("the password does not open this PDF", path=path)
    if doc.is_repaired and _looks_truncated(path):
        doc.close()
        raise InvalidPDF("the PDF is truncated (an incomplete download or copy?)", path=path)
    if doc.page_count == 0:
        doc.close()
        raise EmptyDocument("the PDF has no pages", path=path)
    return doc


def _looks_truncated(path: Path) -> bool:
    size = path.stat().st_size
    with path.open("rb") as handle:
        handle.seek(max(0, size - 2048))
        tail = handle.read()
    return b"%%EOF" not in tail


def _short(exc: BaseException) -> str:
    """MuPDF's reason, first line, with any file path cut to its name (no folders leak)."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    text = re.sub(r"'(/[^']*)'", lambda m: f"'{Path(m.group(1)).name}'", text)
    return text[:120]


def read_pdf(
    path: Path,
    out_dir: Path,
    *,
    password: str | None = None,
    thumbnail_px: int = 320,
    page_render_px: int = 2000,
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
    workers: int | None = None,
) -> Document:
    """Read ``path`` into a Document, writing images and renders under ``out_dir``.

    ``workers`` caps the processes used (default: one per core for long documents).
    """
    folder = ProjectFolder(out_dir)
    folder.make_dirs()
    with open_pdf(path, password=password) as doc:
        page_count = doc.page_count
        repaired = bool(doc.is_repaired)
        meta = doc.metadata or {}
        outline = [
            OutlineEntry(level=lvl, title=title.strip(), page=pg if pg > 0 else None)
            for lvl, title, pg, *_ in doc.get_toc(simple=True)
            if title.strip()
        ]
    size = RANGE_PAGES if page_count >= PARALLEL_FROM_PAGES else 8
    jobs = [
        RangeJob(
            path,
            password,
            start,
            min(start + size, page_count),
            folder.root,
            thumbnail_px,
            page_render_px,
        )
        for start in range(0, page_count, size)
    ]
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    processes = min(workers or cores or 1, len(jobs))
    steps = StageProgress("extract", page_count, progress)
    results: list[RangeResult] | None = None
    if page_count >= PARALLEL_FROM_PAGES and processes > 1:
        try:
            results = run_in_workers(jobs, processes, steps, cancel)
        except (WorkerFailed, OSError) as exc:
            log.warning("reading on %d cores failed (%s); reading in this process", processes, exc)
    if results is None:
        results = _run_in_process(jobs, steps, cancel)
    return _build_document(path, folder, page_count, repaired, meta, outline, results)


def _run_in_process(
    jobs: list[RangeJob], steps: StageProgress, cancel: CancelToken | None
) -> list[RangeResult]:
    results = []
    for job in jobs:
        if cancel is not None:
            cancel.check()
        results.append(read_page_range(job))
        steps.step(job.stop, f"page {job.stop} of {steps.total}")
    return results


def _merge_images(results: list[RangeResult], folder: ProjectFolder) -> list[Asset]:
    """One asset per distinct image across ranges, numbered by first appearance."""
    assets: list[Asset] = []
    by_digest: dict[bytes, Asset] = {}
    for result in results:
        for image in result.images:
            known = by_digest.get(image.digest)
            if known is not None:
                known.pages = sorted({*known.pages, *image.pages})
                if image.path != known.path:
                    folder.resolve(image.path).unlink(missing_ok=True)
                continue
            asset = Asset(
                id=f"img-{len(assets) + 1:04d}",
                kind=AssetKind.IMAGE,
                page=image.pages[0],
                pages=sorted(image.pages),
                bbox=image.bbox,
                page_area_fraction=image.page_area_fraction,
                width=image.width,
                height=image.height,
                sha256=image.sha256,
                path=image.path,
            )
            assets.append(asset)
            by_digest[image.digest] = asset
    return assets


def _build_document(
    path: Path,
    folder: ProjectFolder,
    page_count: int,
    repaired: bool,
    meta: dict[str, str],
    outline: list[OutlineEntry],
    results: list[RangeResult],
) -> Document:
    warnings: list[str] = []
    if repaired:
        warnings.append("the PDF was damaged and has been repaired; some content may be missing")
    scans = [scan for result in results for scan in result.scans]
    failed = [n for result in results for n in result.failed_pages]
    if failed and len(failed) == page_count:
        raise InvalidPDF("no page of the PDF could be read", path=path)
    if failed:
        warnings.append(f"pages that could not be read: {_ranges(failed)}")
    sizes: Counter[float] = Counter()
    for result in results:
        sizes.update(result.font_sizes)
    find_furniture([(s.height, s.blocks) for s in scans])
    assign_heading_levels([s.blocks for s in scans], body_font_size(sizes))
    assets = _merge_images(results, folder)
    assets = _with_scan_renders(scans, assets, warnings)
    pages = [_to_page(s) for s in scans]
    return Document(
        title=_title(meta.get("title"), pages, path),
        author=(meta.get("author") or "").strip() or None,
        subject=(meta.get("subject") or "").strip() or None,
        kind=SourceKind.PDF,
        source_name=path.name,
        source_sha256=sha256_file(path),
        page_count=page_count,
        outline=outline,
        pages=pages,
        assets=assets,
        warnings=warnings,
    )


def _with_scan_renders(
    scans: list[PageScan], assets: list[Asset], warnings: list[str]
) -> list[Asset]:
    """Pages without a text layer read as page renders classed text_scan."""
    blank = [s.number for s in scans if s.blank]
    if blank:
        warnings.append(f"blank pages: {_ranges(blank)}")
    textless = [s for s in scans if not s.has_text and s.render]
    if not textless:
        return assets
    textless_numbers = {s.number for s in textless}
    # The full-page image of a scan is the page itself: the render stands for it.
    kept = [
        a
        for a in assets
        if not (a.page in textless_numbers and a.page_area_fraction >= _SCAN_COVER_FRACTION)
    ]
    for scan in textless:
        render = scan.render
        assert render is not None
        kept.append(
            Asset(
                id=f"page-{scan.number:04d}",
                kind=AssetKind.PAGE_RENDER,
                page=scan.number,
                pages=[scan.number],
                bbox=BBox(x0=0, y0=0, x1=scan.width, y1=scan.height),
                page_area_fraction=1.0,
                width=render.width,
                height=render.height,
                sha256=render.sha256,
                path=render.path,
                label=ImageClass.TEXT_SCAN,
                confidence=0.9,
                decided_by="reader",
            )
        )
    if len(textless) == len(scans):
        warnings.append("no text was found: the PDF looks scanned; its pages are read as images")
    else:
        numbers = _ranges([s.number for s in textless])
        warnings.append(f"no text was found on pages {numbers}; they are read as page images")
    return kept


def _to_page(scan: PageScan) -> Page:
    return Page(
        number=scan.number,
        width=scan.width,
        height=scan.height,
        has_text_layer=scan.has_text,
        thumbnail=scan.thumbnail,
        render=scan.render.path if scan.render else None,
        blocks=[
            TextBlock(
                text=b.text,
                bbox=BBox(x0=b.x0, y0=b.y0, x1=b.x1, y1=b.y1),
                font_size=b.font_size,
                bold=b.bold,
                heading_level=b.heading_level,
                role=b.role,
            )
            for b in scan.blocks
        ],
    )


def _title(meta_title: str | None, pages: list[Page], path: Path) -> str:
    title = (meta_title or "").strip()
    if title and not any(bad in title.lower() for bad in _BAD_TITLES):
        return title
    for page in pages[:2]:
        headings = [b for b in page.blocks if b.role is BlockRole.HEADING]
        if headings:
            return max(headings, key=lambda b: b.font_size).text
    return path.stem.replace("_", " ").replace("-", " ").strip() or path.name


def _ranges(numbers: list[int]) -> str:
    """1,2,3,7 -> '1-3, 7'."""
    parts: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(f"{start}-{prev}" if prev != start else str(start))
        if n is not None:
            start = prev = n
    return ", ".join(parts)
