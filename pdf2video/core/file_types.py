"""What a file really is, by its first bytes (never by its name).

Used by the reader to refuse a PNG or a text file named ``.pdf`` with a message that
says what the file is, and later by the upload store.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pdf2video.core.errors import EmptyFile, FileNotFound, UnsupportedFileType

_SNIFF_BYTES = 1024


class FileKind(StrEnum):
    PDF = "pdf"
    PNG = "png"
    JPEG = "jpeg"
    WEBP = "webp"
    GIF = "gif"
    ZIP = "zip"
    MP3 = "mp3"
    WAV = "wav"
    OGG = "ogg"
    M4A = "m4a"
    ELF = "executable"
    TEXT = "text"
    UNKNOWN = "unknown"


_DESCRIPTIONS = {
    FileKind.PDF: "a PDF",
    FileKind.PNG: "a PNG image",
    FileKind.JPEG: "a JPEG image",
    FileKind.WEBP: "a WebP image",
    FileKind.GIF: "a GIF image",
    FileKind.ZIP: "a ZIP archive (or an Office document)",
    FileKind.MP3: "an MP3 audio file",
    FileKind.WAV: "a WAV audio file",
    FileKind.OGG: "an Ogg audio file",
    FileKind.M4A: "an M4A audio file",
    FileKind.ELF: "an executable program",
    FileKind.TEXT: "a text file",
    FileKind.UNKNOWN: "not a file type pdf2video reads",
}


def describe(kind: FileKind) -> str:
    return _DESCRIPTIONS[kind]


def sniff_bytes(head: bytes) -> FileKind:
    """The kind of file whose first bytes are ``head``."""
    if b"%PDF-" in head[:_SNIFF_BYTES]:
        return FileKind.PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return FileKind.PNG
    if head.startswith(b"\xff\xd8\xff"):
        return FileKind.JPEG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return FileKind.WEBP
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return FileKind.WAV
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return FileKind.GIF
    if head.startswith(b"PK\x03\x04"):
        return FileKind.ZIP
    if head.startswith(b"OggS"):
        return FileKind.OGG
    if head.startswith(b"ID3") or head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        return FileKind.MP3
    if head[4:8] == b"ftyp":
        return FileKind.M4A
    if head.startswith((b"\x7fELF", b"MZ", b"#!")):
        return FileKind.ELF
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return FileKind.UNKNOWN
    return FileKind.TEXT


def sniff(path: Path) -> FileKind:
    """The kind of the file at ``path``; a missing or empty file is an error."""
    if not path.exists():
        raise FileNotFound("no such file", path=path)
    if not path.is_file():
        raise UnsupportedFileType("is a folder, not a file", path=path)
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    if not head:
        raise EmptyFile("the file is empty (0 bytes)", path=path)
    return sniff_bytes(head)


def require_pdf(path: Path) -> None:
    kind = sniff(path)
    if kind is not FileKind.PDF:
        raise UnsupportedFileType(f"this is {describe(kind)}, not a PDF", path=path)
