"""Shared fixtures: a clean environment per test and the generated input documents."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import builders

_SETTING_VARS = (
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "OPENAI_CHAT_MODEL",
    "OPENAI_VISION_MODEL",
    "IMAGE_CLASSIFIER",
    "VIDEO_WIDTH",
    "VIDEO_HEIGHT",
    "VIDEO_FPS",
    "VIDEO_CODEC",
    "VIDEO_BITRATE",
    "MAX_UPLOAD_SIZE_MB",
    "MAX_CONCURRENT_JOBS",
    "OPENAI_TIMEOUT_S",
    "OPENAI_MAX_RETRIES",
    "THUMBNAIL_PX",
    "PAGE_RENDER_PX",
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No user settings leak in: no .env from the checkout, a private workspace."""
    for name in _SETTING_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PDF2VIDEO_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    yield


@pytest.fixture(scope="session")
def docs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every generated input document, built once per test session."""
    root = tmp_path_factory.mktemp("docs")
    return {
        "two_column": builders.two_column_pdf(root / "two_column.pdf"),
        "images": builders.images_pdf(root / "images.pdf"),
        "scanned": builders.scanned_pdf(root / "scanned.pdf"),
        "encrypted": builders.encrypted_pdf(root / "encrypted.pdf"),
        "zero_pages": builders.zero_page_pdf(root / "zero_pages.pdf"),
        "wide": builders.wide_page_pdf(root / "wide.pdf"),
    }
