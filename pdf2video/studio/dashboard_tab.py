"""The Dashboard tab: videos, jobs, storage used, the encoder and GPU, recent jobs and videos."""

from __future__ import annotations

import ipywidgets as widgets

from pdf2video.core.jobs import JobFilter
from pdf2video.studio.session import StudioSession


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n < 1e9 else f"{n / 1e9:.2f} GB"


class DashboardTab(widgets.VBox):
    title = "Dashboard"

    def __init__(self, session: StudioSession) -> None:
        self.session = session
        self.numbers = widgets.HTML()
        self.recent = widgets.HTML()
        self.reload = widgets.Button(description="Refresh", icon="refresh")
        self.reload.on_click(lambda _: self.refresh())
        super().__init__([self.reload, self.numbers, self.recent])
        self.refresh()

    def refresh(self) -> None:
        backend = self.session.backend
        stats = backend.stats()
        jobs = ", ".join(f"{k}: {v}" for k, v in sorted(stats.jobs.items())) or "none yet"
        used = sum(stats.storage_bytes.values())
        self.numbers.value = (
            "<table class='p2v-dashboard'>"
            f"<tr><td>Videos</td><td><b>{stats.videos}</b> ({stats.video_seconds / 60:.1f} min)"
            "</td></tr>"
            f"<tr><td>Jobs</td><td>{jobs}</td></tr>"
            f"<tr><td>Storage used</td><td>{_size(used)} (free {_size(stats.disk_free_bytes)})"
            "</td></tr>"
            f"<tr><td>Encoder</td><td>{stats.encoder}</td></tr>"
            f"<tr><td>GPU</td><td>{stats.gpu}</td></tr></table>"
        )
        rows = "".join(
            f"<li>{j.title} — {j.status.value} ({j.progress:.0%})</li>"
            for j in backend.jobs(JobFilter(limit=5))
        )
        videos = "".join(
            f"<li>{v.title} — {v.duration or 0:.0f} s</li>" for v in backend.videos(limit=5)
        )
        self.recent.value = (
            f"<b>Recent jobs</b><ul>{rows or '<li>none</li>'}</ul>"
            f"<b>Recent videos</b><ul>{videos or '<li>none</li>'}</ul>"
        )
