"""Step 5, Preview: one scene at draft quality in a player, a still at any time, a timeline.

**Preview scene** voices the scene if it needs it, renders it at draft quality (480p,
15 fps) and plays it. The time slider shows the still frame at ``t``. The timeline draws
every scene as a block as long as its narration, the narration's waveform over it, and
scenes changed since voicing in amber.
"""

from __future__ import annotations

import io

import ipywidgets as widgets
import numpy as np

from pdf2video.core.audio import read_wav
from pdf2video.studio.background import StatusLine, Tasks
from pdf2video.studio.session import StudioSession
from pdf2video.studio.video_player import VideoPlayer


def timeline_png(session: StudioSession) -> bytes:
    """The scenes as blocks sized by duration, with the narration's waveform."""
    import matplotlib  # noqa: PLC0415 (the studio's only plot; Agg, no display)

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    project, folder = session.project, session.folder
    scenes = project.script.scenes if project and project.script else []
    figure, axes = plt.subplots(figsize=(9, 1.6), dpi=90)
    start = 0.0
    for number, scene in enumerate(scenes, start=1):
        length = scene.audio.duration if scene.audio else len(scene.narration.split()) / 2.5
        colour = "#ffe08a" if (scene.changed or scene.audio is None) else "#cfe3ff"
        axes.add_patch(plt.Rectangle((start, -1), length, 2, color=colour, ec="#888", lw=0.5))
        axes.text(start + 0.2, 0.75, str(number), fontsize=7, va="top")
        if scene.audio is not None and folder is not None:
            path = folder.resolve(scene.audio.path)
            if path.is_file():
                samples, rate = read_wav(path)
                step = max(1, rate // 50)
                envelope = np.abs(samples[: len(samples) // step * step]).reshape(-1, step).max(1)
                times = start + np.arange(len(envelope)) / 50
                axes.fill_between(times, -envelope * 0.8, envelope * 0.8, color="#3b5b8c", lw=0)
        start += length
    axes.set_xlim(0, max(start, 1))
    axes.set_ylim(-1, 1)
    axes.set_yticks([])
    axes.set_xlabel("seconds", fontsize=8)
    axes.tick_params(labelsize=7)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    return buffer.getvalue()


class PreviewStep(widgets.VBox):
    title = "Preview"

    def __init__(self, session: StudioSession, tasks: Tasks) -> None:
        self.session, self.tasks = session, tasks
        self.status = StatusLine()
        self.scene = widgets.Dropdown(description="Scene", options=[])
        self.preview = widgets.Button(description="Preview scene", button_style="primary")
        self.preview.on_click(self._on_preview)
        self.player = VideoPlayer()
        self.at = widgets.FloatSlider(
            value=0.0, min=0.0, max=10.0, step=0.1, description="t (s)", continuous_update=False
        )
        self.at.observe(lambda _: self._on_still(), names="value")
        self.still = widgets.Image(format="jpeg", layout={"max_width": "420px"})
        self.timeline = widgets.Image(format="png", layout={"width": "100%"})
        self._drawn: tuple[tuple[str, bool, str], ...] | None = None
        super().__init__(
            [
                widgets.HTML("<h3>Preview</h3>"),
                widgets.HBox([self.scene, self.preview]),
                self.status,
                self.player,
                self.at,
                self.still,
                widgets.HTML("<b>Timeline</b> (amber: changed since voicing)"),
                self.timeline,
            ]
        )
        self.refresh()

    def _on_preview(self, _: object) -> None:
        index = self.scene.value
        if index is None:
            self.status.error("generate the script first (step Script)")
            return
        self.status.info(f"Rendering scene {index + 1} at draft quality ...")

        def work() -> None:
            path = self.session.preview(index)
            self.player.show_file(path)  # first: the person is waiting for this
            self.status.ok(f"Scene {index + 1}: {path.name}")
            self._update_slider()
            self._draw_timeline()

        self.tasks.run(self.status, work, busy=[self.preview])

    def _update_slider(self) -> None:
        project = self.session.project
        index = self.scene.value
        if project and project.script and index is not None:
            scene = project.script.scenes[index]
            length = scene.audio.duration if scene.audio else 10.0
            self.at.max = max(0.1, round(length, 1))

    def _on_still(self) -> None:
        index, t = self.scene.value, self.at.value
        if index is None or self.session.project is None:
            return

        def work() -> None:
            self.still.value = self.session.still(index, t).read_bytes()

        self.tasks.run(self.status, work)

    def refresh(self) -> None:
        project = self.session.project
        scenes = project.script.scenes if project and project.script else []
        previous = self.scene.value
        self.scene.options = [(f"{i + 1}. {s.title}", i) for i, s in enumerate(scenes)]
        if scenes:
            self.scene.value = previous if previous is not None and previous < len(scenes) else 0
            self._update_slider()
            self._draw_timeline()

    def _draw_timeline(self) -> None:
        """Drawn in the background, and only when the scenes or their audio changed:
        showing the step (or a preview) must not wait for matplotlib."""
        project = self.session.project
        scenes = project.script.scenes if project and project.script else []
        key = tuple((s.id, s.changed, s.audio.key if s.audio else "") for s in scenes)
        if key == self._drawn:
            return
        self._drawn = key

        def work() -> None:
            self.timeline.value = timeline_png(self.session)

        self.tasks.run(self.status, work)
