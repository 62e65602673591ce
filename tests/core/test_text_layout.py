"""Reading order, paragraph joins, headings and page furniture on plain boxes."""

from __future__ import annotations

from collections import Counter

from pdf2video.core.models import BlockRole
from pdf2video.core.text_layout import (
    RawBlock,
    assign_heading_levels,
    body_font_size,
    find_furniture,
    merge_paragraph_lines,
    reading_order,
)


def box(text, x0, y0, x1, y1, size=10.0, bold=False):
    return RawBlock(text, x0, y0, x1, y1, size, bold)


def order(blocks):
    return [blocks[i].text for i in reading_order(blocks)]


def test_single_column_reads_top_to_bottom():
    blocks = [box("c", 50, 300, 500, 340), box("a", 50, 100, 500, 140), box("b", 50, 200, 500, 240)]
    assert order(blocks) == ["a", "b", "c"]


def test_columns_whose_paragraph_gaps_line_up_still_read_column_by_column():
    blocks = [
        box("title", 50, 40, 550, 70, size=20),
        box("L1", 50, 100, 280, 190),
        box("R1", 320, 100, 550, 190),
        box("L2", 50, 200, 280, 290),
        box("R2", 320, 200, 550, 290),
        box("L3", 50, 300, 280, 390),
        box("R3", 320, 300, 550, 390),
    ]
    assert order(blocks) == ["title", "L1", "L2", "L3", "R1", "R2", "R3"]


def test_a_full_width_block_between_two_column_bands():
    blocks = [
        box("L1", 50, 100, 280, 190),
        box("R1", 320, 100, 550, 190),
        box("figure caption", 50, 200, 550, 230),
        box("L2", 50, 240, 280, 330),
        box("R2", 320, 240, 550, 330),
    ]
    assert order(blocks) == ["L1", "R1", "figure caption", "L2", "R2"]


def test_lines_of_one_paragraph_are_joined_and_hyphens_mended():
    lines = [
        box("The panels con-", 50, 100, 300, 112),
        box("vert light into", 50, 114, 300, 126),
        box("power.", 50, 128, 120, 140),
        box("A new paragraph after a gap.", 50, 170, 300, 182),
    ]
    merged = merge_paragraph_lines(lines)
    assert [b.text for b in merged] == [
        "The panels convert light into power.",
        "A new paragraph after a gap.",
    ]


def test_heading_levels_follow_font_size_and_bold_body_lines_rank_last():
    page = [
        box("Big title", 50, 40, 500, 70, size=24, bold=True),
        box("Section", 50, 80, 500, 100, size=16, bold=True),
        box("Bold run-in", 50, 110, 200, 122, size=10, bold=True),
        box("Body text that goes on for a while and ends with a full stop.", 50, 130, 500, 142),
    ]
    sizes = Counter({10.0: 500, 16.0: 10, 24.0: 8})
    assign_heading_levels([page], body_font_size(sizes))
    assert [b.heading_level for b in page] == [1, 2, 3, None]
    assert page[3].role is BlockRole.BODY


def test_repeated_margin_text_is_furniture_but_a_one_off_is_not():
    pages = []
    for n in range(1, 5):
        blocks = [
            box("Annual report 2026", 50, 20, 300, 30, size=8),
            box(f"{n}", 290, 770, 300, 780, size=8),
            box("Content", 50, 100, 500, 400),
        ]
        if n == 2:
            blocks.append(box("Draft — do not cite", 50, 760, 300, 768, size=8))
        pages.append((792.0, blocks))
    find_furniture(pages)
    for _, blocks in pages:
        assert blocks[0].role is BlockRole.HEADER
        assert blocks[1].role is BlockRole.PAGE_NUMBER
        assert blocks[2].role is BlockRole.BODY
    assert pages[1][1][3].role is BlockRole.BODY
