"""The studio: a stepper (Source → Pages & images → Script → Voice → Preview → Render)
beside the Dashboard, Library, Presets and Settings tabs.

``Studio()`` in a notebook cell is the whole front door; ``Studio("report.pdf")`` opens
a document straight away. Each step shows what the last one produced; Back and Next
move between them, and every step refreshes when it is shown.
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as widgets

from pdf2video.core.backend import Backend
from pdf2video.core.config import Settings, load_settings
from pdf2video.core.errors import Pdf2VideoError
from pdf2video.studio.background import StatusLine, Tasks
from pdf2video.studio.dashboard_tab import DashboardTab
from pdf2video.studio.library_tab import LibraryTab
from pdf2video.studio.pages_step import PagesStep
from pdf2video.studio.presets_tab import PresetsTab
from pdf2video.studio.preview_step import PreviewStep
from pdf2video.studio.render_step import RenderStep
from pdf2video.studio.script_step import ScriptStep
from pdf2video.studio.session import StudioSession
from pdf2video.studio.settings_tab import SettingsTab
from pdf2video.studio.source_step import SourceStep
from pdf2video.studio.voice_step import VoiceStep

STEP_TITLES = ["Source", "Pages & images", "Script", "Voice", "Preview", "Render"]


class Studio(widgets.VBox):
    """The whole studio as one widget."""

    def __init__(
        self,
        source: str | Path | None = None,
        *,
        settings: Settings | None = None,
        backend: Backend | None = None,
    ) -> None:
        settings = settings or load_settings()
        self.session = StudioSession(settings, backend)
        self.tasks = Tasks()
        self.source = SourceStep(self.session, self.tasks)
        self.pages = PagesStep(self.session, self.tasks)
        self.script = ScriptStep(self.session, self.tasks)
        self.voice = VoiceStep(self.session, self.tasks)
        self.preview = PreviewStep(self.session, self.tasks)
        self.render = RenderStep(self.session, self.tasks, edit=lambda: self.go(2))
        self.steps: list[widgets.VBox] = [
            self.source,
            self.pages,
            self.script,
            self.voice,
            self.preview,
            self.render,
        ]
        self.step = 0
        self.back = widgets.Button(description="Back", icon="arrow-left")
        self.next = widgets.Button(description="Next", icon="arrow-right")
        self.back.on_click(lambda _: self.go(self.step - 1))
        self.next.on_click(lambda _: self.go(self.step + 1))
        self.crumbs = widgets.ToggleButtons(options=STEP_TITLES, value=STEP_TITLES[0])
        self.crumbs.observe(lambda c: self.go(STEP_TITLES.index(c["new"])), names="value")
        self.body = widgets.Box([self.source])
        stepper = widgets.VBox([self.crumbs, self.body, widgets.HBox([self.back, self.next])])

        self.dashboard = DashboardTab(self.session)
        self.library = LibraryTab(self.session)
        self.presets = PresetsTab(self.session, self.render.choices)
        self.settings_tab = SettingsTab(self.session)
        self.tabs = widgets.Tab(
            children=[stepper, self.dashboard, self.library, self.presets, self.settings_tab]
        )
        for index, name in enumerate(["Studio", "Dashboard", "Library", "Presets", "Settings"]):
            self.tabs.set_title(index, name)
        self.tabs.observe(self._on_tab, names="selected_index")
        self.status = StatusLine()
        super().__init__(
            [widgets.HTML("<h2 class='p2v-studio'>pdf2video studio</h2>"), self.tabs, self.status]
        )
        self.add_class("p2v-studio-root")
        self.session.listeners.append(self._on_change)
        self._update_buttons()
        if source is not None:
            self.open_document(Path(source))
        else:
            self.resume()

    def resume(self) -> None:
        """Open the studio project worked on last (re-opening the notebook brings it back),
        and follow its render if one is still running."""
        root = self.session.projects_root
        if not root.is_dir():
            return
        found = [p for p in root.glob("studio-*") if (p / "project.json").is_file()]
        if not found:
            return
        latest = max(found, key=lambda p: (p / "project.json").stat().st_mtime)
        try:
            self.session.open_project(latest)
        except Pdf2VideoError as exc:
            self.status.error(exc.one_line())
            return
        self.source.status.info(f"Back to {latest.name.removeprefix('studio-')}")
        self.source.refresh()
        self.render.reattach()

    def open_document(self, path: Path) -> None:
        """Read a document in the background and show it (the ``Studio("x.pdf")`` way in)."""
        self.source.status.info(f"Reading {path.name} ...")

        def work() -> None:
            self.session.open_file(path, progress=self.source.status.progress)
            self.source.status.ok(f"Read {path.name}")

        self.tasks.run(self.source.status, work)

    def go(self, index: int) -> None:
        index = max(0, min(index, len(self.steps) - 1))
        self.step = index
        step = self.steps[index]
        step.refresh()  # type: ignore[attr-defined]
        self.body.children = [step]
        if self.crumbs.value != STEP_TITLES[index]:
            self.crumbs.value = STEP_TITLES[index]
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.back.disabled = self.step == 0
        self.next.disabled = self.step == len(self.steps) - 1

    def _on_change(self) -> None:
        """The session changed (from any thread): the visible step shows the new state."""
        step = self.steps[self.step]
        if step is self.script:
            return  # the script step updates itself; a refresh would reset its fields
        try:
            step.refresh()  # type: ignore[attr-defined]
        except Exception as exc:  # a refresh must never break the work that changed things
            self.status.error(f"could not show the change: {exc}")

    def _on_tab(self, change: dict[str, object]) -> None:
        tab = self.tabs.children[int(change["new"] or 0)]  # type: ignore[call-overload]
        refresh = getattr(tab, "refresh", None)
        if refresh is not None:
            refresh()

    def wait(self, timeout: float = 300.0) -> None:
        """Wait for background work (reading, writing, voicing, previews, following a job)."""
        self.tasks.wait(timeout)
