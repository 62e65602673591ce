"""A studio project as one ZIP file, so a project edited on one machine renders on another.

Under JupyterHub the studio edits in the user's own workspace but the pdf2video
service renders: the client packs the project (its ``project.json``, sources, images,
voiced audio; not the rendered ``out/`` or ``segments/``) and uploads it as a
``project`` upload. The service checks an archive before keeping it and unpacks it
into the job's own folder: no absolute names, no ``..``, no links, a bounded size.
"""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path, PurePosixPath

from pdf2video.core.errors import UnsupportedFileType

SKIPPED = frozenset({"out", "segments"})
MAX_UNPACKED_BYTES = 4 << 30
MAX_MEMBERS = 20_000


def pack(folder: Path, target: Path) -> Path:
    """Zip the project in ``folder`` into ``target`` (stored, not deflated: media is packed)."""
    if not (folder / "project.json").is_file():
        raise UnsupportedFileType("is not a studio project (no project.json)", path=folder)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as archive:
        for root, dirs, files in os.walk(folder):
            here = Path(root)
            dirs[:] = sorted(
                d for d in dirs if not d.startswith(".") and not (here == folder and d in SKIPPED)
            )
            for name in sorted(files):
                path = here / name
                if name.startswith(".") or path.is_symlink():
                    continue
                archive.write(path, path.relative_to(folder).as_posix())
    return target


def _members(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise UnsupportedFileType(f"the project archive has more than {MAX_MEMBERS} files")
    total = 0
    for info in members:
        name = PurePosixPath(info.filename)
        mode = info.external_attr >> 16
        if name.is_absolute() or ".." in name.parts or "\\" in info.filename:
            raise UnsupportedFileType(f"the project archive holds an unsafe name {info.filename!r}")
        if stat.S_ISLNK(mode):
            raise UnsupportedFileType(f"the project archive holds a link {info.filename!r}")
        total += info.file_size
    if total > MAX_UNPACKED_BYTES:
        raise UnsupportedFileType("the project archive unpacks to more than 4 GB")
    if "project.json" not in {m.filename for m in members}:
        raise UnsupportedFileType("the archive is not a studio project (no project.json)")
    return members


def check(path: Path) -> None:
    """Refuse an archive that is not a safe studio project."""
    try:
        with zipfile.ZipFile(path) as archive:
            _members(archive)
    except zipfile.BadZipFile:
        raise UnsupportedFileType("is not a readable ZIP archive", path=path) from None


def unpack(path: Path, target: Path) -> Path:
    """Unpack the checked archive into ``target`` (made if missing)."""
    target.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path) as archive:
        for info in _members(archive):
            archive.extract(info, target)
    return target
