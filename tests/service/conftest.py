"""A real pdf2video service for the tests: ``pdf2video serve`` on 127.0.0.1, its own workspace.

Each service is a child process (uvicorn and its worker) on a free port, with a real
SQLite file; tests reach it with ``httpx`` over TCP. Users get tokens the way an admin
would make them (``pdf2video tokens create``), straight in the service's store.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from pdf2video.core import api_tokens
from pdf2video.core.config import Settings
from pdf2video.core.store import open_store
from pdf2video.core.users import get_user

OWNER_TOKEN = "owner-secret-token-for-tests"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def clean_environment(home: Path, **extra: str) -> dict[str, str]:
    setting_vars = {name.upper() for name in Settings.model_fields}
    env = {
        k: v
        for k, v in os.environ.items()
        if k.upper() not in setting_vars and not k.startswith("JUPYTERHUB_")
    }
    return env | {"PDF2VIDEO_HOME": str(home), "PDF2VIDEO_API_TOKEN": OWNER_TOKEN} | extra


@dataclass
class Service:
    url: str
    home: Path
    process: subprocess.Popen[bytes]
    log: Path
    tokens: dict[str, str] = field(default_factory=dict)

    @property
    def api(self) -> str:
        return f"{self.url}/api/v1"

    def token_for(self, name: str) -> str:
        if name not in self.tokens:
            store = open_store(self.home)
            secret, _ = api_tokens.create_token(store, get_user(store, name), "tests")
            store.close()
            self.tokens[name] = secret
        return self.tokens[name]

    def client(self, name: str | None = None, token: str | None = None) -> httpx.Client:
        token = token or (self.token_for(name) if name else None)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.api, headers=headers, timeout=60.0)

    def logs(self) -> list[str]:
        return self.log.read_text(encoding="utf-8", errors="replace").splitlines()


def start_service(home: Path, *args: str, **env: str) -> Service:
    port = free_port()
    home.mkdir(parents=True, exist_ok=True)
    log = home.parent / f"service-{port}.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "pdf2video.core.cli", "serve", "--port", str(port), *args],
        env=clean_environment(home, **env),
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    service = Service(f"http://127.0.0.1:{port}", home, process, log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the service stopped:\n" + "\n".join(service.logs()[-20:]))
        try:
            if httpx.get(f"{service.api}/health", timeout=1).status_code == 200:
                return service
        except httpx.HTTPError:
            time.sleep(0.2)
    stop_service(service)
    raise RuntimeError("the service did not start within 60 s")


def stop_service(service: Service) -> None:
    if service.process.poll() is None:
        service.process.send_signal(signal.SIGINT)
        try:
            service.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(service.process.pid, signal.SIGKILL)
            service.process.wait()


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """One service (with its worker) for a test module; uploads limited to 2 MB."""
    found = start_service(tmp_path_factory.mktemp("service") / "home", MAX_UPLOAD_SIZE_MB="2")
    yield found
    stop_service(found)
