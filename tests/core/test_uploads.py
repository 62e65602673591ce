"""Uploading files: what is kept, what is refused, and where it lands."""

from __future__ import annotations

import io
import struct
import wave
import zlib

import numpy as np
import pytest

from pdf2video.core.errors import UnsupportedFileType, UploadNotFound, UploadTooLarge
from pdf2video.core.uploads import upload_path
from tests import builders


def png_declaring(width: int, height: int) -> bytes:
    """A PNG whose header claims a huge size (a decompression bomb), with a tiny body."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 16))
        + chunk(b"IEND", b"")
    )


def wav_bytes(seconds: float = 1.0) -> bytes:
    buffer = io.BytesIO()
    rate = 22050
    t = np.arange(int(rate * seconds)) / rate
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((np.sin(2 * np.pi * 330 * t) * 8000).astype("<i2").tobytes())
    return buffer.getvalue()


def test_a_pdf_an_image_and_music_are_kept_under_the_users_folder(alice, settings, docs):
    pdf = alice.upload(io.BytesIO(docs["images"].read_bytes()), "Quarterly report.pdf")
    image = alice.upload(io.BytesIO(builders.png(np.full((40, 60, 3), 90, np.uint8))), "a.png")
    music = alice.upload(io.BytesIO(wav_bytes()), "tune.wav")
    assert [pdf.kind, image.kind, music.kind] == ["pdf", "image", "music"]
    assert pdf.original_name == "Quarterly report.pdf"
    assert pdf.path == f"uploads/alice/{pdf.id}.pdf"  # the user's name never makes a path
    assert upload_path(settings, pdf).read_bytes() == docs["images"].read_bytes()
    assert {u.id for u in alice.uploads()} == {pdf.id, image.id, music.id}


def test_the_same_file_twice_is_one_upload(alice, docs):
    first = alice.upload(io.BytesIO(docs["images"].read_bytes()), "one.pdf")
    second = alice.upload(io.BytesIO(docs["images"].read_bytes()), "two.pdf")
    assert second.id == first.id
    assert len(alice.uploads()) == 1


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"\x7fELF\x02\x01\x01" + bytes(200), "invoice.pdf", "an executable program"),
        (b"MZ\x90\x00" + bytes(200), "setup.pdf", "an executable program"),
        (png_declaring(100_000, 100_000), "huge.png", "100000x100000"),
        (b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "broken.pdf", "broken.pdf"),
        (b"ID3" + bytes(range(256)) * 8, "song.mp3", "song.mp3"),
        (b"", "empty.pdf", "empty"),
        (builders.png(np.zeros((8, 8, 3), np.uint8)), "report.pdf", "named .pdf but is a PNG"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_kept(alice, settings, data, name, message):
    with pytest.raises(UnsupportedFileType, match=message):
        alice.upload(io.BytesIO(data), name)
    assert alice.uploads() == []
    folder = settings.pdf2video_home / "uploads" / "alice"
    assert not folder.exists() or list(folder.iterdir()) == []


@pytest.mark.parametrize("name", ["../../etc/passwd", "a/b.pdf", "..\\x.pdf", "x\x00.pdf", ".."])
def test_file_names_that_are_paths_or_hold_nul_bytes_are_refused(alice, docs, name):
    with pytest.raises(UnsupportedFileType):
        alice.upload(io.BytesIO(docs["images"].read_bytes()), name)
    assert alice.uploads() == []


class Endless(io.RawIOBase):
    """A stream that would never end: the limit must stop it, not memory."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        buffer[:] = b"%PDF-" + bytes(len(buffer) - 5) if len(buffer) > 5 else bytes(len(buffer))
        return len(buffer)


def test_an_upload_over_the_size_limit_is_refused_without_reading_it_all(monkeypatch):
    from pdf2video.core.backend import LocalBackend  # noqa: PLC0415
    from pdf2video.core.config import load_settings  # noqa: PLC0415

    monkeypatch.setenv("MAX_UPLOAD_SIZE_MB", "2")
    backend = LocalBackend(load_settings(), "alice")
    with pytest.raises(UploadTooLarge, match="limit of 2 MB"):
        backend.upload(Endless(), "big.pdf")
    assert backend.uploads() == []


def test_deleting_an_upload_removes_its_file_and_only_the_owner_may(alice, bob, settings, docs):
    upload = alice.upload(io.BytesIO(docs["images"].read_bytes()), "mine.pdf")
    with pytest.raises(UploadNotFound):
        bob.delete_upload(upload.id)
    assert bob.uploads() == []
    alice.delete_upload(upload.id)
    assert not upload_path(settings, upload).exists()
    assert alice.uploads() == []
