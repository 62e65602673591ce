"""Presets: the built-in ones and the caller's own; create, update, delete, pick a default."""

from __future__ import annotations

from fastapi import APIRouter

from pdf2video.core.errors import Forbidden, PresetNotFound
from pdf2video.core.presets import find_preset
from pdf2video.service.deps import BackendDep
from pdf2video.service.schemas import DefaultPreset, PresetIn, PresetOut

router = APIRouter(prefix="/presets", tags=["presets"])


def _default_id(backend: BackendDep) -> str | None:
    preset = backend.default_preset()
    return preset.id if preset else None


@router.get("")
def list_presets(backend: BackendDep) -> list[PresetOut]:
    default = _default_id(backend)
    return [PresetOut.of(p, default) for p in backend.presets()]


@router.post("", status_code=201)
def create_preset(body: PresetIn, backend: BackendDep) -> PresetOut:
    """Save a preset under a name (an existing one of the same name is updated)."""
    return PresetOut.of(backend.save_preset(body.name, body.settings), _default_id(backend))


@router.put("/default")
def set_default(body: DefaultPreset, backend: BackendDep) -> DefaultPreset:
    preset = backend.set_default_preset(body.preset_id)
    return DefaultPreset(preset_id=preset.id if preset else None)


@router.get("/{preset_id}")
def get_preset(preset_id: str, backend: BackendDep) -> PresetOut:
    return PresetOut.of(find_preset(backend.store, backend.user, preset_id), _default_id(backend))


@router.put("/{preset_id}")
def update_preset(preset_id: str, body: PresetIn, backend: BackendDep) -> PresetOut:
    """Change one of the caller's presets (its name and settings)."""
    preset = find_preset(backend.store, backend.user, preset_id)
    if preset.built_in:
        raise Forbidden(f"{preset.name!r} is built in and cannot be changed")
    if preset.owner != backend.user.name:
        raise PresetNotFound(f"there is no preset {preset_id!r}")
    if body.name != preset.name:
        backend.delete_preset(preset.id)
    return PresetOut.of(backend.save_preset(body.name, body.settings), _default_id(backend))


@router.delete("/{preset_id}")
def delete_preset(preset_id: str, backend: BackendDep) -> PresetOut:
    return PresetOut.of(backend.delete_preset(preset_id))
