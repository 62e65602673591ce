"""The app for people who never touch code (the Voilà page): a document in, a video out.

Upload a PDF, or text plus images (or paste the text); pick a preset or a few plain
settings (a voice you can hear first, size, shape, captions, music); **Generate video**.
The job runs in the backend (the pdf2video service under JupyterHub), so the page only
follows it: step, percent, ETA and **Cancel**; then the player with its Download link,
the video's figures and **Make another**. **My videos** lists everything made so far.
Opening the page again re-attaches to a job still running. Every problem is one plain
line in the page; nothing here raises into the notebook.
"""

from __future__ import annotations

import io
import threading
import time
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from pdf2video.core.backend import Backend
from pdf2video.core.config import Settings, load_settings
from pdf2video.core.errors import JobError, Pdf2VideoError
from pdf2video.core.jobs import RUNNING, Job, JobFilter, JobRequest, JobStatus
from pdf2video.core.presets import validated
from pdf2video.core.voices import list_voices, voice_sample
from pdf2video.studio.background import StatusLine, Tasks
from pdf2video.studio.job_view import JobProgress, VideoResult
from pdf2video.studio.library_tab import LibraryTab
from pdf2video.studio.session import StudioSession
from pdf2video.studio.settings_tab import SettingsTab

POLL_S = 0.25
TEXT_SUFFIXES = (".md", ".markdown", ".txt")
PHONE_FRIENDLY = widgets.Layout(width="100%", max_width="760px")


def _wide(widget: widgets.Widget) -> widgets.Widget:
    widget.layout.width = "100%"
    return widget


class VideoApp(widgets.VBox):
    def __init__(self, settings: Settings | None = None, backend: Backend | None = None) -> None:
        self.session = StudioSession(settings or load_settings(), backend)
        self.backend = self.session.backend
        self.tasks = Tasks()
        self.status = StatusLine()
        self.job: Job | None = None

        self.files = widgets.FileUpload(
            accept=".pdf,.md,.markdown,.txt,.png,.jpg,.jpeg,.webp",
            multiple=True,
            description="Document",
        )
        self.text = _wide(
            widgets.Textarea(placeholder="…or paste your text here (# for headings)", rows=5)
        )
        self.preset = _wide(widgets.Dropdown(description="Preset", options=[("Custom", "")]))
        self.voice = widgets.Dropdown(description="Voice")
        self.hear = widgets.Button(description="Hear it", icon="play")
        self.hear.on_click(self._on_hear)
        self.sample = widgets.Audio(autoplay=True, layout={"display": "none"})
        self.resolution = widgets.Dropdown(
            description="Size", options=["720p", "1080p"], value="1080p"
        )
        self.aspect = widgets.Dropdown(
            description="Shape",
            options=[("Wide 16:9", "16:9"), ("Tall 9:16", "9:16"), ("Square 1:1", "1:1")],
        )
        self.captions = widgets.Dropdown(
            description="Captions",
            options=[("In a file", "sidecar"), ("On the video", "burn"), ("None", "off")],
        )
        self.music = widgets.FileUpload(accept=".mp3,.wav,.m4a,.ogg", description="Music")
        self.generate = widgets.Button(
            description="Generate video", button_style="primary", icon="film"
        )
        self.generate.on_click(self._on_generate)
        self.cancel = widgets.Button(
            description="Cancel", button_style="warning", disabled=True, layout={"display": "none"}
        )
        self.cancel.on_click(self._on_cancel)
        self.progress = JobProgress()
        self.progress.layout.display = "none"  # until there is a job to follow
        self.result = VideoResult()
        self.result.layout.display = "none"  # until there is a video
        self.another = widgets.Button(description="Make another", layout={"display": "none"})
        self.another.on_click(lambda _: self.make_another())
        self.form = widgets.VBox(
            [
                widgets.HTML("<b>1. Your document</b>"),
                self.files,
                self.text,
                widgets.HTML("<b>2. How it should look and sound</b>"),
                self.preset,
                widgets.HBox([self.voice, self.hear], layout={"flex_flow": "row wrap"}),
                self.sample,
                widgets.HBox(
                    [self.resolution, self.aspect, self.captions],
                    layout={"flex_flow": "row wrap"},
                ),
                self.music,
            ]
        )
        make = widgets.VBox(
            [
                self.form,
                widgets.HBox([self.generate, self.cancel], layout={"flex_flow": "row wrap"}),
                self.progress,
                self.status,
                self.result,
                self.another,
            ]
        )
        self.library = LibraryTab(self.session)
        self.settings_tab = SettingsTab(self.session)
        self.tabs = widgets.Tab(children=[make, self.library, self.settings_tab])
        for index, title in enumerate(("Make a video", "My videos", "Settings")):
            self.tabs.set_title(index, title)
        self.tabs.observe(self._on_tab, names="selected_index")
        super().__init__(
            [widgets.HTML("<h2>Turn a document into a video</h2>"), self.tabs],
            layout=PHONE_FRIENDLY,
        )
        self.add_class("p2v-app")
        self.refresh()
        self.reattach()

    # -- choices -------------------------------------------------------------------
    def refresh(self) -> None:
        try:
            presets = self.backend.presets()
            voices = [v.name for v in list_voices(self.session.settings)]
        except Pdf2VideoError as exc:
            self.status.error(exc.one_line())
            return
        self.preset.options = [("Custom", "")] + [(p.name, p.id) for p in presets]
        self.voice.options = voices
        if self.session.settings.voice in voices:
            self.voice.value = self.session.settings.voice

    def _on_hear(self, _: object) -> None:
        name = self.voice.value

        def work() -> None:
            self.sample.value = voice_sample(name, self.session.settings).read_bytes()
            self.sample.layout.display = ""

        self.tasks.run(self.status, work, busy=[self.hear])

    def _on_tab(self, change: dict[str, Any]) -> None:
        if change["new"] == 1:
            self.library.refresh()

    def choices(self) -> dict[str, Any]:
        if self.preset.value:
            return {"preset": self.preset.value, "voice": self.voice.value or None}
        return {
            "resolution": self.resolution.value,
            "aspect": self.aspect.value,
            "captions": self.captions.value,
            "voice": self.voice.value or None,
        }

    # -- the job -------------------------------------------------------------------
    def request(self) -> JobRequest:
        """The job the page describes, its files uploaded; a plain error when it makes none."""
        files = [(str(f["name"]), bytes(f["content"])) for f in self.files.value]
        pdfs = [f for f in files if f[0].lower().endswith(".pdf")]
        texts = [f for f in files if f[0].lower().endswith(TEXT_SUFFIXES)]
        images = [f for f in files if f not in pdfs and f not in texts]
        pasted = self.text.value.strip()
        fields: dict[str, Any] = {k: v for k, v in self.choices().items() if v}
        if pdfs and (texts or pasted or images or len(pdfs) > 1):
            raise JobError("choose one PDF, or text with pictures, not both")
        if len(texts) > 1 or (texts and pasted):
            raise JobError("give the text once: one text file or the box, not both")
        if pdfs:
            fields["source_type"] = "pdf"
            fields["pdf_upload"] = self._upload(*pdfs[0]).id
        elif texts or pasted:
            content = texts[0][1].decode("utf-8", errors="replace") if texts else pasted
            fields["source_type"] = "text_images"
            fields["text_content"] = content
            fields["title"] = Path(texts[0][0]).stem if texts else _first_line(content)
            fields["image_uploads"] = [self._upload(*image).id for image in images]
        else:
            raise JobError("add a PDF or some text first")
        if self.music.value:
            song = self.music.value[0]
            fields["music_upload"] = self._upload(str(song["name"]), bytes(song["content"])).id
        return validated(JobRequest, fields)

    def _upload(self, name: str, content: bytes) -> Any:
        return self.backend.upload(io.BytesIO(content), name)

    def _on_generate(self, _: object) -> None:
        self.status.info("Sending your files …")

        def work() -> Job:
            job = self.backend.submit(self.request())
            self.backend.start_worker()
            return job

        self.tasks.run(self.status, work, done=self.attach, busy=[self.generate])

    def attach(self, job: Job) -> None:
        """Follow ``job`` on this page until it ends."""
        self.job = job
        self.result.clear()
        self.progress.layout.display = ""
        self.form.layout.display = "none"
        self.generate.layout.display = "none"
        self.another.layout.display = "none"
        self.cancel.disabled = False
        self.cancel.layout.display = ""
        self.status.info(f"Making “{job.title}” …")
        follower = threading.Thread(target=self._follow, args=(job.id,), daemon=True)
        self.tasks.threads.append(follower)
        follower.start()

    def reattach(self) -> None:
        """Follow again the newest job of this user still waiting or running."""
        try:
            live = self.backend.jobs(JobFilter(status=[JobStatus.PENDING, *RUNNING], limit=20))
        except Pdf2VideoError as exc:
            self.status.error(exc.one_line())
            return
        mine = [j for j in live if j.source_type != "project"]
        if mine:
            self.backend.start_worker()
            self.attach(mine[0])

    def _follow(self, job_id: str) -> None:
        last: tuple[str, float] | None = None
        while True:
            try:
                job = self.backend.job(job_id)
            except Pdf2VideoError as exc:
                self.status.error(exc.one_line())
                break
            if (job.status.value, job.progress) != last:
                last = (job.status.value, job.progress)
                self.job = job
                self.progress.show(job)
            if job.finished:
                self._finished(job)
                break
            time.sleep(POLL_S)
        self.cancel.disabled = True
        self.cancel.layout.display = "none"
        self.another.layout.display = ""

    def _finished(self, job: Job) -> None:
        if job.status is JobStatus.COMPLETED and job.video_id:
            try:
                video = self.backend.video(job.video_id)
                self.result.show(self.backend, video)
                self.result.layout.display = ""
            except Pdf2VideoError as exc:
                self.status.error(exc.one_line())
                return
            self.status.ok(f"Your video “{video.title}” is ready")
        elif job.status is JobStatus.CANCELLED:
            self.status.info("Cancelled. Your files are kept; press Make another to start again.")
        else:
            self.status.error(job.error_message or "the video could not be made")

    def _on_cancel(self, _: object) -> None:
        if self.job is not None:
            try:
                self.backend.cancel(self.job.id)
            except Pdf2VideoError as exc:
                self.status.error(exc.one_line())
                return
            self.status.info("Cancelling …")

    def make_another(self) -> None:
        self.files.value = ()
        self.music.value = ()
        self.text.value = ""
        self.job = None
        self.progress.clear()
        self.result.clear()
        self.progress.layout.display = self.result.layout.display = "none"
        self.status.info("")
        self.form.layout.display = ""
        self.generate.layout.display = ""
        self.another.layout.display = "none"

    def wait(self, timeout: float = 300.0) -> None:
        self.tasks.wait(timeout)


def _first_line(text: str) -> str:
    line = next((x for x in text.splitlines() if x.strip()), "Untitled video")
    return line.lstrip("# ").strip()[:120] or "Untitled video"
