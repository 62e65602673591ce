"""Pure layout analysis over text blocks: reading order, headings, running headers.

No PDF library here: functions take plain blocks (text, box, font size, weight) and
return decisions, so they are easy to test and to reuse for any reader.

- :func:`reading_order` is a recursive XY-cut that prefers columns, so a two-column
  page reads down the left column and then the right one.
- :func:`assign_heading_levels` ranks font sizes larger than the body text (and bold
  lines at body size) into heading levels 1..4.
- :func:`find_furniture` marks running headers, footers and page numbers that repeat
  in the page margins.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from pdf2video.core.models import BlockRole

# A gap narrower than this (points) is not a gutter between columns or bands.
_MIN_COLUMN_GAP = 8.0
_MIN_BAND_GAP = 2.0
_MARGIN_FRACTION = 0.09
_PAGE_NUMBER = re.compile(
    r"^\s*(?:page|p\.|seite|página)?\s*(?:\d{1,4}|[ivxlcdm]{1,6})"
    r"(?:\s*(?:of|/|von|de)\s*\d{1,4})?\s*$",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")


@dataclass
class RawBlock:
    """A block of text as a reader found it, before any decision is made."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    font_size: float
    bold: bool
    line_count: int = 1
    role: BlockRole = BlockRole.BODY
    heading_level: int | None = None

    @property
    def word_count(self) -> int:
        return len(self.text.split())


def _gaps(intervals: list[tuple[float, float]], min_gap: float) -> list[float]:
    """Cut positions between merged intervals separated by at least ``min_gap``."""
    ordered = sorted(intervals)
    cuts: list[float] = []
    _, reach = ordered[0]
    for start, end in ordered[1:]:
        if start - reach >= min_gap:
            cuts.append((start + reach) / 2)
        reach = max(reach, end)
    return cuts


def _split(
    idx: list[int], boxes: Sequence[RawBlock], cuts: list[float], axis: str
) -> list[list[int]]:
    groups: list[list[int]] = [[] for _ in range(len(cuts) + 1)]
    for i in idx:
        b = boxes[i]
        centre = (b.x0 + b.x1) / 2 if axis == "x" else (b.y0 + b.y1) / 2
        slot = sum(1 for c in cuts if centre > c)
        groups[slot].append(i)
    return [g for g in groups if g]


def _column_cuts(idx: list[int], boxes: Sequence[RawBlock]) -> list[float]:
    if len(idx) < 2:
        return []
    return _gaps([(boxes[i].x0, boxes[i].x1) for i in idx], _MIN_COLUMN_GAP)


def _order(idx: list[int], boxes: Sequence[RawBlock], depth: int) -> list[int]:
    if len(idx) <= 1 or depth > 12:
        return sorted(idx, key=lambda i: (round(boxes[i].y0, 1), boxes[i].x0))
    columns = _column_cuts(idx, boxes)
    if columns:
        out: list[int] = []
        for group in _split(idx, boxes, columns, "x"):
            out.extend(_order(group, boxes, depth + 1))
        return out
    band_cuts = _gaps([(boxes[i].y0, boxes[i].y1) for i in idx], _MIN_BAND_GAP)
    if not band_cuts:
        return sorted(idx, key=lambda i: (round(boxes[i].y0, 1), boxes[i].x0))
    bands = _split(idx, boxes, band_cuts, "y")
    # Bands that share a column gutter belong together: paragraph gaps that happen to
    # line up across two columns must not turn the columns into rows.
    merged: list[list[int]] = [bands[0]]
    for band in bands[1:]:
        prev = merged[-1]
        if _column_cuts(prev, boxes) and _shares_gutter(prev, band, boxes):
            prev.extend(band)
        else:
            merged.append(band)
    if len(merged) == 1:  # gutters drift a little: read band by band instead
        merged = bands
    out = []
    for group in merged:
        out.extend(_order(group, boxes, depth + 1))
    return out


def _shares_gutter(upper: list[int], lower: list[int], boxes: Sequence[RawBlock]) -> bool:
    cuts_upper = _column_cuts(upper, boxes)
    cuts_lower = _column_cuts(lower, boxes)
    if not cuts_lower:
        return False
    return any(abs(a - b) < 24 for a in cuts_upper for b in cuts_lower)


def reading_order(blocks: Sequence[RawBlock]) -> list[int]:
    """Indices of ``blocks`` in reading order (columns left to right, each top to bottom)."""
    if not blocks:
        return []
    return _order(list(range(len(blocks))), blocks, 0)


def merge_paragraph_lines(blocks: Sequence[RawBlock]) -> list[RawBlock]:
    """Join blocks (in reading order) that are lines of one paragraph.

    Some PDF writers emit every line as its own block. Two neighbours are one paragraph
    when they share a style, overlap horizontally and sit less than a line apart.
    """
    out: list[RawBlock] = []
    for block in blocks:
        prev = out[-1] if out else None
        if prev is not None and _same_paragraph(prev, block):
            prev.text = join_lines(prev.text, block.text)
            prev.x0, prev.x1 = min(prev.x0, block.x0), max(prev.x1, block.x1)
            prev.y1 = max(prev.y1, block.y1)
            prev.line_count += block.line_count
        else:
            out.append(block)
    return out


def _same_paragraph(a: RawBlock, b: RawBlock) -> bool:
    if abs(a.font_size - b.font_size) > 0.5 or a.bold != b.bold:
        return False
    gap = b.y0 - a.y1
    if gap < -0.5 * a.font_size or gap > 0.9 * a.font_size:
        return False
    overlap = min(a.x1, b.x1) - max(a.x0, b.x0)
    return overlap > 0.5 * min(a.x1 - a.x0, b.x1 - b.x0) or abs(a.x0 - b.x0) < 2


def join_lines(before: str, after: str) -> str:
    before = before.rstrip()
    if before.endswith("-") and after[:1].islower():
        return before[:-1] + after.lstrip()
    return f"{before} {after.strip()}"


def body_font_size(sizes_and_weights: Counter[float]) -> float:
    """The font size most characters are set in (sizes rounded to half points)."""
    if not sizes_and_weights:
        return 0.0
    return sizes_and_weights.most_common(1)[0][0]


def _heading_candidate(block: RawBlock, body: float) -> bool:
    if block.role is not BlockRole.BODY or not block.text.strip():
        return False
    if block.word_count > 16 or block.line_count > 3:
        return False
    if block.text.rstrip().endswith((".", ",", ";")) and block.word_count > 6:
        return False
    if _PAGE_NUMBER.match(block.text):
        return False
    larger = block.font_size >= body * 1.15
    bold_at_body = block.bold and block.font_size >= body * 0.95
    return larger or bold_at_body


def assign_heading_levels(pages: Sequence[Sequence[RawBlock]], body: float) -> None:
    """Set ``heading_level`` (1 = largest) on heading blocks, in place."""
    candidates = [b for page in pages for b in page if _heading_candidate(b, body)]
    sizes = sorted(
        {round(b.font_size * 2) / 2 for b in candidates if b.font_size >= body * 1.15}, reverse=True
    )
    level_of = {size: min(i + 1, 3) for i, size in enumerate(sizes)}
    bold_level = min(len(sizes) + 1, 4)
    for block in candidates:
        size = round(block.font_size * 2) / 2
        block.heading_level = level_of.get(size, bold_level)
        block.role = BlockRole.HEADING


def _normalise(text: str) -> str:
    return _DIGITS.sub("#", " ".join(text.lower().split()))


def find_furniture(pages: Sequence[tuple[float, Sequence[RawBlock]]]) -> None:
    """Mark running headers, footers and page numbers, in place.

    ``pages`` holds (page height, blocks) per page. A margin block is furniture when it
    looks like a page number, or when its text (digits ignored) repeats in the same
    margin on at least half of the pages (and on two pages or more).
    """
    seen: Counter[tuple[str, str]] = Counter()
    margin_blocks: list[tuple[str, str, RawBlock]] = []
    for height, blocks in pages:
        on_page: set[tuple[str, str]] = set()
        for block in blocks:
            zone = _zone(block, height)
            if zone is None:
                continue
            key = (zone, _normalise(block.text))
            margin_blocks.append((zone, key[1], block))
            on_page.add(key)
        seen.update(on_page)
    threshold = max(2, (len(pages) + 1) // 2)
    for zone, text, block in margin_blocks:
        if _PAGE_NUMBER.match(block.text):
            block.role = BlockRole.PAGE_NUMBER
        elif seen[(zone, text)] >= threshold:
            block.role = BlockRole.HEADER if zone == "top" else BlockRole.FOOTER


def _zone(block: RawBlock, height: float) -> str | None:
    if height <= 0 or block.word_count > 25:
        return None
    if block.y1 <= height * _MARGIN_FRACTION:
        return "top"
    if block.y0 >= height * (1 - _MARGIN_FRACTION):
        return "bottom"
    return None
