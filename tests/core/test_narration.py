"""Voicing a project: one WAV per scene, re-voicing only what changed, captions."""

from __future__ import annotations

import re

import pytest

from pdf2video.core.audio import duration_of
from pdf2video.core.config import load_settings
from pdf2video.core.narration import voice_script
from pdf2video.core.pipeline import inspect_source, write_script
from pdf2video.core.project import ProjectFolder, load_project, save_project
from pdf2video.core.sample import build_sample_pdf
from pdf2video.core.script_editing import edit_scene


@pytest.fixture(scope="module")
def voiced(tmp_path_factory):
    root = tmp_path_factory.mktemp("voiced")
    settings = load_settings(script_words_per_scene=25)
    project = inspect_source(build_sample_pdf(root / "s.pdf"), root / "p", settings)
    folder = ProjectFolder(root / "p")
    project = write_script(folder, project, settings)
    project, voiced_ids = voice_script(folder, project, settings)
    return folder, project, voiced_ids


def test_every_scene_gets_audio_whose_length_is_its_duration(voiced):
    folder, project, voiced_ids = voiced
    scenes = project.script.scenes
    assert voiced_ids == [s.id for s in scenes]
    assert len(list(folder.audio.glob("*.wav"))) == len(scenes)
    for scene in scenes:
        wav = folder.resolve(scene.audio.path)
        assert duration_of(wav) == pytest.approx(scene.audio.duration, abs=0.01)
        assert scene.estimated_seconds == scene.audio.duration
        assert not scene.changed


def test_voicing_again_reuses_everything(voiced):
    folder, _, _ = voiced
    _, again = voice_script(folder, load_project(folder.root), load_settings())
    assert again == []


def test_after_an_edit_only_that_scene_is_voiced_again(voiced, tmp_path):
    folder, _, _ = voiced
    project = load_project(folder.root)
    target = project.script.scenes[2]
    old_audio = target.audio.path
    edit_scene(project.script, target.id, narration="A brand new sentence for this scene.")
    save_project(project, folder.root)
    project, again = voice_script(folder, project, load_settings())
    assert again == [target.id]
    assert not folder.resolve(old_audio).exists()
    assert len(list(folder.audio.glob("*.wav"))) == len(project.script.scenes)


def test_a_new_voice_speed_revoices_everything(voiced):
    folder, _, _ = voiced
    project, again = voice_script(folder, load_project(folder.root), load_settings(), speed=1.3)
    assert len(again) == len(project.script.scenes)
    assert {s.audio.speed for s in project.script.scenes} == {1.3}


def parse_srt(text):
    cues = []
    for block in text.strip().split("\n\n"):
        lines = block.splitlines()
        start, end = (
            sum(float(x) * f for x, f in zip(re.split("[:,]", t)[:3], (3600, 60, 1), strict=True))
            + int(t[-3:]) / 1000
            for t in lines[1].split(" --> ")
        )
        cues.append((start, end, lines[2:]))
    return cues


def test_captions_are_well_formed_and_in_time(voiced):
    folder, _, _ = voiced
    project = load_project(folder.root)
    total = sum(s.audio.duration for s in project.script.scenes)
    srt = (folder.out / "video.srt").read_text()
    vtt = (folder.out / "video.vtt").read_text()
    assert vtt.startswith("WEBVTT\n\n")
    cues = parse_srt(srt)
    assert len(cues) == vtt.count(" --> ") > 10
    previous_end = 0.0
    for start, end, lines in cues:
        assert 1 <= len(lines) <= 2
        assert all(0 < len(line) <= 42 for line in lines)
        assert previous_end <= start < end <= total + 0.01
        assert end - start >= 0.9
        previous_end = end
    spoken = " ".join(" ".join(lines) for *_, lines in cues)
    assert project.script.scenes[1].narration.split()[0] in spoken
