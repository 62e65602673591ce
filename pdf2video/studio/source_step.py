"""Step 1, Source: a PDF (upload, drop or a past upload), or text plus images.

Every upload goes through the uploads store first (size limit, type by content, a file
that really opens), so a mistyped or oversized file is refused here with its message.
An encrypted PDF asks for its password. Once read, the step shows the first page, the
page count, title, author and the reader's warnings.
"""

from __future__ import annotations

import io
from typing import Any

import ipywidgets as widgets

from pdf2video.core.errors import EncryptedPDF, Pdf2VideoError
from pdf2video.core.file_types import FileKind, describe, sniff_bytes
from pdf2video.core.uploads import Upload
from pdf2video.studio.background import StatusLine, Tasks, message_html
from pdf2video.studio.drop_zone import DropZone
from pdf2video.studio.session import StudioSession


def _file_items(value: Any) -> list[tuple[str, bytes]]:
    """(name, bytes) of a FileUpload's files."""
    return [(str(f["name"]), bytes(f["content"])) for f in value or ()]


class SourceStep(widgets.VBox):
    title = "Source"

    def __init__(self, session: StudioSession, tasks: Tasks) -> None:
        self.session, self.tasks = session, tasks
        self.status = StatusLine()
        self.pending: Upload | None = None  # a PDF waiting for its password

        self.pdf_upload = widgets.FileUpload(accept=".pdf", multiple=False, description="PDF")
        self.pdf_upload.observe(self._on_pdf, names="value")
        limit = session.settings.max_upload_size_mb * 1024 * 1024
        self.drop = DropZone(self._on_drop, accept=".pdf", max_bytes=limit)
        self.password = widgets.Password(description="Password", layout={"display": "none"})
        self.unlock = widgets.Button(description="Open", layout={"display": "none"})
        self.unlock.on_click(lambda _: self._open(self.pending, self.password.value))

        self.past = widgets.Dropdown(description="Uploaded", options=[])
        self.open_past = widgets.Button(description="Open upload")
        self.open_past.on_click(self._on_past)

        self.text_title = widgets.Text(description="Title", placeholder="The video's title")
        self.text_body = widgets.Textarea(
            description="Text",
            placeholder="# Heading\n\nParagraphs; ## for sections",
            layout={"width": "100%", "height": "180px"},
        )
        self.images = widgets.FileUpload(
            accept=".png,.jpg,.jpeg,.webp", multiple=True, description="Images"
        )
        self.images.observe(self._on_images, names="value")
        self.image_order = widgets.Select(options=[], rows=4, description="Order")
        self.image_up = widgets.Button(description="Up", layout={"width": "60px"})
        self.image_down = widgets.Button(description="Down", layout={"width": "60px"})
        self.image_up.on_click(lambda _: self._move_image(-1))
        self.image_down.on_click(lambda _: self._move_image(1))
        self.use_text = widgets.Button(description="Use this text", button_style="primary")
        self.use_text.on_click(self._on_text)
        self.image_files: list[tuple[str, bytes]] = []

        self.first_page = widgets.Image(format="png", layout={"max_width": "220px"})
        self.summary = widgets.HTML()

        pdf_box = widgets.VBox(
            [self.drop, self.pdf_upload, widgets.HBox([self.password, self.unlock])]
        )
        text_box = widgets.VBox(
            [
                self.text_title,
                self.text_body,
                self.images,
                widgets.HBox([self.image_order, widgets.VBox([self.image_up, self.image_down])]),
                self.use_text,
            ]
        )
        past_box = widgets.HBox([self.past, self.open_past])
        self.kinds = widgets.Tab(children=[pdf_box, text_box, past_box])
        for index, name in enumerate(["PDF", "Text and images", "Past upload"]):
            self.kinds.set_title(index, name)
        super().__init__(
            [
                widgets.HTML("<h3>Source</h3>"),
                self.kinds,
                self.status,
                widgets.HBox([self.first_page, self.summary]),
            ]
        )
        self.refresh()

    # -- intents -------------------------------------------------------------------
    def _on_pdf(self, change: dict[str, Any]) -> None:
        files = _file_items(change["new"])
        if files:
            self.take_pdf(*files[0])

    def _on_drop(self, files: list[tuple[str, bytes]]) -> None:
        if files:
            self.take_pdf(*files[0])

    def take_pdf(self, name: str, data: bytes) -> None:
        """Keep the file as an upload (checked), then read it in the background."""
        kind = sniff_bytes(data[:1024]) if data else None
        if kind is not FileKind.PDF:
            what = describe(kind) if kind is not None else "empty"
            self.status.error(f"{name} is {what}, not a PDF; nothing was kept")
            return
        try:
            upload = self.session.backend.upload(io.BytesIO(data), name)
        except Pdf2VideoError as exc:  # shown in place; nothing else changes
            self.status.error(exc.one_line())
            return
        self._open(upload, None)

    def _open(self, upload: Upload | None, password: str | None) -> None:
        if upload is None:
            return
        self.status.info(f"Reading {upload.original_name} ...")

        def work() -> None:
            try:
                self.session.open_upload(
                    upload, password=password or None, progress=self.status.progress
                )
            except EncryptedPDF as exc:
                self.pending = upload
                self.password.layout.display = ""
                self.unlock.layout.display = ""
                self.status.error(f"{exc.message} — type its password and press Open")
                return
            self.pending = None
            self.password.layout.display = "none"
            self.unlock.layout.display = "none"
            self.status.ok(f"Read {upload.original_name}")

        self.tasks.run(self.status, work, busy=[self.unlock, self.open_past])

    def _on_past(self, _: object) -> None:
        upload_id = self.past.value
        if upload_id:
            upload = next(u for u in self.session.backend.uploads("pdf") if u.id == upload_id)
            self._open(upload, None)

    def _on_images(self, change: dict[str, Any]) -> None:
        self.image_files += _file_items(change["new"])
        self._show_images()

    def _show_images(self) -> None:
        self.image_order.options = [name for name, _ in self.image_files]

    def _move_image(self, step: int) -> None:
        index = self.image_order.index
        if index is None:
            return
        target = index + step
        if 0 <= target < len(self.image_files):
            files = self.image_files
            files[index], files[target] = files[target], files[index]
            self._show_images()
            self.image_order.index = target

    def _on_text(self, _: object) -> None:
        title, body, images = self.text_title.value, self.text_body.value, list(self.image_files)
        self.status.info("Reading the text ...")

        def work() -> None:
            self.session.open_text(title, body, images, progress=self.status.progress)
            self.status.ok("Text and images read")

        self.tasks.run(self.status, work, busy=[self.use_text])

    # -- state ---------------------------------------------------------------------
    def refresh(self) -> None:
        self.past.options = [
            (f"{u.original_name} ({u.size_bytes // 1024} KB)", u.id)
            for u in self.session.backend.uploads("pdf")
        ]
        project, folder = self.session.project, self.session.folder
        if project is None or project.document is None or folder is None:
            self.summary.value = message_html("No document yet.")
            return
        document = project.document
        if document.pages and document.pages[0].thumbnail:
            thumb = folder.resolve(document.pages[0].thumbnail)
            if thumb.is_file():
                self.first_page.format = thumb.suffix.lstrip(".").replace("jpg", "jpeg")
                self.first_page.value = thumb.read_bytes()
        warnings = "".join(f"<li>{w}</li>" for w in document.warnings)
        self.summary.value = (
            f"<b class='p2v-doc-title'>{document.title}</b><br>"
            f"{document.author or 'no author'} · {document.page_count} pages · "
            f"{len(document.assets)} images"
            + (f"<ul class='p2v-warnings'>{warnings}</ul>" if warnings else "")
        )
