"""Step 3, Script: generate it, then edit every scene in place.

The scene strip (drag to reorder, click to select) sits above the selected scene's
fields: title, narration, bullets (one per line), layout and picture. Each field is
saved to the project when it loses focus; an edit the script refuses (an empty
narration) is shown in place and nothing changes. Split, merge, insert, delete,
regenerate one scene, and undo the last edit. Word counts and estimated seconds per
scene and in total.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from pdf2video.core.errors import Pdf2VideoError
from pdf2video.core.models import Layout, VisualKind
from pdf2video.studio.background import StatusLine, Tasks, message_html
from pdf2video.studio.scene_strip import SceneStrip
from pdf2video.studio.session import StudioSession

WORDS_PER_SECOND = 2.5


class ScriptStep(widgets.VBox):
    title = "Script"

    def __init__(self, session: StudioSession, tasks: Tasks) -> None:
        self.session, self.tasks = session, tasks
        self.status = StatusLine()
        self._loading = False  # True while fields are filled from the script

        self.provider = widgets.Dropdown(
            options=[("Offline (extractive)", "offline"), ("OpenAI-compatible", "openai")],
            description="Writer",
        )
        self.minutes = widgets.BoundedFloatText(
            value=0, min=0, max=120, step=0.5, description="Minutes", tooltip="0: from the text"
        )
        self.generate = widgets.Button(description="Generate script", button_style="primary")
        self.generate.on_click(self._on_generate)

        self.strip = SceneStrip()
        self.strip.observe(self._on_order, names="order")
        self.strip.observe(lambda _: self.show_scene(), names="selected")
        self.totals = widgets.HTML()

        self.scene_title = widgets.Text(description="Title", continuous_update=False)
        self.narration = widgets.Textarea(
            description="Narration",
            continuous_update=False,
            layout={"width": "100%", "height": "140px"},
        )
        self.bullets = widgets.Textarea(
            description="Bullets", continuous_update=False, layout={"width": "100%"}
        )
        self.layout_choice = widgets.Dropdown(
            options=[layout.value for layout in Layout], description="Layout"
        )
        self.visual = widgets.Dropdown(options=[("(backdrop only)", "")], description="Picture")
        self.counts = widgets.HTML()
        for field, name in (
            (self.scene_title, "title"),
            (self.narration, "narration"),
            (self.bullets, "bullets"),
            (self.layout_choice, "layout"),
            (self.visual, "visual"),
        ):
            field.observe(lambda change, n=name: self._on_field(n, change["new"]), names="value")

        def action(label: str, do: Callable[[int], object], style: str = "") -> widgets.Button:
            button = widgets.Button(description=label, button_style=style)
            button.on_click(lambda _: self._act(do))
            return button

        self.split = action("Split", session.split_scene)
        self.merge = action("Merge with next", session.merge_with_next)
        self.insert = action(
            "Insert after",
            lambda i: session.insert_scene(i + 1, "New scene", "Say something about it here."),
        )
        self.delete = action("Delete", session.delete_scene, "danger")
        self.regenerate = widgets.Button(description="Regenerate scene")
        self.regenerate.on_click(self._on_regenerate)
        self.undo = widgets.Button(description="Undo")
        self.undo.on_click(lambda _: self._act(lambda _i: session.undo()))

        super().__init__(
            [
                widgets.HTML("<h3>Script</h3>"),
                widgets.HBox([self.provider, self.minutes, self.generate]),
                self.status,
                self.strip,
                self.totals,
                widgets.HBox(
                    [self.split, self.merge, self.insert, self.delete, self.regenerate, self.undo]
                ),
                self.scene_title,
                self.narration,
                self.counts,
                self.bullets,
                widgets.HBox([self.layout_choice, self.visual]),
            ]
        )
        self.refresh()

    @property
    def index(self) -> int:
        return self.strip.selected

    # -- intents -------------------------------------------------------------------
    def _on_generate(self, _: object) -> None:
        minutes = self.minutes.value or None
        provider = self.provider.value
        self.status.info("Writing the script ...")

        def work() -> None:
            self.session.generate_script(
                provider=provider, minutes=minutes, progress=self.status.progress
            )
            self.status.ok(f"{len(self.session.script.scenes)} scenes written")
            self.strip.selected = 0
            self.refresh()

        self.tasks.run(self.status, work, busy=[self.generate])

    def _on_regenerate(self, _: object) -> None:
        index = self.index
        self.status.info(f"Writing scene {index + 1} again ...")

        def work() -> None:
            self.session.regenerate_scene(index)
            self.status.ok(f"Scene {index + 1} written again (Undo brings the old one back)")
            self.refresh()

        self.tasks.run(self.status, work, busy=[self.regenerate])

    def _act(self, do: Callable[[int], object]) -> None:
        try:
            do(self.index)
        except Pdf2VideoError as exc:
            self.status.error(exc.one_line())
            return
        self.strip.selected = min(self.index, len(self.session.script.scenes) - 1)
        self.status.ok("Saved")
        self.refresh()

    def _on_order(self, change: dict[str, Any]) -> None:
        ids = list(change["new"])
        if self._loading or not ids or ids == [s.id for s in self.session.script.scenes]:
            return
        self._act(lambda _i: self.session.reorder(ids))

    def _on_field(self, name: str, value: Any) -> None:
        if self._loading:
            return
        try:
            if name == "bullets":
                lines = [line.strip() for line in str(value).splitlines() if line.strip()]
                self.session.edit_scene(self.index, bullets=lines)
            elif name == "layout":
                self.session.edit_scene(self.index, layout=Layout(value))
            elif name == "visual":
                self.session.edit_scene(self.index, visual_asset=str(value))
            else:
                self.session.edit_scene(self.index, **{name: str(value)})
        except Pdf2VideoError as exc:
            self.status.error(exc.one_line())
            self.show_scene()  # back to what is saved
            return
        self.status.ok(f"Scene {self.index + 1} saved")
        self._update_strip()
        self._count(self.session.script.scenes[self.index].narration)

    # -- state ---------------------------------------------------------------------
    def _update_strip(self) -> None:
        script = self.session.project.script if self.session.project else None
        scenes = script.scenes if script else []
        self._loading = True
        self.strip.scenes = [
            {
                "id": s.id,
                "title": s.title,
                "seconds": s.audio.duration
                if s.audio and not s.changed
                else len(s.narration.split()) / WORDS_PER_SECOND,
                "changed": s.changed,
                "layout": s.layout.value,
            }
            for s in scenes
        ]
        self.strip.order = [s.id for s in scenes]
        self._loading = False
        words = sum(len(s.narration.split()) for s in scenes)
        seconds = sum(c["seconds"] for c in self.strip.scenes)
        self.totals.value = message_html(
            f"{len(scenes)} scenes · {words} words · about {seconds / 60:.1f} min"
        )

    def show_scene(self) -> None:
        script = self.session.project.script if self.session.project else None
        if not script or not script.scenes:
            return
        index = max(0, min(self.index, len(script.scenes) - 1))
        scene = script.scenes[index]
        document = self.session.project.document if self.session.project else None
        self._loading = True
        self.scene_title.value = scene.title
        self.narration.value = scene.narration
        self.bullets.value = "\n".join(scene.bullets)
        self.layout_choice.value = scene.layout.value
        choices = [("(backdrop only)", "")]
        if document is not None:
            choices += [
                (f"{a.image_class.value if a.image_class else 'image'} · page {a.page}", a.id)
                for a in document.assets
                if not a.excluded
            ]
        self.visual.options = choices
        current = scene.visual.asset_id if scene.visual.kind is VisualKind.ASSET else ""
        self.visual.value = current if current in {v for _, v in choices} else ""
        self._loading = False
        self._count(scene.narration)

    def _count(self, narration: str) -> None:
        words = len(narration.split())
        self.counts.value = message_html(f"{words} words · about {words / WORDS_PER_SECOND:.0f} s")

    def refresh(self) -> None:
        self._update_strip()
        self.show_scene()
