"""What each person's server is, decided when it starts (JupyterHub's ``pre_spawn_hook``).

- Editors and admins get JupyterLab opening the studio notebook, in their own
  workspace (``~/pdf2video``); viewers (and anyone in no group) get only the Voilà app,
  with the locked-down server config of :mod:`pdf2video.hub.viewer`.
- When the hub runs as root, each person's server runs as their own system account,
  made on first spawn with a home only they can enter (0700); the service runs as
  ``pdf2video``, the only account that can open the store and the media. Without root
  every server runs as the hub's own user and people are not isolated from each other;
  the hub's log says so at start.
"""

from __future__ import annotations

import logging
import os
import pwd
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
SERVICE_ACCOUNT = "pdf2video"
SAFE_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,30}$")
log = logging.getLogger("pdf2video.hub")


def isolated() -> bool:
    """True when servers can run as their own system accounts (the hub is root)."""
    return os.geteuid() == 0


def ensure_account(name: str, home: Path | None = None) -> pwd.struct_passwd:
    """The system account ``name``, made (no login shell, home 0700) when it is missing."""
    if not SAFE_NAME.match(name):
        raise ValueError(f"{name!r} cannot be a system account name")
    try:
        account = pwd.getpwnam(name)
    except KeyError:
        home = home or Path("/home") / name
        subprocess.run(
            [
                "useradd",
                "--create-home",
                "--home-dir",
                str(home),
                "--shell",
                "/usr/sbin/nologin",
                "--user-group",
                name,
            ],
            check=True,
            capture_output=True,
        )
        account = pwd.getpwnam(name)
    Path(account.pw_dir).mkdir(parents=True, exist_ok=True)
    os.chown(account.pw_dir, account.pw_uid, account.pw_gid)
    Path(account.pw_dir).chmod(0o700)
    return account


def can_run_python(account: str) -> bool:
    """Whether ``account`` can start this Python and import pdf2video (its servers must)."""
    probe = subprocess.run(
        ["runuser", "-u", account, "--", sys.executable, "-c", "import pdf2video"],
        capture_output=True,
        check=False,
        cwd="/",
    )
    return probe.returncode == 0


def group_of(user: Any) -> str:
    names = {g.name for g in getattr(user, "groups", [])}
    if user.admin or "admin" in names:
        return "admin"
    return "editor" if "editor" in names else "viewer"


def pre_spawn_hook(spawner: Any) -> None:
    name = spawner.user.name
    group = group_of(spawner.user)
    if isolated():
        home = Path(ensure_account(name).pw_dir)
    else:
        home = Path(spawner.home_dir_template.format(username=name))  # type: ignore[attr-defined]
        home.mkdir(parents=True, exist_ok=True)
    workspace = home / "pdf2video"
    spawner.environment = dict(spawner.environment, PDF2VIDEO_HOME=str(workspace))
    if group == "viewer":
        spawner.args = ["--config", str(REPO / "voila_apps" / "viewer_server_config.py")]
        spawner.default_url = "/voila/render/app.ipynb"
    else:
        studio = home / "studio.ipynb"
        if not studio.exists():
            shutil.copyfile(REPO / "notebooks" / "studio.ipynb", studio)
        spawner.notebook_dir = str(home)
        spawner.args = ["--ServerApp.terminals_enabled=True"]
        spawner.default_url = "/lab/tree/studio.ipynb"
        spawner.environment["PDF2VIDEO_LAB_ROOT"] = str(home)
    if isolated():
        account = pwd.getpwnam(name)
        for path in (home / "studio.ipynb", workspace):
            if path.exists():
                os.chown(path, account.pw_uid, account.pw_gid)
    log.info("starting %s's server as a %s", name, group)
