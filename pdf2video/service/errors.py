"""The one place the API turns errors into answers: the seed's error shape, the right status.

Every error answer is ``{"error": {"code": ..., "message": ..., "details": {...}}}``.
Domain errors keep their code; a body that fails validation names the field; anything
unexpected is caught by :class:`pdf2video.service.logs.RequestContext`, logged with its
traceback and answered with only the request id, so no traceback leaves the server.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from pdf2video.core.errors import (
    DocumentError,
    Forbidden,
    InvalidSetting,
    JobConflict,
    NotAuthenticated,
    NotFound,
    Pdf2VideoError,
    ProviderUnavailable,
    RateLimited,
    UnsupportedFileType,
    UploadTooLarge,
)
from pdf2video.service.auth import NEXT_COOKIE, STATE_COOKIE, LoginRequired

STATUS: list[tuple[type[Pdf2VideoError], int]] = [
    (NotAuthenticated, 401),
    (NotFound, 404),
    (Forbidden, 403),
    (UploadTooLarge, 413),
    (UnsupportedFileType, 415),
    (JobConflict, 409),
    (RateLimited, 429),
    (ProviderUnavailable, 503),
    (InvalidSetting, 400),
    (DocumentError, 422),
]
HTTP_CODES = {
    401: "NOT_AUTHENTICATED",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    416: "RANGE_NOT_SATISFIABLE",
}


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or {}}}


def status_for(exc: Pdf2VideoError) -> int:
    return next((status for kind, status in STATUS if isinstance(exc, kind)), 400)


def answer(exc: Pdf2VideoError) -> Response:
    if isinstance(exc, LoginRequired):
        redirect = RedirectResponse(exc.login_url, status_code=302)
        redirect.set_cookie(STATE_COOKIE, exc.state, max_age=600, httponly=True, samesite="lax")
        redirect.set_cookie(NEXT_COOKIE, exc.back_to, max_age=600, httponly=True, samesite="lax")
        return redirect
    headers: dict[str, str] = {}
    if isinstance(exc, NotAuthenticated):
        headers["WWW-Authenticate"] = 'Bearer realm="pdf2video"'
    if isinstance(exc, RateLimited):
        headers["Retry-After"] = str(max(1, round(exc.retry_after_s + 0.5)))
    return JSONResponse(
        error_body(exc.code, exc.one_line()), status_code=status_for(exc), headers=headers
    )


def _validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"] if p not in ("body", "query", "path"))
        problems.append({"field": where, "message": error["msg"].removeprefix("Value error, ")})
    first = problems[0] if problems else {"field": "", "message": "invalid request"}
    message = f"{first['field']}: {first['message']}" if first["field"] else first["message"]
    return JSONResponse(
        error_body("VALIDATION_ERROR", message, {"errors": problems}), status_code=422
    )


def _http(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    code = HTTP_CODES.get(exc.status_code, f"HTTP_{exc.status_code}")
    return JSONResponse(
        error_body(code, str(exc.detail)), status_code=exc.status_code, headers=exc.headers
    )


def _domain(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, Pdf2VideoError)
    return answer(exc)


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(Pdf2VideoError, _domain)
