"""ZIP inputs: only PDFs and images come out; zip-slip and zip bombs are refused."""

from __future__ import annotations

import pytest

from pdf2video.core.batch.zip_inputs import MAX_ENTRIES, unpack
from pdf2video.core.errors import UnsupportedFileType, UploadTooLarge
from tests import builders

MB = 1024 * 1024


def test_a_pdf_is_taken_and_a_slip_and_a_link_are_refused(tmp_path):
    pdf = builders.varied_text_pdf(tmp_path / "doc.pdf", sections=1, sentences_per_section=2)
    archive = builders.zip_with(
        tmp_path / "upload.zip",
        {"docs/doc.pdf": pdf.read_bytes(), "../evil.pdf": pdf.read_bytes(), "notes.csv": b"a,b"},
        links={"link.pdf": "/etc/passwd"},
    )
    target = tmp_path / "work" / "unpacked"
    found = unpack(archive, target, 100 * MB)
    assert [name for name, _ in found.pdfs] == ["docs/doc.pdf"]
    assert (target / "docs" / "doc.pdf").read_bytes() == pdf.read_bytes()
    reasons = dict(found.refused)
    assert set(reasons) == {"../evil.pdf", "link.pdf"}
    assert "'..' path" in reasons["../evil.pdf"] and "symbolic link" in reasons["link.pdf"]
    assert found.ignored == ["notes.csv"]
    assert not (tmp_path / "work" / "evil.pdf").exists() and not (tmp_path / "evil.pdf").exists()
    assert sorted(p.name for p in target.rglob("*")) == ["doc.pdf", "docs"]


@pytest.mark.parametrize("name", ["/tmp/abs.pdf", "C:/win.pdf", "dir\\\\..\\\\win.pdf"])
def test_absolute_and_windows_names_are_refused(tmp_path, name):
    archive = builders.zip_with(tmp_path / "a.zip", {name: b"%PDF-1.7"})
    found = unpack(archive, tmp_path / "out", 100 * MB)
    assert not found.pdfs and found.refused[0][0] == name
    assert "absolute path" in found.refused[0][1]


def test_more_than_a_thousand_entries_refuses_the_archive(tmp_path):
    entries = {f"page-{n}.pdf": b"%PDF-1.7" for n in range(MAX_ENTRIES + 1)}
    archive = builders.zip_with(tmp_path / "many.zip", entries)
    with pytest.raises(UnsupportedFileType, match="more than the 1000"):
        unpack(archive, tmp_path / "out", 100 * MB)
    assert not (tmp_path / "out").exists()


def test_a_zip_bomb_over_the_upload_limit_is_refused_before_unpacking(tmp_path):
    archive = builders.zip_with(tmp_path / "bomb.zip", {"big.pdf": b"\0" * (3 * MB)})
    assert archive.stat().st_size < 50_000  # tiny on disk, 3 MB unpacked
    with pytest.raises(UploadTooLarge, match="over the 1 MB upload limit"):
        unpack(archive, tmp_path / "out", 1 * MB)
    assert not (tmp_path / "out").exists()


def test_a_file_that_is_not_a_zip_says_so(tmp_path):
    fake = tmp_path / "fake.zip"
    fake.write_bytes(b"%PDF-1.7 not a zip")
    with pytest.raises(UnsupportedFileType, match="not a readable ZIP"):
        unpack(fake, tmp_path / "out", MB)


def test_an_encrypted_entry_is_refused_not_fatal(tmp_path):
    archive = builders.zip_with(
        tmp_path / "locked.zip", {"ok.pdf": b"%PDF-1", "secret.pdf": b"%PDF-2"}
    )
    data = bytearray(archive.read_bytes())
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # mark it encrypted
        header = data.rfind(signature, 0, data.find(b"secret.pdf", data.find(signature)) + 1)
        data[header + flag_at] |= 0x1
    archive.write_bytes(bytes(data))
    found = unpack(archive, tmp_path / "out", MB)
    assert [n for n, _ in found.pdfs] == ["ok.pdf"]
    assert found.refused[0][0] == "secret.pdf" and "cannot be unpacked" in found.refused[0][1]
