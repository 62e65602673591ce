"""The core: reading documents, the pipeline stages, providers and the CLI.

Nothing here imports Jupyter or web packages, so a plain Python script can use it.
"""

from __future__ import annotations
