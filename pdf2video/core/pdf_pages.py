"""Reading one range of a PDF's pages: text blocks, renders and images.

:func:`read_page_range` is what one worker does; :mod:`pdf2video.core.pdf_extractor`
runs ranges side by side on every core for a long document and merges them. A range
opens the file itself and returns plain, picklable records; the files it writes
(thumbnails, page renders, images) are written atomically, so two ranges that meet the
same image never leave a half-written file.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pymupdf

from pdf2video.core.hashing import sha256_bytes
from pdf2video.core.image_features import Image
from pdf2video.core.models import BBox
from pdf2video.core.project import ProjectFolder
from pdf2video.core.text_layout import RawBlock, join_lines, merge_paragraph_lines, reading_order

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


@dataclass(frozen=True)
class Render:
    path: str  # relative to the project folder
    width: int
    height: int
    sha256: str
    blank: bool = False  # one flat colour


@dataclass
class PageScan:
    number: int
    width: float
    height: float
    blocks: list[RawBlock]
    has_text: bool
    thumbnail: str | None = None
    render: Render | None = None
    blank: bool = False  # nothing on it at all


@dataclass
class FoundImage:
    """One distinct image met in a range, with every page of the range showing it."""

    digest: bytes  # hash of the raw stream: the same picture under two xrefs matches
    path: str
    width: int
    height: int
    sha256: str
    bbox: BBox
    page_area_fraction: float
    pages: list[int]


@dataclass
class RangeResult:
    scans: list[PageScan] = field(default_factory=list)
    images: list[FoundImage] = field(default_factory=list)
    font_sizes: Counter[float] = field(default_factory=Counter)
    failed_pages: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class RangeJob:
    path: Path
    password: str | None
    start: int  # 0-based, inclusive
    stop: int  # exclusive
    root: Path
    thumbnail_px: int
    page_render_px: int


def read_page_range(job: RangeJob) -> RangeResult:
    """Read pages ``start..stop-1``; a page that fails is recorded, not fatal."""
    folder = ProjectFolder(job.root)
    result = RangeResult()
    by_xref: dict[int, FoundImage | None] = {}  # None: skipped (decoration, undecodable)
    by_digest: dict[bytes, FoundImage] = {}
    with pymupdf.open(job.path, filetype="pdf") as doc:
        if job.password is not None and doc.needs_pass:
            doc.authenticate(job.password)
        for index in range(job.start, job.stop):
            try:
                page = doc.load_page(index)
                scan = _scan_page(page, result.font_sizes)
                scan.thumbnail = _render(
                    page, folder.thumbnails, "thumb", job.thumbnail_px, folder
                ).path
                if not scan.has_text:
                    render = _render(page, folder.pages, "page", job.page_render_px, folder)
                    if render.blank:
                        scan.blank = True
                        folder.resolve(render.path).unlink(missing_ok=True)
                    else:
                        scan.render = render
                _collect_images(doc, page, scan, folder, by_xref, by_digest, result.images)
            except (RuntimeError, ValueError) as exc:
                result.failed_pages.append(index + 1)
                log.warning("page %d of %s could not be read: %s", index + 1, job.path, exc)
                scan = PageScan(index + 1, 0.0, 0.0, [], has_text=False)
            result.scans.append(scan)
    return result


def _scan_page(page: pymupdf.Page, sizes: Counter[float]) -> PageScan:
    rect = page.rect
    data = page.get_text("dict", flags=_TEXT_FLAGS)
    blocks: list[RawBlock] = []
    for block in data.get("blocks", []):
        if block.get("type", 0) == 0:
            blocks.extend(_split_block(block, sizes))
    ordered = merge_paragraph_lines([blocks[i] for i in reading_order(blocks)])
    has_text = any(b.text.strip() for b in ordered)
    return PageScan(page.number + 1, rect.width, rect.height, ordered, has_text)


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


def write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".part")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    Path(tmp).chmod(0o644)  # readable like any other file the project writes
    Path(tmp).replace(path)


def _render(
    page: pymupdf.Page, target: Path, prefix: str, max_px: int, folder: ProjectFolder
) -> Render:
    """Render the page so its longer side is ``max_px`` (never larger), as JPEG."""
    rect = page.rect
    zoom = max_px / max(rect.width, rect.height, 1.0)
    pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False)
    pixels: Image = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width, pix.n)
    if pix.n == 3:
        pixels = cv2.cvtColor(pixels, cv2.COLOR_RGB2BGR)
    ok, encoded = cv2.imencode(".jpg", pixels, [cv2.IMWRITE_JPEG_QUALITY, 85])
    if not ok:
        raise ValueError("JPEG encoding failed")
    data = encoded.tobytes()
    out = target / f"{prefix}-{page.number + 1:04d}.jpg"
    write_atomically(out, data)
    blank = float(pixels.std()) < 1.0
    return Render(folder.relative(out), pix.width, pix.height, sha256_bytes(data), blank)


def _collect_images(
    doc: pymupdf.Document,
    page: pymupdf.Page,
    scan: PageScan,
    folder: ProjectFolder,
    by_xref: dict[int, FoundImage | None],
    by_digest: dict[bytes, FoundImage],
    found: list[FoundImage],
) -> None:
    page_area = max(scan.width * scan.height, 1.0)
    for item in page.get_images(full=True):
        xref, width, height = int(item[0]), int(item[2]), int(item[3])
        if xref <= 0:
            continue
        if xref in by_xref:
            known = by_xref[xref]
            if known is not None and scan.number not in known.pages:
                known.pages.append(scan.number)
            continue
        try:
            rect = page.get_image_bbox(item)
        except (RuntimeError, ValueError):
            continue
        if rect.is_empty or rect.is_infinite:
            continue  # listed in the page's resources but never drawn here
        bbox = BBox(x0=rect.x0, y0=rect.y0, x1=rect.x1, y1=rect.y1)
        if _is_decoration(doc, xref, width, height, bbox, page_area):
            by_xref[xref] = None
            continue
        digest = hashlib.sha1(doc.xref_stream_raw(xref) or b"", usedforsecurity=False).digest()
        if digest in by_digest:
            by_xref[xref] = by_digest[digest]
            by_digest[digest].pages.append(scan.number)
            continue
        saved = _save_image(doc, xref, folder)
        if saved is None:
            by_xref[xref] = None
            continue
        file_path, data, pixel_width, pixel_height = saved
        image = FoundImage(
            digest=digest,
            path=folder.relative(file_path),
            width=pixel_width,
            height=pixel_height,
            sha256=sha256_bytes(data),
            bbox=bbox,
            page_area_fraction=min(1.0, bbox.area / page_area),
            pages=[scan.number],
        )
        found.append(image)
        by_xref[xref] = by_digest[digest] = image


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
) -> tuple[Path, bytes, int, int] | None:
    """Write one image as a file a browser and OpenCV can open; None when undecodable.

    JPEG and plain PNG-able images are written as they are; CMYK and other colour
    spaces become RGB, a soft mask becomes an alpha channel, JPEG 2000 becomes PNG.
    """
    try:
        info = doc.extract_image(xref)
    except (RuntimeError, ValueError):
        return None
    if not info:
        return None
    ext = str(info.get("ext", "")).lower()
    smask = int(info.get("smask") or 0)
    colours = int(info.get("colorspace") or 0)
    if smask == 0 and ext in ("png", "jpeg", "jpg") and colours in (1, 3):
        out = folder.assets / f"xref-{xref}.{'jpg' if ext == 'jpeg' else ext}"
        data = bytes(info["image"])
        write_atomically(out, data)
        return out, data, int(info["width"]), int(info["height"])
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
        data = pix.tobytes("png")
        write_atomically(out, data)
        return out, data, pix.width, pix.height
    except (RuntimeError, ValueError) as exc:
        log.warning("image %d could not be decoded: %s", xref, exc)
        return None
