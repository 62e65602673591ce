"""The viewer's server: Voilà inside ``jupyterhub-singleuser`` and nothing else.

``voila_apps/viewer_server_config.py`` applies :func:`configure`: only the voila and
jupyterhub server extensions, no terminals, an authorizer that refuses the contents,
files, terminals, sessions, nbconvert, config and the rest of the Jupyter API, and
kernels that take only comm and kernel-info messages (without that limit a viewer could
send ``execute_request`` over the kernel's websocket and run code). Voilà keeps its
safe defaults: sources stripped, no tracebacks, a tight file allowlist.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jupyterhub.singleuser.extension import JupyterHubAuthorizer

APP_FOLDER = Path(__file__).resolve().parents[2] / "voila_apps"
REFUSED = frozenset(
    {"contents", "files", "terminals", "sessions", "nbconvert", "config", "api", "lab", "events"}
)
ALLOWED_MESSAGES = [
    "comm_open",
    "comm_close",
    "comm_msg",
    "comm_info_request",
    "kernel_info_request",
]


class ViewerAuthorizer(JupyterHubAuthorizer):  # type: ignore[misc]
    """The hub's check, then no file, terminal or API resource at all."""

    def is_authorized(self, handler: Any, user: Any, action: str, resource: str) -> bool:
        if resource in REFUSED:
            self.log.warning("viewer %s refused %s on %s", user.username, action, resource)
            return False
        return bool(super().is_authorized(handler, user, action, resource))


def installed_extensions() -> set[str]:
    """The server extensions this environment enables in its config files (jupyterlab, ...)."""
    from jupyter_core.paths import jupyter_config_path  # noqa: PLC0415

    names: set[str] = set()
    for folder in jupyter_config_path():
        for path in Path(folder, "jupyter_server_config.d").glob("*.json"):
            try:
                found = json.loads(path.read_text())["ServerApp"]["jpserver_extensions"]
            except (OSError, ValueError, KeyError, TypeError):
                continue
            names.update(found)
    return names


def configure(c: Any, app_folder: Path = APP_FOLDER) -> None:
    # Every extension the environment enables is switched off but these two: the config
    # files would otherwise bring JupyterLab, the terminals and the rest back.
    wanted = {"voila", "jupyterhub"}
    c.ServerApp.jpserver_extensions = {
        name: name in wanted for name in installed_extensions() | wanted
    }
    c.ServerApp.terminals_enabled = False
    c.ServerApp.authorizer_class = ViewerAuthorizer
    c.ServerApp.root_dir = str(app_folder)
    c.ServerApp.default_url = "/voila/render/app.ipynb"
    c.ServerApp.allow_remote_access = False
    c.MappingKernelManager.allowed_message_types = ALLOWED_MESSAGES
    c.VoilaConfiguration.show_tracebacks = False
    c.VoilaConfiguration.strip_sources = True
    c.VoilaConfiguration.file_allowlist = []  # no file of the folder is served
    c.VoilaConfiguration.file_denylist = [r".*"]
