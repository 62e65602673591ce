"""The arguments of the store commands (jobs, videos, uploads, presets, worker, stats).

Only the parser lives here; each command names its function as ``module:function``, so
the command's module is imported when it runs (see :mod:`pdf2video.core.cli`).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from pdf2video.core.config import Encoder
from pdf2video.core.jobs import JobStatus


def add_choice_flags(parser: argparse.ArgumentParser) -> None:
    """The render settings a job or a preset may set (same names as ``render``)."""
    parser.add_argument("--resolution", metavar="WxH", help="e.g. 1280x720, or 720p .. 2160p")
    parser.add_argument("--fps", type=int, choices=[24, 25, 30, 50, 60])
    parser.add_argument("--aspect", choices=["16:9", "9:16", "1:1"])
    parser.add_argument("--voice", metavar="NAME")
    parser.add_argument("--speed", type=float, metavar="X")
    parser.add_argument("--captions", choices=["burn", "sidecar", "off"])
    parser.add_argument("--backgrounds", choices=["offline", "openai"])
    parser.add_argument("--encoder", choices=[e.value for e in Encoder])
    parser.add_argument("--draft", action="store_true", default=None, help="480p, fastest")


def register_store_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    jobs = commands.add_parser("jobs", help="submit and manage render jobs (run by the worker)")
    job_commands = jobs.add_subparsers(dest="jobs_command", metavar="ACTION", required=True)
    submit = job_commands.add_parser(
        "submit",
        help="queue a video: a PDF, or a .md/.txt file with images",
        description="Upload the files and queue a job; prints the job's id. A worker "
        "(pdf2video worker) runs it; --wait follows it to the end.",
    )
    submit.add_argument("files", nargs="+", type=Path, metavar="FILE")
    submit.add_argument("--title")
    submit.add_argument("--preset", metavar="NAME")
    submit.add_argument("--music", type=Path, metavar="FILE")
    submit.add_argument("--logo", type=Path, metavar="FILE")
    add_choice_flags(submit)
    submit.add_argument(
        "--webhook", metavar="URL", help="POST there when the job ends (signed with WEBHOOK_SECRET)"
    )
    submit.add_argument("--wait", action="store_true", help="follow the job until it ends")
    submit.add_argument("--json", action="store_true")
    submit.set_defaults(run="cli_store:cmd_jobs_submit")
    listing = job_commands.add_parser("list", help="your jobs, newest first")
    listing.add_argument("--status", action="append", choices=[s.value for s in JobStatus])
    listing.add_argument("--search", metavar="TEXT", help="in the title")
    listing.add_argument("--since", metavar="YYYY-MM-DD")
    listing.add_argument("--until", metavar="YYYY-MM-DD")
    listing.add_argument("--limit", type=int, default=50)
    listing.add_argument("--offset", type=int, default=0)
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(run="cli_store:cmd_jobs_list")
    for action, helptext in (
        ("show", "one job"),
        ("cancel", "stop a job (within seconds)"),
        ("retry", "queue a failed or cancelled job again"),
        ("delete", "delete a job with its files and video"),
    ):
        sub = job_commands.add_parser(action, help=helptext)
        sub.add_argument("job_id", metavar="ID")
        sub.add_argument("--json", action="store_true")
        sub.set_defaults(run="cli_store:cmd_job_action", action=action)

    videos = commands.add_parser("videos", help="your finished videos")
    video_commands = videos.add_subparsers(dest="videos_command", metavar="ACTION", required=True)
    vlist = video_commands.add_parser("list", help="the library")
    vlist.add_argument("--sort", choices=["date", "title", "duration"], default="date")
    vlist.add_argument("--search", metavar="TEXT")
    vlist.add_argument("--source-type", choices=["pdf", "text_images"])
    vlist.add_argument("--json", action="store_true")
    vlist.set_defaults(run="cli_store:cmd_videos_list")
    vdelete = video_commands.add_parser("delete", help="delete videos (their files too)")
    vdelete.add_argument("video_ids", nargs="+", metavar="ID")
    vdelete.set_defaults(run="cli_store:cmd_videos_delete")

    ups = commands.add_parser("uploads", help="your uploaded files")
    upload_commands = ups.add_subparsers(dest="uploads_command", metavar="ACTION", required=True)
    ulist = upload_commands.add_parser("list")
    ulist.add_argument("--json", action="store_true")
    ulist.set_defaults(run="cli_store:cmd_uploads_list")
    uadd = upload_commands.add_parser("add", help="upload files (checked, deduplicated)")
    uadd.add_argument("files", nargs="+", type=Path, metavar="FILE")
    uadd.add_argument("--json", action="store_true")
    uadd.set_defaults(run="cli_store:cmd_uploads_add")
    udelete = upload_commands.add_parser("delete")
    udelete.add_argument("upload_id", metavar="ID")
    udelete.set_defaults(run="cli_store:cmd_uploads_delete")

    pre = commands.add_parser("presets", help="named render settings")
    preset_commands = pre.add_subparsers(dest="presets_command", metavar="ACTION", required=True)
    plist = preset_commands.add_parser("list")
    plist.add_argument("--json", action="store_true")
    plist.set_defaults(run="cli_store:cmd_presets_list")
    pcreate = preset_commands.add_parser("create", help="create or update one of yours")
    pcreate.add_argument("name")
    add_choice_flags(pcreate)
    pcreate.add_argument("--default", action="store_true", help="use it when a job names none")
    pcreate.set_defaults(run="cli_store:cmd_presets_create")
    pdelete = preset_commands.add_parser("delete")
    pdelete.add_argument("name", metavar="NAME|ID")
    pdelete.set_defaults(run="cli_store:cmd_presets_delete")

    worker = commands.add_parser(
        "worker",
        help="run queued jobs (until stopped)",
        description="Run queued jobs, each in its own process, until SIGTERM or Ctrl-C; "
        "jobs it was running go back to the queue.",
    )
    worker.add_argument("--concurrency", type=int, metavar="N", help="default MAX_CONCURRENT_JOBS")
    worker.add_argument("--once", action="store_true", help="stop when the queue is empty")
    worker.add_argument(
        "--nice", type=int, default=0, metavar="N", help="run at a lower CPU priority (1-19)"
    )
    worker.set_defaults(run="cli_store:cmd_worker")

    stats = commands.add_parser("stats", help="videos, jobs, storage, encoder and GPU")
    stats.add_argument("--json", action="store_true")
    stats.set_defaults(run="cli_store:cmd_stats")


def register_service_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    """``serve``, ``tokens`` and ``openapi``: the pdf2video service (needs pdf2video[service])."""
    serve = commands.add_parser(
        "serve",
        help="run the pdf2video service (the /api/v1 HTTP API) and its worker",
        description="Serve the REST API over this workspace's store, with a worker beside it. "
        "Callers send 'Authorization: Bearer <token>': PDF2VIDEO_API_TOKEN, the token made "
        "into <workspace>/api-token on first start, or one from 'pdf2video tokens create'. "
        "Under JupyterHub (as a hub service) the hub's tokens and login are used.",
    )
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--no-worker", action="store_true", help="run no worker beside it")
    serve.add_argument("--concurrency", type=int, metavar="N", help="default MAX_CONCURRENT_JOBS")
    serve.add_argument("--root-path", default=None, help="URL prefix behind a proxy")
    serve.set_defaults(run="pdf2video.service.cli:cmd_serve")

    tokens = commands.add_parser("tokens", help="API tokens for programs calling the service")
    token_commands = tokens.add_subparsers(dest="tokens_command", metavar="ACTION", required=True)
    create = token_commands.add_parser("create", help="make a token (shown once)")
    create.add_argument("--user", metavar="NAME", help="for this user (admins only; default: you)")
    create.add_argument("--name", default="token", help="what it is for")
    create.add_argument("--days", type=float, metavar="N", help="expires after N days")
    create.set_defaults(run="pdf2video.service.cli:cmd_tokens_create")
    listing = token_commands.add_parser("list", help="your tokens (never the secrets)")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(run="pdf2video.service.cli:cmd_tokens_list")
    revoke = token_commands.add_parser("revoke", help="stop a token working")
    revoke.add_argument("token_id", metavar="ID")
    revoke.set_defaults(run="pdf2video.service.cli:cmd_tokens_revoke")

    openapi = commands.add_parser(
        "openapi", help="write the API's OpenAPI schema (docs/openapi.json)"
    )
    openapi.add_argument("--output", type=Path, default=Path("docs/openapi.json"))
    openapi.add_argument(
        "--check", action="store_true", help="exit 1 when the file differs from the app"
    )
    openapi.set_defaults(run="pdf2video.service.cli:cmd_openapi")


def register_hub_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``hub`` and ``hub role``: JupyterHub for a team (needs pdf2video[hub])."""
    hub = commands.add_parser(
        "hub",
        help="run JupyterHub for a team: sign-in, the studio for editors, the app for viewers",
        description="Start JupyterHub with pdf2video's config (voila_apps/jupyterhub_config.py) "
        "and the pdf2video service; its state lives in <workspace>/hub. "
        "'pdf2video hub role NAME GROUP' puts a user in a group.",
    )
    hub.add_argument("--ip", default="127.0.0.1")
    hub.add_argument("--port", type=int, default=8000)
    hub.add_argument("--admin", metavar="NAME", help="this user is an admin, approved at sign-up")
    hub.add_argument("--service-port", type=int, default=8765)
    hub.add_argument("--hub-api-port", type=int, help="default: port + 81")
    hub.add_argument("--proxy-api-port", type=int, help="default: port + 1")
    hub.set_defaults(run="pdf2video.hub.cli:cmd_hub")
    hub_commands = hub.add_subparsers(dest="hub_command", metavar="ACTION")
    role = hub_commands.add_parser("role", help="put a user in the admin, editor or viewer group")
    role.add_argument("name", metavar="NAME")
    role.add_argument("group", metavar="admin|editor|viewer")
    role.set_defaults(run="pdf2video.hub.cli:cmd_role")


def register_batch_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``batch``: many documents, headless, through notebooks/batch.ipynb (pdf2video[batch])."""
    batch = commands.add_parser(
        "batch",
        help="render many documents headless (papermill runs notebooks/batch.ipynb)",
        description="Render every input to OUT/<name>.mp4 through the batch notebook; the "
        "executed notebook is the report. Inputs whose video is up to date are skipped; an "
        "interrupted batch resumes. One batch per output folder at a time (exit 75 when another "
        "is running). Exit 1 when any input failed (after finishing the others).",
    )
    batch.add_argument("inputs", nargs="+", metavar="INPUT", help="PDFs, folders, ZIPs")
    batch.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder")
    batch.add_argument("--preset", metavar="NAME")
    batch.add_argument(
        "--resolution", metavar="WxH", help="e.g. 1280x720 or 1080p (default 1920x1080)"
    )
    batch.add_argument("--fps", type=int, choices=[24, 25, 30, 50, 60])
    batch.add_argument("--voice", metavar="NAME")
    batch.add_argument("--captions", choices=["burn", "sidecar", "off"])
    batch.add_argument("--provider", choices=["offline", "openai"])
    batch.add_argument("--draft", action="store_true", help="480p at 15 fps, fastest")
    where = batch.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, metavar="N", help="a local Dask cluster of N workers")
    where.add_argument("--scheduler", metavar="ADDR", help="a Dask scheduler, e.g. tcp://host:8786")
    batch.add_argument(
        "--report", type=Path, metavar="PATH.ipynb", help="default OUT/reports/batch-<time>.ipynb"
    )
    batch.add_argument("--webhook", metavar="URL", help="POST a signed summary when it ends")
    batch.add_argument("--notebook", type=Path, help="a copy of batch.ipynb to run instead")
    batch.set_defaults(run="pdf2video.batch.cli:cmd_batch")
