"""``pdf2video hub``: JupyterHub with pdf2video's config; ``pdf2video hub role``: a user's group.

The hub's state (its database, cookie secret, proxy pid, the admin token) lives in
``<workspace>/hub``; the service's store and media in the workspace itself, owned by
the ``pdf2video`` system account when the hub runs as root.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
from rich.console import Console

from pdf2video.core.config import Settings
from pdf2video.core.errors import InvalidSetting, Pdf2VideoError
from pdf2video.hub import spawn
from pdf2video.hub.hub_config import ADMIN_SERVICE, GROUPS, admin_token

CONFIG = spawn.REPO / "voila_apps" / "jupyterhub_config.py"


def state_for(settings: Settings) -> Path:
    return settings.pdf2video_home / "hub"


def cmd_hub(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    if getattr(args, "hub_command", None) == "role":
        return cmd_role(args, settings, console)
    home, state = settings.pdf2video_home, state_for(settings)
    state.mkdir(parents=True, exist_ok=True)
    state.chmod(0o700)
    ports = {
        "PDF2VIDEO_HUB_IP": args.ip,
        "PDF2VIDEO_HUB_PORT": str(args.port),
        "PDF2VIDEO_HUB_API_PORT": str(args.hub_api_port or args.port + 81),
        "PDF2VIDEO_PROXY_API_PORT": str(args.proxy_api_port or args.port + 1),
        "PDF2VIDEO_SERVICE_PORT": str(args.service_port),
    }
    (state / "hub.json").write_text(json.dumps(ports))
    if spawn.isolated():
        account = spawn.ensure_account(spawn.SERVICE_ACCOUNT, Path("/var/lib/pdf2video"))
        if not spawn.can_run_python(spawn.SERVICE_ACCOUNT):
            raise Pdf2VideoError(
                f"people's servers run as their own accounts, which cannot run {sys.executable} "
                "or read this checkout; make both readable by all, e.g. make .venv from the "
                "system's Python: rm -rf .venv && PYTHON=/usr/bin/python3 ./dev setup"
            )
        for path in [home, *home.glob("pdf2video.db*"), home / "uploads", home / "projects"]:
            if path.exists():
                os.chown(path, account.pw_uid, account.pw_gid)
        home.chmod(0o700)  # the service alone (and root, the hub) enters the workspace
        reach = ["runuser", "-u", spawn.SERVICE_ACCOUNT, "--", "test", "-w", str(home)]
        if subprocess.run(reach, check=False, capture_output=True).returncode != 0:
            raise Pdf2VideoError(
                f"the {spawn.SERVICE_ACCOUNT} account cannot reach the workspace {home} (a "
                "folder above it is closed); choose one it can, e.g. PDF2VIDEO_HOME=/srv/pdf2video"
            )
    else:
        sys.stderr.write(
            "pdf2video hub: not running as root, so every user's server runs as this account: "
            "users are NOT isolated from each other (run as root on a server)\n"
        )
    env = dict(
        os.environ,
        PDF2VIDEO_HOME=str(home),
        PDF2VIDEO_HUB_STATE=str(state),
        PDF2VIDEO_HUB_ADMIN=args.admin or "",
        PATH=f"{Path(sys.executable).parent}:{os.environ.get('PATH', '/usr/bin:/bin')}",  # node
        **ports,
    )
    command = [
        str(Path(sys.executable).parent / "jupyterhub"),
        "-f",
        str(CONFIG),
        *(["--debug"] if args.debug else []),
    ]
    os.chdir(state)
    os.execve(command[0], command, env)
    return 0  # not reached


def cmd_role(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    """Put ``name`` in one group (admin, editor or viewer) of the running hub."""
    if args.group not in GROUPS:
        raise InvalidSetting(f"the group is one of {', '.join(GROUPS)}, not {args.group!r}")
    state = state_for(settings)
    try:
        ports = json.loads((state / "hub.json").read_text())
        token = admin_token(state)
    except (OSError, ValueError):
        raise Pdf2VideoError(
            f"no hub has run with the workspace {settings.pdf2video_home}"
        ) from None
    api = f"http://127.0.0.1:{ports['PDF2VIDEO_HUB_API_PORT']}/hub/api"
    headers = {"Authorization": f"token {token}"}
    with httpx.Client(base_url=api, headers=headers, timeout=10) as hub:
        try:
            found = hub.get(f"/users/{args.name}")
            if found.status_code == 404:  # approved but not yet signed in: the hub's row now
                hub.post(f"/users/{args.name}").raise_for_status()
            else:
                found.raise_for_status()
            for group in GROUPS:
                action = "POST" if group == args.group else "DELETE"
                hub.request(
                    action, f"/groups/{group}/users", json={"users": [args.name]}
                ).raise_for_status()
            hub.patch(
                f"/users/{args.name}", json={"admin": args.group == "admin"}
            ).raise_for_status()
        except httpx.HTTPError as exc:
            raise Pdf2VideoError(f"the hub did not take the change: {exc}") from None
    console.print(
        f"{args.name} is now in the {args.group} group (from their next server start)",
        markup=False,
    )
    return 0


__all__ = ["ADMIN_SERVICE", "cmd_hub", "cmd_role"]
