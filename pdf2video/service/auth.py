"""Who is calling: the one place the service turns credentials into a user.

Identity comes only from a credential the service can check, never from a header or
field the caller sets (``X-Forwarded-User``, a ``user`` field, ...):

- ``Authorization: Bearer <token>`` (or ``token <token>``) with a token this service
  issued (``pdf2video tokens create``), or the service's own token (``PDF2VIDEO_API_TOKEN``
  or ``<workspace>/api-token``), which acts as the service's owner, an admin;
- under JupyterHub, a hub API token, or the session cookie a browser gets from the
  hub's OAuth login (:mod:`pdf2video.service.hub_auth`).
"""

from __future__ import annotations

import hmac
import secrets
from pathlib import Path

from cryptography.fernet import InvalidToken
from starlette.requests import HTTPConnection

from pdf2video.core import api_tokens
from pdf2video.core.config import Settings
from pdf2video.core.errors import NotAuthenticated
from pdf2video.core.store import Store
from pdf2video.core.user_keys import fernet, secret_file
from pdf2video.core.users import User, admin_names, current_name, get_user
from pdf2video.service.hub_auth import HubAuth

SESSION_COOKIE = "pdf2video-session"
STATE_COOKIE = "pdf2video-oauth-state"
NEXT_COOKIE = "pdf2video-oauth-next"


class LoginRequired(NotAuthenticated):
    """A browser without a session under JupyterHub: sent to the hub's login."""

    def __init__(self, login_url: str, state: str, back_to: str) -> None:
        super().__init__("sign in through JupyterHub")
        self.login_url, self.state, self.back_to = login_url, state, back_to


def token_file(settings: Settings) -> Path:
    return settings.pdf2video_home / "api-token"


def service_token(settings: Settings) -> tuple[str, bool]:
    """The service's own token, and whether it was just made (to print it once)."""
    if settings.pdf2video_api_token is not None:
        return settings.pdf2video_api_token.get_secret_value(), False
    return secret_file(token_file(settings), lambda: secrets.token_urlsafe(32))


def bearer(connection: HTTPConnection) -> str | None:
    header = connection.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() in ("bearer", "token") and value.strip():
        return value.strip()
    return None


class Identity:
    def __init__(
        self,
        settings: Settings,
        store: Store,
        *,
        token: str | None,
        owner: str | None = None,
        hub: HubAuth | None = None,
    ) -> None:
        self.settings, self.store, self.hub = settings, store, hub
        self.token = token
        self.owner = owner or current_name()
        self.admins = admin_names(settings.pdf2video_admins)

    def _user(self, name: str, *, admin: bool = False) -> User:
        return get_user(self.store, name, admins=self.admins | ({name} if admin else set()))

    def _from_token(self, token: str) -> User | None:
        if token.startswith(api_tokens.PREFIX):
            return api_tokens.user_for_token(self.store, token, admins=self.admins)
        if self.token and hmac.compare_digest(token.encode(), self.token.encode()):
            return self._user(self.owner, admin=True)
        if self.hub is not None:
            found = self.hub.user_for_token(token)
            return self._user(found.name, admin=found.admin) if found else None
        return None

    def sealed_session(self, hub_token: str) -> str:
        return fernet(self.settings).encrypt(hub_token.encode()).decode()

    def user_for(self, connection: HTTPConnection) -> User:
        """The caller, or :class:`NotAuthenticated` (a browser under a hub: the login)."""
        token = bearer(connection)
        user = self._from_token(token) if token else None
        if token and user is None:
            raise NotAuthenticated("the token is not valid (wrong, expired or revoked)")
        if user is None and self.hub is not None and SESSION_COOKIE in connection.cookies:
            try:
                sealed = connection.cookies[SESSION_COOKIE].encode()
                user = self._from_token(fernet(self.settings).decrypt(sealed).decode())
            except (InvalidToken, UnicodeError):
                user = None
        if user is None:
            accepts_html = "text/html" in connection.headers.get("accept", "")
            if self.hub is not None and accepts_html:
                state = self.hub.new_state()
                path = connection.scope.get("root_path", "") + connection.url.path
                query = f"?{connection.url.query}" if connection.url.query else ""
                raise LoginRequired(self.hub.login_url(state), state, path + query)
            raise NotAuthenticated(
                "sign in: send 'Authorization: Bearer <token>' (see pdf2video serve)"
            )
        connection.scope.setdefault("state", {})["user_name"] = user.name
        return user
