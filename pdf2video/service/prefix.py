"""Serving under a URL prefix: JupyterHub's proxy passes ``/services/<name>/...`` unchanged.

:class:`StripPrefix` takes the prefix off the path and records it as ``root_path``, so
the app's routes stay ``/api/v1/...`` and the URLs it hands out carry the prefix. A
request without the prefix (straight to the service's port) works too.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send


class StripPrefix:
    def __init__(self, app: ASGIApp, prefix: str) -> None:
        self.app = app
        self.prefix = "/" + prefix.strip("/")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] in ("http", "websocket") and (
            path == self.prefix or path.startswith(self.prefix + "/")
        ):
            scope = dict(scope, path=path[len(self.prefix) :] or "/", root_path=self.prefix)
        await self.app(scope, receive, send)
