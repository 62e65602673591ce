"""A video player with scene markers: the preview and the finished video.

An anywidget. ``data`` carries a small video (a draft preview) to the browser as a binary
buffer; ``url`` points at a large one the Jupyter server serves (``files/...``), so a
finished 1080p video is never pushed through the kernel. ``markers`` are the scenes'
start times, drawn under the video and clickable to seek. With ``download_name`` the
player offers the video it holds as a download (no file server needed, as in Voilà).
"""

from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets

WEB = Path(__file__).parent / "web"


class VideoPlayer(anywidget.AnyWidget):
    _esm = WEB / "video_player.js"
    _css = WEB / "video_player.css"

    data = traitlets.Bytes(b"").tag(sync=True)
    url = traitlets.Unicode("").tag(sync=True)
    markers = traitlets.List(traitlets.Dict()).tag(sync=True)  # {"t": seconds, "label": str}
    duration = traitlets.Float(0.0).tag(sync=True)
    autoplay = traitlets.Bool(False).tag(sync=True)
    download_name = traitlets.Unicode("").tag(sync=True)  # set: a Download link under it

    def show_file(self, path: Path, *, autoplay: bool = True) -> None:
        self.url = ""
        self.autoplay = autoplay
        self.data = path.read_bytes()
