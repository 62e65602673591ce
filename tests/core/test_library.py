"""The library: finding, sorting and deleting videos; storage used; cleaning up old jobs.

Videos here are filed the way a worker files them (``job_queue.complete``) for files
written by the test, so the library's own logic is tested without rendering; real
renders reach the library in tests/core/test_worker.py.
"""

from __future__ import annotations

import pytest

from pdf2video.core import job_queue
from pdf2video.core.backend import LocalBackend
from pdf2video.core.errors import VideoNotFound
from pdf2video.core.jobs import JobRequest, JobStatus
from pdf2video.core.library import cleanup, thumbnail_file, video_file
from pdf2video.core.models import RenderRecord
from tests import builders


def file_a_video(backend, title: str, duration: float, pdf=None):
    request = builders.tiny_job(title=title)
    if pdf is not None:
        request = JobRequest(title=title, pdf_upload=backend.upload_file(pdf).id)
    job = backend.submit(request)
    claimed = job_queue.claim_next(backend.store, limit=100)
    assert claimed is not None and claimed.job.id == job.id
    out = backend.settings.pdf2video_home / job.project_dir / "out"
    out.mkdir(parents=True)
    (out / "video.mp4").write_bytes(b"\0" * 1000)
    (out / "thumb.jpg").write_bytes(b"\0" * 10)
    (out / "video.srt").write_text("1\n")
    record = RenderRecord(
        path="out/video.mp4",
        thumbnail="out/thumb.jpg",
        duration=duration,
        width=320,
        height=180,
        fps=24,
        codec="h264",
        encoder="libx264",
        size_bytes=1000,
        scenes=2,
        mood="calm",
        render_seconds=1.0,
        segments_rendered=2,
        segments_reused=0,
    )
    assert job_queue.complete(backend.store, claimed, record) is not None
    assert job_queue.complete(backend.store, claimed, record) is None  # only once
    return backend.job(job.id)


def test_videos_sort_search_and_filter(alice, docs):
    file_a_video(alice, "Banana", 30.0)
    file_a_video(alice, "apple", 10.0, pdf=docs["images"])
    file_a_video(alice, "Cherry", 20.0)
    assert [v.title for v in alice.videos()] == ["Cherry", "apple", "Banana"]  # newest first
    assert [v.title for v in alice.videos(sort="title")] == ["apple", "Banana", "Cherry"]
    assert [v.title for v in alice.videos(sort="duration")] == ["Banana", "Cherry", "apple"]
    assert [v.title for v in alice.videos(search="an")] == ["Banana"]
    assert [v.title for v in alice.videos(source_type="pdf")] == ["apple"]
    video = alice.videos(search="apple")[0]
    assert alice.video_file(video.id).read_bytes() == b"\0" * 1000
    assert thumbnail_file(alice.settings, video).is_file()


def test_bulk_delete_removes_files_and_refuses_someone_elses(alice, bob):
    jobs = [file_a_video(alice, f"Video {n}", 5.0) for n in range(3)]
    videos = alice.videos()
    with pytest.raises(VideoNotFound):
        bob.delete_videos([videos[0].id])
    with pytest.raises(VideoNotFound):  # one that is not hers: none is deleted
        alice.delete_videos([videos[0].id, "not-a-video"])
    assert len(alice.videos()) == 3
    assert alice.delete_videos([videos[0].id, videos[1].id]) == 2
    assert [v.id for v in alice.videos()] == [videos[2].id]
    for video in videos[:2]:
        assert not video_file(alice.settings, video).exists()
        assert not thumbnail_file(alice.settings, video).exists()
    assert sum(alice.job(j.id).video_id is None for j in jobs) == 2  # the jobs stay
    assert alice.job(jobs[0].id).status is JobStatus.COMPLETED


def test_storage_used_per_user(alice, bob):
    file_a_video(alice, "Mine", 5.0)
    used = alice.stats().storage_bytes
    assert set(used) == {"alice"} and used["alice"] >= 1010
    assert bob.stats().storage_bytes == {}


def test_cleanup_removes_old_finished_jobs_and_stale_temporary_files(alice, monkeypatch):
    old = file_a_video(alice, "Old", 5.0)
    new = file_a_video(alice, "New", 5.0)
    waiting = alice.submit(builders.tiny_job(title="Waiting"))
    alice.store.connection().execute(
        "UPDATE jobs SET completed_at = completed_at - 10 * 86400, created_at = created_at -"
        " 10 * 86400 WHERE id IN (?, ?)",
        (old.id, waiting.id),
    )
    tmp = alice.settings.pdf2video_home / "tmp" / "job-gone"
    tmp.mkdir(parents=True)
    import os  # noqa: PLC0415

    os.utime(tmp, (0, 0))
    assert cleanup(alice.store, alice.settings) == 0  # JOB_RETENTION_DAYS=0 keeps jobs
    assert not tmp.exists()
    assert alice.cleanup(older_than_days=7) == 1
    assert {j.title for j in alice.jobs()} == {"New", "Waiting"}  # a waiting job stays
    assert not (alice.settings.pdf2video_home / old.project_dir).exists()
    assert [v.title for v in alice.videos()] == ["New"]
    assert new.status is JobStatus.COMPLETED


def test_a_users_cleanup_removes_only_their_own_jobs_an_admins_everyones(alice, bob, settings):
    mine = file_a_video(bob, "Bob's old", 5.0)
    theirs = file_a_video(alice, "Alice's old", 5.0)
    alice.store.connection().execute(
        "UPDATE jobs SET completed_at = completed_at - 10 * 86400 WHERE id IN (?, ?)",
        (mine.id, theirs.id),
    )
    assert bob.cleanup(older_than_days=7) == 1
    assert [j.title for j in alice.jobs()] == ["Alice's old"]  # untouched by bob
    admin = LocalBackend(
        settings.model_copy(update={"pdf2video_admins": "root"}), "root", store=alice.store
    )
    assert admin.cleanup(older_than_days=7) == 1
    assert alice.jobs() == []
