"""A batch as an operator sees it: videos in the output folder, failures named, reruns skip."""

from __future__ import annotations

import hashlib
import hmac
import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pdf2video.core.backend import LocalBackend
from pdf2video.core.batch import BatchParams, BatchResult, run_batch
from pdf2video.core.batch.runner import batch_choices
from pdf2video.core.config import load_settings
from pdf2video.core.encoder import ffmpeg
from pdf2video.core.errors import BatchFailed, InvalidSetting
from pdf2video.core.store import open_store
from pdf2video.core.users import get_user
from tests import builders
from tests.core.test_render import probe

SMALL = {"draft": True, "resolution": "320x180", "captions": "sidecar"}


def run(inputs: list[Path], out: Path, **params: object) -> BatchResult:
    return run_batch(inputs=inputs, output_dir=out, **(SMALL | params))


def by_name(result: BatchResult) -> dict[str, object]:
    return {item.input.rsplit("/", 1)[-1]: item for item in result.items}


def video_md5(path: Path) -> str:
    """The video stream's frames, hashed (the container's bytes aside)."""
    out = subprocess.run(
        [ffmpeg(), "-v", "error", "-i", str(path), "-map", "0:v", "-f", "md5", "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def segment_shas(result: BatchResult, settings_home: Path) -> dict[str, str]:
    shas = {}
    for segment in settings_home.glob("batch/*/*/segments/*.mp4"):
        shas[segment.name] = hashlib.sha256(segment.read_bytes()).hexdigest()
    named = {s for item in result.items for s in item.segments}
    assert named and named == set(shas)
    return shas


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    return builders.batch_folder(tmp_path / "inbox")


def test_two_videos_one_clear_failure_and_a_rerun_skips_the_done(inbox, tmp_path):
    out = tmp_path / "videos"
    result = run([inbox], out)
    items = by_name(result)
    assert [items[n].status for n in ("alpha.pdf", "beta.pdf", "broken.pdf")] == [
        "done",
        "done",
        "failed",
    ]
    broken = items["broken.pdf"]
    assert broken.error.startswith("not a readable PDF")
    assert str(tmp_path) not in broken.error  # no workspace path leaks into the report
    for name in ("alpha", "beta"):
        item = items[f"{name}.pdf"]
        info = probe(out / f"{name}.mp4")
        video = next(s for s in info["streams"] if s["codec_type"] == "video")
        assert video["codec_name"] == "h264" and (video["width"], video["height"]) == (320, 180)
        assert any(s["codec_type"] == "audio" for s in info["streams"])
        assert abs(float(info["format"]["duration"]) - item.duration_s) < 0.15
        assert item.scenes >= 1 and item.pages == 1 and item.size_bytes > 10_000
        assert set(item.stage_s) >= {"extract", "script", "voiceover", "compose", "export"}
        for suffix in (".srt", ".vtt", ".jpg", ".json"):
            assert (out / f"{name}{suffix}").is_file()
    with pytest.raises(BatchFailed, match=r"2 rendered, 0 up to date, 1 failed .*broken\.pdf"):
        result.raise_if_failed()

    videos = LocalBackend(load_settings()).videos()
    assert sorted(v.path for v in videos) == [str(out / "alpha.mp4"), str(out / "beta.mp4")]
    assert {v.source_type for v in videos} == {"batch"}

    made = {n: (out / f"{n}.mp4").stat().st_mtime_ns for n in ("alpha", "beta")}
    again = by_name(run([inbox], out))
    assert [again[n].status for n in ("alpha.pdf", "beta.pdf", "broken.pdf")] == [
        "skipped",
        "skipped",
        "failed",
    ]
    assert {n: (out / f"{n}.mp4").stat().st_mtime_ns for n in made} == made
    assert len(LocalBackend(load_settings()).videos()) == 2

    changed = by_name(run([inbox], out, captions="off"))
    assert changed["alpha.pdf"].status == "done"  # another setting: made again
    assert not (out / "alpha.srt").exists() or (out / "alpha.srt").stat().st_mtime_ns


def test_workers_2_on_a_local_cluster_make_the_same_segments_and_videos(inbox, tmp_path, capsys):
    """Piper's voice is not bit-for-bit repeatable, so the narration is kept between the
    runs (as a resumed batch keeps it); everything the renderer makes is made again."""
    out = tmp_path / "videos"
    home = load_settings().pdf2video_home
    here = run([inbox], out)
    shas = segment_shas(here, home)
    frames = {n: video_md5(out / f"{n}.mp4") for n in ("alpha", "beta")}
    for project in home.glob("batch/*/*"):
        shutil.rmtree(project / "segments", ignore_errors=True)
        shutil.rmtree(project / "out", ignore_errors=True)
    for made in (p for p in out.glob("*.*") if p.is_file()):
        made.unlink()

    spread = run([inbox], out, workers=2)
    assert spread.runner == "on a LocalCluster of 2 workers"
    assert spread.dashboard is not None and spread.dashboard.startswith("http://")
    assert f"Dask dashboard: {spread.dashboard}" in capsys.readouterr().out
    assert [i.status for i in spread.items] == [i.status for i in here.items]
    assert [i.segments for i in spread.items] == [i.segments for i in here.items]
    assert segment_shas(spread, home) == shas
    assert {n: video_md5(out / f"{n}.mp4") for n in frames} == frames
    assert by_name(spread)["broken.pdf"].error == by_name(here)["broken.pdf"].error


def test_a_batch_posts_one_signed_summary(inbox, tmp_path, receiver, monkeypatch):
    monkeypatch.setenv("WEBHOOK_SECRET", "batch-secret")
    (inbox / "beta.pdf").unlink()
    result = run([inbox], tmp_path / "videos", webhook_url=receiver.url)
    ((body, signature, raw),) = receiver.received
    expected = "sha256=" + hmac.new(b"batch-secret", raw, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(signature, expected)
    assert body["event"] == "batch.finished" and body["status"] == "failed"
    rows = {Path(i["input"]).name: i for i in body["items"]}
    assert rows["alpha.pdf"]["status"] == "done" and rows["alpha.pdf"]["duration"] > 0
    assert rows["alpha.pdf"]["video_path"] == str(tmp_path / "videos" / "alpha.mp4")
    assert rows["broken.pdf"]["error"].startswith("not a readable PDF")
    assert result.webhook["ok"] is True
    saved = json.loads((tmp_path / "videos" / ".pdf2video" / "last-result.json").read_text())
    assert saved["webhook"]["status"] == 204


def test_a_preset_fills_what_the_parameters_leave_at_their_defaults(settings):
    store = open_store(settings.pdf2video_home)
    user = get_user(store, "alice")
    params = BatchParams(inputs=["a.pdf"], preset="9:16 short")
    choices = batch_choices(store, user, params)
    assert (choices.resolution, choices.aspect, choices.captions) == ("1080x1920", "9:16", "burn")
    params = BatchParams(inputs=["a.pdf"], preset="9:16 short", captions="off", fps=24)
    assert batch_choices(store, user, params).captions == "off"
    assert batch_choices(store, user, params).fps == 24
    plain = batch_choices(store, user, BatchParams(inputs=["a.pdf"]))
    assert (plain.resolution, plain.fps, plain.captions) == ("1920x1080", 30, "sidecar")
    draft = batch_choices(store, user, BatchParams(inputs=["a.pdf"], draft=True))
    assert draft.resolution is None and draft.draft  # the draft size


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"inputs": []}, "batch parameter inputs: List should have at least 1 item"),
        ({"inputs": ["a.pdf"], "workers": 2, "scheduler": "tcp://h:8786"}, "not both"),
        ({"inputs": ["a.pdf"], "resolution": "huge"}, "'huge' is not a resolution"),
        ({"inputs": ["a.pdf"], "scheduler": "h:8786"}, "batch parameter scheduler"),
    ],
)
def test_bad_parameters_are_named(params, message):
    with pytest.raises(InvalidSetting, match=message):
        run_batch(**params)


def test_a_batch_killed_midway_resumes_and_keeps_what_it_finished(inbox, tmp_path):
    """SIGKILL while the second input renders: the lock goes with the process; the rerun
    skips the finished video and finishes the other from its cached stages."""
    (inbox / "broken.pdf").unlink()
    out = tmp_path / "videos"
    code = (
        "import sys; from pdf2video.core.batch import run_batch;"
        "run_batch(inputs=[sys.argv[1]], output_dir=sys.argv[2], draft=True, resolution='320x180')"
    )
    batch = subprocess.Popen([sys.executable, "-c", code, str(inbox), str(out)])
    deadline = time.monotonic() + 240
    while not (out / "alpha.json").is_file() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert (out / "alpha.json").is_file()
    batch.send_signal(signal.SIGKILL)
    batch.wait()
    assert not (out / "beta.mp4").exists()
    result = by_name(run([inbox], out))
    assert (result["alpha.pdf"].status, result["beta.pdf"].status) == ("skipped", "done")
