"""Jobs as a user handles them: submit, find, cancel, retry, delete; and only their own."""

from __future__ import annotations

import io

import pytest

from pdf2video.core.errors import (
    Forbidden,
    JobError,
    JobNotFound,
    PresetNotFound,
    UploadNotFound,
    VideoNotFound,
)
from pdf2video.core.jobs import JobFilter, JobRequest, JobStatus, effective_choices
from pdf2video.core.presets import RenderChoices
from pdf2video.core.users import Role, get_user, set_role
from tests import builders


def test_a_submitted_job_waits_with_its_request(alice, docs):
    upload = alice.upload(io.BytesIO(docs["images"].read_bytes()), "Report.pdf")
    job = alice.submit(JobRequest(pdf_upload=upload.id, fps=24, captions="burn"))
    assert job.status is JobStatus.PENDING and job.progress == 0
    assert job.title == "Report"  # from the upload's name
    assert job.request.fps == 24 and job.owner == "alice"
    assert alice.job(job.id) == job


def test_a_request_without_its_source_or_with_a_wrong_upload_is_refused(alice, docs):
    with pytest.raises(ValueError, match="pdf_upload"):
        JobRequest(source_type="pdf")
    with pytest.raises(ValueError, match="text_content"):
        JobRequest(source_type="text_images", text_content="  ")
    with pytest.raises(UploadNotFound):
        alice.submit(JobRequest(pdf_upload="nope"))
    image = alice.upload(io.BytesIO(builders.png(builders.np.zeros((9, 9, 3), "uint8"))), "i.png")
    with pytest.raises(JobError, match="not a pdf file"):
        alice.submit(JobRequest(pdf_upload=image.id))
    with pytest.raises(PresetNotFound):
        alice.submit(builders.tiny_job(preset="no such preset"))
    assert alice.jobs() == []


def test_jobs_list_newest_first_with_paging_and_filters(alice):
    made = [alice.submit(builders.tiny_job(title=f"Video {n}")) for n in range(5)]
    alice.cancel(made[1].id)
    listed = alice.jobs()
    assert [j.id for j in listed] == [j.id for j in reversed(made)]
    assert [j.title for j in alice.jobs(JobFilter(limit=2, offset=1))] == ["Video 3", "Video 2"]
    assert [j.id for j in alice.jobs(JobFilter(status=[JobStatus.CANCELLED]))] == [made[1].id]
    assert [j.title for j in alice.jobs(JobFilter(search="o 4"))] == ["Video 4"]
    assert alice.jobs(JobFilter(search="%")) == []  # LIKE wildcards are plain text
    assert alice.jobs(JobFilter(since=made[-1].created_at + 1)) == []
    assert len(alice.jobs(JobFilter(until=made[-1].created_at + 1))) == 5


def test_cancel_retry_and_delete_a_waiting_job(alice, settings):
    job = alice.submit(builders.tiny_job())
    cancelled = alice.cancel(job.id)
    assert cancelled.status is JobStatus.CANCELLED and cancelled.error_code == "CANCELLED"
    with pytest.raises(JobError, match="already cancelled"):
        alice.cancel(job.id)
    again = alice.retry(job.id)
    assert again.status is JobStatus.PENDING and again.error_message is None
    with pytest.raises(JobError, match="only failed or cancelled"):
        alice.retry(job.id)
    project = settings.pdf2video_home / again.project_dir
    project.mkdir(parents=True)
    (project / "project.json").write_text("{}")
    alice.delete_job(job.id)
    assert not project.exists()
    with pytest.raises(JobNotFound):
        alice.job(job.id)


def test_one_user_cannot_see_or_touch_anothers_rows(alice, bob, docs):
    upload = alice.upload(io.BytesIO(docs["images"].read_bytes()), "a.pdf")
    job = alice.submit(JobRequest(pdf_upload=upload.id))
    preset = alice.save_preset("Mine", RenderChoices(fps=24))
    assert bob.jobs() == [] and bob.uploads() == [] and bob.videos() == []
    assert preset.id not in {p.id for p in bob.presets()}
    for action in (bob.job, bob.cancel, bob.retry, bob.delete_job):
        with pytest.raises(JobNotFound):
            action(job.id)
    with pytest.raises(UploadNotFound):
        bob.submit(JobRequest(pdf_upload=upload.id))  # not even by naming its id
    with pytest.raises(VideoNotFound):
        bob.delete_videos(["anything"])
    with pytest.raises(PresetNotFound):
        bob.delete_preset(preset.id)
    assert alice.job(job.id).status is JobStatus.PENDING
    assert bob.stats().jobs == {} and alice.stats().jobs == {"pending": 1}


def test_an_admin_sees_everyone_and_a_viewer_only_watches(alice, bob, settings, monkeypatch):
    job = alice.submit(builders.tiny_job())
    from pdf2video.core.backend import LocalBackend  # noqa: PLC0415

    settings = settings.model_copy(update={"pdf2video_admins": "carol"})
    carol = LocalBackend(settings, "carol", store=alice.store)
    assert carol.user.role is Role.ADMIN
    assert [j.id for j in carol.jobs()] == [job.id]
    set_role(alice.store, "bob", Role.VIEWER)
    viewer = LocalBackend(settings, "bob", store=alice.store)
    with pytest.raises(Forbidden, match="may watch videos"):
        viewer.submit(builders.tiny_job())
    assert get_user(alice.store, "bob").role is Role.VIEWER


def test_presets_built_in_read_only_own_ones_editable_and_a_default(alice):
    names = {p.name for p in alice.presets()}
    assert {"1080p narrated", "9:16 short", "4K showcase"} <= names
    with pytest.raises(Forbidden):
        alice.delete_preset("4K showcase")
    with pytest.raises(Forbidden):
        alice.save_preset("9:16 short", RenderChoices(fps=24))
    mine = alice.save_preset("Small", RenderChoices(resolution="640x360", fps=24))
    updated = alice.save_preset("Small", RenderChoices(resolution="640x360", fps=25))
    assert updated.id == mine.id and updated.settings.fps == 25
    alice.set_default_preset("Small")
    request = builders.tiny_job(resolution=None, fps=None)
    assert effective_choices(alice.store, alice.user, request).fps == 25  # the default's
    named = builders.tiny_job(resolution=None, fps=None, preset="9:16 short")
    choices = effective_choices(alice.store, alice.user, named)
    assert (choices.resolution, choices.aspect, choices.fps) == ("1080x1920", "9:16", 30)
    overridden = builders.tiny_job(fps=24, preset="9:16 short")
    assert effective_choices(alice.store, alice.user, overridden).fps == 24  # the job's own
    alice.delete_preset("Small")
    assert alice.default_preset() is None
    with pytest.raises(ValueError, match="resolution"):
        RenderChoices(resolution="huge")
