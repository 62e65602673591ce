"""The project folder: where each file of a project lives, and loading and saving it.

Every path of a project is decided here and nowhere else. ``project.json`` is written
atomically (a temporary file, then a rename), so a crash never leaves it half written.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from pdf2video.core.errors import ProjectError
from pdf2video.core.hashing import sha256_file
from pdf2video.core.models import SCHEMA_VERSION, Project

PROJECT_FILE = "project.json"
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class ProjectFolder:
    """The layout of one project folder (see DESIGN.md, "The project folder")."""

    root: Path

    @property
    def project_file(self) -> Path:
        return self.root / PROJECT_FILE

    @property
    def source(self) -> Path:
        return self.root / "source"

    @property
    def assets(self) -> Path:
        return self.root / "assets"

    @property
    def thumbnails(self) -> Path:
        return self.root / "assets" / "thumbs"

    @property
    def pages(self) -> Path:
        return self.root / "assets" / "pages"

    @property
    def audio(self) -> Path:
        return self.root / "audio"

    @property
    def backdrops(self) -> Path:
        return self.root / "backdrops"

    @property
    def segments(self) -> Path:
        return self.root / "segments"

    @property
    def out(self) -> Path:
        return self.root / "out"

    @property
    def cache(self) -> Path:
        return self.root / "cache"

    def relative(self, path: Path) -> str:
        """A path inside the project as stored in project.json (POSIX, relative)."""
        return path.relative_to(self.root).as_posix()

    def resolve(self, stored: str) -> Path:
        """The absolute path of a path stored in project.json."""
        return self.root / stored

    def make_dirs(self) -> None:
        for folder in (self.source, self.assets, self.thumbnails, self.pages):
            folder.mkdir(parents=True, exist_ok=True)

    def exists(self) -> bool:
        return self.project_file.is_file()


def new_project_id() -> str:
    return uuid.uuid4().hex[:12]


def safe_file_name(name: str) -> str:
    """A file name with no path parts or odd characters, for copies of user files."""
    base = Path(name.replace("\\", "/")).name
    cleaned = _SAFE_NAME.sub("_", base).strip("._") or "file"
    return cleaned[:120]


def create_project(root: Path, sources: list[Path], *, project_id: str | None = None) -> Project:
    """Start a project folder at ``root`` holding copies of ``sources`` under ``source/``.

    An existing project there is loaded and kept (nothing the user made is replaced);
    only sources it does not have yet are added.
    """
    folder = ProjectFolder(root)
    existed = folder.exists()
    project = load_project(root) if existed else Project(id=project_id or new_project_id())
    folder.make_dirs()
    changed = not existed
    for src in sources:
        target = folder.source / safe_file_name(src.name)
        if not _same_file(src, target):
            shutil.copyfile(src, target)
        stored = folder.relative(target)
        if stored not in project.source_files:
            project.source_files.append(stored)
            changed = True
    if changed:
        save_project(project, root)
    return project


def _same_file(a: Path, b: Path) -> bool:
    if not b.exists():
        return False
    if a.resolve() == b.resolve():
        return True
    return a.stat().st_size == b.stat().st_size and sha256_file(a) == sha256_file(b)


def load_project(root: Path) -> Project:
    folder = ProjectFolder(root)
    if not folder.exists():
        raise ProjectError(f"no {PROJECT_FILE} here; not a project folder", path=root)
    try:
        project = Project.model_validate_json(folder.project_file.read_bytes())
    except ValidationError as exc:
        raise ProjectError(
            f"{PROJECT_FILE} is damaged ({exc.error_count()} problems)", path=root
        ) from None
    if project.schema_version > SCHEMA_VERSION:
        raise ProjectError(
            f"made by a newer pdf2video (schema {project.schema_version}); please upgrade",
            path=root,
        )
    return project


def save_project(project: Project, root: Path) -> None:
    """Write project.json atomically."""
    root.mkdir(parents=True, exist_ok=True)
    data = project.model_dump_json(indent=2)
    fd, tmp = tempfile.mkstemp(prefix=".project.", suffix=".json", dir=root)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).replace(root / PROJECT_FILE)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
