"""The caller: who they are, their defaults, their own API key, their dashboard numbers."""

from __future__ import annotations

from fastapi import APIRouter

from pdf2video.core.backend import Stats
from pdf2video.core.user_prefs import UserPrefs
from pdf2video.service.deps import BackendDep
from pdf2video.service.schemas import ApiKey, CleanedUp, Cleanup, Me

router = APIRouter(tags=["me"])


@router.get("/me")
def me(backend: BackendDep) -> Me:
    user = backend.user
    return Me(
        name=user.name,
        display_name=user.display_name,
        role=user.role.value,
        has_api_key=backend.has_api_key(),
    )


@router.get("/me/prefs")
def get_prefs(backend: BackendDep) -> UserPrefs:
    return backend.prefs()


@router.put("/me/prefs")
def save_prefs(body: UserPrefs, backend: BackendDep) -> UserPrefs:
    return backend.save_prefs(body)


@router.put("/me/api-key", status_code=204)
def set_api_key(body: ApiKey, backend: BackendDep) -> None:
    """Keep the caller's own OpenAI key (encrypted at rest; never shown again)."""
    backend.set_api_key(body.api_key)


@router.delete("/me/api-key", status_code=204)
def forget_api_key(backend: BackendDep) -> None:
    backend.set_api_key(None)


@router.get("/stats")
def stats(backend: BackendDep) -> Stats:
    return backend.stats()


@router.post("/cleanup")
def cleanup(body: Cleanup, backend: BackendDep) -> CleanedUp:
    """Remove stale temporary files and finished jobs past the retention (editors, admins)."""
    return CleanedUp(jobs_removed=backend.cleanup(older_than_days=body.older_than_days))
