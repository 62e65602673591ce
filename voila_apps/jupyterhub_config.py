"""JupyterHub's config for pdf2video; ``pdf2video hub`` runs the hub with it (see pdf2video.hub)."""

from pdf2video.hub.hub_config import configure

configure(c)  # type: ignore[name-defined]  # noqa: F821
