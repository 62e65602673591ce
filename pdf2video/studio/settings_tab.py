"""The Settings tab: your own OpenAI key (masked, stored encrypted), your base URL, voice
and resolution defaults, and cleanup of old jobs."""

from __future__ import annotations

import ipywidgets as widgets

from pdf2video.core.errors import Pdf2VideoError
from pdf2video.core.presets import validated
from pdf2video.core.user_prefs import UserPrefs
from pdf2video.core.voices import list_voices
from pdf2video.studio.background import StatusLine
from pdf2video.studio.session import StudioSession

SIZES = ("720p", "1080p", "1440p", "2160p")


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
        prefs = session.backend.prefs()
        server = session.base_settings
        self.base_url = widgets.Text(
            value=prefs.openai_base_url or "",
            placeholder=server.openai_base_url or "https://api.openai.com/v1",
            description="Base URL",
            layout={"width": "520px"},
        )
        voices = [v.name for v in list_voices(server)]
        self.voice = widgets.Dropdown(
            options=[("(server default)", ""), *((v, v) for v in voices)],
            value=prefs.voice if prefs.voice in voices else "",
            description="Voice",
        )
        self.resolution = widgets.Dropdown(
            options=[
                ("(server default)", ""),
                *((r, r) for r in ("720p", "1080p", "1440p", "2160p")),
            ],
            value=prefs.resolution or "",
            description="Resolution",
        )
        self.save_defaults = widgets.Button(description="Save defaults")
        self.save_defaults.on_click(self._on_save_defaults)
        self.days = widgets.BoundedIntText(value=30, min=1, max=3650, description="Older than")
        self.clean = widgets.Button(description="Clean up old jobs")
        self.clean.on_click(self._on_clean)
        super().__init__(
            [
                self.key_state,
                widgets.HBox([self.api_key, self.save_key, self.forget_key]),
                self.base_url,
                widgets.HBox([self.voice, self.resolution, self.save_defaults]),
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

    def _on_save_defaults(self, _: object) -> None:
        try:
            prefs = validated(
                UserPrefs,
                {
                    "openai_base_url": self.base_url.value.strip() or None,
                    "voice": self.voice.value or None,
                    "resolution": self.resolution.value or None,
                },
            )
            self.session.save_prefs(prefs)
        except Pdf2VideoError as exc:
            self.status.error(exc.one_line())
            return
        self.status.ok("Defaults saved; they apply to your scripts, voices and renders")

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
