"""The ``pdf2video`` commands over the store: jobs, videos, uploads, presets, worker, stats.

Each command acts as the caller (``JUPYTERHUB_USER`` under a hub, else the OS user)
through :func:`~pdf2video.core.backend.open_backend` (this machine, or the service with
``--remote``); ``--json`` prints rows for scripts, otherwise a table.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import UTC, datetime
from typing import Any

from rich.console import Console
from rich.table import Table

from pdf2video.core.backend import Backend, LocalBackend, open_backend
from pdf2video.core.config import Encoder, Settings
from pdf2video.core.errors import JobError
from pdf2video.core.file_types import FileKind, sniff
from pdf2video.core.jobs import FINISHED, JobFilter, JobRequest, JobStatus
from pdf2video.core.presets import RenderChoices, validated
from pdf2video.core.worker import Worker

EXIT_OK, EXIT_ERROR = 0, 1


def _when(t: float | None) -> str:
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%d %H:%M") if t else "-"


def _size(n: int | None) -> str:
    value = float(n or 0)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return str(n)


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")


def _table(console: Console, columns: list[str], rows: list[list[str]], empty: str) -> None:
    if not rows:
        console.print(empty, markup=False)
        return
    table = Table(*columns, box=None, header_style="bold")
    for row in rows:
        table.add_row(*row)
    console.print(table)


def _choices(args: argparse.Namespace) -> dict[str, Any]:
    names = ("resolution", "fps", "aspect", "voice", "speed", "captions", "backgrounds")
    data = {n: getattr(args, n) for n in names if getattr(args, n) is not None}
    if args.encoder:
        data["encoder"] = Encoder(args.encoder)
    if args.draft:
        data["draft"] = True
    return data


def _job_row(job: Any) -> list[str]:
    return [
        job.id,
        job.status.value,
        f"{job.progress:.0%}",
        job.title[:40],
        _when(job.created_at),
        job.error_message or job.step or "",
    ]


def _day(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC).timestamp()
    except ValueError:
        raise JobError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def cmd_jobs_submit(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    backend = open_backend(settings)
    request: dict[str, Any] = {
        "title": args.title,
        "preset": args.preset,
        "webhook_url": args.webhook,
        **_choices(args),
    }
    texts = [f for f in args.files if f.suffix.lower() in (".md", ".txt", ".markdown")]
    others = [f for f in args.files if f not in texts]
    if len(texts) > 1:
        raise JobError("give at most one text file (.md or .txt)")
    if texts:
        request["source_type"] = "text_images"
        text_file = texts[0]
        if sniff(text_file) is not FileKind.TEXT:
            raise JobError(f"{text_file} is not a text file")
        request["text_content"] = text_file.read_text(encoding="utf-8", errors="replace")
        request["title"] = request["title"] or text_file.stem
        request["image_uploads"] = []
    for path in others:
        upload = backend.upload_file(path)
        if upload.kind == "pdf" and not texts and "pdf_upload" not in request:
            request["pdf_upload"] = upload.id
        elif upload.kind == "image" and texts:
            request["image_uploads"].append(upload.id)
        else:
            raise JobError(
                f"{path}: a job takes one PDF, or one text file with images "
                f"(this is a {upload.kind} file)"
            )
    if args.music:
        request["music_upload"] = backend.upload_file(args.music).id
    if args.logo:
        request["logo_upload"] = backend.upload_file(args.logo).id
    job = backend.submit(validated(JobRequest, {k: v for k, v in request.items() if v is not None}))
    if args.wait:
        job = _follow(backend, job.id, console, quiet=args.json)
    if args.json:
        _print_json(job.public())
    else:
        sys.stdout.write(f"{job.id}\n")
        if args.wait:
            console.print(f"{job.status.value}: {job.error_message or job.title}", markup=False)
    return EXIT_OK if job.status is not JobStatus.FAILED else EXIT_ERROR


def _follow(backend: Backend, job_id: str, console: Console, *, quiet: bool) -> Any:
    job = backend.job(job_id)
    with console.status("", spinner="dots") if (console.is_terminal and not quiet) else _Null():
        while job.status not in FINISHED:
            time.sleep(0.5)
            job = backend.job(job_id)
    return job


class _Null:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *_: object) -> None:
        return None


def cmd_jobs_list(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    backend = open_backend(settings)
    query = JobFilter(
        status=[JobStatus(s) for s in args.status or []],
        search=args.search,
        since=_day(args.since),
        until=_day(args.until),
        limit=args.limit,
        offset=args.offset,
    )
    found = backend.jobs(query)
    if args.json:
        _print_json([j.public() for j in found])
    else:
        columns = ["id", "status", "progress", "title", "created", "step / error"]
        _table(console, columns, [_job_row(j) for j in found], "No jobs.")
    return EXIT_OK


def cmd_job_action(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    backend = open_backend(settings)
    action = {
        "show": backend.job,
        "cancel": backend.cancel,
        "retry": backend.retry,
        "delete": backend.delete_job,
    }[args.action]
    job = action(args.job_id)
    if args.json:
        _print_json(job.public())
    elif args.action == "show":
        for key, value in job.public().items():
            if key != "request" and value not in (None, ""):
                console.print(f"{key:>16}: {value}", markup=False)
    else:
        done = {"cancel": "cancel requested" if not job.finished else "cancelled"}
        console.print(
            f"job {job.id}: {done.get(args.action, args.action + 'd')} ({job.status.value})",
            markup=False,
        )
    return EXIT_OK


def cmd_videos_list(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    backend = open_backend(settings)
    found = backend.videos(sort=args.sort, search=args.search, source_type=args.source_type)
    if args.json:
        _print_json(
            [v.model_dump() | {"file": str(settings.pdf2video_home / v.path)} for v in found]
        )
    else:
        rows = [
            [
                v.id,
                v.title[:40],
                f"{v.duration or 0:.1f} s",
                f"{v.width}x{v.height}",
                _size(v.size_bytes),
                _when(v.created_at),
            ]
            for v in found
        ]
        _table(console, ["id", "title", "length", "frame", "file", "made"], rows, "No videos.")
    return EXIT_OK


def cmd_videos_delete(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    count = open_backend(settings).delete_videos(args.video_ids)
    console.print(f"deleted {count} video{'s' if count != 1 else ''}", markup=False)
    return EXIT_OK


def cmd_uploads_list(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    found = open_backend(settings).uploads()
    if args.json:
        _print_json([u.model_dump() for u in found])
    else:
        rows = [
            [u.id, u.kind, u.original_name[:40], _size(u.size_bytes), _when(u.created_at)]
            for u in found
        ]
        _table(console, ["id", "kind", "name", "size", "uploaded"], rows, "No uploads.")
    return EXIT_OK


def cmd_uploads_add(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    backend = open_backend(settings)
    added = [backend.upload_file(path) for path in args.files]
    if args.json:
        _print_json([u.model_dump() for u in added])
    else:
        for upload in added:
            sys.stdout.write(f"{upload.id}\t{upload.kind}\t{upload.original_name}\n")
    return EXIT_OK


def cmd_uploads_delete(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    upload = open_backend(settings).delete_upload(args.upload_id)
    console.print(f"deleted upload {upload.id} ({upload.original_name})", markup=False)
    return EXIT_OK


def cmd_presets_list(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    backend = open_backend(settings)
    found = backend.presets()
    default = backend.default_preset()
    if args.json:
        _print_json(
            [
                p.model_dump(mode="json", exclude_none=True)
                | {"built_in": p.built_in, "default": bool(default and default.id == p.id)}
                for p in found
            ]
        )
    else:
        rows = [
            [
                p.name + (" (default)" if default and default.id == p.id else ""),
                "built in" if p.built_in else (p.owner or ""),
                ", ".join(f"{k}={v}" for k, v in p.settings.model_dump(exclude_none=True).items()),
            ]
            for p in found
        ]
        _table(console, ["name", "owner", "settings"], rows, "No presets.")
    return EXIT_OK


def cmd_presets_create(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    backend = open_backend(settings)
    preset = backend.save_preset(args.name, validated(RenderChoices, _choices(args)))
    if args.default:
        backend.set_default_preset(preset.id)
    console.print(f"saved preset {preset.name!r} ({preset.id})", markup=False)
    return EXIT_OK


def cmd_presets_delete(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    preset = open_backend(settings).delete_preset(args.name)
    console.print(f"deleted preset {preset.name!r}", markup=False)
    return EXIT_OK


def cmd_worker(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    backend = LocalBackend(settings.model_copy(update={"pdf2video_service_url": None}))
    concurrency = args.concurrency or settings.max_concurrent_jobs
    if concurrency < 1:
        raise JobError("--concurrency must be 1 or more")
    if args.nice > 0 and hasattr(os, "nice"):
        os.nice(min(args.nice, 19))  # its children (the jobs) inherit it
    console.print(
        f"pdf2video worker: {concurrency} at a time, store {backend.store.path}", markup=False
    )
    Worker(backend.store, settings, concurrency).run(once=args.once)
    return EXIT_OK


def cmd_stats(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    stats = open_backend(settings).stats()
    if args.json:
        _print_json(stats.model_dump())
        return EXIT_OK
    console.print(f"user          {stats.user} ({stats.role})", markup=False)
    console.print(
        f"videos        {stats.videos} ({stats.video_seconds / 60:.1f} min)", markup=False
    )
    jobs = ", ".join(f"{k} {v}" for k, v in sorted(stats.jobs.items())) or "none"
    console.print(f"jobs          {jobs}", markup=False)
    used = ", ".join(f"{k} {_size(v)}" for k, v in sorted(stats.storage_bytes.items())) or "0 B"
    console.print(f"storage used  {used} (free {_size(stats.disk_free_bytes)})", markup=False)
    console.print(f"encoder       {stats.encoder}", markup=False)
    console.print(f"GPU           {stats.gpu}", markup=False)
    return EXIT_OK
