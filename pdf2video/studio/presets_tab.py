"""The Presets tab: the presets, one made from the Render step's current choices, a default."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from pdf2video.core.errors import Pdf2VideoError
from pdf2video.core.presets import RenderChoices
from pdf2video.studio.background import StatusLine
from pdf2video.studio.session import StudioSession


def _describe(choices: RenderChoices) -> str:
    return ", ".join(f"{k}={v}" for k, v in choices.model_dump(exclude_none=True).items())


class PresetsTab(widgets.VBox):
    title = "Presets"

    def __init__(self, session: StudioSession, current: Callable[[], RenderChoices]) -> None:
        self.session, self.current = session, current
        self.status = StatusLine()
        self.table = widgets.HTML()
        self.name = widgets.Text(placeholder="name", description="New preset")
        self.create = widgets.Button(description="Create from current settings")
        self.create.on_click(self._on_create)
        self.choice = widgets.Dropdown(description="Preset", options=[])
        self.make_default = widgets.Button(description="Set as default")
        self.make_default.on_click(self._on_default)
        self.delete = widgets.Button(description="Delete", button_style="danger")
        self.delete.on_click(self._on_delete)
        super().__init__(
            [
                self.table,
                widgets.HBox([self.name, self.create]),
                widgets.HBox([self.choice, self.make_default, self.delete]),
                self.status,
            ]
        )
        self.refresh()

    def _do(self, action: Callable[[], str]) -> None:
        try:
            self.status.ok(action())
        except Pdf2VideoError as exc:
            self.status.error(exc.one_line())
        self.refresh()

    def _on_create(self, _: object) -> None:
        def create() -> str:
            preset = self.session.backend.save_preset(self.name.value, self.current())
            return f"Saved {preset.name!r}"

        self._do(create)

    def _on_default(self, _: object) -> None:
        def make_default() -> str:
            preset = self.session.backend.set_default_preset(self.choice.value)
            return f"Default: {preset.name if preset else 'none'}"

        self._do(make_default)

    def _on_delete(self, _: object) -> None:
        self._do(lambda: f"Deleted {self.session.backend.delete_preset(self.choice.value).name!r}")

    def refresh(self) -> None:
        backend = self.session.backend
        presets = backend.presets()
        default = backend.default_preset()
        rows = "".join(
            f"<tr><td>{p.name}{' (default)' if default and default.id == p.id else ''}</td>"
            f"<td>{'built in' if p.built_in else 'yours'}</td>"
            f"<td>{_describe(p.settings)}</td></tr>"
            for p in presets
        )
        self.table.value = f"<table class='p2v-presets'>{rows}</table>"
        self.choice.options = [(p.name, p.id) for p in presets]
