"""The second input kind: text plus images, and choosing a reader for what a user gives."""

from __future__ import annotations

import re

import pytest

from pdf2video.core import sample_art
from pdf2video.core.content_input import read_source, read_text_and_images
from pdf2video.core.errors import EmptyDocument, UnsupportedFileType
from pdf2video.core.models import AssetKind, BlockRole, SourceKind
from tests import builders

BODY = """# Solar at home

Panels turn light into power.
They last for decades.

## How it works

Cells free electrons when light strikes.

### Inverters

Inverters make alternating current.
"""


def test_text_plus_images_reads_headings_paragraphs_and_ordered_images(tmp_path):
    images = []
    for n, art in enumerate([sample_art.photo(seed=1), sample_art.bar_chart(seed=2)]):
        path = tmp_path / f"{n}.png"
        path.write_bytes(builders.png(art))
        images.append(path)
    document = read_text_and_images("Solar at home", BODY, images, tmp_path / "p")
    blocks = document.pages[0].blocks
    assert [(b.heading_level, b.text) for b in blocks] == [
        (1, "Solar at home"),
        (None, "Panels turn light into power. They last for decades."),
        (2, "How it works"),
        (None, "Cells free electrons when light strikes."),
        (3, "Inverters"),
        (None, "Inverters make alternating current."),
    ]
    assert blocks[0].role is BlockRole.HEADING
    assert document.kind is SourceKind.TEXT
    assert [o.title for o in document.outline] == ["Solar at home", "How it works", "Inverters"]
    assert [a.kind for a in document.assets] == [AssetKind.SUPPLIED] * 2
    assert [(a.width, a.height) for a in document.assets] == [(640, 420), (640, 420)]
    assert all((tmp_path / "p" / a.path).is_file() for a in document.assets)


def test_a_folder_with_one_text_file_and_images_is_read_in_name_order(tmp_path):
    folder = tmp_path / "story"
    folder.mkdir()
    (folder / "story.md").write_text(BODY)
    (folder / "b.jpg").write_bytes(builders.jpeg(sample_art.photo(seed=3)))
    (folder / "a.png").write_bytes(builders.png(sample_art.table(seed=4)))
    document = read_source(folder, tmp_path / "p")
    assert document.title == "Solar at home"
    assert [a.path for a in document.assets] == [
        "assets/supplied-001.png",
        "assets/supplied-002.jpg",
    ]


def test_a_plain_text_file_gets_its_name_as_title(tmp_path):
    path = tmp_path / "field_notes.txt"
    path.write_text("Morning was calm.\n\nThe afternoon brought wind.\n")
    document = read_source(path, tmp_path / "p")
    assert document.title == "field notes"
    assert len(document.pages[0].blocks) == 2


def test_no_text_and_no_images_is_refused(tmp_path):
    with pytest.raises(EmptyDocument, match="no text"):
        read_text_and_images("Nothing", "   \n\n", [], tmp_path / "p")


def test_an_image_that_is_not_an_image_is_refused(tmp_path):
    fake = tmp_path / "photo.png"
    fake.write_bytes(b"MZ\x90\x00 this is a program")
    with pytest.raises(UnsupportedFileType, match="executable"):
        read_text_and_images("T", "Some text.", [fake], tmp_path / "p")


def test_an_image_declaring_a_gigantic_size_is_refused_before_decoding(tmp_path):
    header = bytearray(builders.png(sample_art.logo(size=32)))
    header[16:20] = (100000).to_bytes(4, "big")
    header[20:24] = (100000).to_bytes(4, "big")
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(bytes(header))
    with pytest.raises(UnsupportedFileType, match="100000x100000"):
        read_text_and_images("T", "Some text.", [bomb], tmp_path / "p")


def test_a_folder_needs_exactly_one_text_file(tmp_path):
    (tmp_path / "a.md").write_text("# A")
    (tmp_path / "b.md").write_text("# B")
    with pytest.raises(UnsupportedFileType, match="exactly one"):
        read_source(tmp_path, tmp_path / "p")


def test_an_unknown_file_kind_is_refused(tmp_path):
    path = tmp_path / "song.mp3"
    path.write_bytes(b"ID3\x03\x00" + bytes(100))
    with pytest.raises(
        UnsupportedFileType, match=re.escape("MP3 audio file, not a PDF, a .md/.txt")
    ):
        read_source(path, tmp_path / "p")
