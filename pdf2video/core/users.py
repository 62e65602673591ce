"""Who is calling, what they may do, and the one owner check every query uses.

A user row is made on first sight: under JupyterHub the name comes from
``JUPYTERHUB_USER`` (the hub sets it for each user's server), otherwise it is the OS
user. Roles: ``admin`` sees and manages everyone's rows; ``editor`` makes and manages
their own; ``viewer`` only looks at their own. The names in ``PDF2VIDEO_ADMINS`` are
admins; anyone else starts as an editor (an admin may change that with ``set_role``).

:func:`owned` is the single place that turns "rows this user may touch" into SQL.
"""

from __future__ import annotations

import getpass
import os
import re
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from pdf2video.core.errors import Forbidden, NotFound, Pdf2VideoError
from pdf2video.core.store import Store, now

USER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")


class Role(StrEnum):
    ADMIN = "admin"
    EDITOR = "editor"
    VIEWER = "viewer"


class User(BaseModel):
    name: str
    display_name: str
    role: Role

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def require_editor(self) -> None:
        if self.role is Role.VIEWER:
            raise Forbidden(f"{self.name} may watch videos but not make or change them")


def current_name() -> str:
    """The caller's name: the hub's user when under JupyterHub, else the OS user."""
    return os.environ.get("JUPYTERHUB_USER") or getpass.getuser()


def admin_names(admins: str) -> frozenset[str]:
    """The names in ``PDF2VIDEO_ADMINS`` (comma-separated)."""
    return frozenset(n.strip() for n in admins.split(",") if n.strip())


def get_user(
    store: Store,
    name: str | None = None,
    *,
    admins: frozenset[str] = frozenset(),
    display_name: str | None = None,
) -> User:
    """The user ``name`` (default: the caller), made on first sight; ``admins`` are admins."""
    name = name or current_name()
    if not USER_NAME.match(name):
        raise Pdf2VideoError(f"{name!r} is not a usable user name")
    row = store.one("SELECT * FROM users WHERE name = ?", (name,))
    if row is None:
        role = Role.ADMIN if name in admins else Role.EDITOR
        with store.transaction() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO users (name, display_name, role, created_at) "
                "VALUES (?, ?, ?, ?)",
                (name, display_name or name, role.value, now()),
            )
        row = store.one("SELECT * FROM users WHERE name = ?", (name,))
        assert row is not None
    elif name in admins and row["role"] != Role.ADMIN:
        set_role(store, name, Role.ADMIN)
        row["role"] = Role.ADMIN.value
    return User(name=row["name"], display_name=row["display_name"], role=Role(row["role"]))


def set_role(store: Store, name: str, role: Role) -> None:
    with store.transaction() as conn:
        conn.execute("UPDATE users SET role = ? WHERE name = ?", (role.value, name))


def owned(user: User, alias: str = "") -> tuple[str, tuple[Any, ...]]:
    """The SQL condition for rows ``user`` may see: their own, or all of them for an admin."""
    column = f"{alias}.owner" if alias else "owner"
    if user.is_admin:
        return "1 = 1", ()
    return f"{column} = ?", (user.name,)


def find_owned(
    store: Store, table: str, row_id: str, user: User, missing: type[NotFound] = NotFound
) -> dict[str, Any]:
    """One row by id that ``user`` may see; someone else's row is reported as missing."""
    where, params = owned(user)
    row = store.one(f"SELECT * FROM {table} WHERE id = ? AND {where}", (row_id, *params))
    if row is None:
        raise missing(f"there is no {table[:-1]} {row_id!r}")
    return row
