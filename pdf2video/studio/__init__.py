"""The JupyterLab studio (ipywidgets + anywidget) over ``pdf2video.core``.

Widgets present state and send intents; they hold no pipeline logic. Built in the studio issue.
"""

from __future__ import annotations
