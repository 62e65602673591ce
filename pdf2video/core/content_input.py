"""The two kinds of input, read into one Document model.

- a PDF (see :mod:`pdf2video.core.pdf_extractor`);
- text plus images: a title, a body where ``#`` lines are headings and blank lines
  separate paragraphs, and an ordered list of image files.

:func:`read_source` takes what a user points at (a PDF, a ``.md``/``.txt`` file, or a
folder holding one text file and its images) and picks the reader.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from pathlib import Path

import cv2

from pdf2video.core.errors import EmptyDocument, UnsupportedFileType
from pdf2video.core.file_types import FileKind, describe, sniff
from pdf2video.core.hashing import inputs_hash, sha256_file
from pdf2video.core.models import (
    Asset,
    AssetKind,
    BlockRole,
    Document,
    OutlineEntry,
    Page,
    SourceKind,
    TextBlock,
)
from pdf2video.core.pdf_extractor import read_pdf
from pdf2video.core.progress import CancelToken, ProgressFn, no_progress
from pdf2video.core.project import ProjectFolder

IMAGE_KINDS = (FileKind.PNG, FileKind.JPEG, FileKind.WEBP)
TEXT_SUFFIXES = (".md", ".markdown", ".txt")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")
_HEADING = re.compile(r"^(#{1,6})\s+(.*\S)\s*#*\s*$")
# Refuse absurd pixel counts before decoding (a decompression bomb).
MAX_IMAGE_PIXELS = 80_000_000


def read_source(
    path: Path,
    out_dir: Path,
    *,
    password: str | None = None,
    thumbnail_px: int = 320,
    page_render_px: int = 2000,
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> Document:
    """Read a PDF, a text file or a text-plus-images folder into a Document."""
    if path.is_dir():
        text, images = split_folder(path)
        return read_text_file(text, images, out_dir)
    kind = sniff(path)
    if kind is FileKind.PDF:
        return read_pdf(
            path,
            out_dir,
            password=password,
            thumbnail_px=thumbnail_px,
            page_render_px=page_render_px,
            progress=progress,
            cancel=cancel,
        )
    if kind is FileKind.TEXT and path.suffix.lower() in TEXT_SUFFIXES:
        return read_text_file(path, [], out_dir)
    wanted = "a PDF" if path.suffix.lower() == ".pdf" else "a PDF, a .md/.txt file or a folder"
    raise UnsupportedFileType(f"this is {describe(kind)}, not {wanted}", path=path)


def split_folder(path: Path) -> tuple[Path, list[Path]]:
    """A text-plus-images folder: its one text file and its images, ordered by name."""
    files = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
    texts = [p for p in files if p.suffix.lower() in TEXT_SUFFIXES]
    images = [p for p in files if p.suffix.lower() in IMAGE_SUFFIXES]
    if len(texts) != 1:
        raise UnsupportedFileType(
            f"a text-plus-images folder needs exactly one .md or .txt file (found {len(texts)})",
            path=path,
        )
    return texts[0], images


def read_text_file(text_path: Path, images: Sequence[Path], out_dir: Path) -> Document:
    """Read a markdown-ish text file (title from its first ``#`` heading) with images."""
    body = text_path.read_text(encoding="utf-8", errors="replace")
    title = _first_heading(body) or text_path.stem.replace("_", " ").replace("-", " ")
    return read_text_and_images(title, body, images, out_dir, source_name=text_path.name)


def _first_heading(body: str) -> str | None:
    for line in body.splitlines():
        if line.strip():
            match = _HEADING.match(line.strip())
            return match.group(2) if match else None
    return None


def parse_body(body: str) -> list[TextBlock]:
    """Headings (``#`` lines) and paragraphs (separated by blank lines) as text blocks."""
    blocks: list[TextBlock] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(TextBlock(text=" ".join(" ".join(paragraph).split())))
            paragraph.clear()

    for line in body.splitlines():
        stripped = line.strip()
        match = _HEADING.match(stripped)
        if match:
            flush()
            level = len(match.group(1))
            blocks.append(
                TextBlock(text=match.group(2), heading_level=level, role=BlockRole.HEADING)
            )
        elif not stripped:
            flush()
        else:
            paragraph.append(stripped)
    flush()
    return blocks


def read_text_and_images(
    title: str,
    body: str,
    images: Sequence[Path],
    out_dir: Path,
    *,
    source_name: str = "text",
) -> Document:
    """The second input kind: a title, a body and an ordered list of image files."""
    blocks = parse_body(body)
    if not any(b.text.strip() for b in blocks) and not images:
        raise EmptyDocument("there is no text and there are no images to make a video from")
    folder = ProjectFolder(out_dir)
    folder.make_dirs()
    assets = [_copy_image(path, index, folder) for index, path in enumerate(images, start=1)]
    digest = inputs_hash(title, body, [a.sha256 for a in assets])
    return Document(
        title=title.strip() or "Untitled",
        kind=SourceKind.TEXT,
        source_name=source_name,
        source_sha256=digest,
        page_count=1,
        outline=[
            OutlineEntry(level=b.heading_level or 1, title=b.text, page=1)
            for b in blocks
            if b.heading_level
        ],
        pages=[Page(number=1, width=0, height=0, blocks=blocks, has_text_layer=bool(blocks))],
        assets=assets,
        warnings=[] if blocks else ["there is no text: the video will be made from the images"],
    )


def check_image(path: Path) -> tuple[int, int]:
    """Width and height of a PNG, JPEG or WebP that really opens; anything else is refused."""
    kind = sniff(path)
    if kind not in IMAGE_KINDS:
        raise UnsupportedFileType(f"this is {describe(kind)}, not a PNG, JPEG or WebP", path=path)
    header = _declared_size(path)
    if header is not None and header[0] * header[1] > MAX_IMAGE_PIXELS:
        raise UnsupportedFileType(
            f"the image declares {header[0]}x{header[1]} pixels, more than pdf2video opens",
            path=path,
        )
    image = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    if image is None:
        raise UnsupportedFileType(
            f"this {describe(kind)} is damaged and cannot be opened", path=path
        )
    return int(image.shape[1]), int(image.shape[0])


def _declared_size(path: Path) -> tuple[int, int] | None:
    """The size a PNG header declares, read without decoding anything."""
    with path.open("rb") as handle:
        head = handle.read(24)
    if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
        return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
    return None


def _copy_image(path: Path, index: int, folder: ProjectFolder) -> Asset:
    width, height = check_image(path)
    suffix = path.suffix.lower() if path.suffix.lower() in IMAGE_SUFFIXES else ".png"
    target = folder.assets / f"supplied-{index:03d}{suffix}"
    if path.resolve() != target.resolve():
        shutil.copyfile(path, target)
    return Asset(
        id=f"img-{index:04d}",
        kind=AssetKind.SUPPLIED,
        width=width,
        height=height,
        sha256=sha256_file(target),
        path=folder.relative(target),
    )
