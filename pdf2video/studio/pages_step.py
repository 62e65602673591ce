"""Step 2, Pages & images: the page strip, and each image with its class to override.

Each image card shows the picture, its class badge with the confidence, and who decided
(offline, the vision model, or the user); a dropdown overrides the class and a checkbox
leaves the image out of the video. Changes are saved to the project at once.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from pdf2video.core.models import Asset, ImageClass
from pdf2video.studio.background import StatusLine, Tasks
from pdf2video.studio.session import StudioSession

AUTO = "(classifier)"
MAX_PAGES_SHOWN = 40


def _image(path: Any, width: str) -> widgets.Image:
    data = path.read_bytes() if path is not None and path.is_file() else b""
    fmt = path.suffix.lstrip(".").replace("jpg", "jpeg") if path is not None else "png"
    return widgets.Image(value=data, format=fmt or "png", layout={"width": width})


class PagesStep(widgets.VBox):
    title = "Pages & images"

    def __init__(self, session: StudioSession, tasks: Tasks) -> None:
        self.session, self.tasks = session, tasks
        self.status = StatusLine()
        self.pages = widgets.HBox(layout={"overflow": "auto"})
        self.grid = widgets.GridBox(
            layout={"grid_template_columns": "repeat(auto-fill, 210px)", "grid_gap": "8px"}
        )
        self.cards: dict[str, tuple[widgets.Dropdown, widgets.Checkbox, widgets.HTML]] = {}
        self._shown: tuple[str, str, int] | None = None
        super().__init__(
            [
                widgets.HTML("<h3>Pages &amp; images</h3>"),
                self.pages,
                widgets.HTML("<b>Images</b> (override a class or leave an image out)"),
                self.grid,
                self.status,
            ]
        )
        self.refresh()

    def _badge(self, asset: Asset) -> str:
        name = asset.image_class.value if asset.image_class else "unclassified"
        return (
            f"<span class='p2v-badge'><b>{name}</b> {asset.confidence:.0%}"
            f" · {asset.decision_source or '?'}</span>"
        )

    def set_class(self, asset_id: str, value: str) -> None:
        image_class = None if value == AUTO else ImageClass(value)
        project = self.session.set_image(asset_id, image_class=image_class)
        assert project.document is not None
        self.cards[asset_id][2].value = self._badge(project.document.asset(asset_id))

    def set_excluded(self, asset_id: str, excluded: bool) -> None:
        asset = self.session.require()[1].document.asset(asset_id)  # type: ignore[union-attr]
        self.session.set_image(asset_id, image_class=asset.override, excluded=excluded)

    def refresh(self) -> None:
        project, folder = self.session.project, self.session.folder
        if project is None or project.document is None or folder is None:
            self.pages.children, self.grid.children = (), ()
            self._shown = None
            return
        document = project.document
        key = (str(folder.root), document.source_sha256, len(document.assets))
        if key == self._shown:  # the same document: only the badges may have changed
            for asset in document.assets:
                if asset.id in self.cards:
                    self.cards[asset.id][2].value = self._badge(asset)
            return
        self._shown = key
        self.pages.children = [
            widgets.VBox(
                [
                    _image(folder.resolve(p.thumbnail) if p.thumbnail else None, "90px"),
                    widgets.HTML(f"<small>page {p.number}</small>"),
                ]
            )
            for p in document.pages[:MAX_PAGES_SHOWN]
        ]
        cards = []
        self.cards = {}
        options = [AUTO, *(c.value for c in ImageClass)]
        for asset in document.assets:
            choice = widgets.Dropdown(
                options=options,
                value=asset.override.value if asset.override else AUTO,
                layout={"width": "190px"},
            )
            leave_out = widgets.Checkbox(
                value=asset.excluded, description="leave out", indent=False
            )
            badge = widgets.HTML(self._badge(asset))
            choice.observe(
                lambda change, a=asset.id: self.set_class(a, change["new"]), names="value"
            )
            leave_out.observe(
                lambda change, a=asset.id: self.set_excluded(a, change["new"]), names="value"
            )
            self.cards[asset.id] = (choice, leave_out, badge)
            cards.append(
                widgets.VBox(
                    [
                        _image(folder.resolve(asset.path), "200px"),
                        badge,
                        choice,
                        leave_out,
                        widgets.HTML(f"<small>page {asset.page or '-'}</small>"),
                    ],
                    layout={"border": "1px solid #ddd", "padding": "4px"},
                )
            )
        self.grid.children = cards
