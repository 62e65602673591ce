"""The worker with real processes: limits, kill -9, cancel, timeout, retries, inline mode."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

from pdf2video.core.backend import LocalBackend
from pdf2video.core.config import load_settings
from pdf2video.core.jobs import RUNNING, JobRequest, JobStatus
from pdf2video.core.library import video_file
from tests import builders
from tests.fake_openai import FakeOpenAI


def start_worker(*args: str, **env: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "pdf2video.core.cli", "worker", *args],
        env=dict(os.environ, **env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def wait_for(condition, timeout: float, every: float = 0.05):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"still waiting after {timeout} s")


def runners() -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["cmdline"]):
        cmdline = process.info["cmdline"] or []
        if "pdf2video.core.job_runner" in cmdline:
            found.append(process)
    return found


def long_job(backend: LocalBackend, tmp_path: Path) -> JobRequest:
    """A PDF job with several scenes at 640x360: composing lasts a few seconds."""
    pdf = builders.varied_text_pdf(tmp_path / "long.pdf", sections=5, sentences_per_section=4)
    upload = backend.upload_file(pdf)
    return JobRequest(
        pdf_upload=upload.id, title="Long", resolution="640x360", fps=24, captions="off"
    )


class Sampler:
    """Counts running jobs in the store, many times a second, in the background."""

    def __init__(self, backend: LocalBackend) -> None:
        self.backend, self.most, self.processes = backend, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        store = self.backend.store
        marks = ", ".join(f"'{s.value}'" for s in RUNNING)
        while not self._stop.wait(0.05):
            row = store.one(f"SELECT count(*) AS n FROM jobs WHERE status IN ({marks})")
            self.most = max(self.most, row["n"] if row else 0)
            self.processes = max(self.processes, len(runners()))


def test_a_worker_with_concurrency_2_never_runs_more_than_2(alice):
    jobs = [alice.submit(builders.tiny_job(title=f"Tiny {n}")) for n in range(5)]
    with Sampler(alice) as sampler:
        worker = start_worker("--concurrency", "2", "--once")
        assert worker.wait(timeout=150) == 0, worker.stderr.read() if worker.stderr else ""
    assert sampler.most == 2 and sampler.processes == 2
    assert {alice.job(j.id).status for j in jobs} == {JobStatus.COMPLETED}
    videos = alice.videos()
    assert len(videos) == 5
    assert all(video_file(alice.settings, v).is_file() and v.duration > 1 for v in videos)


def test_max_concurrent_jobs_holds_across_workers(alice):
    for n in range(3):
        alice.submit(builders.tiny_job(title=f"Tiny {n}"))
    with Sampler(alice) as sampler:
        workers = [
            start_worker("--concurrency", "2", "--once", MAX_CONCURRENT_JOBS="1") for _ in range(2)
        ]
        for worker in workers:
            assert worker.wait(timeout=150) == 0
    assert sampler.most == 1
    assert {j.status for j in alice.jobs()} == {JobStatus.COMPLETED}


def test_a_killed_worker_s_job_is_taken_back_and_completes_once(alice, tmp_path):
    job = alice.submit(long_job(alice, tmp_path))
    worker = start_worker("--concurrency", "1")
    try:
        wait_for(lambda: alice.job(job.id).status is JobStatus.COMPOSING, timeout=90)
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        wait_for(lambda: not runners(), timeout=5)  # its job process died with it
        assert alice.job(job.id).status is JobStatus.COMPOSING  # nobody has noticed yet
    finally:
        worker.kill()
    second = start_worker("--concurrency", "1", "--once")
    assert second.wait(timeout=150) == 0
    done = alice.job(job.id)
    assert done.status is JobStatus.COMPLETED and done.attempts == 2
    videos = alice.videos()
    assert len(videos) == 1 and videos[0].job_id == job.id
    assert video_file(alice.settings, videos[0]).is_file()


def test_cancel_while_composing_ends_within_5_s_and_keeps_the_uploads(alice, tmp_path):
    request = long_job(alice, tmp_path)
    job = alice.submit(request)
    worker = start_worker("--concurrency", "1")
    try:
        wait_for(lambda: alice.job(job.id).status is JobStatus.COMPOSING, timeout=90)
        asked = time.monotonic()
        alice.cancel(job.id)
        wait_for(lambda: alice.job(job.id).status is JobStatus.CANCELLED, timeout=5)
        assert time.monotonic() - asked < 5
        wait_for(lambda: not runners(), timeout=5)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=10)
    project = alice.settings.pdf2video_home / alice.job(job.id).project_dir
    assert not list(project.rglob(".*part*"))
    assert not (project / "out" / "video.mp4").exists()
    assert [u.id for u in alice.uploads()] == [request.pdf_upload]
    assert alice.videos() == []


def test_a_job_past_its_timeout_is_stopped_and_marked_failed(monkeypatch, tmp_path):
    monkeypatch.setenv("JOB_TIMEOUT_MINUTES", "0.03")  # under 2 s
    backend = LocalBackend(load_settings(), "alice")
    job = backend.submit(long_job(backend, tmp_path))
    runner = backend.run_inline()
    try:
        wait_for(lambda: backend.job(job.id).finished, timeout=60)
    finally:
        runner.stop()
    failed = backend.job(job.id)
    assert failed.status is JobStatus.FAILED and failed.error_code == "JOB_TIMED_OUT"
    assert "longer than 0.03 minutes" in failed.error_message


def test_a_provider_failure_is_retried_with_backoff_using_the_users_own_key(monkeypatch):
    with FakeOpenAI() as server:
        monkeypatch.setenv("SCRIPT_PROVIDER", "openai")
        monkeypatch.setenv("AI_FALLBACK", "false")
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-server")
        monkeypatch.setenv("OPENAI_MAX_RETRIES", "0")
        monkeypatch.setenv("JOB_RETRY_BASE_S", "0.3")
        settings = load_settings()
        backend = LocalBackend(settings, "alice")
        backend.set_api_key("sk-alice-own")
        job = backend.submit(builders.tiny_job())
        runner = backend.run_inline()
        try:
            first = wait_for(
                lambda: (
                    (j := backend.job(job.id)).error_message and j.status is JobStatus.PENDING and j
                ),
                timeout=30,
            )
            wait_for(lambda: backend.job(job.id).finished, timeout=30)
        finally:
            runner.stop()
    assert "attempt 1 of 3; trying again in 0.3 s" in first.error_message
    failed = backend.job(job.id)
    assert failed.status is JobStatus.FAILED and failed.attempts == 3
    assert failed.error_code == "PROVIDER_UNAVAILABLE"
    chats = [r for r in server.requests if r["path"].endswith("/chat/completions")]
    assert len(chats) == 3
    assert {r["authorization"] for r in chats} == {"Bearer sk-alice-own"}
    stored = backend.store.one("SELECT api_key FROM users WHERE name = 'alice'")["api_key"]
    assert "sk-alice-own" not in stored and backend.has_api_key()
    key_file = settings.pdf2video_home / "secret.key"
    assert key_file.stat().st_mode & 0o777 == 0o600


def test_inline_mode_runs_a_job_in_this_process(alice):
    job = alice.submit(builders.tiny_job(text_content=builders.story(1, 2)))
    runner = alice.run_inline()
    try:
        wait_for(lambda: alice.job(job.id).finished, timeout=60)
    finally:
        runner.stop()
    done = alice.job(job.id)
    assert done.status is JobStatus.COMPLETED and done.progress == 1
    assert done.started_at <= done.completed_at
    (video,) = alice.videos()
    assert video.width == 320 and video.height == 180 and video.fps == 24


def test_an_uploaded_image_reaches_the_project(alice):
    image = alice.upload(io.BytesIO(builders.matplotlib_chart_png()), "chart.png")
    job = alice.submit(builders.tiny_job(image_uploads=[image.id]))
    runner = alice.run_inline()
    try:
        wait_for(lambda: alice.job(job.id).finished, timeout=60)
    finally:
        runner.stop()
    assert alice.job(job.id).status is JobStatus.COMPLETED
    project = alice.settings.pdf2video_home / alice.job(job.id).project_dir
    assert any((project / "assets").rglob("*.png"))
