"""Shared fixtures: a clean environment per test and the generated input documents."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pdf2video.core.backend import LocalBackend
from pdf2video.core.config import Settings
from tests import builders
from tests.webhook_receiver import Receiver

# Every setting's variable, and the hub's user name: none may leak in from outside.
_SETTING_VARS = (
    *(name.upper() for name in Settings.model_fields if name != "pdf2video_home"),
    "JUPYTERHUB_USER",
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


@pytest.fixture
def settings() -> Settings:
    """The settings of the test's private workspace."""
    from pdf2video.core.config import load_settings  # noqa: PLC0415

    return load_settings()


@pytest.fixture
def alice(settings: Settings) -> LocalBackend:
    """An editor, acting through the local backend on a fresh store."""
    return LocalBackend(settings, "alice")


@pytest.fixture
def bob(settings: Settings, alice: LocalBackend) -> LocalBackend:
    """Another editor on the same store."""
    return LocalBackend(settings, "bob", store=alice.store)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A webhook receiver on 127.0.0.1."""
    found = Receiver()
    yield found
    found.close()
