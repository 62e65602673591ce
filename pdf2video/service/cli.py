"""The service's commands: ``pdf2video serve``, ``pdf2video tokens ...``, ``pdf2video openapi``.

``serve`` runs uvicorn on the app with a worker process beside it (stopped with it);
under JupyterHub the hub's service variables give the address and the URL prefix.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlparse

from rich.console import Console

from pdf2video.core import api_tokens, json_logs
from pdf2video.core.backend import LocalBackend
from pdf2video.core.config import Settings, load_settings
from pdf2video.core.errors import Forbidden, Pdf2VideoError
from pdf2video.core.users import get_user
from pdf2video.service.auth import service_token, token_file
from pdf2video.service.prefix import StripPrefix


def _start_worker(settings: Settings, concurrency: int | None) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "pdf2video.core.cli", "worker"]
    if concurrency:
        command += ["--concurrency", str(concurrency)]
    env = dict(os.environ, PDF2VIDEO_HOME=str(settings.pdf2video_home), LOG_FORMAT="json")
    env.pop("PDF2VIDEO_SERVICE_URL", None)
    return subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL)


def cmd_serve(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    import uvicorn  # noqa: PLC0415

    from pdf2video.service.app import create_app  # noqa: PLC0415

    json_logs.configure()
    hub_url = os.environ.get("JUPYTERHUB_SERVICE_URL")
    host, port = args.host, args.port
    if hub_url and args.host == "127.0.0.1" and args.port == 8765:
        where = urlparse(hub_url)
        host, port = where.hostname or host, where.port or port
    prefix = args.root_path or os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "")
    if not os.environ.get("JUPYTERHUB_API_TOKEN") or settings.pdf2video_api_token:
        token, made = service_token(settings)  # before the app, which reads it
        if made:
            sys.stdout.write(f"API token (shown once; kept in {token_file(settings)}): {token}\n")
        elif settings.pdf2video_api_token is None:
            sys.stdout.write(f"API token: in {token_file(settings)}\n")
    app = create_app(settings)
    sys.stdout.write(
        f"pdf2video service on http://{host}:{port}{prefix.rstrip('/')}/api/v1 "
        f"(docs at /api/v1/docs), workspace {settings.pdf2video_home}\n"
    )
    sys.stdout.flush()
    worker = None if args.no_worker else _start_worker(settings, args.concurrency)
    try:
        uvicorn.run(
            StripPrefix(app, prefix) if prefix.strip("/") else app,
            host=host,
            port=port,
            log_config=None,
            access_log=False,
            timeout_graceful_shutdown=5,
        )
    finally:
        if worker is not None:
            worker.terminate()  # it hands its running jobs back to the queue
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
    return 0


def cmd_tokens_create(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    me = LocalBackend(settings).user
    owner = me
    if args.user and args.user != me.name:
        if not me.is_admin:
            raise Forbidden("only an admin (PDF2VIDEO_ADMINS) makes tokens for other users")
        owner = get_user(LocalBackend(settings).store, args.user)
    secret, record = api_tokens.create_token(
        LocalBackend(settings).store, owner, args.name, expires_in_days=args.days
    )
    console.print(f"token {record.id} for {record.owner} (shown once, keep it safe):", markup=False)
    sys.stdout.write(secret + "\n")
    return 0


def cmd_tokens_list(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    backend = LocalBackend(settings)
    found = api_tokens.list_tokens(backend.store, backend.user)
    if args.json:
        sys.stdout.write(json.dumps([t.model_dump() for t in found], indent=2) + "\n")
    for token in found:
        console.print(f"{token.id}  {token.name}  {token.owner}", markup=False)
    if not found and not args.json:
        console.print("No tokens.", markup=False)
    return 0


def cmd_tokens_revoke(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    backend = LocalBackend(settings)
    api_tokens.revoke_token(backend.store, backend.user, args.token_id)
    console.print(f"revoked token {args.token_id}", markup=False)
    return 0


def schema_text() -> str:
    """The app's OpenAPI schema as the checked-in file holds it."""
    from pdf2video.service.app import create_app  # noqa: PLC0415

    with tempfile.TemporaryDirectory(prefix="pdf2video-openapi-") as home:
        settings = load_settings(pdf2video_home=home, pdf2video_api_token="schema")
        app = create_app(settings)
        return json.dumps(app.openapi(), indent=2, sort_keys=True) + "\n"


def cmd_openapi(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    text, path = schema_text(), Path(args.output)
    if args.check:
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            raise Pdf2VideoError(
                f"{path} is not the app's schema; run 'pdf2video openapi' and commit it"
            )
        console.print(f"{path} matches the app", markup=False)
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    console.print(f"wrote {path}", markup=False)
    return 0
