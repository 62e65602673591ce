"""The REST API as a program uses it: upload, render, follow, watch, download, delete."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests import builders
from tests.core.test_webhooks import Receiver
from tests.service.conftest import Service


def follow_events(service: Service, client: httpx.Client, job_id: str) -> list[dict]:
    """Every SSE event of a job until the server closes the stream."""
    events = []
    with client.stream("GET", f"/jobs/{job_id}/events", timeout=180) as answer:
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("text/event-stream")
        kind = None
        for line in answer.iter_lines():
            if line.startswith("event:"):
                kind = line.split(":", 1)[1].strip()
            elif line.startswith("data:"):
                events.append({"event": kind, **json.loads(line.split(":", 1)[1])})
    return events


def ffprobe(data: bytes, tmp_path: Path) -> dict:
    path = tmp_path / "got.mp4"
    path.write_bytes(data)
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", str(path)],
        capture_output=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_a_pdf_becomes_a_video_through_the_api(service: Service, tmp_path: Path):
    pdf = builders.two_column_pdf(tmp_path / "Solar report.pdf", pages=1)
    hook = Receiver()
    with service.client("ada") as client:
        answer = client.post("/uploads", files={"file": (pdf.name, pdf.read_bytes())})
        assert answer.status_code == 201, answer.text
        upload = answer.json()
        assert upload["kind"] == "pdf" and upload["original_name"] == "Solar report.pdf"
        assert "path" not in upload

        answer = client.post(
            "/jobs",
            json={
                "source_type": "pdf",
                "pdf_upload_id": upload["id"],
                "settings": {"resolution": "320x180", "fps": 24, "draft": True, "captions": "off"},
                "webhook_url": hook.url,
            },
        )
        assert answer.status_code == 201, answer.text
        job = answer.json()
        assert job["status"] == "pending" and job["title"] == "Solar report"

        events = follow_events(service, client, job["id"])
        assert events[0]["status"] in ("pending", "extracting", "classifying", "scripting")
        assert events[-1]["status"] == "completed", events[-1]
        progress = [e["progress"] for e in events]
        assert progress == sorted(progress) and len(events) >= 3
        video_id = events[-1]["video_id"]
        assert video_id
        deadline = time.monotonic() + 30  # the worker tells the webhook once the job is filed
        while not hook.received and time.monotonic() < deadline:
            time.sleep(0.1)
        hook.close()
        ((told, _, _),) = hook.received
        assert told["job_id"] == job["id"] and told["status"] == "completed"
        assert client.get(f"/jobs/{job['id']}").json()["webhook"]["ok"] is True

        video = client.get(f"/videos/{video_id}").json()
        assert video["title"] == "Solar report" and video["width"] == 320
        whole = client.get(f"/videos/{video_id}/download")
        assert whole.status_code == 200
        disposition = whole.headers["content-disposition"]
        assert disposition == "attachment; filename*=utf-8''Solar%20report.mp4"
        assert whole.headers["content-type"] == "video/mp4"
        streams = ffprobe(whole.content, tmp_path)["streams"]
        assert {s["codec_name"] for s in streams} >= {"h264", "aac"}

        part = client.get(f"/videos/{video_id}/stream", headers={"Range": "bytes=100-1123"})
        assert part.status_code == 206
        assert part.headers["content-range"] == f"bytes 100-1123/{len(whole.content)}"
        assert part.content == whole.content[100:1124]
        assert part.headers["content-security-policy"].startswith("default-src 'none'")
        assert part.headers["x-content-type-options"] == "nosniff"
        beyond = client.get(
            f"/videos/{video_id}/stream", headers={"Range": f"bytes={len(whole.content) + 10}-"}
        )
        assert beyond.status_code == 416

        thumb = client.get(f"/videos/{video_id}/thumbnail")
        assert thumb.status_code == 200 and thumb.content[:3] == b"\xff\xd8\xff"
        assert "max-age=86400" in thumb.headers["cache-control"]

        listed = client.get("/videos").json()
        assert [v["id"] for v in listed["items"]] == [video_id] and listed["total"] == 1

        assert client.delete(f"/videos/{video_id}").json() == {"deleted": 1}
        assert client.get(f"/videos/{video_id}").status_code == 404
        assert client.get(f"/jobs/{job['id']}").json()["video_id"] is None
        assert client.delete(f"/jobs/{job['id']}").status_code == 200
        assert client.get(f"/jobs/{job['id']}").status_code == 404


def test_every_answer_has_a_request_id_and_each_request_one_json_log_line(service: Service):
    with service.client("ada") as client:
        answer = client.get("/jobs", headers={"X-Request-ID": "trace-me-1234"})
    assert answer.headers["x-request-id"] == "trace-me-1234"
    assert answer.headers["x-content-type-options"] == "nosniff"
    mine: list[dict] = []
    deadline = time.monotonic() + 5  # the line is written as the answer leaves
    while not mine and time.monotonic() < deadline:
        lines = [json.loads(line) for line in service.logs() if line.startswith("{")]
        mine = [x for x in lines if x.get("request_id") == "trace-me-1234"]
        time.sleep(0.05)
    assert mine and mine[-1]["event"] == "request"
    assert mine[-1]["user"] == "ada" and mine[-1]["status"] == 200
    assert mine[-1]["path"] == "/api/v1/jobs" and mine[-1]["duration_ms"] >= 0
    made = httpx.get(f"{service.api}/health")
    assert len(made.headers["x-request-id"]) == 32


def test_job_stages_are_logged_with_user_job_and_duration(service: Service):
    stages = [
        json.loads(line)
        for line in service.logs()
        if line.startswith("{") and '"job_stage"' in line
    ]
    if not stages:
        pytest.skip("no job has run in this service yet")
    assert {"job_id", "user", "stage", "duration_ms"} <= set(stages[0])
    assert stages[0]["user"] == "ada"
