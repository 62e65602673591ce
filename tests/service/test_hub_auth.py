"""Under JupyterHub: the hub says who owns a token; a browser goes through the hub's login.

A small stand-in for the hub's REST API (``/hub/api/user``, ``/hub/api/oauth2/token``)
answers here on 127.0.0.1; the service under test is the real one. A real JupyterHub
drives the same path in the hub issue's tests.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from tests.service.conftest import Service, start_service, stop_service

USERS = {
    "ada-hub-token": {
        "name": "ada",
        "admin": False,
        "scopes": ["access:services!service=pdf2video"],
    },
    "root-hub-token": {"name": "root", "admin": True, "scopes": ["access:services"]},
    "zed-hub-token": {"name": "zed", "admin": False, "scopes": ["read:users:name!user=zed"]},
}
CODES = {"good-code": "ada-hub-token"}


class Hub(BaseHTTPRequestHandler):
    def log_message(self, *_: object) -> None:
        pass

    def _json(self, status: int, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        token = self.headers.get("Authorization", "").removeprefix("token ")
        if self.path == "/hub/api/user" and token in USERS:
            self._json(200, USERS[token])
        else:
            self._json(403, {"status": 403, "message": "Forbidden"})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        form = parse_qs(self.rfile.read(length).decode())
        code = form.get("code", [""])[0]
        secret_ok = form.get("client_secret") == ["svc-token"]
        if self.path == "/hub/api/oauth2/token" and secret_ok and code in CODES:
            self._json(200, {"access_token": CODES[code], "token_type": "Bearer"})
            return
        self._json(400, {"error": "invalid_grant"})


@pytest.fixture(scope="module")
def hubbed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    hub = ThreadingHTTPServer(("127.0.0.1", 0), Hub)
    threading.Thread(target=hub.serve_forever, daemon=True).start()
    api = f"http://127.0.0.1:{hub.server_address[1]}/hub/api"
    found = start_service(
        tmp_path_factory.mktemp("hubbed") / "home",
        "--no-worker",
        JUPYTERHUB_API_URL=api,
        JUPYTERHUB_API_TOKEN="svc-token",
        JUPYTERHUB_SERVICE_NAME="pdf2video",
        JUPYTERHUB_CLIENT_ID="service-pdf2video",
        JUPYTERHUB_OAUTH_CALLBACK_URL="/services/pdf2video/oauth_callback",
        JUPYTERHUB_BASE_URL="/",
    )
    yield found
    stop_service(found)
    hub.shutdown()


def test_a_hub_token_is_its_hub_user_and_the_hubs_admins_are_admins(hubbed: Service):
    with hubbed.client(token="ada-hub-token") as ada:
        assert ada.get("/me").json() == {
            "name": "ada",
            "display_name": "ada",
            "role": "editor",
            "has_api_key": False,
        }
    with hubbed.client(token="root-hub-token") as root:
        assert root.get("/me").json()["role"] == "admin"


def test_a_token_without_access_to_the_service_or_unknown_to_the_hub_is_refused(hubbed: Service):
    for token in ("zed-hub-token", "made-up"):
        with hubbed.client(token=token) as caller:
            answer = caller.get("/me")
            assert answer.status_code == 401, token
            assert answer.json()["error"]["code"] == "NOT_AUTHENTICATED"


def test_a_browser_signs_in_through_the_hub_and_gets_a_session_cookie(hubbed: Service):
    with httpx.Client(base_url=hubbed.api, follow_redirects=False) as browser:
        first = browser.get("/me", headers={"Accept": "text/html"})
        assert first.status_code == 302
        login = urlparse(first.headers["location"])
        assert login.path == "/hub/api/oauth2/authorize"
        query = parse_qs(login.query)
        assert query["client_id"] == ["service-pdf2video"] and query["response_type"] == ["code"]
        state = query["state"][0]

        forged = browser.get("/oauth_callback", params={"code": "good-code", "state": "other"})
        assert forged.status_code == 401
        back = browser.get("/oauth_callback", params={"code": "good-code", "state": state})
        assert back.status_code == 302, back.text
        assert "pdf2video-session" in back.headers["set-cookie"].lower()
        assert "httponly" in back.headers["set-cookie"].lower()
        assert browser.get("/me").json()["name"] == "ada"
        browser.cookies.clear()
        assert browser.get("/me").status_code == 401
