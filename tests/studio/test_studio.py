"""The studio's widgets driven as a person would (values set, buttons clicked), no browser.

Background work is joined with ``studio.wait()``; what is asserted is what the person
would see (widget values, the player, messages) and what is kept (project.json, jobs).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time

import numpy as np
import pytest

from pdf2video.core.jobs import JobStatus
from pdf2video.core.project import load_project
from pdf2video.studio import Studio
from tests import builders


def story_studio(**text: str) -> Studio:
    studio = Studio()
    source = studio.source
    source.text_title.value = text.get("title", "Sun power at home")
    source.text_body.value = text.get("body", builders.story(3, 2))
    source.image_files = [("chart.png", builders.matplotlib_chart_png())]
    source.use_text.click()
    studio.wait()
    assert studio.session.project is not None, studio.tasks.errors
    return studio


def scripted(studio: Studio) -> Studio:
    studio.go(2)
    studio.script.generate.click()
    studio.wait()
    assert studio.session.project.script is not None, studio.tasks.errors
    return studio


def saved(studio: Studio):
    return load_project(studio.session.folder.root)


def test_a_pdf_read_from_an_upload_shows_its_first_page_and_facts(docs):
    studio = Studio()
    studio.source.take_pdf("Quarterly.pdf", docs["two_column"].read_bytes())
    studio.wait()
    assert "Read Quarterly.pdf" in studio.source.status.text.value
    summary = studio.source.summary.value
    assert "ACME Quarterly Review" in summary and "3 pages" in summary
    assert bytes(studio.source.first_page.value)[:3] in (b"\x89PN", b"\xff\xd8\xff")
    assert [u.original_name for u in studio.session.backend.uploads()] == ["Quarterly.pdf"]
    assert studio.source.past.options  # the upload can be picked again later


def test_bad_uploads_show_a_message_in_place(docs, monkeypatch):
    monkeypatch.setenv("MAX_UPLOAD_SIZE_MB", "1")
    studio = Studio()
    studio.source.take_pdf("photo.pdf", builders.png(np.zeros((8, 8, 3), np.uint8)))
    assert (
        "not a PDF" in studio.source.status.text.value or "PNG" in studio.source.status.text.value
    )
    studio.source.take_pdf("huge.pdf", b"%PDF-1.7\n" + bytes(2 * 1024 * 1024))
    assert "larger than the limit of 1 MB" in studio.source.status.text.value
    assert "Traceback" not in studio.source.status.text.value
    studio.source.take_pdf("secret.pdf", docs["encrypted"].read_bytes())
    studio.wait()
    assert "password" in studio.source.status.text.value
    assert studio.source.password.layout.display == ""
    studio.source.password.value = "wrong"
    studio.source.unlock.click()
    studio.wait()
    assert "p2v-error" in studio.source.status.text.value
    studio.source.password.value = "s3cret"
    studio.source.unlock.click()
    studio.wait()
    assert "Read secret.pdf" in studio.source.status.text.value
    assert studio.source.password.layout.display == "none"


def test_overriding_an_image_class_and_leaving_one_out_are_saved(docs):
    studio = Studio()
    studio.source.take_pdf("images.pdf", docs["images"].read_bytes())
    studio.wait()
    studio.go(1)
    first, second = list(studio.pages.cards)[:2]
    choice, _, badge = studio.pages.cards[first]
    choice.value = "diagram"
    assert "diagram" in badge.value and "user" in badge.value
    studio.pages.cards[second][1].value = True
    document = saved(studio).document
    assert document.asset(first).override.value == "diagram"
    assert document.asset(second).excluded


def test_write_edit_reorder_split_merge_and_undo_the_script():
    studio = scripted(story_studio())
    step = studio.script
    scenes = studio.session.script.scenes
    assert len(step.strip.scenes) == len(scenes) >= 3
    assert "scenes" in step.totals.value and "words" in step.totals.value

    step.strip.selected = 1
    line = "A brand new line. And a second sentence for it."
    step.narration.value = line
    assert saved(studio).script.scenes[1].narration == line
    assert saved(studio).script.scenes[1].changed

    step.narration.value = "   "  # refused in place; nothing changes
    assert "needs narration" in step.status.text.value
    assert step.narration.value == line

    ids = [s.id for s in saved(studio).script.scenes]
    step.strip.order = [ids[1], ids[0], *ids[2:]]  # what a drag and drop sets
    assert [s.id for s in saved(studio).script.scenes][:2] == [ids[1], ids[0]]

    step.strip.selected = 0
    count = len(saved(studio).script.scenes)
    step.split.click()
    assert len(saved(studio).script.scenes) == count + 1
    step.merge.click()
    assert len(saved(studio).script.scenes) == count
    step.delete.click()
    assert len(saved(studio).script.scenes) == count - 1
    step.undo.click()
    assert len(saved(studio).script.scenes) == count
    step.layout_choice.value = "quote"
    assert saved(studio).script.scenes[0].layout.value == "quote"


def test_regenerate_one_scene_brings_back_its_text():
    studio = scripted(story_studio())
    original = studio.session.script.scenes[1].narration
    studio.script.strip.selected = 1
    studio.script.narration.value = "Something else entirely."
    studio.script.regenerate.click()
    studio.wait()
    assert saved(studio).script.scenes[1].narration == original


def test_voice_one_scene_then_all_and_play_them():
    studio = scripted(story_studio())
    studio.go(3)
    studio.voice.scene.value = 1
    studio.voice.voice_one.click()
    studio.wait()
    assert "1 scene voiced" in studio.voice.status.text.value
    scenes = saved(studio).script.scenes
    assert scenes[1].audio is not None and scenes[0].audio is None
    assert studio.voice.player.value[:4] == b"RIFF"
    studio.voice.voice_all.click()
    studio.wait()
    assert all(s.audio is not None for s in saved(studio).script.scenes)
    assert not any("(changed)" in label for label, _ in studio.voice.scene.options)


def test_preview_a_scene_plays_a_draft_and_shows_stills_and_a_timeline(tmp_path):
    if shutil.which("ffprobe") is None:
        pytest.skip("ffprobe is needed")
    studio = scripted(story_studio())
    studio.go(4)
    studio.preview.scene.value = 1
    studio.preview.preview.click()
    studio.wait()
    assert "preview-scene-2.mp4" in studio.preview.status.text.value, studio.tasks.errors
    video = tmp_path / "preview.mp4"
    video.write_bytes(studio.preview.player.data)
    probe = json.loads(
        subprocess.run(
            ["ffprobe", "-v", "error", "-show_streams", "-of", "json", str(video)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    kinds = {s["codec_type"]: s for s in probe["streams"]}
    assert kinds["video"]["height"] == 480 and "audio" in kinds
    studio.preview.at.value = 1.0
    studio.wait()
    assert bytes(studio.preview.still.value)[:3] == b"\xff\xd8\xff", studio.tasks.errors
    assert bytes(studio.preview.timeline.value)[:4] == b"\x89PNG"


def test_render_a_small_draft_then_cancel_a_second_render():
    studio = scripted(story_studio())
    studio.go(5)
    render = studio.render
    render.draft.value = True
    render.resolution.value = "720p"
    render.captions.value = "off"
    assert "minutes" in render.estimate.value or "min" in render.estimate.value
    render.render.click()
    studio.wait(240)
    assert "Done" in render.status.text.value, (render.status.text.value, studio.tasks.errors)
    assert render.player.data[4:8] == b"ftyp"
    assert render.player.download_name.endswith(".mp4")  # the player's Download link
    assert "1280x720" in render.metadata.value
    (video,) = studio.session.backend.videos()
    assert video.source_type == "project"

    render.resolution.value = "1080p"
    render.draft.value = False
    render.render.click()
    deadline = time.monotonic() + 60
    while render.job is None or render.job.status not in (JobStatus.COMPOSING,):
        assert time.monotonic() < deadline, render.status.text.value
        time.sleep(0.1)
    render.cancel.click()
    studio.wait(60)
    assert render.job.status is JobStatus.CANCELLED or "Cancelled" in render.status.text.value
    job = studio.session.backend.job(render.job.id)
    assert job.status is JobStatus.CANCELLED
    assert render.retry.layout.display == ""
    assert studio.session.backend.videos() == [video]  # the first video is kept


def test_the_tabs_show_the_library_presets_and_settings():
    studio = Studio()
    studio.dashboard.refresh()
    assert (
        "Videos" in studio.dashboard.numbers.value and "libx264" in studio.dashboard.numbers.value
    )
    studio.presets.name.value = "Mine"
    studio.presets.create.click()
    assert "Saved 'Mine'" in studio.presets.status.text.value
    assert "Mine" in studio.presets.table.value
    studio.presets.choice.value = next(
        v for label, v in studio.presets.choice.options if label == "Mine"
    )
    studio.presets.make_default.click()
    assert "(default)" in studio.presets.table.value
    studio.presets.choice.value = "builtin-4k"
    studio.presets.delete.click()
    assert "built in" in studio.presets.status.text.value
    studio.settings_tab.api_key.value = "sk-own-key"
    studio.settings_tab.save_key.click()
    assert studio.settings_tab.api_key.value == ""
    assert "saved" in studio.settings_tab.key_state.value
    assert "sk-own-key" not in studio.settings_tab.key_state.value
    assert "No videos yet" in studio.library.grid.children[0].value


def test_opening_the_studio_again_brings_back_the_project_and_its_running_job():
    first = scripted(story_studio())
    job = first.session.submit_render(first.render.choices())  # queued; no worker yet
    again = Studio()
    assert again.session.folder.root == first.session.folder.root
    assert "Back to" in again.source.status.text.value
    assert again.render.job is not None and again.render.job.id == job.id
    again.wait(240)  # the studio started a worker; the job it follows completes
    assert again.session.backend.job(job.id).status is JobStatus.COMPLETED


def test_pdf2video_studio_starts_jupyterlab_on_the_workspace(settings, tmp_path):
    import os  # noqa: PLC0415
    import socket  # noqa: PLC0415
    import sys  # noqa: PLC0415

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    document = tmp_path / "Report.pdf"
    document.write_bytes(b"%PDF-1.4")
    exe = [sys.executable, "-m", "pdf2video.core.cli", "studio", str(document)]
    lab = subprocess.Popen(
        [*exe, "--port", str(port), "--no-browser"],
        env=dict(os.environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                assert time.monotonic() < deadline and lab.poll() is None
                time.sleep(0.2)
        written = settings.pdf2video_home / "studio-Report.ipynb"
        cell = json.loads(written.read_text())["cells"][0]
        assert "".join(cell["source"]).endswith(f"Studio({str(document.resolve())!r})")
    finally:
        lab.terminate()
        lab.wait(timeout=20)
    missing = subprocess.run(
        [sys.executable, "-m", "pdf2video.core.cli", "studio", "nope.pdf", "--no-browser"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert missing.returncode == 1 and "no such file" in missing.stderr


def test_settings_defaults_are_kept_and_used():
    studio = Studio()
    tab = studio.settings_tab
    tab.base_url.value = "not a url"
    tab.save_defaults.click()
    assert "http://" in tab.status.text.value
    tab.base_url.value = "http://127.0.0.1:11434/v1"
    tab.resolution.value = "720p"
    tab.save_defaults.click()
    assert "Defaults saved" in tab.status.text.value
    assert studio.session.settings.openai_base_url == "http://127.0.0.1:11434/v1"
    again = Studio()
    assert again.render.resolution.value == "720p"
    assert again.settings_tab.base_url.value == "http://127.0.0.1:11434/v1"
