"""A drop zone: drag files onto it (or click to pick); they arrive as bytes in Python.

An anywidget; each file comes as one custom message with its bytes as a binary buffer,
so nothing is base64-inflated. ``on_files`` receives ``[(name, bytes), ...]``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import anywidget
import traitlets

WEB = Path(__file__).parent / "web"


class DropZone(anywidget.AnyWidget):
    _esm = WEB / "drop_zone.js"
    _css = WEB / "drop_zone.css"

    label = traitlets.Unicode("Drop a PDF here, or click to choose").tag(sync=True)
    accept = traitlets.Unicode(".pdf,.png,.jpg,.jpeg,.webp").tag(sync=True)
    max_bytes = traitlets.Int(100 * 1024 * 1024).tag(sync=True)

    def __init__(self, on_files: Callable[[list[tuple[str, bytes]]], None], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._on_files = on_files
        self.on_msg(self._received)

    def _received(self, _: object, content: dict[str, Any], buffers: list[bytes]) -> None:
        if content.get("kind") == "files":
            names = content.get("names", [])
            self._on_files([(str(n), bytes(b)) for n, b in zip(names, buffers, strict=False)])
