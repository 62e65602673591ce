"""Real renders, checked with ffprobe and ffmpeg the way a viewer would notice problems."""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import threading
import time
import wave

import numpy as np
import psutil
import pytest

from pdf2video.core.config import Encoder, load_settings
from pdf2video.core.encoder import ffmpeg
from pdf2video.core.errors import Cancelled, RenderError, UnusableMedia
from pdf2video.core.narration import voice_script
from pdf2video.core.pipeline import (
    inspect_source,
    preview_scene,
    render_video,
    still_frame,
    write_script,
)
from pdf2video.core.project import ProjectFolder, load_project, save_project
from pdf2video.core.render import options_from
from pdf2video.core.script_editing import edit_scene

pytestmark = pytest.mark.skipif(shutil.which("ffprobe") is None, reason="ffprobe is needed")

STORY = """# Sun power at home

## Panels

Panels turn light into electricity. They sit on the roof.

## Inverters

The inverter makes alternating current. The house can then use it.

## Storage

A battery keeps the midday surplus. It powers the evening.
"""


@pytest.fixture(scope="module")
def voiced_project(tmp_path_factory):
    root = tmp_path_factory.mktemp("render")
    story = root / "story.md"
    story.write_text(STORY)
    settings = load_settings()
    folder = ProjectFolder(root / "project")
    project = inspect_source(story, folder.root, settings)
    project = write_script(folder, project, settings)
    voice_script(folder, project, settings)
    return folder.root


@pytest.fixture
def project_dir(voiced_project, tmp_path):
    target = tmp_path / "project"
    shutil.copytree(voiced_project, target)
    return target


def small(**overrides):
    base = dict(resolution=(320, 180), fps=24, encoder=Encoder.LIBX264)
    return options_from(load_settings(), **(base | overrides))


def probe(path):
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def loudness(path):
    out = subprocess.run(
        [
            ffmpeg(),
            "-hide_banner",
            "-nostats",
            "-i",
            str(path),
            "-af",
            "ebur128",
            "-f",
            "null",
            "-",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    return float(re.findall(r"I:\s+(-?[\d.]+) LUFS", out.stderr)[-1])


def gray_frames(path, fps=2, size=(64, 36)):
    out = subprocess.run(
        [
            ffmpeg(),
            "-v",
            "error",
            "-i",
            str(path),
            "-vf",
            f"fps={fps},scale={size[0]}:{size[1]}",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "gray",
            "-",
        ],
        capture_output=True,
        check=True,
    )
    return np.frombuffer(out.stdout, np.uint8).reshape(-1, size[1], size[0]).astype(np.int16)


def render(project_dir, options, **kwargs):
    return render_video(project_dir, load_settings(), options, project_dir=project_dir, **kwargs)


def test_a_render_is_as_long_as_its_narration_with_picture_sound_and_subtitles(project_dir):
    project = render(project_dir, small())
    video = project_dir / project.render.path
    info = probe(video)
    streams = {s["codec_type"]: s for s in info["streams"]}
    assert streams["video"]["codec_name"] == "h264"
    assert (streams["video"]["width"], streams["video"]["height"]) == (320, 180)
    assert streams["video"]["r_frame_rate"] == "24/1"
    assert streams["audio"]["codec_name"] == "aac" and streams["audio"]["sample_rate"] == "48000"
    assert streams["subtitle"]["codec_name"] == "mov_text"
    narration = sum(s.audio.duration for s in project.script.scenes)
    scenes = len(project.script.scenes)
    assert abs(float(info["format"]["duration"]) - narration) <= scenes / 24 + 0.05
    assert project.render.duration == pytest.approx(float(info["format"]["duration"]), abs=0.05)
    assert -17 <= loudness(video) <= -15  # -16 LUFS, linear gain
    assert (project_dir / "out" / "video.srt").is_file() and (
        project_dir / "out" / "video.vtt"
    ).is_file()
    assert project.render.encoder == "libx264" and project.render.scenes == scenes


def test_no_black_or_frozen_stretches_and_a_thumbnail_that_shows_something(project_dir):
    project = render(project_dir, small())
    frames = gray_frames(project_dir / project.render.path, fps=2, size=(320, 180))
    inner = frames[1:-1]  # the first and last half second fade
    assert inner.mean(axis=(1, 2)).min() > 15
    # frozen: two seconds (4 samples) without any visible change
    changes = np.abs(inner[4:] - inner[:-4]).mean(axis=(1, 2))
    assert changes.min() > 0.1, changes.round(3)
    thumb = project_dir / project.render.thumbnail
    assert thumb.is_file()
    import cv2  # noqa: PLC0415

    assert cv2.imread(str(thumb)).mean() > 20


def test_after_editing_one_scene_only_that_scene_renders_again(project_dir):
    render(project_dir, small())
    project = load_project(project_dir)
    target = project.script.scenes[2]
    edit_scene(project.script, target.id, narration="A new and rather different line.")
    save_project(project, project_dir)
    again = render(project_dir, small())
    assert again.render.segments_rendered == 1
    assert again.render.segments_reused == len(again.script.scenes) - 1
    assert len(list((project_dir / "segments").glob("audio-*.m4a"))) == 2  # new narration


def test_an_edit_that_leaves_the_narration_alone_reuses_the_audio_track(project_dir):
    first = render(project_dir, small())
    track = next((project_dir / "segments").glob("audio-*.m4a"))
    made = track.stat().st_mtime_ns
    project = load_project(project_dir)
    edit_scene(project.script, project.script.scenes[1].id, title="A better title")
    save_project(project, project_dir)
    again = render(project_dir, small())
    assert again.render.segments_rendered >= 1
    assert [p.name for p in (project_dir / "segments").glob("audio-*.m4a")] == [track.name]
    assert track.stat().st_mtime_ns == made
    assert again.render.duration == first.render.duration


def test_cancel_mid_render_then_resume_to_the_same_video(project_dir):
    from pdf2video.core.progress import CancelToken  # noqa: PLC0415

    token = CancelToken()

    def report(event):
        if event.stage == "compose" and "rendered" in event.message:
            token.cancel()

    with pytest.raises(Cancelled):
        render(project_dir, small(), progress=report, cancel=token)
    assert not list((project_dir / "segments").glob(".*part*"))
    kept = len(list((project_dir / "segments").glob("*.mp4")))
    assert kept >= 1
    project = render(project_dir, small())
    assert project.render.segments_reused >= 1
    whole = render(project_dir, small())
    assert whole.render.duration == project.render.duration


def test_bad_music_or_logo_is_refused_before_anything_renders(project_dir, tmp_path):
    noise = tmp_path / "song.mp3"
    noise.write_bytes(b"ID3" + bytes(range(256)) * 20)
    with pytest.raises(UnusableMedia, match="not music"):
        render(project_dir, small(music=noise))
    notes = tmp_path / "logo.png"
    notes.write_text("not a picture")
    with pytest.raises(UnusableMedia, match="the logo cannot be used"):
        render(project_dir, small(logo=str(notes)))
    assert not (project_dir / "segments").exists()


def test_music_is_mixed_under_the_narration_at_the_target_loudness(project_dir, tmp_path):
    music = tmp_path / "tone.wav"
    rate = 44100
    t = np.arange(rate * 3) / rate
    with wave.open(str(music), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((np.sin(2 * np.pi * 220 * t) * 0.5 * 32767).astype("<i2").tobytes())
    project = render(project_dir, small(music=music))
    video = project_dir / project.render.path
    narration = sum(s.audio.duration for s in project.script.scenes)
    assert abs(float(probe(video)["format"]["duration"]) - narration) < 0.5
    assert -17 <= loudness(video) <= -15  # -16 LUFS, linear gain


def test_an_unavailable_encoder_falls_back_with_a_warning(project_dir):
    project = render(project_dir, small(encoder=Encoder.H264_NVENC))
    assert project.render.encoder == "libx264"
    assert "h264_nvenc encoder is not available" in project.render.warnings[0]


def test_a_killed_encoder_fails_cleanly_and_keeps_the_cache(project_dir):
    stop = threading.Event()

    def killer():
        while not stop.is_set():
            for child in psutil.Process().children(recursive=True):
                try:
                    if "rawvideo" in " ".join(child.cmdline()):
                        child.send_signal(signal.SIGKILL)
                        return
                except psutil.Error:
                    continue
            time.sleep(0.01)

    thread = threading.Thread(target=killer, daemon=True)
    thread.start()
    with pytest.raises(RenderError, match="the video encoder stopped"):
        render(project_dir, small(resolution=(640, 360)))
    stop.set()
    assert not list((project_dir / "segments").glob(".*part*"))
    assert load_project(project_dir).script is not None


def test_preview_of_one_scene_and_a_still_frame(project_dir):
    settings = load_settings()
    folder = ProjectFolder(project_dir)
    project = load_project(project_dir)
    preview = preview_scene(folder, project, settings, options_from(settings), 1)
    info = probe(preview)
    video = next(s for s in info["streams"] if s["codec_type"] == "video")
    assert (video["width"], video["height"]) == (854, 480)
    assert abs(float(info["format"]["duration"]) - project.script.scenes[1].audio.duration) < 0.2
    still = still_frame(folder, project, settings, small(), 1, 1.0, project_dir / "still.jpg")
    import cv2  # noqa: PLC0415

    assert cv2.imread(str(still)).shape == (180, 320, 3)


def test_a_vertical_render(project_dir):
    project = render(project_dir, small(resolution=(180, 320)))
    video = next(
        s for s in probe(project_dir / project.render.path)["streams"] if s["codec_type"] == "video"
    )
    assert (video["width"], video["height"]) == (180, 320)
