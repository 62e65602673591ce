"""Reading a PDF with PyMuPDF: text in reading order, headings, images, page renders.

``read_pdf(path, out_dir)`` returns a :class:`Document` and writes the images it finds
(each once, however often it appears), page thumbnails and full renders of pages that
have no text layer under ``out_dir`` (a project folder). Pages are read one at a time,
so a 500-page PDF is read in bounded memory. Every failure is a domain error from
:mod:`pdf2video.core.errors` naming the file and the reason.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pymupdf

from pdf2video.core.errors import (
    EmptyDocument,
    EncryptedPDF,
    InvalidPDF,
    WrongPassword,
)
from pdf2video.core.file_types import require_pdf
from pdf2video.core.hashing import sha256_bytes, sha256_file
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
from pdf2video.core.progress import CancelToken, ProgressFn, StageProgress, no_progress
from pdf2video.core.project import ProjectFolder
from pdf2video.core.text_layout import (
    RawBlock,
    assign_heading_levels,
    body_font_size,
    find_furniture,
    join_lines,
    merge_paragraph_lines,
    reading_order,
)

log = logging.getLogger(__name__)

_TEXT_FLAGS = (
    pymupdf.TEXT_PRESERVE_LIGATURES
    | pymupdf.TEXT_PRESERVE_WHITESPACE
    | pymupdf.TEXT_MEDIABOX_CLIP
    | pymupdf.TEXT_DEHYPHENATE
)
_BOLD_FLAG = 1 << 4
# Images smaller than this are decorations, rules or hairlines, not content.
_MIN_IMAGE_PX = 16
_MIN_IMAGE_PT = 12.0
_MIN_IMAGE_AREA_FRACTION = 0.002
# A textless page whose image covers this share of it is a scan: the render stands for it.
_SCAN_COVER_FRACTION = 0.6
_BAD_TITLES = ("untitled", "microsoft word", "document", ".doc", ".pdf")


@dataclass
class _PageScan:
    number: int
    width: float
    height: float
    blocks: list[RawBlock]
    has_text: bool
    thumbnail: str | None = None
    render: _Render | None = None


@dataclass(frozen=True)
class _Render:
    path: str  # relative to the project folder
    width: int
    height: int
    sha256: str


@dataclass
class _ImageState:
    """Images seen so far, for dedupe across pages."""

    by_xref: dict[int, Asset] = field(default_factory=dict)
    by_digest: dict[bytes, Asset] = field(default_factory=dict)  # raw-stream hash
    skipped_xrefs: set[int] = field(default_factory=set)
    assets: list[Asset] = field(default_factory=list)


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
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
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
) -> Document:
    """Read ``path`` into a Document, writing images and renders under ``out_dir``."""
    folder = ProjectFolder(out_dir)
    folder.make_dirs()
    doc = open_pdf(path, password=password)
    try:
        return _read_open_pdf(doc, path, folder, thumbnail_px, page_render_px, progress, cancel)
    finally:
        doc.close()


def _read_open_pdf(
    doc: pymupdf.Document,
    path: Path,
    folder: ProjectFolder,
    thumbnail_px: int,
    page_render_px: int,
    progress: ProgressFn,
    cancel: CancelToken | None,
) -> Document:
    warnings: list[str] = []
    if doc.is_repaired:
        warnings.append("the PDF was damaged and has been repaired; some content may be missing")
    scans: list[_PageScan] = []
    images = _ImageState()
    sizes: Counter[float] = Counter()
    failed_pages: list[int] = []
    steps = StageProgress("extract", doc.page_count, progress)
    for index in range(doc.page_count):
        if cancel is not None:
            cancel.check()
        try:
            page = doc.load_page(index)
            scan = _scan_page(page, sizes)
            scan.thumbnail = _render(page, folder.thumbnails, "thumb", thumbnail_px, folder).path
            if not scan.has_text:
                scan.render = _render(page, folder.pages, "page", page_render_px, folder)
            _collect_images(doc, page, scan, images, folder)
        except (RuntimeError, ValueError) as exc:
            failed_pages.append(index + 1)
            log.warning("page %d of %s could not be read: %s", index + 1, path, _short(exc))
            scan = _PageScan(index + 1, 0.0, 0.0, [], has_text=False)
        scans.append(scan)
        steps.step(index + 1, f"page {index + 1} of {doc.page_count}")
    if failed_pages and len(failed_pages) == doc.page_count:
        raise InvalidPDF("no page of the PDF could be read", path=path)
    if failed_pages:
        warnings.append(f"pages that could not be read: {_ranges(failed_pages)}")

    find_furniture([(s.height, s.blocks) for s in scans])
    assign_heading_levels([s.blocks for s in scans], body_font_size(sizes))
    _add_scan_renders(scans, images, warnings)
    pages = [_to_page(s) for s in scans]
    meta = doc.metadata or {}
    return Document(
        title=_title(meta.get("title"), pages, path),
        author=(meta.get("author") or "").strip() or None,
        subject=(meta.get("subject") or "").strip() or None,
        kind=SourceKind.PDF,
        source_name=path.name,
        source_sha256=sha256_file(path),
        page_count=doc.page_count,
        outline=[
            OutlineEntry(level=lvl, title=title.strip(), page=pg if pg > 0 else None)
            for lvl, title, pg, *_ in doc.get_toc(simple=True)
            if title.strip()
        ],
        pages=pages,
        assets=images.assets,
        warnings=warnings,
    )


def _scan_page(page: pymupdf.Page, sizes: Counter[float]) -> _PageScan:
    rect = page.rect
    data = page.get_text("dict", flags=_TEXT_FLAGS)
    blocks: list[RawBlock] = []
    for block in data.get("blocks", []):
        if block.get("type", 0) != 0:
            continue
        blocks.extend(_split_block(block, sizes))
    ordered = merge_paragraph_lines([blocks[i] for i in reading_order(blocks)])
    has_text = any(b.text.strip() for b in ordered)
    return _PageScan(page.number + 1, rect.width, rect.height, ordered, has_text)


def _line_style(line: dict[str, Any]) -> tuple[str, float, bool, int]:
    text = "".join(span["text"] for span in line["spans"])
    chars = Counter[float]()
    bold_chars = 0
    for span in line["spans"]:
        n = len(span["text"].strip())
        chars[round(span["size"] * 2) / 2] += n
        if span["flags"] & _BOLD_FLAG or "bold" in span["font"].lower():
            bold_chars += n
    total = sum(chars.values())
    size = chars.most_common(1)[0][0] if total else 0.0
    return text, size, total > 0 and bold_chars * 2 > total, total


def _split_block(block: dict[str, Any], sizes: Counter[float]) -> list[RawBlock]:
    """Split a PyMuPDF block where the style changes (a heading glued to its paragraph)."""
    out: list[RawBlock] = []
    current: RawBlock | None = None
    for line in block.get("lines", []):
        text, size, bold, count = _line_style(line)
        if not text.strip():
            continue
        sizes[size] += count
        x0, y0, x1, y1 = line["bbox"]
        if current is not None and current.font_size == size and current.bold == bold:
            current.text = join_lines(current.text, text)
            current.x0, current.y0 = min(current.x0, x0), min(current.y0, y0)
            current.x1, current.y1 = max(current.x1, x1), max(current.y1, y1)
            current.line_count += 1
        else:
            current = RawBlock(text.strip(), x0, y0, x1, y1, size, bold)
            out.append(current)
    for raw in out:
        raw.text = " ".join(raw.text.split())
    return out


def _render(
    page: pymupdf.Page, target: Path, prefix: str, max_px: int, folder: ProjectFolder
) -> _Render:
    """Render the page so its longer side is ``max_px`` (never larger), as JPEG."""
    rect = page.rect
    longest = max(rect.width, rect.height, 1.0)
    zoom = max_px / longest
    pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False)
    out = target / f"{prefix}-{page.number + 1:04d}.jpg"
    pixels = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width, pix.n)
    if pix.n == 3:
        pixels = cv2.cvtColor(pixels, cv2.COLOR_RGB2BGR)
    ok, encoded = cv2.imencode(".jpg", pixels, [cv2.IMWRITE_JPEG_QUALITY, 85])
    if not ok:
        raise ValueError("JPEG encoding failed")
    data = encoded.tobytes()
    out.write_bytes(data)
    return _Render(folder.relative(out), pix.width, pix.height, sha256_bytes(data))


def _collect_images(
    doc: pymupdf.Document,
    page: pymupdf.Page,
    scan: _PageScan,
    images: _ImageState,
    folder: ProjectFolder,
) -> None:
    page_area = max(scan.width * scan.height, 1.0)
    for item in page.get_images(full=True):
        xref, width, height = int(item[0]), int(item[2]), int(item[3])
        if xref <= 0 or xref in images.skipped_xrefs:
            continue
        if xref in images.by_xref:
            _add_page(images.by_xref[xref], scan.number)
            continue
        try:
            rect = page.get_image_bbox(item)
        except (RuntimeError, ValueError):
            continue
        if rect.is_empty or rect.is_infinite:
            continue  # listed in the page's resources but never drawn
        bbox = BBox(x0=rect.x0, y0=rect.y0, x1=rect.x1, y1=rect.y1)
        if _is_decoration(doc, xref, width, height, bbox, page_area):
            images.skipped_xrefs.add(xref)
            continue
        # The same picture embedded twice under two xrefs has the same stream.
        digest = hashlib.sha1(doc.xref_stream_raw(xref) or b"", usedforsecurity=False).digest()
        if digest in images.by_digest:
            asset = images.by_digest[digest]
            images.by_xref[xref] = asset
            _add_page(asset, scan.number)
            continue
        saved = _save_image(doc, xref, folder)
        if saved is None:
            images.skipped_xrefs.add(xref)
            continue
        file_path, pixel_width, pixel_height = saved
        asset = Asset(
            id=f"img-{len(images.assets) + 1:04d}",
            kind=AssetKind.IMAGE,
            page=scan.number,
            pages=[scan.number],
            bbox=bbox,
            page_area_fraction=min(1.0, bbox.area / page_area),
            width=pixel_width,
            height=pixel_height,
            sha256=sha256_file(file_path),
            path=folder.relative(file_path),
        )
        images.assets.append(asset)
        images.by_xref[xref] = asset
        images.by_digest[digest] = asset


def _add_page(asset: Asset, number: int) -> None:
    if number not in asset.pages:
        asset.pages = [*asset.pages, number]


def _is_decoration(
    doc: pymupdf.Document, xref: int, width: int, height: int, bbox: BBox, page_area: float
) -> bool:
    if min(width, height) < _MIN_IMAGE_PX:
        return True  # hairlines, rules, spacer pixels
    if min(bbox.width, bbox.height) < _MIN_IMAGE_PT:
        return True
    if bbox.area / page_area < _MIN_IMAGE_AREA_FRACTION and width * height < 64 * 64:
        return True
    kind, value = doc.xref_get_key(xref, "ImageMask")
    return bool(kind == "bool" and value == "true")  # stencil masks are not pictures


def _save_image(
    doc: pymupdf.Document, xref: int, folder: ProjectFolder
) -> tuple[Path, int, int] | None:
    """Write one image as a file a browser and OpenCV can open; None when undecodable."""
    try:
        info = doc.extract_image(xref)
    except (RuntimeError, ValueError):
        return None
    if not info:
        return None
    ext = str(info.get("ext", "")).lower()
    smask = int(info.get("smask") or 0)
    colours = int(info.get("colorspace") or 0)
    width, height = int(info["width"]), int(info["height"])
    if smask == 0 and ext in ("png", "jpeg", "jpg") and colours in (1, 3):
        out = folder.assets / f"xref-{xref}.{'jpg' if ext == 'jpeg' else ext}"
        out.write_bytes(info["image"])
        return out, width, height
    try:
        pix = pymupdf.Pixmap(doc, xref)
        if pix.colorspace is None or pix.colorspace.n not in (1, 3):
            pix = pymupdf.Pixmap(pymupdf.csRGB, pix)  # CMYK, Lab, indexed: to RGB
        if smask:
            try:
                pix = pymupdf.Pixmap(pix, pymupdf.Pixmap(doc, smask))
            except (RuntimeError, ValueError):
                log.info("image %d: its soft mask does not fit; kept without alpha", xref)
        out = folder.assets / f"xref-{xref}.png"
        out.write_bytes(pix.tobytes("png"))
        return out, pix.width, pix.height
    except (RuntimeError, ValueError) as exc:
        log.warning("image %d could not be decoded: %s", xref, _short(exc))
        return None


def _add_scan_renders(scans: list[_PageScan], images: _ImageState, warnings: list[str]) -> None:
    """Pages without a text layer read as page renders classed text_scan."""
    textless = [s for s in scans if not s.has_text and s.render]
    if not textless:
        return
    textless_numbers = {s.number for s in textless}
    # The full-page image of a scan is the page itself: the render stands for it.
    kept: list[Asset] = []
    for asset in images.assets:
        if asset.page in textless_numbers and asset.page_area_fraction >= _SCAN_COVER_FRACTION:
            continue
        kept.append(asset)
    images.assets[:] = kept
    for scan in textless:
        render = scan.render
        assert render is not None
        images.assets.append(
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


def _to_page(scan: _PageScan) -> Page:
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
