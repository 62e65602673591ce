"""Reading PDFs as a user would meet them: good ones, odd ones and broken ones."""

from __future__ import annotations

import cv2
import pytest

from pdf2video.core.errors import (
    EmptyDocument,
    EmptyFile,
    EncryptedPDF,
    InvalidPDF,
    UnsupportedFileType,
    WrongPassword,
)
from pdf2video.core.models import AssetKind, BlockRole, ImageClass
from pdf2video.core.pdf_extractor import read_pdf
from tests import builders


def content_texts(document, page=0):
    return [b.text for b in document.pages[page].content_blocks]


def test_two_columns_read_down_the_left_column_then_the_right(docs, tmp_path):
    document = read_pdf(docs["two_column"], tmp_path / "p")
    labels = [t.split()[0] for t in content_texts(document) if t.startswith(("LEFT", "RIGHT"))]
    assert labels == ["LEFT1-0", "LEFT1-1", "LEFT1-2", "RIGHT1-0", "RIGHT1-1", "RIGHT1-2"]


def test_headings_come_from_font_size_and_weight(docs, tmp_path):
    document = read_pdf(docs["two_column"], tmp_path / "p")
    headings = [(page, b.heading_level, b.text) for page, b in document.headings]
    assert headings[:2] == [(1, 1, "Chapter 1: The Big Picture"), (1, 2, "Why the sun matters")]
    assert [h for h in headings if h[1] == 1] == [
        (n, 1, f"Chapter {n}: The Big Picture") for n in (1, 2, 3)
    ]
    assert not any(b.heading_level for b in document.pages[0].blocks if b.text.startswith("LEFT"))


def test_running_headers_footers_and_page_numbers_are_set_aside(docs, tmp_path):
    document = read_pdf(docs["two_column"], tmp_path / "p")
    for page in document.pages:
        roles = {b.text: b.role for b in page.blocks if b.is_furniture}
        assert roles["ACME Quarterly Review · Confidential"] is BlockRole.HEADER
        assert roles["© 2026 ACME Corp."] is BlockRole.FOOTER
        assert roles[f"Page {page.number} of 3"] is BlockRole.PAGE_NUMBER
        assert all(
            "ACME" not in t and "Page" not in t for t in content_texts(document, page.number - 1)
        )


def test_metadata_outline_and_thumbnails(docs, tmp_path):
    document = read_pdf(docs["two_column"], tmp_path / "p", thumbnail_px=200)
    assert document.title == "ACME Quarterly Review"
    assert document.author == "Jane Analyst"
    assert document.page_count == 3
    assert len(document.source_sha256) == 64
    assert document.outline[0].title == "Chapter 1: The Big Picture"
    for page in document.pages:
        thumb = cv2.imread(str(tmp_path / "p" / page.thumbnail))
        assert max(thumb.shape[:2]) == 200
        assert page.has_text_layer


def test_each_image_is_extracted_once_however_often_it_appears(docs, tmp_path):
    document = read_pdf(docs["images"], tmp_path / "p")
    shas = [a.sha256 for a in document.assets]
    assert len(shas) == len(set(shas))
    logo = next(a for a in document.assets if a.width == 120)
    assert logo.pages == [1, 2, 3, 4, 5, 6, 7]
    photo = next(a for a in document.assets if a.pages == [1, 3])
    assert (photo.width, photo.height) == (640, 420)
    # logo, photo, chart, table, rgba, cmyk, jpx: the hairline rule is skipped
    assert len(document.assets) == 7


def test_alpha_cmyk_and_jpx_images_are_saved_as_files_that_open(docs, tmp_path):
    document = read_pdf(docs["images"], tmp_path / "p")
    by_page = {a.page: a for a in document.assets if a.width > 120}
    rgba = cv2.imread(str(tmp_path / "p" / by_page[5].path), cv2.IMREAD_UNCHANGED)
    assert rgba.shape == (200, 300, 4)
    assert rgba[0, 0, 3] == 0 and rgba[100, 150, 3] == 255  # transparent corner, opaque disc
    for page in (6, 7):  # CMYK JPEG and JPEG 2000 become RGB PNGs
        asset = by_page[page]
        pixels = cv2.imread(str(tmp_path / "p" / asset.path))
        assert pixels.shape == (420, 640, 3)
        assert pixels.std() > 20  # a real picture, not a blank


def test_hairlines_and_tiny_decorations_are_skipped(tmp_path):
    doc = builders.new_doc()
    page = doc.new_page()
    page.insert_image(
        builders.pymupdf.Rect(50, 50, 500, 52),
        stream=builders.png(builders.sample_art.rule(500, 2)),
    )
    page.insert_image(
        builders.pymupdf.Rect(50, 60, 56, 66),
        stream=builders.png(builders.sample_art.logo(size=12)),
    )
    page.insert_text((50, 100), "Only ornaments here", fontsize=12)
    path = builders.save(doc, tmp_path / "ornaments.pdf")
    assert read_pdf(path, tmp_path / "p").assets == []


def test_scanned_pdf_reads_as_page_renders_classed_text_scan(docs, tmp_path):
    document = read_pdf(docs["scanned"], tmp_path / "p")
    assert [a.kind for a in document.assets] == [AssetKind.PAGE_RENDER] * 2
    assert {a.image_class for a in document.assets} == {ImageClass.TEXT_SCAN}
    assert not any(p.has_text_layer for p in document.pages)
    assert any("no text was found" in w for w in document.warnings)
    render = cv2.imread(str(tmp_path / "p" / document.assets[0].path))
    assert max(render.shape[:2]) == 2000


def test_a_200_inch_page_is_read_with_capped_renders(docs, tmp_path):
    document = read_pdf(docs["wide"], tmp_path / "p", thumbnail_px=320)
    page = document.pages[0]
    assert page.width == 14400
    thumb = cv2.imread(str(tmp_path / "p" / page.thumbnail))
    assert thumb.shape[1] == 320 and thumb.shape[0] >= 1
    assert "A very wide banner page" in content_texts(document)[0]


def test_encrypted_pdf_asks_for_password_and_opens_with_it(docs, tmp_path):
    with pytest.raises(EncryptedPDF, match="encrypted"):
        read_pdf(docs["encrypted"], tmp_path / "p")
    with pytest.raises(WrongPassword):
        read_pdf(docs["encrypted"], tmp_path / "p", password="guess")
    document = read_pdf(docs["encrypted"], tmp_path / "p", password="s3cret")
    assert "Top secret plans" in content_texts(document)[0]


@pytest.mark.parametrize(
    ("make", "error", "reason"),
    [
        (lambda p: p.write_bytes(b""), EmptyFile, "empty"),
        (
            lambda p: p.write_bytes(builders.png(builders.sample_art.logo())),
            UnsupportedFileType,
            "PNG image, not a PDF",
        ),
        (lambda p: p.write_text("just some notes\n"), UnsupportedFileType, "text file, not a PDF"),
        (lambda p: p.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40), InvalidPDF, "PDF"),
    ],
    ids=["empty", "png-named-pdf", "text-named-pdf", "garbage-after-header"],
)
def test_bad_files_are_refused_with_a_reason(tmp_path, make, error, reason):
    path = tmp_path / "bad.pdf"
    make(path)
    with pytest.raises(error, match=reason) as info:
        read_pdf(path, tmp_path / "p")
    assert str(path) in info.value.one_line()


def test_truncated_pdf_is_refused(docs, tmp_path):
    data = docs["two_column"].read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InvalidPDF, match="truncated"):
        read_pdf(path, tmp_path / "p")


def test_pdf_with_zero_pages_is_refused(docs, tmp_path):
    with pytest.raises(EmptyDocument, match="no pages"):
        read_pdf(docs["zero_pages"], tmp_path / "p")


def test_source_file_is_never_modified(docs, tmp_path):
    before = docs["images"].read_bytes()
    read_pdf(docs["images"], tmp_path / "p")
    assert docs["images"].read_bytes() == before


def test_a_long_pdf_writes_one_thumbnail_per_page(tmp_path):
    """Pages are processed one by one: a long PDF's renders are files, not memory."""
    path = builders.many_pages_pdf(tmp_path / "long.pdf", pages=40)
    document = read_pdf(path, tmp_path / "p")
    assert len(list((tmp_path / "p" / "assets" / "thumbs").glob("*.jpg"))) == 40
    assert len(document.assets) == 8
