"""Operations: a request id on every answer and log line, JSON logs, security headers.

:class:`RequestContext` is a plain ASGI middleware (it must not buffer streamed
media): it takes the caller's ``X-Request-ID`` when it looks like one or makes one,
sends it back, adds the security headers, catches anything unexpected (a 500 in the
seed's error shape, the traceback only in the log) and writes one JSON line per request
with the user, the status and the duration (:mod:`pdf2video.core.json_logs` makes the
lines JSON, each with the request id of the request it belongs to).
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pdf2video.core.json_logs import request_id
from pdf2video.service.errors import error_body

access_log = logging.getLogger("pdf2video.access")
GOOD_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
ALWAYS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-resource-policy", b"same-site"),
]
HTML = [
    (b"x-frame-options", b"SAMEORIGIN"),
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
        b"style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: "
        b"https://fastapi.tiangolo.com; frame-ancestors 'self'",
    ),
]
MEDIA = [(b"content-security-policy", b"default-src 'none'; frame-ancestors 'self'")]


class RequestContext:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        rid = given if GOOD_ID.match(given) else uuid.uuid4().hex
        token = request_id.set(rid)
        started = time.perf_counter()
        status = 500
        response_started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status = message["status"]
                headers = list(message.get("headers", []))
                kind = dict(headers).get(b"content-type", b"")
                extra = list(ALWAYS)
                if kind.startswith(b"text/html"):
                    extra += HTML
                elif kind.startswith((b"video/", b"image/", b"audio/", b"text/vtt")):
                    extra += MEDIA
                message["headers"] = [*headers, (b"x-request-id", rid.encode()), *extra]
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            logging.getLogger("pdf2video.service").exception("unexpected error")
            if not response_started:
                failure = JSONResponse(
                    error_body(
                        "INTERNAL_ERROR",
                        f"an unexpected error (request {rid}); see the service log",
                    ),
                    status_code=500,
                )
                await failure(scope, receive, send_with_headers)
        finally:
            user = scope.get("state", {}).get("user_name", "-")
            access_log.info(
                "%s %s %s",
                scope["method"],
                scope["path"],
                status,
                extra={
                    "event": "request",
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "user": user,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )
            request_id.reset(token)
