"""ZIP inputs, unpacked safely: PDFs and images (and the text they go with), no zip-slip or bomb.

An entry with an absolute name, a ``..`` part, a backslash or a drive letter, or that is a
symbolic link, is refused (and named in the report); so is the whole archive when it has
more than ``MAX_ENTRIES`` entries or would unpack to more than the upload limit. A ``.md``
or ``.txt`` file is taken as the text of the images beside it (a zipped text-plus-images
folder); other files (spreadsheets, nested archives, programs) are ignored. Entries are
streamed out with a byte count, never trusting the sizes the archive declares.
"""

from __future__ import annotations

import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from pdf2video.core.content_input import IMAGE_SUFFIXES, TEXT_SUFFIXES
from pdf2video.core.errors import UnsupportedFileType, UploadTooLarge

MAX_ENTRIES = 1000
_DRIVE = re.compile(r"^[A-Za-z]:")
_CHUNK = 1 << 20


@dataclass
class Unpacked:
    pdfs: list[tuple[str, Path]] = field(default_factory=list)  # (entry name, file)
    images: list[tuple[str, Path]] = field(default_factory=list)
    texts: list[tuple[str, Path]] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (entry name, reason)
    ignored: list[str] = field(default_factory=list)


def unsafe_reason(info: zipfile.ZipInfo) -> str | None:
    """Why this entry must not be unpacked; None when it may."""
    name = info.filename
    parts = PurePosixPath(name).parts
    if name.startswith("/") or _DRIVE.match(name) or "\\" in name:
        return "an absolute path (refused: it would write outside the batch folder)"
    if ".." in parts:
        return "a '..' path (refused: it would write outside the batch folder)"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "a symbolic link (refused)"
    return None


def _kind(name: str) -> str | None:
    suffix = PurePosixPath(name).suffix.lower()
    if suffix == ".pdf":
        return "pdf"
    if suffix in IMAGE_SUFFIXES:
        return "image"
    if suffix in TEXT_SUFFIXES:
        return "text"
    return None


def unpack(archive_path: Path, target: Path, max_bytes: int) -> Unpacked:
    """Unpack the PDFs and images of ``archive_path`` under ``target``."""
    try:
        archive = zipfile.ZipFile(archive_path)
    except (zipfile.BadZipFile, OSError):
        raise UnsupportedFileType("is not a readable ZIP archive", path=archive_path) from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise UnsupportedFileType(
                f"has {len(entries)} entries, more than the {MAX_ENTRIES} a batch ZIP may hold",
                path=archive_path,
            )
        declared = sum(info.file_size for info in entries)
        if declared > max_bytes:
            raise UploadTooLarge(
                f"would unpack to {declared / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB "
                "upload limit (MAX_UPLOAD_SIZE_MB)",
                path=archive_path,
            )
        result = Unpacked()
        budget = max_bytes
        for info in entries:
            if info.is_dir():
                continue
            reason = unsafe_reason(info)
            if reason is not None:
                result.refused.append((info.filename, reason))
                continue
            kind = _kind(info.filename)
            if kind is None:
                result.ignored.append(info.filename)
                continue
            destination = target.joinpath(*PurePosixPath(info.filename).parts)
            try:
                budget -= _extract(archive, info, destination, budget)
            except (RuntimeError, zipfile.BadZipFile, ValueError) as exc:
                result.refused.append((info.filename, f"cannot be unpacked ({exc})"))
                continue
            except UploadTooLarge as exc:
                raise UploadTooLarge(exc.message, path=archive_path) from None
            found = {"pdf": result.pdfs, "image": result.images, "text": result.texts}[kind]
            found.append((info.filename, destination))
        return result


def _extract(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, destination: Path, budget: int
) -> int:
    """Stream one entry out; the bytes written. Stops past ``budget`` (a lying header)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(f".{destination.name}.part")
    written = 0
    try:
        with archive.open(info) as source, partial.open("wb") as sink:
            while chunk := source.read(_CHUNK):
                written += len(chunk)
                if written > budget:
                    raise UploadTooLarge(
                        "unpacks to more than the upload limit (MAX_UPLOAD_SIZE_MB)"
                    )
                sink.write(chunk)
        partial.replace(destination)
    finally:
        partial.unlink(missing_ok=True)
    return written
