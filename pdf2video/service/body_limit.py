"""Request size limits, enforced while the body streams in (nothing over it is kept).

Uploads may be as large as ``MAX_UPLOAD_SIZE_MB`` (plus the multipart framing); every
other request at most 1 MiB. A declared ``Content-Length`` over the limit is answered
at once; a body without one is counted as it arrives and stopped at the limit, with
:class:`UploadTooLarge` (413, the seed's error shape). The upload's temporary file
goes with the request.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pdf2video.core.errors import UploadTooLarge
from pdf2video.service.errors import answer

OTHER_LIMIT = 1 << 20
MULTIPART_SLACK = 1 << 20  # part headers and boundaries around the files themselves


class BodyLimit:
    def __init__(self, app: ASGIApp, *, upload_mb: int, uploads_path: str) -> None:
        self.app = app
        self.upload_limit = upload_mb * 1024 * 1024 + MULTIPART_SLACK
        self.upload_mb = upload_mb
        self.uploads_path = uploads_path

    def _limit(self, scope: Scope) -> int:
        path = scope["path"].removeprefix(scope.get("root_path", ""))
        return self.upload_limit if path.startswith(self.uploads_path) else OTHER_LIMIT

    def _error(self) -> UploadTooLarge:
        return UploadTooLarge(
            f"the request is larger than the limit of {self.upload_mb} MB (MAX_UPLOAD_SIZE_MB)"
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            refusal = answer(self._error())
            refusal.headers["connection"] = "close"  # the body is never read
            await refusal(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise self._error()
            return message

        await self.app(scope, counted, send)
