"""The scene strip: the script's scenes as cards, dragged to reorder, clicked to select.

An anywidget (ipywidgets has no drag and drop); its JavaScript and CSS sit beside it in
``web/`` and load by path, with no build step. The browser sets ``order`` (scene ids)
after a drop and ``selected`` (an index) after a click; Python listens to both.
"""

from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets

WEB = Path(__file__).parent / "web"


class SceneStrip(anywidget.AnyWidget):
    _esm = WEB / "scene_strip.js"
    _css = WEB / "scene_strip.css"

    # each: {"id", "title", "seconds", "changed", "layout"}
    scenes = traitlets.List(traitlets.Dict()).tag(sync=True)
    order = traitlets.List(traitlets.Unicode()).tag(sync=True)
    selected = traitlets.Int(0).tag(sync=True)
