"""A viewer's jupyterhub-singleuser server config: Voilà only (see pdf2video.hub.viewer)."""

from pdf2video.hub.viewer import configure

configure(c)  # type: ignore[name-defined]  # noqa: F821
