"""Step 6, Render: choose the output (or a preset), submit a job, follow it, watch the result.

**Render video** submits the project to the backend as a job; a background thread
polls it (at most ten updates a second) into the step indicator, the progress bar and
the ETA, and **Cancel** reaches the worker within seconds. Opening the studio again on
the same project re-attaches to a job that is still running. When the job ends: the
player, a download link and the video's figures; on failure its plain message with
**Retry** and **Edit & retry**.
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from pdf2video.core.config import Encoder
from pdf2video.core.errors import Pdf2VideoError
from pdf2video.core.jobs import RUNNING, Job, JobFilter, JobStatus
from pdf2video.core.presets import RenderChoices, parse_resolution
from pdf2video.studio.background import StatusLine, Tasks, message_html
from pdf2video.studio.job_view import JobProgress, VideoResult
from pdf2video.studio.session import StudioSession

POLL_S = 0.25
SPEED_1080P30 = 1.2  # seconds of video per second on 2 cores (bench/bench_render.py)


class RenderStep(widgets.VBox):
    title = "Render"

    def __init__(
        self, session: StudioSession, tasks: Tasks, edit: Callable[[], None] | None = None
    ) -> None:
        self.session, self.tasks, self.edit = session, tasks, edit or (lambda: None)
        self.status = StatusLine()
        self.job: Job | None = None
        self._follow: threading.Thread | None = None
        self.music_id: str | None = None
        self.logo_id: str | None = None

        self.preset = widgets.Dropdown(description="Preset", options=[("(none)", "")])
        self.preset.observe(lambda _: self._apply_preset(), names="value")
        self.resolution = widgets.Dropdown(
            options=["720p", "1080p", "1440p", "2160p"], value="1080p", description="Size"
        )
        self.fps = widgets.Dropdown(options=[24, 25, 30, 50, 60], value=30, description="fps")
        self.aspect = widgets.Dropdown(options=["16:9", "9:16", "1:1"], description="Aspect")
        self.captions = widgets.Dropdown(options=["sidecar", "burn", "off"], description="Captions")
        self.encoder = widgets.Dropdown(
            options=[e.value for e in Encoder], value="auto", description="Encoder"
        )
        self.draft = widgets.Checkbox(value=False, description="Draft (fastest)")
        self.music = widgets.FileUpload(accept=".mp3,.wav,.m4a,.ogg", description="Music")
        self.music.observe(lambda c: self._take_upload(c, "music"), names="value")
        self.logo = widgets.FileUpload(accept=".png,.jpg,.jpeg,.webp", description="Logo")
        self.logo.observe(lambda c: self._take_upload(c, "logo"), names="value")
        self.encoder_info = widgets.HTML()
        self.preset_name = widgets.Text(placeholder="preset name", description="Save as")
        self.save_preset = widgets.Button(description="Save as preset")
        self.save_preset.on_click(self._on_save_preset)
        self.estimate = widgets.HTML()
        for field in (self.resolution, self.fps, self.draft):
            field.observe(lambda _: self._estimate(), names="value")

        self.render = widgets.Button(description="Render video", button_style="primary")
        self.render.on_click(self._on_render)
        self.cancel = widgets.Button(description="Cancel", button_style="warning", disabled=True)
        self.cancel.on_click(self._on_cancel)
        self.progress = JobProgress()
        self.steps, self.bar, self.numbers = (
            self.progress.steps,
            self.progress.bar,
            self.progress.numbers,
        )
        self.retry = widgets.Button(description="Retry", layout={"display": "none"})
        self.retry.on_click(self._on_retry)
        self.edit_retry = widgets.Button(description="Edit & retry", layout={"display": "none"})
        self.edit_retry.on_click(lambda _: self.edit())
        self.result = VideoResult()
        self.player, self.download, self.metadata = (
            self.result.player,
            self.result.download,
            self.result.metadata,
        )
        super().__init__(
            [
                widgets.HTML("<h3>Render</h3>"),
                widgets.HBox([self.preset]),
                widgets.HBox([self.resolution, self.fps, self.aspect]),
                widgets.HBox([self.captions, self.encoder, self.draft]),
                widgets.HBox([self.music, self.logo]),
                self.encoder_info,
                widgets.HBox([self.preset_name, self.save_preset]),
                self.estimate,
                widgets.HBox([self.render, self.cancel]),
                self.progress,
                self.status,
                widgets.HBox([self.retry, self.edit_retry]),
                self.result,
            ]
        )
        wanted = session.backend.prefs().resolution
        if wanted:
            if wanted not in self.resolution.options:
                self.resolution.options = [*self.resolution.options, wanted]
            self.resolution.value = wanted
        self.refresh()
        self.reattach()

    # -- choices -------------------------------------------------------------------
    def choices(self) -> RenderChoices:
        return RenderChoices(
            resolution=self.resolution.value,
            fps=self.fps.value,
            aspect=self.aspect.value,
            captions=self.captions.value,
            encoder=Encoder(self.encoder.value),
            draft=self.draft.value or None,
        )

    def _apply_preset(self) -> None:
        preset_id = self.preset.value
        if not preset_id:
            return
        preset = next((p for p in self.session.backend.presets() if p.id == preset_id), None)
        if preset is None:
            return
        chosen = preset.settings
        if chosen.resolution:
            if chosen.resolution not in self.resolution.options:
                self.resolution.options = [*self.resolution.options, chosen.resolution]
            self.resolution.value = chosen.resolution
        for field, value in (
            (self.fps, chosen.fps),
            (self.aspect, chosen.aspect),
            (self.captions, chosen.captions),
        ):
            if value is not None:
                field.value = value
        self.draft.value = bool(chosen.draft)

    def _take_upload(self, change: dict[str, Any], kind: str) -> None:
        files = list(change["new"] or ())
        if not files:
            return
        item = files[0]
        try:
            upload = self.session.backend.upload(io.BytesIO(bytes(item["content"])), item["name"])
        except Pdf2VideoError as exc:
            self.status.error(exc.one_line())
            return
        if kind == "music" and upload.kind != "music":
            self.status.error(f"{item['name']} is not music")
            return
        setattr(self, f"{kind}_id", upload.id)
        self.status.ok(f"{kind}: {upload.original_name}")

    def _on_save_preset(self, _: object) -> None:
        try:
            preset = self.session.backend.save_preset(self.preset_name.value, self.choices())
        except Pdf2VideoError as exc:
            self.status.error(exc.one_line())
            return
        self.status.ok(f"Preset {preset.name!r} saved")
        self.refresh()

    def _estimate(self) -> None:
        try:
            seconds = self.session.estimate_seconds()
        except Pdf2VideoError:
            self.estimate.value = ""
            return
        width, height = parse_resolution(self.resolution.value)
        load = (width * height * self.fps.value) / (1920 * 1080 * 30)
        if self.draft.value:
            load *= 0.15
        wall = seconds * load / SPEED_1080P30 + 5
        self.estimate.value = message_html(
            f"The video will be about {seconds / 60:.1f} min; rendering takes about "
            f"{wall / 60:.1f} min on 2 cores without a GPU."
        )

    # -- the job -------------------------------------------------------------------
    def _on_render(self, _: object) -> None:
        try:
            job = self.session.submit_render(
                self.choices(), music_upload=self.music_id, logo_upload=self.logo_id
            )
        except Pdf2VideoError as exc:
            self.status.error(exc.one_line())
            return
        self.session.backend.start_worker()  # jobs run even when no worker was started
        self.attach(job)

    def attach(self, job: Job) -> None:
        self.job = job
        self.retry.layout.display = self.edit_retry.layout.display = "none"
        self.render.disabled, self.cancel.disabled = True, False
        self.status.info(f"Job {job.id} queued")
        self._follow = threading.Thread(target=self._poll, args=(job.id,), daemon=True)
        self._follow.start()
        self.tasks.threads.append(self._follow)

    def reattach(self) -> None:
        """Follow this project's job again if one is still waiting or running."""
        folder = self.session.folder
        if folder is None:
            return
        path = str(folder.root.relative_to(self.session.settings.pdf2video_home))
        live = [JobStatus.PENDING, *RUNNING]
        for job in self.session.backend.jobs(JobFilter(status=live, limit=20)):
            if job.request.project_path == path:
                self.session.backend.start_worker()
                self.attach(job)
                return

    def _poll(self, job_id: str) -> None:
        last: tuple[str, float] | None = None
        while True:
            try:
                job = self.session.backend.job(job_id)
            except Pdf2VideoError as exc:
                self.status.error(exc.one_line())
                break
            if job.status is JobStatus.PENDING:
                # A worker that was just finishing may have missed this job: start one
                # when none is running (a cheap check while the job waits).
                self.session.backend.start_worker()
            if (job.status.value, job.progress) != last:
                last = (job.status.value, job.progress)
                self._show_progress(job)
            if job.finished:
                self._finished(job)
                break
            time.sleep(POLL_S)
        self.render.disabled, self.cancel.disabled = False, True

    def _show_progress(self, job: Job) -> None:
        self.job = job
        self.progress.show(job)

    def _finished(self, job: Job) -> None:
        if job.status is JobStatus.COMPLETED and job.video_id:
            video = self.session.backend.video(job.video_id)
            speed = ""
            if self.session.project is not None:
                record = self.session.backend.job(job.id)
                took = (record.completed_at or 0) - (record.started_at or 0)
                if took > 0 and video.duration:
                    speed = f" · rendered at {video.duration / took:.2f} s of video per second"
            self.result.show(self.session.backend, video, note=speed)
            self.status.ok(f"Done: {video.title}")
        elif job.status is JobStatus.CANCELLED:
            self.status.info("Cancelled; what was finished is kept for the next render.")
            self.retry.layout.display = ""
        else:
            self.status.error(job.error_message or "the render failed")
            self.retry.layout.display = self.edit_retry.layout.display = ""

    def _on_cancel(self, _: object) -> None:
        if self.job is not None:
            try:
                self.session.backend.cancel(self.job.id)
            except Pdf2VideoError as exc:
                self.status.error(exc.one_line())
                return
            self.status.info("Cancelling ...")

    def _on_retry(self, _: object) -> None:
        if self.job is not None:
            try:
                job = self.session.backend.retry(self.job.id)
            except Pdf2VideoError as exc:
                self.status.error(exc.one_line())
                return
            self.session.backend.start_worker()
            self.attach(job)

    def refresh(self) -> None:
        self.preset.options = [("(none)", "")] + [
            (p.name, p.id) for p in self.session.backend.presets()
        ]
        stats = self.session.backend.stats()
        self.encoder_info.value = message_html(
            f"The encoder probe found: {stats.encoder}. GPU: {stats.gpu}."
        )
        self._estimate()
