"""The worker's side of jobs: claim one, beat, report progress, finish; take back the lost.

Every statement that changes a running job names its *claim*, a token made fresh for
each attempt, so a process that lost its job (its worker was presumed dead, or the
job was deleted) can never overwrite what the new owner writes, nor file a second
video. Claiming counts the running jobs in the same write transaction, so all workers
together never run more than ``MAX_CONCURRENT_JOBS``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from pdf2video.core.errors import Pdf2VideoError
from pdf2video.core.jobs import RUNNING, Job, JobStatus, job_from_row, sql_list
from pdf2video.core.library import insert_video, video_of
from pdf2video.core.models import RenderRecord
from pdf2video.core.store import Store, now

HEARTBEAT_S = 2.0
STALE_AFTER_S = 12.0  # no heartbeat for this long: the worker died, the job goes back
STAGE_STATUS = {
    "extract": JobStatus.EXTRACTING,
    "classify": JobStatus.CLASSIFYING,
    "script": JobStatus.SCRIPTING,
    "voiceover": JobStatus.VOICEOVER,
    "backgrounds": JobStatus.BACKGROUNDS,
    "compose": JobStatus.COMPOSING,
    "export": JobStatus.EXPORTING,
}
# Where each stage sits in the job's overall progress (start, share).
STAGE_SPAN = {
    "extract": (0.00, 0.10),
    "classify": (0.10, 0.05),
    "script": (0.15, 0.05),
    "voiceover": (0.20, 0.20),
    "backgrounds": (0.40, 0.05),
    "compose": (0.45, 0.45),
    "export": (0.90, 0.10),
}


@dataclass(frozen=True)
class Claimed:
    job: Job
    claim: str


def claim_next(store: Store, limit: int) -> Claimed | None:
    """Take the oldest due pending job, unless ``limit`` jobs run already (all workers)."""
    token = uuid.uuid4().hex
    stamp = now()
    with store.transaction() as conn:
        running = conn.execute(
            f"SELECT count(*) FROM jobs WHERE status IN ({sql_list(RUNNING)})"
        ).fetchone()[0]
        if running >= limit:
            return None
        row = conn.execute(
            "SELECT id FROM jobs WHERE status = ? AND run_after <= ? AND cancel_requested = 0"
            " ORDER BY created_at, id LIMIT 1",
            (JobStatus.PENDING.value, stamp),
        ).fetchone()
        if row is None:
            return None
        conn.execute(
            "UPDATE jobs SET status = ?, claim = ?, attempts = attempts + 1, heartbeat_at = ?,"
            " started_at = coalesce(started_at, ?), updated_at = ?, step = 'starting'"
            " WHERE id = ?",
            (JobStatus.EXTRACTING.value, token, stamp, stamp, stamp, row["id"]),
        )
        job = conn.execute("SELECT * FROM jobs WHERE id = ?", (row["id"],)).fetchone()
    return Claimed(job_from_row(dict(job)), token)


def heartbeat(store: Store, claims: list[str]) -> None:
    if not claims:
        return
    with store.transaction() as conn:
        conn.execute(
            f"UPDATE jobs SET heartbeat_at = ? WHERE claim IN ({', '.join('?' for _ in claims)})",
            (now(), *claims),
        )


def report(
    store: Store, claimed: Claimed, stage: str, fraction: float, message: str, eta: float | None
) -> bool:
    """Write the job's progress; False when the claim was lost (stop working on it)."""
    start, share = STAGE_SPAN.get(stage, (0.0, 0.0))
    status = STAGE_STATUS.get(stage, JobStatus.EXTRACTING)
    overall = round(min(0.999, start + share * max(0.0, min(1.0, fraction))), 4)
    with store.transaction() as conn:
        changed = conn.execute(
            "UPDATE jobs SET status = ?, progress = max(progress, ?), step = ?, eta_s = ?,"
            " updated_at = ? WHERE id = ? AND claim = ?",
            (status.value, overall, message[:200], eta, now(), claimed.job.id, claimed.claim),
        ).rowcount
    return changed == 1


def still_wanted(store: Store, claimed: Claimed) -> tuple[bool, bool]:
    """(the claim still holds, cancel was asked for)."""
    row = store.one("SELECT claim, cancel_requested FROM jobs WHERE id = ?", (claimed.job.id,))
    if row is None or row["claim"] != claimed.claim:
        return False, False
    return True, bool(row["cancel_requested"])


def complete(store: Store, claimed: Claimed, record: RenderRecord) -> str | None:
    """Mark the job done and file its video, once; the video's id (None: claim lost)."""
    job = claimed.job
    video_id = uuid.uuid4().hex[:16]
    stamp = now()
    project_dir = job.project_dir or ""
    with store.transaction() as conn:
        changed = conn.execute(
            "UPDATE jobs SET status = ?, progress = 1, step = 'done', eta_s = 0,"
            " completed_at = ?, updated_at = ?, video_id = ?, error_code = NULL,"
            " error_message = NULL, claim = NULL WHERE id = ? AND claim = ?",
            (JobStatus.COMPLETED.value, stamp, stamp, video_id, job.id, claimed.claim),
        ).rowcount
        if changed != 1:
            return None
        conn.execute("DELETE FROM videos WHERE job_id = ?", (job.id,))
        insert_video(
            conn,
            video_of(
                record,
                id=video_id,
                owner=job.owner,
                job_id=job.id,
                title=job.title,
                source_type=job.source_type,
                path=f"{project_dir}/{record.path}",
                thumbnail=f"{project_dir}/{record.thumbnail}" if record.thumbnail else None,
                created_at=stamp,
            ),
        )
    return video_id


def fail(
    store: Store, claimed: Claimed, error: Pdf2VideoError, *, max_attempts: int, retry_base_s: float
) -> JobStatus:
    """Record a failure; a transient one with attempts left goes back to wait and retry."""
    job = claimed.job
    stamp = now()
    attempts = job.attempts
    retry = error.transient and attempts < max_attempts
    status = JobStatus.PENDING if retry else JobStatus.FAILED
    message = error.one_line()
    if retry:
        delay = retry_base_s * 2 ** (attempts - 1)
        message = f"{message} (attempt {attempts} of {max_attempts}; trying again in {delay:g} s)"
    with store.transaction() as conn:
        conn.execute(
            "UPDATE jobs SET status = ?, error_code = ?, error_message = ?, updated_at = ?,"
            " completed_at = ?, run_after = ?, claim = NULL WHERE id = ? AND claim = ?",
            (
                status.value,
                error.code,
                message[:1000],
                stamp,
                None if retry else stamp,
                stamp + (retry_base_s * 2 ** (attempts - 1) if retry else 0),
                job.id,
                claimed.claim,
            ),
        )
    return status


def cancelled(store: Store, claimed: Claimed) -> None:
    stamp = now()
    with store.transaction() as conn:
        conn.execute(
            "UPDATE jobs SET status = ?, error_code = 'CANCELLED',"
            " error_message = 'cancelled by the user', completed_at = ?, updated_at = ?,"
            " claim = NULL WHERE id = ? AND claim = ?",
            (JobStatus.CANCELLED.value, stamp, stamp, claimed.job.id, claimed.claim),
        )


def release(store: Store, claims: list[str]) -> None:
    """Put jobs back in the queue (their worker is stopping); they resume from the cache."""
    if not claims:
        return
    with store.transaction() as conn:
        conn.execute(
            f"UPDATE jobs SET status = ?, claim = NULL, updated_at = ?, step = 'waiting'"
            f" WHERE claim IN ({', '.join('?' for _ in claims)})",
            (JobStatus.PENDING.value, now(), *claims),
        )


def take_back_stale(store: Store, max_attempts: int, stale_after_s: float = STALE_AFTER_S) -> int:
    """Jobs whose worker stopped beating: back to the queue (or cancelled, or failed)."""
    stamp = now()
    cutoff = stamp - stale_after_s
    with store.transaction() as conn:
        rows = conn.execute(
            f"SELECT id, attempts, cancel_requested FROM jobs WHERE status IN ({sql_list(RUNNING)})"
            " AND coalesce(heartbeat_at, 0) < ?",
            (cutoff,),
        ).fetchall()
        for row in rows:
            if row["cancel_requested"]:
                status, code, message = JobStatus.CANCELLED, "CANCELLED", "cancelled by the user"
            elif row["attempts"] >= max_attempts:
                status, code, message = (
                    JobStatus.FAILED,
                    "WORKER_LOST",
                    f"the worker running this job stopped {row['attempts']} times",
                )
            else:
                status, code, message = JobStatus.PENDING, None, None
            conn.execute(
                "UPDATE jobs SET status = ?, claim = NULL, updated_at = ?, error_code = ?,"
                " error_message = ?, completed_at = ?, step = ? WHERE id = ?",
                (
                    status.value,
                    stamp,
                    code,
                    message,
                    None if status is JobStatus.PENDING else stamp,
                    "taken back after its worker stopped",
                    row["id"],
                ),
            )
    return len(rows)
