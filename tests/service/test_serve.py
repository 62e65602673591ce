"""``pdf2video serve`` as an operator runs it: the token printed once, the worker beside it."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import httpx
import psutil
import pytest
from fastapi import APIRouter

from pdf2video.core.config import load_settings
from pdf2video.service.app import create_app
from tests.service.conftest import start_service, stop_service


def test_serve_makes_a_private_token_prints_it_once_and_stops_its_worker(tmp_path: Path):
    home = tmp_path / "home"
    first = start_service(home, PDF2VIDEO_API_TOKEN="")
    try:
        token_file = home / "api-token"
        token = token_file.read_text().strip()
        assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
        headers = {"Authorization": f"Bearer {token}"}
        assert httpx.get(f"{first.api}/me", headers=headers).json()["role"] == "admin"
        children = psutil.Process(first.process.pid).children(recursive=True)
        assert any("worker" in " ".join(c.cmdline()) for c in children)
    finally:
        stop_service(first)
    assert first.process.returncode == 0
    assert not [c for c in children if c.is_running() and c.status() != psutil.STATUS_ZOMBIE]
    printed = [line for line in first.logs() if token in line]
    assert len(printed) == 1 and "shown once" in printed[0]

    again = start_service(home, PDF2VIDEO_API_TOKEN="")
    try:
        assert httpx.get(f"{again.api}/me", headers=headers).status_code == 200
    finally:
        stop_service(again)
    assert not [line for line in again.logs() if token in line]


@pytest.mark.anyio
async def test_an_unexpected_error_answers_500_with_the_request_id_and_no_traceback(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    app = create_app(load_settings(pdf2video_home=tmp_path, pdf2video_api_token="t"))
    broken = APIRouter()

    @broken.get("/api/v1/broken")
    def explode() -> None:
        raise RuntimeError("secret internals at /srv/data")

    app.include_router(broken)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        answer = await client.get("/api/v1/broken", headers={"X-Request-ID": "req-12345678"})
    assert answer.status_code == 500
    error = answer.json()["error"]
    assert error["code"] == "INTERNAL_ERROR" and "req-12345678" in error["message"]
    assert "secret" not in answer.text and "Traceback" not in answer.text
    assert answer.headers["x-request-id"] == "req-12345678"
    assert any("secret internals" in (r.exc_text or "") for r in caplog.records)


def test_the_openapi_command_checks_the_file(tmp_path: Path):
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pdf2video.core.cli", "openapi", *args],
            capture_output=True,
            text=True,
            check=False,
        )

    target = tmp_path / "openapi.json"
    assert run("--output", str(target)).returncode == 0
    assert run("--output", str(target), "--check").returncode == 0
    target.write_text(target.read_text().replace("pdf2video service", "something else"))
    stale = run("--output", str(target), "--check")
    assert stale.returncode == 1 and "is not the app's schema" in stale.stderr


@pytest.mark.anyio
async def test_cors_answers_only_the_configured_origins_and_seed_settings_map(tmp_path: Path):
    settings = load_settings(
        pdf2video_home=tmp_path,
        pdf2video_api_token="t",
        pdf2video_cors_origins="https://app.example",
    )
    transport = httpx.ASGITransport(app=create_app(settings))
    headers = {"Authorization": "Bearer t"}
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        for origin, allowed in (("https://app.example", True), ("https://evil.example", False)):
            answer = await client.options(
                "/api/v1/jobs",
                headers={"Origin": origin, "Access-Control-Request-Method": "POST"},
            )
            assert (answer.headers.get("access-control-allow-origin") == origin) is allowed
        made = await client.post(
            "/api/v1/jobs",
            headers=headers,
            json={
                "source_type": "text_images",
                "text_content": "# A\n\nSome text.",
                "settings": {"voice": "joe", "fps": 25, "generate_backgrounds": True},
                "preset_id": "builtin-draft",
            },
        )
        assert made.status_code == 201, made.text
        job = made.json()
        assert job["settings"]["backgrounds"] == "openai" and job["settings"]["fps"] == 25
        assert job["preset_id"] == "builtin-draft"
        assert job["request"]["settings"]["voice"] == "joe"
