"""The pdf2video service's app: the routers under ``/api/v1``, identity, errors, operations.

``create_app(settings)`` builds it for ``pdf2video serve`` (and for tests); the service
is the one process that opens the store and the media. Under JupyterHub it checks
callers with the hub; on its own, with bearer tokens.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import RedirectResponse, Response

from pdf2video import __version__
from pdf2video.core.config import Settings
from pdf2video.core.errors import NotAuthenticated
from pdf2video.core.store import Store, open_store
from pdf2video.service import errors
from pdf2video.service.auth import (
    NEXT_COOKIE,
    SESSION_COOKIE,
    STATE_COOKIE,
    Identity,
    service_token,
)
from pdf2video.service.body_limit import BodyLimit
from pdf2video.service.deps import API, Parts
from pdf2video.service.events import JobWatcher
from pdf2video.service.hub_auth import HubAuth
from pdf2video.service.logs import RequestContext
from pdf2video.service.rate_limit import RateLimiter
from pdf2video.service.routers import health, jobs, me, presets, shared, uploads, videos


def create_app(
    settings: Settings,
    *,
    store: Store | None = None,
    hub: HubAuth | None = None,
    owner: str | None = None,
) -> FastAPI:
    store = store or open_store(settings.pdf2video_home)
    hub = hub if hub is not None else HubAuth.from_env()
    token = (
        None
        if hub is not None and settings.pdf2video_api_token is None
        else (service_token(settings)[0])
    )
    parts = Parts(
        settings=settings,
        store=store,
        identity=Identity(settings, store, token=token, owner=owner, hub=hub),
        limiter=RateLimiter(
            {
                "jobs": settings.pdf2video_jobs_per_minute,
                "uploads": settings.pdf2video_uploads_per_minute,
            }
        ),
        watcher=JobWatcher(store),
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(
        title="pdf2video service",
        version=__version__,
        summary="Turn documents into narrated videos: uploads, jobs, videos, presets.",
        openapi_url=f"{API}/openapi.json",
        docs_url=f"{API}/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.parts = parts
    errors.install(app)
    for router in (uploads, jobs, videos, shared, presets, me, health):
        app.include_router(router.router, prefix=API)

    @app.get(f"{API}/oauth_callback", include_in_schema=False)
    @app.get("/oauth_callback", include_in_schema=False)
    def oauth_callback(request: Request, code: str = "", state: str = "") -> Response:
        """The end of the hub's OAuth login: the session cookie, then the API's docs."""
        if hub is None or not code or state != request.cookies.get(STATE_COOKIE):
            raise NotAuthenticated("the login did not come back from JupyterHub")
        sealed = parts.identity.sealed_session(hub.token_for_code(code))
        root = request.scope.get("root_path", "")
        back_to = request.cookies.get(NEXT_COOKIE, "")
        if not back_to.startswith(f"{root}/") or back_to.startswith("//"):
            back_to = f"{root}{API}/docs"  # only a page of this service, never elsewhere
        answer = RedirectResponse(back_to, 302)
        answer.set_cookie(
            SESSION_COOKIE,
            sealed,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
            path=request.scope.get("root_path", "") or "/",
        )
        answer.delete_cookie(STATE_COOKIE)
        answer.delete_cookie(NEXT_COOKIE)
        return answer

    origins = [o.strip() for o in settings.pdf2video_cors_origins.split(",") if o.strip()]
    if origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_credentials=True,
            allow_methods=["*"],
            allow_headers=["Authorization", "Content-Type", "X-Request-ID"],
            expose_headers=["X-Request-ID", "Retry-After", "Content-Range"],
        )
    app.add_middleware(
        BodyLimit, upload_mb=settings.max_upload_size_mb, uploads_path=f"{API}/uploads"
    )
    app.add_middleware(RequestContext)
    return app
