"""What a batch renders: the inputs a user named, expanded into one source per video.

An input is a PDF, a folder (its PDFs and ZIPs, and its text-plus-images subfolders; or
itself, when it holds exactly one ``.md``/``.txt`` file), a ZIP of PDFs and of
text-plus-images folders (see :mod:`.zip_inputs`), or a text-plus-images folder.
``pdf2video:sample`` is the bundled sample document. Each source gets a unique, stable
output name from its file name, so a second run finds its videos again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pdf2video.core.batch.models import ItemResult, ItemStatus
from pdf2video.core.batch.zip_inputs import Unpacked, unpack
from pdf2video.core.content_input import TEXT_SUFFIXES, split_folder
from pdf2video.core.errors import Pdf2VideoError
from pdf2video.core.file_types import FileKind, sniff
from pdf2video.core.hashing import sha256_file
from pdf2video.core.project import safe_file_name
from pdf2video.core.sample import build_sample_pdf

SAMPLE = "pdf2video:sample"  # the bundled sample document (the notebook's default input)


@dataclass(frozen=True)
class Source:
    """One video to make: a PDF or a text-plus-images folder."""

    input: str  # as shown in the report
    name: str  # the output file stem, unique in the batch
    path: Path

    def files(self) -> list[Path]:
        """The files whose content makes the video."""
        if self.path.is_dir():
            text, images = split_folder(self.path)
            return [text, *images]
        return [self.path]


class Expander:
    """Turns the named inputs into sources, and the ones that cannot be into report rows."""

    def __init__(self, staging: Path, max_zip_bytes: int) -> None:
        self.staging = staging
        self.max_zip_bytes = max_zip_bytes
        self.sources: list[Source] = []
        self.rows: list[ItemResult] = []  # failed, refused or ignored inputs
        self._names: set[str] = set()

    def expand(self, inputs: list[Path]) -> tuple[list[Source], list[ItemResult]]:
        for path in inputs:
            self._one(path.expanduser(), str(path))
        return self.sources, self.rows

    def _name(self, stem: str) -> str:
        base = safe_file_name(stem) or "video"
        name, n = base, 1
        while name.lower() in self._names:
            n += 1
            name = f"{base}-{n}"
        self._names.add(name.lower())
        return name

    def _add(self, label: str, path: Path, stem: str) -> None:
        self.sources.append(Source(label, self._name(stem), path))

    def _row(self, label: str, status: ItemStatus, error: str) -> None:
        self.rows.append(ItemResult(input=label, name="", status=status, error=error))

    def _one(self, path: Path, label: str) -> None:
        if label == SAMPLE:
            sample = self.staging / "solar-sample.pdf"
            if not sample.is_file():  # made once: its bytes (and so its key) stay the same
                build_sample_pdf(sample)
            self._add(label, sample, sample.stem)
        elif path.is_dir():
            self._folder(path, label)
        elif not path.exists():
            self._row(label, "failed", "no such file or folder")
        elif path.suffix.lower() == ".zip":
            self._zip(path, label)
        elif path.suffix.lower() in TEXT_SUFFIXES:
            self._add(label, path, path.stem)
        else:
            self._add(label, path, path.stem)  # read as a PDF; the reader says if it is not

    def _folder(self, folder: Path, label: str) -> None:
        entries = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
        if sum(1 for p in entries if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES) == 1:
            self._add(label, folder, folder.name)  # a text-plus-images folder
            return
        found = 0
        for entry in entries:
            shown = f"{label.rstrip('/')}/{entry.name}"
            if entry.is_file() and entry.suffix.lower() == ".pdf":
                self._add(shown, entry, entry.stem)
            elif entry.is_file() and entry.suffix.lower() == ".zip":
                self._zip(entry, shown)
            elif entry.is_dir() and _is_text_folder(entry):
                self._add(shown, entry, entry.name)
            else:
                continue
            found += 1
        if not found:
            self._row(label, "failed", "the folder holds no PDFs, ZIPs or text-plus-images folders")

    def _zip(self, archive: Path, label: str) -> None:
        try:
            if sniff(archive) is not FileKind.ZIP:
                raise Pdf2VideoError("is not a ZIP archive")
            target = self.staging / f"{safe_file_name(archive.stem)}-{sha256_file(archive)[:12]}"
            unpacked = unpack(archive, target, self.max_zip_bytes)
        except Pdf2VideoError as exc:
            self._row(label, "refused", exc.message)
            return
        for entry, reason in unpacked.refused:
            self._row(f"{label}:{entry}", "refused", reason)
        for entry in unpacked.ignored:
            self._row(f"{label}:{entry}", "ignored", "not a PDF or an image")
        for entry, path in unpacked.pdfs:
            self._add(f"{label}:{entry}", path, path.stem)
        self._text_folders(unpacked, target, archive, label)
        if not (unpacked.pdfs or unpacked.texts or unpacked.refused or unpacked.images):
            self._row(label, "failed", "the ZIP holds no PDFs or images")

    def _text_folders(self, unpacked: Unpacked, target: Path, archive: Path, label: str) -> None:
        """Each folder of the ZIP with one .md/.txt is a text-plus-images video; images
        without a text cannot be narrated, and are named in the report."""
        texts: dict[PurePosixPath, list[str]] = {}
        for entry, _ in unpacked.texts:
            texts.setdefault(PurePosixPath(entry).parent, []).append(entry)
        for folder, entries in sorted(texts.items()):
            shown = f"{label}:{folder}/" if str(folder) != "." else f"{label}:"
            if len(entries) > 1:
                reason = "more than one .md/.txt in one folder: give each its own folder"
                self._row(shown, "ignored", reason)
                continue
            stem = folder.name or archive.stem
            self._add(shown, target.joinpath(*folder.parts), stem)
        alone: dict[PurePosixPath, int] = {}
        for entry, _ in unpacked.images:
            if len(texts.get(PurePosixPath(entry).parent, [])) != 1:
                alone[PurePosixPath(entry).parent] = alone.get(PurePosixPath(entry).parent, 0) + 1
        for folder, count in sorted(alone.items()):
            where = f"{label}:{folder}/" if str(folder) != "." else f"{label}:"
            reason = (
                f"{count} image(s) with no .md/.txt beside them: images alone cannot be narrated"
            )
            self._row(where, "ignored", reason)


def _is_text_folder(folder: Path) -> bool:
    try:
        split_folder(folder)
    except Pdf2VideoError:
        return False
    return True


def expand(
    inputs: list[Path], staging: Path, max_zip_bytes: int
) -> tuple[list[Source], list[ItemResult]]:
    """The sources to render, and report rows for the inputs that cannot be."""
    return Expander(staging, max_zip_bytes).expand(inputs)
