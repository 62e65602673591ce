"""JupyterHub's service authentication, spoken with plain httpx.

When JupyterHub runs the service it sets ``JUPYTERHUB_API_URL``, ``JUPYTERHUB_API_TOKEN``,
``JUPYTERHUB_SERVICE_NAME``, ``JUPYTERHUB_CLIENT_ID`` and ``JUPYTERHUB_OAUTH_CALLBACK_URL``.
A program sends a hub API token (``Authorization: token ...`` or ``Bearer ...``); the
hub says whose it is (``GET {api}/user`` with that token) and which scopes it carries,
and it must carry access to this service. A browser is sent through the hub's OAuth
login once; the token it comes back with is sealed into a cookie. Answers are cached
for a minute so a page of requests costs the hub one question.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import threading
import time
from urllib.parse import urlencode

import httpx
from pydantic import BaseModel, Field

from pdf2video.core.errors import NotAuthenticated, ProviderUnavailable

CACHE_S = 60.0


class HubUser(BaseModel):
    name: str
    admin: bool = False
    scopes: list[str] = Field(default_factory=list)


class HubAuth:
    def __init__(
        self,
        api_url: str,
        api_token: str,
        service_name: str,
        *,
        client_id: str = "",
        callback_url: str = "",
        hub_prefix: str = "/hub/",
    ) -> None:
        self.api_url = api_url.rstrip("/")
        self.api_token = api_token
        self.service_name = service_name
        self.client_id = client_id or f"service-{service_name}"
        self.callback_url = callback_url
        self.hub_prefix = hub_prefix
        self._cache: dict[str, tuple[float, HubUser | None]] = {}
        self._lock = threading.Lock()
        self._http = httpx.Client(timeout=10.0)

    @classmethod
    def from_env(cls) -> HubAuth | None:
        """The hub this service runs under, or None when it runs on its own."""
        env = os.environ
        if not (env.get("JUPYTERHUB_API_URL") and env.get("JUPYTERHUB_API_TOKEN")):
            return None
        return cls(
            env["JUPYTERHUB_API_URL"],
            env["JUPYTERHUB_API_TOKEN"],
            env.get("JUPYTERHUB_SERVICE_NAME", "pdf2video"),
            client_id=env.get("JUPYTERHUB_CLIENT_ID", ""),
            callback_url=env.get("JUPYTERHUB_OAUTH_CALLBACK_URL", ""),
            hub_prefix=env.get("JUPYTERHUB_BASE_URL", "/").rstrip("/") + "/hub/",
        )

    def allowed(self, user: HubUser) -> bool:
        wanted = {"access:services", f"access:services!service={self.service_name}"}
        return bool(wanted & set(user.scopes))

    def user_for_token(self, token: str) -> HubUser | None:
        """Who the hub says owns ``token``, if it may use this service; None otherwise."""
        key = hashlib.sha256(token.encode()).hexdigest()
        moment = time.monotonic()
        with self._lock:
            cached = self._cache.get(key)
        if cached and cached[0] > moment:
            return cached[1]
        try:
            answer = self._http.get(
                f"{self.api_url}/user", headers={"Authorization": f"token {token}"}
            )
        except httpx.HTTPError as exc:
            raise ProviderUnavailable(f"JupyterHub did not answer: {exc}") from None
        user: HubUser | None = None
        if answer.status_code == 200:
            found = HubUser.model_validate(answer.json())
            user = found if self.allowed(found) else None
        elif answer.status_code not in (401, 403, 404):
            raise ProviderUnavailable(f"JupyterHub answered {answer.status_code}")
        with self._lock:
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[key] = (moment + CACHE_S, user)
        return user

    # The browser's way in: the hub's OAuth login, once per session.
    def login_url(self, state: str) -> str:
        query = urlencode(
            {
                "client_id": self.client_id,
                "redirect_uri": self.callback_url,
                "response_type": "code",
                "state": state,
            }
        )
        return f"{self.hub_prefix}api/oauth2/authorize?{query}"

    @staticmethod
    def new_state() -> str:
        return secrets.token_urlsafe(24)

    def token_for_code(self, code: str) -> str:
        answer = self._http.post(
            f"{self.api_url}/oauth2/token",
            data={
                "client_id": self.client_id,
                "client_secret": self.api_token,
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": self.callback_url,
            },
        )
        if answer.status_code != 200:
            raise NotAuthenticated("JupyterHub refused the login; sign in again")
        return str(answer.json()["access_token"])
