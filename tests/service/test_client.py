"""The remote backend: the studio's and the CLI's interface, served by the pdf2video service."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pdf2video.core.config import load_settings
from pdf2video.core.errors import JobConflict, JobNotFound, NotAuthenticated, UploadTooLarge
from pdf2video.core.jobs import FINISHED, Job, JobFilter, JobStatus
from pdf2video.core.presets import RenderChoices
from pdf2video.core.project import create_project
from pdf2video.core.user_prefs import UserPrefs
from pdf2video.service.client import RemoteBackend
from tests import builders
from tests.service.conftest import Service, clean_environment


@pytest.fixture
def remote(service: Service, tmp_path: Path) -> RemoteBackend:
    settings = load_settings(
        pdf2video_home=tmp_path / "my-workspace",
        pdf2video_service_url=service.url,
        pdf2video_api_token=service.token_for("fay"),
    )
    return RemoteBackend.from_settings(settings)


def wait(remote: RemoteBackend, job: Job) -> Job:
    deadline = time.monotonic() + 120
    while job.status not in FINISHED and time.monotonic() < deadline:
        time.sleep(0.3)
        job = remote.job(job.id)
    return job


def test_the_remote_backend_does_what_the_local_one_does(remote: RemoteBackend, docs):
    assert remote.user.name == "fay" and remote.user.role.value == "editor"
    upload = remote.upload_file(docs["two_column"])
    assert upload.kind == "pdf" and remote.uploads("pdf")[0].id == upload.id
    job = remote.submit(builders.tiny_job(title="Remote tiny"))
    assert job.status is JobStatus.PENDING and job.request.resolution == "320x180"
    assert [j.id for j in remote.jobs(JobFilter(status=[job.status]))] == [job.id]
    remote.start_worker()  # nothing to do: the service has its worker
    job = wait(remote, job)
    assert job.status is JobStatus.COMPLETED, job.error_message
    video = remote.video(job.video_id or "")
    assert video.title == "Remote tiny" and video.width == 320
    assert [v.id for v in remote.videos(search="remote")] == [video.id]
    path = remote.video_file(video.id)
    assert path.is_file() and path.stat().st_size == video.size_bytes
    assert path.is_relative_to(remote.settings.pdf2video_home)

    preset = remote.save_preset("Quick", RenderChoices(fps=25, draft=True))
    assert remote.set_default_preset("Quick") == preset
    assert remote.default_preset() == preset
    assert "Quick" in [p.name for p in remote.presets()]
    assert remote.delete_preset(preset.id).name == "Quick"

    saved = remote.save_prefs(UserPrefs(voice="joe"))
    assert remote.prefs() == saved
    assert not remote.has_api_key()
    remote.set_api_key("sk-test")
    assert remote.has_api_key()
    remote.set_api_key(None)

    stats = remote.stats()
    assert stats.user == "fay" and stats.videos == 1
    assert remote.delete_videos([video.id]) == 1
    assert remote.delete_job(job.id).id == job.id


def test_the_services_errors_come_back_as_the_same_domain_errors(
    remote: RemoteBackend, service: Service, tmp_path: Path
):
    with pytest.raises(JobNotFound, match="there is no job 'nope'"):
        remote.job("nope")
    job = remote.submit(builders.tiny_job(text_content=builders.story(1, 1)))
    remote.cancel(job.id)
    with pytest.raises(JobConflict, match="already"):
        wait(remote, remote.job(job.id)) and remote.cancel(job.id)
    with pytest.raises(UploadTooLarge):
        remote.upload(io.BytesIO(b"%PDF-1.7\n" + bytes(3 << 20)), "big.pdf")
    wrong = RemoteBackend(remote.settings, service.url, "p2v_wrong")
    with pytest.raises(NotAuthenticated):
        wrong.jobs()


def test_a_studio_project_is_packed_uploaded_and_rendered_by_the_service(
    remote: RemoteBackend, tmp_path: Path
):
    home = remote.settings.pdf2video_home
    source = tmp_path / "notes.md"
    source.write_text(builders.story(1, 2), encoding="utf-8")
    project_dir = home / "projects" / "notes"
    create_project(project_dir, [source])
    (project_dir / "out").mkdir(exist_ok=True)
    (project_dir / "out" / "old.mp4").write_bytes(b"not sent")
    job = remote.submit(
        builders.tiny_job(source_type="project", project_path="projects/notes", text_content=None)
    )
    assert job.request.project_upload and job.request.project_path is None
    assert [u.kind for u in remote.uploads("project")] == ["project"]
    job = wait(remote, job)
    assert job.status is JobStatus.COMPLETED, job.error_message


def test_the_cli_speaks_to_the_service_with_remote(service: Service, tmp_path: Path, docs):
    env = clean_environment(tmp_path / "cli-home") | {
        "PDF2VIDEO_API_TOKEN": service.token_for("gus")
    }

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pdf2video.core.cli", "--remote", service.url, *args],
            env=env,
            check=False,
            capture_output=True,
            text=True,
            timeout=120,
        )

    added = cli("uploads", "add", str(docs["two_column"]))
    assert added.returncode == 0, added.stderr
    listed = cli("uploads", "list", "--json")
    assert [u["original_name"] for u in json.loads(listed.stdout)] == ["two_column.pdf"]
    assert not (tmp_path / "cli-home" / "pdf2video.db").exists()  # nothing local
    no_file = cli("uploads", "add", str(tmp_path / "nowhere.pdf"))
    assert no_file.returncode == 1 and "no such file" in no_file.stderr
    missing = cli("jobs", "show", "nope")
    assert missing.returncode == 1
    assert missing.stderr.strip() == "pdf2video: error: there is no job 'nope'"
    env["PDF2VIDEO_API_TOKEN"] = "p2v_wrong"
    refused = cli("jobs", "list")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "refused the token" in refused.stderr
