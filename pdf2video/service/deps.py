"""What every route may ask for: the service's parts, the caller, the caller's backend.

Routes act through :class:`pdf2video.core.backend.LocalBackend` bound to the caller,
the same code the CLI and the studio use on one machine, so owner checks and rules
live in core once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from pdf2video.core.backend import LocalBackend
from pdf2video.core.config import Settings
from pdf2video.core.store import Store
from pdf2video.core.users import User
from pdf2video.service.auth import Identity
from pdf2video.service.events import JobWatcher
from pdf2video.service.rate_limit import RateLimiter

API = "/api/v1"


@dataclass
class Parts:
    settings: Settings
    store: Store
    identity: Identity
    limiter: RateLimiter
    watcher: JobWatcher


def parts(request: Request) -> Parts:
    found: Parts = request.app.state.parts
    return found


def current_user(request: Request) -> User:
    return parts(request).identity.user_for(request)


def caller_backend(request: Request, user: Annotated[User, Depends(current_user)]) -> LocalBackend:
    found = parts(request)
    return LocalBackend(found.settings, store=found.store, user=user)


def api_base(request: Request) -> str:
    """The path of the API as the caller sees it (behind JupyterHub's proxy: its prefix)."""
    root: str = request.scope.get("root_path", "")
    return root.rstrip("/") + API


PartsDep = Annotated[Parts, Depends(parts)]
UserDep = Annotated[User, Depends(current_user)]
BackendDep = Annotated[LocalBackend, Depends(caller_backend)]
BaseDep = Annotated[str, Depends(api_base)]
