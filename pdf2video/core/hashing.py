"""Content hashes: of files, of bytes, and of a stage's inputs (the one place for each)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

_CHUNK = 1 << 20


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """Hash a file in chunks, so a large one is never held in memory."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, Path):
        return str(value)
    return value


def inputs_hash(*parts: Any) -> str:
    """A stable hash of everything that shapes a stage's output (models, dicts, strings)."""
    canonical = json.dumps([_plain(p) for p in parts], sort_keys=True, default=str)
    return sha256_bytes(canonical.encode("utf-8"))
