"""Following a job and showing its video: shared by the studio's Render step and the app.

:class:`JobProgress` is the step indicator, the bar and the percent/ETA line of a job;
:class:`VideoResult` is the finished video: the player, a download link and its
figures. Both are set from any thread (widget state only).
"""

from __future__ import annotations

import os
from pathlib import Path

import ipywidgets as widgets

from pdf2video.core.backend import Backend
from pdf2video.core.jobs import RUNNING, Job, JobStatus
from pdf2video.core.library import Video
from pdf2video.studio.background import message_html
from pdf2video.studio.video_player import VideoPlayer

STEPS = [s.value for s in (JobStatus.PENDING, *RUNNING, JobStatus.COMPLETED)]
INLINE_BYTES = 64 * 1024 * 1024  # a smaller video goes to the player as bytes


def file_url(path: Path) -> str | None:
    """The Jupyter server's URL of a file under its root (``pdf2video studio`` sets it)."""
    root = os.environ.get("PDF2VIDEO_LAB_ROOT")
    if not root:
        return None
    try:
        relative = path.resolve().relative_to(Path(root).resolve())
    except ValueError:
        return None
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/")
    return f"{prefix.rstrip('/')}/files/{relative.as_posix()}"


class JobProgress(widgets.VBox):
    def __init__(self) -> None:
        self.steps = widgets.HTML()
        self.bar = widgets.FloatProgress(min=0.0, max=1.0, layout={"width": "100%"})
        self.numbers = widgets.HTML()
        super().__init__([self.steps, self.bar, self.numbers])

    def show(self, job: Job) -> None:
        marks = []
        reached = STEPS.index(job.status.value) if job.status.value in STEPS else -1
        for index, step in enumerate(STEPS):
            style = (
                "font-weight:bold;color:#1a73e8"
                if index == reached
                else ("color:#1b7a2f" if index < reached else "color:#999")
            )
            marks.append(f"<span class='p2v-step' data-step='{step}' style='{style}'>{step}</span>")
        if job.status in (JobStatus.FAILED, JobStatus.CANCELLED):
            marks.append(
                f"<span class='p2v-step' data-step='{job.status.value}' "
                f"style='font-weight:bold;color:#b3261e'>{job.status.value}</span>"
            )
        self.steps.value = " › ".join(marks)
        self.bar.value = job.progress
        eta = f" · about {job.eta_s:.0f} s left" if job.eta_s else ""
        self.numbers.value = message_html(f"{job.progress:.0%}{eta} · {job.step or ''}")

    def clear(self) -> None:
        self.steps.value = self.numbers.value = ""
        self.bar.value = 0.0


class VideoResult(widgets.VBox):
    def __init__(self) -> None:
        self.player = VideoPlayer()
        self.download = widgets.HTML()
        self.metadata = widgets.HTML()
        super().__init__([self.player, self.download, self.metadata])

    def show(self, backend: Backend, video: Video, *, note: str = "") -> None:
        """Play ``video`` (bytes, or a URL the Jupyter server serves) with its figures."""
        path = backend.video_file(video.id)
        url = file_url(path)
        if url is not None and path.stat().st_size > INLINE_BYTES:
            self.player.url = url
        else:
            self.player.show_file(path, autoplay=False)
        self.player.duration = video.duration or 0.0
        self.player.download_name = f"{video.title or 'video'}.mp4"
        if url is not None:
            self.download.value = (
                f"<a class='p2v-download' href='{url}' download='{path.name}'>"
                f"Download {path.name}</a> <small>({path})</small>"
            )
        else:
            self.download.value = ""  # the player's own Download link serves the bytes
        self.metadata.value = message_html(
            f"{video.duration or 0:.1f} s · {video.width}x{video.height} at {video.fps} fps · "
            f"{(video.size_bytes or 0) / 1e6:.1f} MB · {video.codec}{note}",
            "ok",
        )

    def clear(self) -> None:
        self.player.data, self.player.url = b"", ""
        self.download.value = self.metadata.value = ""
