"""The app for non-coders, driven as a person would: files chosen, buttons pressed."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import numpy as np

from pdf2video.core.backend import LocalBackend
from pdf2video.core.config import load_settings
from pdf2video.core.jobs import JobStatus
from pdf2video.studio.video_app import VideoApp
from tests import builders


def chosen(name: str, content: bytes) -> dict:
    return {
        "name": name,
        "type": "",
        "size": len(content),
        "content": memoryview(content),
        "last_modified": datetime.now(UTC),
    }


def finished(app: VideoApp, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while app.job is None or not app.job.finished:
        assert time.monotonic() < deadline, app.status.text.value
        time.sleep(0.2)
    app.wait(30)


def test_a_pdf_becomes_a_video_the_person_can_play_download_and_find_again(docs):
    app = VideoApp()
    assert "builtin-draft" in [v for _, v in app.preset.options]
    assert "joe" in app.voice.options
    app.files.value = (chosen("Solar report.pdf", docs["two_column"].read_bytes()),)
    app.preset.value = "builtin-draft"
    app.generate.click()
    app.wait(60)
    assert app.job is not None, app.status.text.value
    assert app.form.layout.display == "none" and not app.cancel.disabled
    finished(app)
    assert app.job.status is JobStatus.COMPLETED, app.status.text.value
    assert "is ready" in app.status.text.value
    assert app.result.player.data[4:8] == b"ftyp"
    assert app.result.player.download_name == "Solar report.mp4"
    assert "fps" in app.result.metadata.value
    assert app.another.layout.display == "" and app.cancel.disabled

    app.tabs.selected_index = 1  # My videos
    (card,) = app.library.grid.children
    assert "Solar report" in card.children[1].value
    app.library.share(app.job.video_id)
    assert "PDF2VIDEO_PUBLIC_URL" in app.library.status.text.value  # no service here

    app.make_another()
    assert app.files.value == () and app.result.player.data == b""
    assert app.form.layout.display == "" and app.generate.layout.display == ""


def test_text_with_a_picture_and_music_is_one_job():
    app = VideoApp()
    app.text.value = builders.story(1, 2)
    picture = builders.png(np.full((64, 64, 3), 200, np.uint8))
    app.files.value = (chosen("photo.png", picture),)
    request = app.request()
    assert request.source_type == "text_images" and request.title == "Sun power at home"
    assert len(request.image_uploads) == 1 and request.resolution == "1080p"


def test_every_mistake_is_one_plain_line_and_nothing_is_sent(docs):
    app = VideoApp()
    cases = [
        ((), "", "add a PDF or some text first"),
        ((chosen("a.pdf", docs["two_column"].read_bytes()),), "some text", "not both"),
        ((chosen("a.pdf", builders.png(np.zeros((8, 8, 3), np.uint8))),), "", "named .pdf"),
        ((chosen("bad.pdf", b"%PDF-1.4\n"),), "", "not a readable PDF"),
    ]
    for files, text, message in cases:
        app.files.value, app.text.value = files, text
        app.generate.click()
        app.wait(30)
        shown = app.status.text.value
        assert message in shown and "Traceback" not in shown, shown
        assert app.job is None and not app.generate.disabled
    assert app.backend.jobs() == []


def test_opening_the_app_again_follows_the_running_job_and_cancel_stops_it():
    settings = load_settings()
    job = LocalBackend(settings).submit(builders.tiny_job(title="Left running"))
    app = VideoApp(settings)  # a reload: the job is found again
    assert app.job is not None and app.job.id == job.id
    assert app.form.layout.display == "none"
    app.cancel.click()
    finished(app, 60)
    assert app.job.status is JobStatus.CANCELLED
    assert "Cancelled" in app.status.text.value
