"""Step 4, Voice: pick a voice (hear its sample), a speed, and voice the scenes.

**Voice all** voices every scene whose narration changed since it was last voiced;
**Voice scene** only the chosen one. Each voiced scene can be played; scenes whose
narration changed since voicing are marked.
"""

from __future__ import annotations

import ipywidgets as widgets

from pdf2video.core.voices import list_voices, voice_sample
from pdf2video.studio.background import StatusLine, Tasks
from pdf2video.studio.session import StudioSession


class VoiceStep(widgets.VBox):
    title = "Voice"

    def __init__(self, session: StudioSession, tasks: Tasks) -> None:
        self.session, self.tasks = session, tasks
        self.status = StatusLine()
        voices = list_voices(session.settings)
        self.voice = widgets.Dropdown(
            options=[(f"{v.name} ({v.language}, {v.provider})", v.name) for v in voices],
            value=session.settings.voice
            if session.settings.voice in {v.name for v in voices}
            else (voices[0].name if voices else None),
            description="Voice",
        )
        self.play_sample = widgets.Button(description="Play sample", icon="play")
        self.play_sample.on_click(self._on_sample)
        self.sample = widgets.Audio(autoplay=True, layout={"display": "none"})
        self.speed = widgets.FloatSlider(
            value=session.settings.voice_speed, min=0.5, max=2.0, step=0.05, description="Speed"
        )
        self.voice_all = widgets.Button(description="Voice all", button_style="primary")
        self.voice_all.on_click(lambda _: self._voice(None))
        self.scene = widgets.Dropdown(description="Scene", options=[])
        self.scene.observe(lambda _: self._show_audio(), names="value")
        self.voice_one = widgets.Button(description="Voice scene")
        self.voice_one.on_click(lambda _: self._voice(self.scene.value))
        self.player = widgets.Audio(autoplay=False)
        self.scene_state = widgets.HTML()
        super().__init__(
            [
                widgets.HTML("<h3>Voice</h3>"),
                widgets.HBox([self.voice, self.play_sample]),
                self.sample,
                self.speed,
                widgets.HBox([self.voice_all]),
                self.status,
                widgets.HBox([self.scene, self.voice_one]),
                self.scene_state,
                self.player,
            ]
        )
        self.refresh()

    def _on_sample(self, _: object) -> None:
        name, speed = self.voice.value, self.speed.value
        self.status.info(f"Sample of {name} ...")

        def work() -> None:
            path = voice_sample(name, self.session.settings, speed)  # cached after the first
            self.sample.value = path.read_bytes()
            self.sample.layout.display = ""
            self.status.ok(f"Sample of {name}")

        self.tasks.run(self.status, work, busy=[self.play_sample])

    def _voice(self, index: int | None) -> None:
        voice, speed = self.voice.value, self.speed.value
        self.status.info("Voicing ...")

        def work() -> None:
            voiced = self.session.voice(
                voice=voice, speed=speed, index=index, progress=self.status.progress
            )
            self.status.ok(f"{len(voiced)} scene{'s' if len(voiced) != 1 else ''} voiced")
            self.refresh()

        self.tasks.run(self.status, work, busy=[self.voice_all, self.voice_one])

    def _show_audio(self) -> None:
        project, folder = self.session.project, self.session.folder
        index = self.scene.value
        if project is None or project.script is None or folder is None or index is None:
            return
        scene = project.script.scenes[index]
        if scene.audio is not None and folder.resolve(scene.audio.path).is_file():
            self.player.value = folder.resolve(scene.audio.path).read_bytes()
            stale = " — <b>narration changed since</b>" if scene.changed else ""
            self.scene_state.value = f"voiced: {scene.audio.duration:.1f} s{stale}"
        else:
            self.player.value = b""
            self.scene_state.value = "not voiced yet"

    def refresh(self) -> None:
        project = self.session.project
        scenes = project.script.scenes if project and project.script else []
        previous = self.scene.value
        self.scene.options = [
            (f"{i + 1}. {s.title}" + (" (changed)" if s.changed or not s.audio else ""), i)
            for i, s in enumerate(scenes)
        ]
        if scenes:
            self.scene.value = previous if previous is not None and previous < len(scenes) else 0
        self._show_audio()
