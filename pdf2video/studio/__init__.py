"""The JupyterLab studio (ipywidgets + anywidget) over ``pdf2video.core``.

``from pdf2video.studio import Studio; Studio()`` in a notebook is the whole front door.
Widgets present state and send intents; the work is done by core functions, in
background threads or as jobs, never in the kernel's main thread.
"""

from __future__ import annotations

from pdf2video.studio.app import Studio

__all__ = ["Studio"]
