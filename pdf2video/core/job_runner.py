"""Run one claimed job: its sources into a project folder, the pipeline, the video filed.

The pipeline runs with a progress callback that writes the job row (a few times a
second at most) and a cancel token that a watcher thread sets when the user cancels,
the job passes ``JOB_TIMEOUT_MINUTES``, the claim is lost, or (in a worker's child
process) the worker itself has died. The project folder is the job's own
(``projects/job-<id>``), so a job taken back after a crash resumes from its cached
stages. Run as ``python -m pdf2video.core.job_runner JOB_ID CLAIM`` by the worker.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import sys
import threading
import time
from pathlib import Path

from pydantic import SecretStr

from pdf2video.core import job_queue, json_logs, project_archive, webhooks
from pdf2video.core.config import Settings, load_settings
from pdf2video.core.errors import Cancelled, JobTimedOut, Pdf2VideoError
from pdf2video.core.job_queue import Claimed
from pdf2video.core.jobs import (
    JobRequest,
    JobStatus,
    effective_choices,
    job_from_row,
    studio_project,
)
from pdf2video.core.progress import CancelToken, ProgressEvent
from pdf2video.core.project import ProjectFolder
from pdf2video.core.store import Store, open_store
from pdf2video.core.uploads import copy_into, get_upload
from pdf2video.core.user_keys import api_key_for
from pdf2video.core.user_prefs import apply as apply_prefs
from pdf2video.core.user_prefs import get_prefs
from pdf2video.core.users import get_user

log = logging.getLogger(__name__)
REPORT_EVERY_S = 0.25
WATCH_EVERY_S = 0.5


class _Watch:
    """Sets the cancel token when the job should stop, and says why."""

    def __init__(
        self, store: Store, claimed: Claimed, timeout_s: float, parent: int | None
    ) -> None:
        self.store, self.claimed, self.timeout_s, self.parent = store, claimed, timeout_s, parent
        self.token = CancelToken()
        self.reason: str | None = None  # cancelled, timeout, lost
        self._done = threading.Event()
        self._started = time.monotonic()
        self._thread = threading.Thread(target=self._run, name="job-watch", daemon=True)

    def __enter__(self) -> _Watch:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._done.set()
        self._thread.join(timeout=5)

    def _stop(self, reason: str) -> None:
        self.reason = self.reason or reason
        self.token.cancel()

    def _run(self) -> None:
        while not self._done.wait(WATCH_EVERY_S):
            if self.parent is not None and os.getppid() != self.parent:
                os._exit(3)  # the worker died: leave the job for the next one to take back
            if time.monotonic() - self._started > self.timeout_s:
                self._stop("timeout")
            try:
                holds, cancel = job_queue.still_wanted(self.store, self.claimed)
            except Exception:  # a busy store: look again next time
                log.debug("watch: store busy", exc_info=True)
                continue
            if not holds:
                self._stop("lost")
            elif cancel:
                self._stop("cancelled")


class _Reporter:
    """The progress callback: the job row, at most every REPORT_EVERY_S or on a new stage."""

    def __init__(self, store: Store, claimed: Claimed, watch: _Watch) -> None:
        self.store, self.claimed, self.watch = store, claimed, watch
        self.last = 0.0
        self.stage = ""
        self.stage_started = time.monotonic()

    def __call__(self, event: ProgressEvent) -> None:
        moment = time.monotonic()
        if event.stage == self.stage and moment - self.last < REPORT_EVERY_S and event.fraction < 1:
            return
        if event.stage != self.stage:
            self.log_stage(moment)
            self.stage_started = moment
        self.stage, self.last = event.stage, moment
        if not job_queue.report(
            self.store, self.claimed, event.stage, event.fraction, event.message, event.eta_s
        ):
            self.watch.token.cancel()

    def log_stage(self, moment: float) -> None:
        """One log line per finished stage: the job, its owner, the stage and how long it took."""
        if self.stage:
            job = self.claimed.job
            log.info(
                "job %s: %s done",
                job.id,
                self.stage,
                extra={
                    "event": "job_stage",
                    "job_id": job.id,
                    "user": job.owner,
                    "stage": self.stage,
                    "duration_ms": round((moment - self.stage_started) * 1000, 1),
                },
            )


def _source(store: Store, settings: Settings, claimed: Claimed, project_dir: Path) -> Path:
    """What the pipeline reads: the project itself on a resume, else the uploads."""
    if ProjectFolder(project_dir).exists():
        return project_dir
    job, user = claimed.job, get_user(store, claimed.job.owner)
    request = job.request
    if request.source_type == "project" and request.project_upload:
        upload = get_upload(store, user, request.project_upload)
        return project_archive.unpack(settings.pdf2video_home / upload.path, project_dir)
    if request.source_type == "project":
        assert request.project_path is not None
        edited = studio_project(settings, user, request.project_path)
        # A snapshot of hard links: the pipeline replaces files (atomic writes, new inodes),
        # so later edits in the studio never change what this job renders, and the
        # project's cached audio and segments come along for free.
        shutil.copytree(
            edited,
            project_dir,
            copy_function=os.link,
            ignore=shutil.ignore_patterns("out", ".*"),  # outputs are rewritten in place
        )
        return project_dir
    staging = settings.pdf2video_home / "tmp" / f"job-{job.id}"
    shutil.rmtree(staging, ignore_errors=True)
    if request.source_type == "pdf":
        assert request.pdf_upload is not None
        upload = get_upload(store, user, request.pdf_upload)
        return copy_into(settings, upload, staging / "document.pdf")
    staging.mkdir(parents=True)
    (staging / "content.md").write_text(request.text_content or "", encoding="utf-8")
    for number, upload_id in enumerate(request.image_uploads, start=1):
        upload = get_upload(store, user, upload_id)
        copy_into(settings, upload, staging / f"image-{number:02d}{Path(upload.path).suffix}")
    return staging


def _job_settings(store: Store, settings: Settings, claimed: Claimed) -> Settings:
    """The settings for this job: the owner's own API key, the job's backgrounds."""
    settings = apply_prefs(settings, get_prefs(store, claimed.job.owner))
    update: dict[str, object] = {}
    own_key = api_key_for(store, settings, claimed.job.owner)
    if own_key:
        update["openai_api_key"] = SecretStr(own_key)
    user = get_user(store, claimed.job.owner)
    choices = effective_choices(store, user, claimed.job.request)
    if choices.backgrounds:
        update["backgrounds"] = choices.backgrounds
    return settings.model_copy(update=update) if update else settings


def _clean_partials(project_dir: Path) -> None:
    for folder in (project_dir / "out", project_dir / "segments"):
        if folder.is_dir():
            for partial in folder.glob(".*part*"):
                partial.unlink(missing_ok=True)


def run_claimed(
    store: Store, settings: Settings, claimed: Claimed, *, parent: int | None = None
) -> JobStatus:
    """Run the job to its end and record that end; the status it ended in."""
    # The pipeline is heavy to import: only a process that runs a job pays for it.
    from pdf2video.core.pipeline import render_video  # noqa: PLC0415
    from pdf2video.core.render import options_for  # noqa: PLC0415

    job = claimed.job
    project_dir = settings.pdf2video_home / (job.project_dir or f"projects/job-{job.id}")
    timeout_s = settings.job_timeout_minutes * 60
    with _Watch(store, claimed, timeout_s, parent) as watch:
        try:
            user = get_user(store, job.owner)
            request: JobRequest = job.request
            choices = effective_choices(store, user, request)
            job_settings = _job_settings(store, settings, claimed)
            music = (
                settings.pdf2video_home / get_upload(store, user, request.music_upload).path
                if request.music_upload
                else None
            )
            logo = (
                str(settings.pdf2video_home / get_upload(store, user, request.logo_upload).path)
                if request.logo_upload
                else None
            )
            options = options_for(job_settings, choices, music=music, logo=logo)
            source = _source(store, settings, claimed, project_dir)
            reporter = _Reporter(store, claimed, watch)
            project = render_video(
                source,
                job_settings,
                options,
                project_dir=project_dir,
                voice=choices.voice,
                speed=choices.speed,
                progress=reporter,
                cancel=watch.token,
            )
            assert project.render is not None
            reporter.log_stage(time.monotonic())
            if job_queue.complete(store, claimed, project.render) is None:
                return JobStatus.CANCELLED
            return JobStatus.COMPLETED
        except Cancelled:
            _clean_partials(project_dir)
            if watch.reason == "timeout":
                minutes = settings.job_timeout_minutes
                late = JobTimedOut(f"the job ran longer than {minutes:g} minutes and was stopped")
                return job_queue.fail(store, claimed, late, max_attempts=1, retry_base_s=0)
            if watch.reason != "lost":
                job_queue.cancelled(store, claimed)
            return JobStatus.CANCELLED
        except Pdf2VideoError as exc:
            return job_queue.fail(
                store,
                claimed,
                exc,
                max_attempts=settings.job_max_attempts,
                retry_base_s=settings.job_retry_base_s,
            )
        except Exception as exc:
            log.exception("job %s failed", job.id)
            error = Pdf2VideoError(f"unexpected error: {type(exc).__name__}: {exc}")
            return job_queue.fail(store, claimed, error, max_attempts=1, retry_base_s=0)
        finally:
            shutil.rmtree(settings.pdf2video_home / "tmp" / f"job-{job.id}", ignore_errors=True)


def _die_with_parent() -> None:
    """Linux: the kernel kills this process when the worker that started it dies."""
    try:
        import ctypes  # noqa: PLC0415

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # the watcher's parent check still stops it within a second


def main(argv: list[str]) -> int:
    job_id, claim, parent = argv[0], argv[1], int(argv[2])
    _die_with_parent()
    if os.getppid() != parent:
        return 3
    settings = load_settings()
    if settings.log_format == "json":
        json_logs.configure()
    store = open_store(settings.pdf2video_home)
    row = store.one("SELECT * FROM jobs WHERE id = ? AND claim = ?", (job_id, claim))
    if row is None:
        return 0  # taken back or deleted meanwhile
    run_claimed(store, settings, Claimed(job_from_row(row), claim), parent=parent)
    # The job's result is recorded; telling its webhook cannot change or delay it.
    webhooks.notify(store, settings, job_id)
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(name)s: %(message)s")
    sys.exit(main(sys.argv[1:]))
