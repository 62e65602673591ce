"""Webhooks: when a job ends, a signed POST to the URL its owner gave (the seed's notification).

The body is JSON (job id, status, title, video path, duration, error); the header
``X-Pdf2video-Signature: sha256=<hex>`` is the HMAC-SHA256 of the body with
``WEBHOOK_SECRET``, so the receiver can check it came from here. A failed delivery
(no answer, or a status other than 2xx) is tried again with growing pauses; whatever
happens, the job's own result stands, and the outcome is recorded on the job. Plain
``urllib``: the core has no HTTP client dependency.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from typing import Any

from pydantic import BaseModel

from pdf2video.core.config import Settings
from pdf2video.core.jobs import Job, job_from_row
from pdf2video.core.store import Store, now

HEADER = "X-Pdf2video-Signature"
ATTEMPTS = 4
TIMEOUT_S = 5.0


class Delivery(BaseModel):
    url: str
    ok: bool
    attempts: int
    status: int | None = None
    error: str | None = None
    at: float


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def payload(job: Job, video: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "event": "job.finished",
        "job_id": job.id,
        "status": job.status.value,
        "title": job.title,
        "video_id": job.video_id,
        "video_path": video["path"] if video else None,
        "duration": video["duration"] if video else None,
        "error_code": job.error_code,
        "error": job.error_message,
    }


def deliver(
    url: str, body: bytes, secret: str | None, *, attempts: int | None = None, base_s: float = 1.0
) -> Delivery:
    """POST ``body`` to ``url`` until a 2xx answer or ``attempts`` tries (1, 2, 4 s apart)."""
    attempts = attempts or ATTEMPTS
    headers = {"Content-Type": "application/json", "User-Agent": "pdf2video-webhook"}
    if secret:
        headers[HEADER] = signature(secret, body)
    status: int | None = None
    error: str | None = None
    for attempt in range(1, attempts + 1):
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_S) as answer:
                status = answer.status
            return Delivery(url=url, ok=True, attempts=attempt, status=status, at=now())
        except urllib.error.HTTPError as exc:
            status, error = exc.code, f"HTTP {exc.code}"
        except (urllib.error.URLError, OSError) as exc:
            status, error = None, str(getattr(exc, "reason", exc))
        if attempt < attempts:
            time.sleep(base_s * 2 ** (attempt - 1))
    return Delivery(url=url, ok=False, attempts=attempts, status=status, error=error, at=now())


def notify(store: Store, settings: Settings, job_id: str, *, base_s: float = 1.0) -> None:
    """Send the finished job's webhook, if it has one, and record how it went."""
    row = store.one("SELECT * FROM jobs WHERE id = ?", (job_id,))
    if row is None:
        return
    job = job_from_row(row)
    url = job.request.webhook_url or settings.webhook_url
    if not url or not job.finished:  # a job waiting to be retried has not ended
        return
    video = (
        store.one("SELECT * FROM videos WHERE id = ?", (job.video_id,)) if job.video_id else None
    )
    body = json.dumps(payload(job, video)).encode()
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    delivery = deliver(url, body, secret, base_s=base_s)
    with store.transaction() as conn:
        conn.execute(
            "UPDATE jobs SET webhook = ? WHERE id = ?", (delivery.model_dump_json(), job_id)
        )
