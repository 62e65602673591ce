"""The Settings tab: your own OpenAI key (masked, stored encrypted), defaults, cleanup."""

from __future__ import annotations

import ipywidgets as widgets

from pdf2video.core.errors import Pdf2VideoError
from pdf2video.studio.background import StatusLine
from pdf2video.studio.session import StudioSession


class SettingsTab(widgets.VBox):
    title = "Settings"

    def __init__(self, session: StudioSession) -> None:
        self.session = session
        self.status = StatusLine()
        self.key_state = widgets.HTML()
        self.api_key = widgets.Password(description="OpenAI key", placeholder="sk-...")
        self.save_key = widgets.Button(description="Save key")
        self.save_key.on_click(self._on_save_key)
        self.forget_key = widgets.Button(description="Forget key")
        self.forget_key.on_click(self._on_forget_key)
        settings = session.settings
        self.base_url = widgets.HTML(
            f"Base URL: <code>{settings.openai_base_url or 'https://api.openai.com/v1'}</code>"
            " (OPENAI_BASE_URL)"
        )
        self.defaults = widgets.HTML(
            f"Default voice <code>{settings.voice}</code>, size "
            f"<code>{settings.video_width}x{settings.video_height}</code> at "
            f"<code>{settings.video_fps}</code> fps (VOICE, VIDEO_WIDTH, VIDEO_HEIGHT, VIDEO_FPS)"
        )
        self.days = widgets.BoundedIntText(value=30, min=1, max=3650, description="Older than")
        self.clean = widgets.Button(description="Clean up old jobs")
        self.clean.on_click(self._on_clean)
        super().__init__(
            [
                self.key_state,
                widgets.HBox([self.api_key, self.save_key, self.forget_key]),
                self.base_url,
                self.defaults,
                widgets.HBox([self.days, widgets.HTML("days"), self.clean]),
                self.status,
            ]
        )
        self.refresh()

    def _on_save_key(self, _: object) -> None:
        key = self.api_key.value.strip()
        if not key:
            self.status.error("type the key first")
            return
        self.session.backend.set_api_key(key)
        self.api_key.value = ""  # never kept in the widget
        self.status.ok("Key saved, encrypted; your jobs use it instead of the server's")
        self.refresh()

    def _on_forget_key(self, _: object) -> None:
        self.session.backend.set_api_key(None)
        self.status.ok("Key forgotten")
        self.refresh()

    def _on_clean(self, _: object) -> None:
        try:
            count = self.session.backend.cleanup(older_than_days=float(self.days.value))
        except Pdf2VideoError as exc:
            self.status.error(exc.one_line())
            return
        self.status.ok(f"Removed {count} finished job{'s' if count != 1 else ''} and their files")

    def refresh(self) -> None:
        has = self.session.backend.has_api_key()
        self.key_state.value = (
            "Your own OpenAI key: <b>saved</b> (encrypted, never shown)"
            if has
            else "Your own OpenAI key: none (the server's key, if any, is used)"
        )
