"""`pdf2video jobs|videos|uploads|presets|worker|stats` as two people on one machine use them."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

from tests import builders

EXE = Path(sys.executable).parent / "pdf2video"


def as_user(user: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(EXE), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "JUPYTERHUB_USER": user, **env},
        check=False,
    )


def story_file(tmp_path: Path) -> Path:
    path = tmp_path / "Solar story.md"
    path.write_text(builders.story(), encoding="utf-8")
    return path


def test_submit_run_and_find_the_video_from_the_shell(tmp_path):
    text = story_file(tmp_path)
    image = tmp_path / "chart.png"
    image.write_bytes(builders.matplotlib_chart_png())
    flags = ["--resolution", "320x180", "--fps", "24", "--draft", "--captions", "off"]
    submitted = as_user("alice", "jobs", "submit", str(text), str(image), *flags, "--json")
    assert submitted.returncode == 0, submitted.stderr
    job = json.loads(submitted.stdout)
    assert job["status"] == "pending" and job["title"] == "Solar story"
    assert job["request"]["source_type"] == "text_images"
    assert len(job["request"]["image_uploads"]) == 1
    worker = as_user("alice", "worker", "--once", "--concurrency", "1")
    assert worker.returncode == 0, worker.stderr
    shown = json.loads(as_user("alice", "jobs", "show", job["id"], "--json").stdout)
    assert shown["status"] == "completed" and shown["progress"] == 1.0
    assert shown["error_code"] is None and shown["video_id"]
    listed = json.loads(as_user("alice", "jobs", "list", "--json").stdout)
    assert [(j["id"], j["status"]) for j in listed] == [(job["id"], "completed")]
    videos = json.loads(as_user("alice", "videos", "list", "--json").stdout)
    assert len(videos) == 1 and Path(videos[0]["file"]).is_file()
    table = as_user("alice", "videos", "list").stdout
    assert "Solar story" in table and "320x180" in table
    stats = json.loads(as_user("alice", "stats", "--json").stdout)
    assert stats["videos"] == 1 and stats["jobs"] == {"completed": 1}
    assert stats["encoder"] == "libx264" and stats["storage_bytes"]["alice"] > 0
    removed = as_user("alice", "videos", "delete", videos[0]["id"])
    assert removed.returncode == 0 and "deleted 1 video" in removed.stdout
    assert not Path(videos[0]["file"]).exists()


def test_another_user_sees_nothing_and_cannot_touch_it(tmp_path, docs):
    job = json.loads(as_user("alice", "jobs", "submit", str(docs["images"]), "--json").stdout)
    upload_id = job["request"]["pdf_upload"]
    assert as_user("alice", "presets", "create", "Mine", "--fps", "24").returncode == 0
    assert json.loads(as_user("bob", "jobs", "list", "--json").stdout) == []
    assert json.loads(as_user("bob", "uploads", "list", "--json").stdout) == []
    presets = json.loads(as_user("bob", "presets", "list", "--json").stdout)
    assert "Mine" not in {p["name"] for p in presets}
    for args in (
        ("jobs", "show", job["id"]),
        ("jobs", "cancel", job["id"]),
        ("jobs", "delete", job["id"]),
        ("uploads", "delete", upload_id),
        ("presets", "delete", "Mine"),
    ):
        result = as_user("bob", *args)
        assert result.returncode == 1
        assert result.stderr.startswith("pdf2video: error: there is no ")
        assert "Traceback" not in result.stderr
    assert json.loads(as_user("alice", "jobs", "show", job["id"], "--json").stdout)["status"] == (
        "pending"
    )
    admin = as_user("carol", "jobs", "list", "--json", PDF2VIDEO_ADMINS="carol")
    assert [j["id"] for j in json.loads(admin.stdout)] == [job["id"]]


def test_bad_input_gets_one_line_and_a_non_zero_exit(tmp_path):
    program = tmp_path / "invoice.pdf"
    program.write_bytes(b"\x7fELF\x02\x01\x01" + bytes(300))
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    cases = [
        (("jobs", "submit", str(program)), "an executable program"),
        (("jobs", "submit", str(tmp_path / "missing.pdf")), "no such file"),
        (("jobs", "submit", str(story_file(tmp_path)), "--resolution", "huge"), "resolution"),
        (("jobs", "show", "nope"), "there is no job 'nope'"),
        (("jobs", "list", "--since", "yesterday"), "not a date"),
        (("presets", "delete", "4K showcase"), "built in"),
    ]
    for args, message in cases:
        result = as_user("alice", *args)
        assert result.returncode == 1, (args, result.stdout)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and message in lines[0], (args, result.stderr)
    assert json.loads(as_user("alice", "uploads", "list", "--json").stdout) == []


def test_cancel_and_retry_from_the_shell(tmp_path):
    job_id = as_user("alice", "jobs", "submit", str(story_file(tmp_path))).stdout.strip()
    cancelled = as_user("alice", "jobs", "cancel", job_id)
    assert cancelled.returncode == 0 and "(cancelled)" in cancelled.stdout
    retried = json.loads(as_user("alice", "jobs", "retry", job_id, "--json").stdout)
    assert retried["status"] == "pending"
    deleted = as_user("alice", "jobs", "delete", job_id)
    assert deleted.returncode == 0
    assert json.loads(as_user("alice", "jobs", "list", "--json").stdout) == []
