"""pdf2video studio: turn a document into a narrated explainer video, offline first.

The package is layered (imports point down only):

- ``pdf2video.core``: pipeline, providers, store, CLI; no Jupyter or web imports.
- ``pdf2video.studio``: JupyterLab widgets over core.
- ``pdf2video.service``: the HTTP API over core.
"""

from __future__ import annotations

__version__ = "0.1.0"
