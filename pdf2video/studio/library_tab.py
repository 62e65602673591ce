"""The Library tab: finished videos as a thumbnail grid; sort, search, filter, play, share,
delete. The app's **My videos** is the same tab."""

from __future__ import annotations

import ipywidgets as widgets

from pdf2video.core.errors import Pdf2VideoError
from pdf2video.studio.background import StatusLine
from pdf2video.studio.job_view import INLINE_BYTES, file_url
from pdf2video.studio.session import StudioSession
from pdf2video.studio.video_player import VideoPlayer


class LibraryTab(widgets.VBox):
    title = "Library"

    def __init__(self, session: StudioSession) -> None:
        self.session = session
        self.status = StatusLine()
        self.sort = widgets.Dropdown(options=["date", "title", "duration"], description="Sort")
        self.search = widgets.Text(placeholder="search titles", description="Search")
        self.source = widgets.Dropdown(
            options=[
                ("all", ""),
                ("PDF", "pdf"),
                ("text + images", "text_images"),
                ("studio project", "project"),
            ],
            description="Source",
        )
        for field in (self.sort, self.search, self.source):
            field.observe(lambda _: self.refresh(), names="value")
        self.grid = widgets.GridBox(
            layout={"grid_template_columns": "repeat(auto-fill, 200px)", "grid_gap": "8px"}
        )
        self.chosen: dict[str, widgets.Checkbox] = {}
        self.delete = widgets.Button(description="Delete selected", button_style="danger")
        self.delete.on_click(self._on_delete)
        self.player = VideoPlayer()
        self.share_link = widgets.HTML()
        super().__init__(
            [
                widgets.HBox(
                    [self.sort, self.search, self.source], layout={"flex_flow": "row wrap"}
                ),
                self.grid,
                widgets.HBox([self.delete]),
                self.status,
                self.share_link,
                self.player,
            ]
        )
        self.refresh()

    def play(self, video_id: str) -> None:
        try:
            path = self.session.backend.video_file(video_id)
        except Pdf2VideoError as exc:
            self.status.error(exc.one_line())
            return
        self.player.download_name = path.name
        url = file_url(path)
        if url is not None and path.stat().st_size > INLINE_BYTES:
            self.player.url = url  # the Jupyter server streams it; nothing goes through here
        else:
            self.player.show_file(path)

    def share(self, video_id: str, hours: float = 168.0) -> None:
        """Show a link anyone may watch the video with, for a week."""
        try:
            url = self.session.backend.share_video(video_id, hours)
        except Pdf2VideoError as exc:
            self.status.error(exc.one_line())
            return
        self.share_link.value = (
            f"<span class='p2v-share'>Anyone with this link can watch for {hours / 24:g} days: "
            f"<a href='{url}' target='_blank'>{url}</a></span>"
        )

    def _on_delete(self, _: object) -> None:
        ids = [vid for vid, box in self.chosen.items() if box.value]
        if not ids:
            self.status.info("Tick the videos to delete first.")
            return
        try:
            count = self.session.backend.delete_videos(ids)
        except Pdf2VideoError as exc:
            self.status.error(exc.one_line())
            return
        self.status.ok(f"Deleted {count} video{'s' if count != 1 else ''}")
        self.refresh()

    def refresh(self) -> None:
        videos = self.session.backend.videos(
            sort=self.sort.value,
            search=self.search.value or None,
            source_type=self.source.value or None,
        )
        cards = []
        self.chosen = {}
        for video in videos:
            image = widgets.Image(
                value=self.session.backend.thumbnail(video.id) or b"",
                format="jpeg",
                layout={"width": "190px"},
            )
            play = widgets.Button(description="Play", icon="play", layout={"width": "80px"})
            play.on_click(lambda _, v=video.id: self.play(v))
            share = widgets.Button(description="Share", icon="link", layout={"width": "80px"})
            share.on_click(lambda _, v=video.id: self.share(v))
            box = widgets.Checkbox(description="select", indent=False)
            self.chosen[video.id] = box
            cards.append(
                widgets.VBox(
                    [
                        image,
                        widgets.HTML(
                            f"<b>{video.title}</b><br><small>"
                            f"{video.duration or 0:.0f} s · {video.width}x{video.height}"
                            "</small>"
                        ),
                        widgets.HBox([play, share]),
                        box,
                    ],
                    layout={"border": "1px solid #ddd", "padding": "4px"},
                )
            )
        self.grid.children = cards or [widgets.HTML("No videos yet.")]
