"""Uploads: PDFs, images and music, checked, stored per user, deduplicated by content.

A file arrives as a stream and is written in chunks (never held whole in memory) to a
hidden part file, hashed on the way, and refused once it passes
``MAX_UPLOAD_SIZE_MB``. Then it must be what its first bytes say (a PDF, a PNG, JPEG
or WebP image, MP3, WAV, M4A or Ogg music), and it must really open: a PDF with
PyMuPDF, an image within the decompression-bomb limit, music that ffmpeg decodes. A
good file lands at ``uploads/<user>/<upload-id>.<ext>``; the name it came with is kept
only as data, so nothing a user types ever becomes part of a path. The same content
uploaded twice by one user is one upload.
"""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import uuid
from pathlib import Path
from typing import BinaryIO

from pydantic import BaseModel

from pdf2video.core.config import Settings
from pdf2video.core.errors import (
    EncryptedPDF,
    Pdf2VideoError,
    UnsupportedFileType,
    UploadNotFound,
    UploadTooLarge,
)
from pdf2video.core.file_types import FileKind, describe, sniff
from pdf2video.core.store import Store, now
from pdf2video.core.users import User, find_owned, owned

CHUNK = 1 << 20
KINDS = {
    FileKind.PDF: "pdf",
    FileKind.PNG: "image",
    FileKind.JPEG: "image",
    FileKind.WEBP: "image",
    FileKind.MP3: "music",
    FileKind.WAV: "music",
    FileKind.M4A: "music",
    FileKind.OGG: "music",
    FileKind.ZIP: "project",  # a studio project packed by a remote client
}
MAX_NAME = 200
# A name that says what it is must say the truth: a PNG named .pdf is refused.
SUFFIXES = {
    ".pdf": {FileKind.PDF},
    ".png": {FileKind.PNG},
    ".jpg": {FileKind.JPEG},
    ".jpeg": {FileKind.JPEG},
    ".webp": {FileKind.WEBP},
    ".mp3": {FileKind.MP3},
    ".wav": {FileKind.WAV},
    ".m4a": {FileKind.M4A},
    ".ogg": {FileKind.OGG},
    ".oga": {FileKind.OGG},
    ".zip": {FileKind.ZIP},
}


class Upload(BaseModel):
    id: str
    owner: str
    kind: str  # pdf, image or music
    original_name: str
    path: str  # relative to the workspace
    sha256: str
    size_bytes: int
    created_at: float


def clean_name(name: str) -> str:
    """The uploaded file's own name, kept as data; a name that is a path is refused."""
    if "\x00" in name:
        raise UnsupportedFileType("the file name contains a NUL byte")
    base = name.strip()
    if not base or base in (".", "..") or "/" in base or "\\" in base:
        raise UnsupportedFileType(f"{name!r} is not a plain file name (no folders, no '..')")
    if not all(c.isprintable() for c in base) or len(base) > MAX_NAME:
        raise UnsupportedFileType(
            f"the file name must be printable and at most {MAX_NAME} characters"
        )
    return base


def _check(path: Path, kind: FileKind, name: str) -> None:
    # The readers load PyMuPDF, OpenCV and ffmpeg: only when a file is really checked.
    from pdf2video.core import project_archive  # noqa: PLC0415
    from pdf2video.core.content_input import check_image  # noqa: PLC0415
    from pdf2video.core.pdf_extractor import open_pdf  # noqa: PLC0415
    from pdf2video.core.render import check_music  # noqa: PLC0415

    try:
        if kind is FileKind.PDF:
            with contextlib.suppress(EncryptedPDF):  # its password is asked for when read
                open_pdf(path).close()
        elif KINDS[kind] == "image":
            check_image(path)
        elif KINDS[kind] == "project":
            project_archive.check(path)
        else:
            check_music(path)
    except Pdf2VideoError as exc:
        # The readers name the file they read: the hidden part file, never to be shown.
        reason = exc.message.replace(str(path), name).replace(path.name, name)
        raise UnsupportedFileType(f"{name}: {reason}") from None


def save_upload(
    store: Store, settings: Settings, user: User, stream: BinaryIO, original_name: str
) -> Upload:
    """Check and keep one uploaded file; the same content again returns the earlier upload."""
    user.require_editor()
    name = clean_name(original_name)
    limit = settings.max_upload_size_mb * 1024 * 1024
    folder = settings.pdf2video_home / "uploads" / user.name
    folder.mkdir(parents=True, exist_ok=True)
    upload_id = uuid.uuid4().hex
    partial = folder / f".{upload_id}.part"
    digest, size = hashlib.sha256(), 0
    try:
        with partial.open("wb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise UploadTooLarge(
                        f"{name} is larger than the limit of {settings.max_upload_size_mb} MB "
                        "(MAX_UPLOAD_SIZE_MB)"
                    )
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise UnsupportedFileType(f"{name} is empty (0 bytes)")
        kind = sniff(partial)
        if kind not in KINDS:
            raise UnsupportedFileType(
                f"{name} is {describe(kind)}; upload a PDF, a PNG, JPEG or WebP image, "
                "MP3, WAV, M4A or Ogg music, or a studio project (ZIP)"
            )
        claimed = SUFFIXES.get(Path(name).suffix.lower())
        if claimed is not None and kind not in claimed:
            raise UnsupportedFileType(
                f"{name} is named {Path(name).suffix.lower()} but is {describe(kind)}"
            )
        sha = digest.hexdigest()
        where, params = "owner = ? AND sha256 = ?", (user.name, sha)
        earlier = store.one(f"SELECT * FROM uploads WHERE {where}", params)
        if earlier is not None and (settings.pdf2video_home / earlier["path"]).is_file():
            return Upload(**earlier)
        _check(partial, kind, name)
        final = folder / f"{upload_id}.{kind.value}"
        partial.replace(final)
        row = Upload(
            id=upload_id,
            owner=user.name,
            kind=KINDS[kind],
            original_name=name,
            path=str(final.relative_to(settings.pdf2video_home)),
            sha256=sha,
            size_bytes=size,
            created_at=now(),
        )
        with store.transaction() as conn:
            conn.execute(f"DELETE FROM uploads WHERE {where}", params)  # a file lost from disk
            conn.execute(
                "INSERT INTO uploads (id, owner, kind, original_name, path, sha256, size_bytes,"
                " created_at) VALUES (:id, :owner, :kind, :original_name, :path, :sha256,"
                " :size_bytes, :created_at)",
                row.model_dump(),
            )
        return row
    finally:
        partial.unlink(missing_ok=True)


def save_upload_file(
    store: Store, settings: Settings, user: User, path: Path, original_name: str | None = None
) -> Upload:
    """Upload a file from disk (the CLI's way in)."""
    sniff(path)  # a missing file or a folder gets its own message
    with path.open("rb") as stream:
        return save_upload(store, settings, user, stream, original_name or path.name)


def list_uploads(store: Store, user: User, kind: str | None = None) -> list[Upload]:
    where, params = owned(user)
    if kind:
        where, params = f"{where} AND kind = ?", (*params, kind)
    rows = store.all(f"SELECT * FROM uploads WHERE {where} ORDER BY created_at DESC", params)
    return [Upload(**r) for r in rows]


def get_upload(store: Store, user: User, upload_id: str) -> Upload:
    return Upload(**find_owned(store, "uploads", upload_id, user, UploadNotFound))


def upload_path(settings: Settings, upload: Upload) -> Path:
    return settings.pdf2video_home / upload.path


def delete_upload(store: Store, settings: Settings, user: User, upload_id: str) -> Upload:
    """Forget an upload and remove its file (jobs made from it keep their own copy)."""
    user.require_editor()
    upload = get_upload(store, user, upload_id)
    with store.transaction() as conn:
        conn.execute("DELETE FROM uploads WHERE id = ?", (upload.id,))
    upload_path(settings, upload).unlink(missing_ok=True)
    return upload


def copy_into(settings: Settings, upload: Upload, target: Path) -> Path:
    """A copy of the upload's file at ``target`` (a project keeps its own sources)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(upload_path(settings, upload), target)
    return target
