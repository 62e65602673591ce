"""A batch's inputs as a user names them: files, folders, ZIPs, text-plus-images folders."""

from __future__ import annotations

from pathlib import Path

from pdf2video.core.batch.inputs import SAMPLE, expand
from tests import builders

MB = 1024 * 1024


def test_a_folder_gives_its_pdfs_zips_and_text_folders_with_unique_names(tmp_path):
    inbox = tmp_path / "inbox"
    builders.batch_folder(inbox)
    story = inbox / "story"
    story.mkdir()
    (story / "content.md").write_text(builders.story(1, 2), encoding="utf-8")
    (inbox / "notes.docx").write_bytes(b"PK\x03\x04 not for us")
    other = tmp_path / "other"
    other.mkdir()
    builders.varied_text_pdf(other / "alpha.pdf", sections=1, sentences_per_section=2, first=9)
    sources, rows = expand([inbox, other / "alpha.pdf"], tmp_path / "staging", 100 * MB)
    assert [s.name for s in sources] == ["alpha", "beta", "broken", "story", "alpha-2"]
    assert sources[0].input == f"{inbox}/alpha.pdf" and sources[-1].input == f"{other}/alpha.pdf"
    assert sources[3].files() == [story / "content.md"]
    assert rows == []


def test_missing_and_empty_inputs_become_failed_rows(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    sources, rows = expand([tmp_path / "nope.pdf", empty], tmp_path / "staging", MB)
    assert sources == []
    assert [(r.status, r.error) for r in rows] == [
        ("failed", "no such file or folder"),
        ("failed", "the folder holds no PDFs, ZIPs or text-plus-images folders"),
    ]


def test_a_zip_gives_its_pdfs_and_its_text_plus_images_folders(tmp_path):
    pdf = builders.varied_text_pdf(tmp_path / "doc.pdf", sections=1, sentences_per_section=2)
    archive = builders.zip_with(
        tmp_path / "pack.zip",
        {
            "doc.pdf": pdf.read_bytes(),
            "story/content.md": builders.story(1, 2).encode(),
            "story/b.png": builders.matplotlib_chart_png("bar"),
            "story/a.png": builders.matplotlib_chart_png("line"),
            "loose/c.png": builders.matplotlib_chart_png("bar"),
            "../evil.pdf": b"%PDF-1.7",
            "tool.exe": b"MZ",
        },
    )
    sources, rows = expand([archive], tmp_path / "staging", 100 * MB)
    assert [(s.input, s.name) for s in sources] == [
        (f"{archive}:doc.pdf", "doc"),
        (f"{archive}:story/", "story"),
    ]
    assert [p.name for p in sources[1].files()] == ["content.md", "a.png", "b.png"]
    assert [(r.input, r.status, r.error) for r in rows] == [
        (
            f"{archive}:../evil.pdf",
            "refused",
            "a '..' path (refused: it would write outside the batch folder)",
        ),
        (f"{archive}:tool.exe", "ignored", "not a PDF or an image"),
        (
            f"{archive}:loose/",
            "ignored",
            "1 image(s) with no .md/.txt beside them: images alone cannot be narrated",
        ),
    ]


def test_the_sample_is_made_once(tmp_path):
    (first,), _ = expand([Path(SAMPLE)], tmp_path / "staging", MB)
    made = first.path.stat().st_mtime_ns
    (again,), _ = expand([Path(SAMPLE)], tmp_path / "staging", MB)
    assert again.path == first.path and again.path.stat().st_mtime_ns == made
