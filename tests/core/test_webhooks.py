"""Webhooks as a receiver sees them: one signed POST per finished job, retried, never fatal."""

from __future__ import annotations

import hashlib
import hmac
import json

from pdf2video.core import webhooks
from pdf2video.core.backend import LocalBackend
from pdf2video.core.config import load_settings
from pdf2video.core.jobs import JobStatus
from tests import builders
from tests.core.test_worker import wait_for
from tests.webhook_receiver import Receiver

SECRET = "hook-secret"


def run(backend: LocalBackend, **overrides: object) -> str:
    job = backend.submit(builders.tiny_job(text_content=builders.story(1, 1), **overrides))
    runner = backend.run_inline()
    try:
        wait_for(lambda: backend.job(job.id).webhook is not None, timeout=120)
    finally:
        runner.stop()
    return job.id


def test_a_finished_job_posts_one_signed_body(receiver: Receiver, monkeypatch):
    monkeypatch.setenv("WEBHOOK_SECRET", SECRET)
    backend = LocalBackend(load_settings(), "alice")
    job_id = run(backend, webhook_url=receiver.url, title="Hooked")
    ((body, signature, raw),) = receiver.received
    expected = "sha256=" + hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(signature, expected)
    assert body["job_id"] == job_id and body["status"] == "completed"
    assert body["title"] == "Hooked" and body["duration"] > 0 and body["video_path"]
    record = json.loads(backend.job(job_id).webhook or "{}")
    assert record["ok"] is True and record["attempts"] == 1 and record["status"] == 204


def test_a_receiver_that_fails_twice_still_gets_it():
    flaky = Receiver(failures=2)
    try:
        delivery = webhooks.deliver(flaky.url, b'{"a": 1}', SECRET, base_s=0.05)
    finally:
        flaky.close()
    assert delivery.ok and delivery.attempts == 3 and len(flaky.received) == 1


def test_a_dead_receiver_does_not_fail_the_job(monkeypatch):
    monkeypatch.setenv("WEBHOOK_URL", "http://127.0.0.1:9/nobody-listens")
    monkeypatch.setattr(webhooks, "ATTEMPTS", 2)
    backend = LocalBackend(load_settings(), "bob")
    job_id = run(backend)
    job = backend.job(job_id)
    assert job.status is JobStatus.COMPLETED and job.video_id
    record = json.loads(job.webhook or "{}")
    assert record["ok"] is False and record["attempts"] == 2 and record["error"]
