"""`pdf2video` as a person types it: real processes, exit codes and what is printed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import builders

EXE = Path(sys.executable).parent / "pdf2video"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(EXE), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
        check=False,
    )


def test_version_and_help_on_every_command():
    assert run("--version").stdout.strip() == "pdf2video 0.1.0"
    for command in (
        [],
        ["inspect"],
        ["demo"],
        ["script"],
        ["voice"],
        ["voices"],
        ["render"],
        ["preview"],
    ):
        result = run(*command, "--help")
        assert result.returncode == 0
        assert "usage: pdf2video" in result.stdout


def test_inspect_prints_a_readable_summary(docs):
    result = run("inspect", str(docs["two_column"]))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "ACME Quarterly Review" in out
    assert "by Jane Analyst · 3 pages · two_column.pdf" in out
    assert "Chapter 1: The Big Picture" in out
    assert "running headers, footers and page numbers set aside: 9" in out


def test_inspect_lists_images_with_class_and_confidence(docs):
    out = run("inspect", str(docs["images"])).stdout
    assert "Images (7)" in out
    assert "chart" in out and "table" in out and "logo" in out
    assert "offline" in out


def test_inspect_json_is_the_document(docs):
    result = run("inspect", "--json", str(docs["images"]))
    data = json.loads(result.stdout)
    assert data["page_count"] == 7
    assert {a["label"] for a in data["assets"]} >= {"photo", "chart", "table", "logo"}
    assert all(0 <= a["confidence"] <= 1 for a in data["assets"])


def test_inspect_with_project_writes_the_project_folder(docs, tmp_path):
    root = tmp_path / "proj"
    assert run("inspect", str(docs["images"]), "--project", str(root)).returncode == 0
    project = json.loads((root / "project.json").read_text())
    assert project["document"]["page_count"] == 7
    for asset in project["document"]["assets"]:
        assert (root / asset["path"]).is_file()
    assert len(list((root / "assets" / "thumbs").glob("*.jpg"))) == 7
    assert (root / "source" / "images.pdf").is_file()


def test_scanned_pdf_warns_that_no_text_was_found(docs):
    result = run("inspect", str(docs["scanned"]))
    assert result.returncode == 0
    assert "no text was found" in result.stdout
    assert "text_scan" in result.stdout


def bad_inputs(tmp_path: Path, docs: dict[str, Path]) -> dict[str, tuple[Path, str]]:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    png = tmp_path / "picture.pdf"
    png.write_bytes(builders.png(builders.sample_art.logo()))
    text = tmp_path / "notes.pdf"
    text.write_text("meeting notes\n")
    truncated = tmp_path / "truncated.pdf"
    data = docs["images"].read_bytes()
    truncated.write_bytes(data[: len(data) // 3])
    return {
        "empty": (empty, "the file is empty"),
        "png": (png, "this is a PNG image, not a PDF"),
        "text": (text, "this is a text file, not a PDF"),
        "truncated": (truncated, "truncated"),
        "encrypted": (docs["encrypted"], "encrypted; give its password"),
        "zero pages": (docs["zero_pages"], "the PDF has no pages"),
        "missing": (tmp_path / "nowhere.pdf", "no such file"),
    }


def test_each_bad_input_gets_one_line_and_a_non_zero_exit(docs, tmp_path):
    for name, (path, reason) in bad_inputs(tmp_path, docs).items():
        result = run("inspect", str(path), "--project", str(tmp_path / f"p-{name}"))
        assert result.returncode == 1, name
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, name
        assert lines[0].startswith(f"pdf2video: error: {path}: "), name
        assert reason in lines[0], name
        assert "Traceback" not in result.stderr + result.stdout, name


def test_debug_shows_the_traceback(tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    result = run("--debug", "inspect", str(empty))
    assert result.returncode != 0
    assert "Traceback" in result.stderr


def test_the_password_opens_an_encrypted_pdf(docs):
    result = run("inspect", str(docs["encrypted"]), "--password", "s3cret")
    assert result.returncode == 0
    result = run("inspect", str(docs["encrypted"]), "--password", "wrong")
    assert result.returncode == 1
    assert "the password does not open this PDF" in result.stderr


def test_a_refused_file_leaves_nothing_half_made(tmp_path):
    png = tmp_path / "picture.pdf"
    png.write_bytes(builders.png(builders.sample_art.logo()))
    run("inspect", str(png), "--project", str(tmp_path / "p"))
    assert not (tmp_path / "p").exists()


def test_a_bad_setting_is_refused_at_start_naming_the_variable(docs):
    result = run("inspect", str(docs["two_column"]), env={"VIDEO_FPS": "0"})
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "pdf2video: error: invalid setting VIDEO_FPS=0: Input should be greater than 0"
    )


SMALL = {"VIDEO_WIDTH": "320", "VIDEO_HEIGHT": "180", "VIDEO_FPS": "24"}


def test_demo_renders_the_sample_to_a_narrated_video(tmp_path):
    home = tmp_path / "home"
    result = run("demo", env={"PDF2VIDEO_HOME": str(home), **SMALL})
    assert result.returncode == 0, result.stderr
    assert "How Solar Power Reaches Your Home" in result.stdout
    root = home / "projects" / "demo"
    project = json.loads((root / "project.json").read_text())
    labels = sorted(a["label"] for a in project["document"]["assets"])
    assert labels == ["chart", "diagram", "logo", "photo", "table"]
    scenes = project["script"]["scenes"]
    assert len(scenes) >= 5
    assert all((root / s["audio"]["path"]).is_file() for s in scenes)
    assert (root / "out" / "video.vtt").is_file()
    video = home / "videos" / "solar-sample.mp4"
    assert video.is_file() and video.stat().st_size > 10_000
    assert "Video:" in result.stdout and "320x180 24 fps" in result.stdout


PEAK_WRAPPER = """
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
sys.stdout.write(done.stdout)
print("PEAK_KIB", resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(done.returncode)
"""


@pytest.mark.slow
def test_a_500_page_pdf_is_read_in_bounded_memory(tmp_path):
    path = builders.many_pages_pdf(tmp_path / "long.pdf", pages=500)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            PEAK_WRAPPER,
            str(EXE),
            "inspect",
            str(path),
            "--project",
            str(tmp_path / "p"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "500 pages" in result.stdout
    peak_mib = int(result.stdout.rsplit("PEAK_KIB", 1)[1]) / 1024
    assert peak_mib < 400, f"peak memory {peak_mib:.0f} MiB"


def test_script_prints_the_scenes_of_a_document(docs):
    result = run("script", str(docs["two_column"]))
    assert result.returncode == 0, result.stderr
    assert "Chapter 1: The Big Picture" in result.stdout
    assert "written by offline" in result.stdout


def test_script_json_and_target_minutes(docs, tmp_path):
    result = run("script", str(docs["two_column"]), "--json", "--minutes", "1")
    script = json.loads(result.stdout)
    words = sum(len(s["narration"].split()) for s in script["scenes"])
    assert 80 <= words <= 200
    assert run("script", str(docs["two_column"]), "--minutes", "0").returncode == 2


def test_script_with_openai_but_no_key_says_so(docs):
    result = run("script", str(docs["two_column"]), "--provider", "openai")
    assert result.returncode == 1
    assert "no OpenAI key or base URL is set" in result.stderr


def test_script_of_an_empty_document_is_a_clear_error(tmp_path):
    doc = builders.new_doc()
    doc.new_page()
    pdf = builders.save(doc, tmp_path / "blank.pdf")
    result = run("script", str(pdf))
    assert result.returncode == 1
    assert result.stderr.startswith("pdf2video: error: ")
    assert "blank.pdf: there is no text and there are no images" in result.stderr


def test_voice_a_project_then_again_reuses_the_audio(docs, tmp_path):
    project = tmp_path / "proj"
    assert (
        run(
            "script", str(docs["two_column"]), "--project", str(project), "--minutes", "0.5"
        ).returncode
        == 0
    )
    first = run("voice", str(project))
    assert first.returncode == 0, first.stderr
    assert "scenes voiced, 0 unchanged" in first.stdout
    assert (project / "out" / "video.srt").is_file()
    second = run("voice", str(project))
    assert "0 scenes voiced" in second.stdout


def test_voice_refuses_unknown_voices_bad_speeds_and_unscripted_projects(docs, tmp_path):
    project = tmp_path / "proj"
    run("inspect", str(docs["two_column"]), "--project", str(project))
    result = run("voice", str(project))
    assert result.returncode == 1 and "write the script first" in result.stderr
    run("script", str(project))
    result = run("voice", str(project), "--voice", "brian")
    assert result.returncode == 1
    assert "there is no voice 'brian'; available voices: joe" in result.stderr
    assert run("voice", str(project), "--speed", "5").returncode == 2


def test_voices_lists_the_offline_voice():
    result = run("voices")
    assert result.returncode == 0 and "joe" in result.stdout and "piper" in result.stdout
    rows = json.loads(run("voices", "--json").stdout)
    assert rows[0]["name"] == "joe"


def test_render_a_document_to_an_mp4_and_preview_a_scene(docs, tmp_path):
    out = tmp_path / "talk.mp4"
    project = tmp_path / "proj"
    result = run(
        "render",
        str(docs["two_column"]),
        "-o",
        str(out),
        "--project",
        str(project),
        "--resolution",
        "320x180",
        "--fps",
        "24",
        "--minutes",
        "0.5",
        "--captions",
        "burn",
        "--logo",
        "off",
    )
    assert result.returncode == 0, result.stderr
    assert out.is_file() and "Video:" in result.stdout and "320x180 24 fps" in result.stdout
    preview = run("preview", str(project), "--scene", "2")
    assert preview.returncode == 0, preview.stderr
    assert preview.stdout.strip().endswith("preview-scene-2.mp4")
    still = run("preview", str(project), "--scene", "2", "--at", "1.5")
    assert still.returncode == 0 and still.stdout.strip().endswith(".jpg")
    missing = run("preview", str(project), "--scene", "99")
    assert missing.returncode == 1 and "there is no scene 99" in missing.stderr


def test_render_refuses_a_corrupt_music_file_before_starting(docs, tmp_path):
    music = tmp_path / "song.mp3"
    music.write_bytes(b"\x00" * 5000)
    result = run(
        "render",
        str(docs["two_column"]),
        "-o",
        str(tmp_path / "x.mp4"),
        "--project",
        str(tmp_path / "p"),
        "--music",
        str(music),
    )
    assert result.returncode == 1
    assert "song.mp3: this is not music pdf2video can play" in result.stderr
    assert not (tmp_path / "p").exists()
    bad = run("render", str(docs["two_column"]), "-o", "x.mp4", "--resolution", "huge")
    assert bad.returncode == 2
