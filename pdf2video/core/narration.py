"""Voicing a script: one WAV per scene under ``audio/``, with sentence and word timings.

A scene is voiced again only when its narration, the voice or the speed changed (its
``audio.key``); the project is saved after each scene, so a crash or a cancel loses at
most the scene being voiced. Scene durations then come from the audio.
"""

from __future__ import annotations

from pathlib import Path

from pdf2video.core.audio import write_wav
from pdf2video.core.captions import write_captions
from pdf2video.core.config import Settings
from pdf2video.core.errors import ProjectError
from pdf2video.core.hashing import inputs_hash
from pdf2video.core.models import Project, Scene, SceneAudio
from pdf2video.core.progress import CancelToken, ProgressFn, StageProgress, no_progress
from pdf2video.core.project import ProjectFolder, save_project
from pdf2video.core.voices import Voice, get_voice

NARRATION_VERSION = "1"


def audio_key(scene: Scene, voice_name: str, speed: float) -> str:
    return inputs_hash("narration", NARRATION_VERSION, scene.narration, voice_name, round(speed, 3))


def voice_script(
    folder: ProjectFolder,
    project: Project,
    settings: Settings,
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
    *,
    voice_name: str | None = None,
    speed: float | None = None,
    only: set[str] | None = None,
) -> tuple[Project, list[str]]:
    """Voice every scene whose audio is missing or stale (or only the scenes with the ids in
    ``only``); returns the ids voiced now."""
    script = project.script
    if script is None:
        raise ProjectError("write the script first (pdf2video script)", path=folder.root)
    name = voice_name or settings.voice
    pace = speed if speed is not None else settings.voice_speed
    voice: Voice | None = None  # loaded only when a scene needs it
    folder.audio.mkdir(parents=True, exist_ok=True)
    steps = StageProgress("voiceover", len(script.scenes), progress)
    voiced: list[str] = []
    for done, scene in enumerate(script.scenes, start=1):
        if cancel is not None:
            cancel.check()
        key = audio_key(scene, name, pace)
        current = scene.audio
        if only is not None and scene.id not in only:
            steps.step(done, f"scene {done}: not asked for")
            continue
        if current is not None and current.key == key and folder.resolve(current.path).is_file():
            scene.changed = False
            steps.step(done, f"scene {done}: unchanged")
            continue
        voice = voice or get_voice(name, settings)
        speech = voice.speak(scene.narration, pace)
        target = folder.audio / f"{scene.id}-{key[:10]}.wav"
        write_wav(target, speech.samples, speech.sample_rate)
        if current is not None and current.path != folder.relative(target):
            folder.resolve(current.path).unlink(missing_ok=True)
        scene.audio = SceneAudio(
            path=folder.relative(target),
            key=key,
            voice=name,
            speed=pace,
            duration=round(speech.duration, 3),
            sentences=speech.sentences,
            words=speech.words,
        )
        scene.changed = False
        voiced.append(scene.id)
        save_project(project, folder.root)
        steps.step(done, f"scene {done} of {len(script.scenes)} voiced")
    _remove_orphans(folder, project)
    write_captions(project, folder.out)
    save_project(project, folder.root)
    return project, voiced


def _remove_orphans(folder: ProjectFolder, project: Project) -> None:
    """Audio of deleted or re-voiced scenes."""
    assert project.script is not None
    kept = {Path(s.audio.path).name for s in project.script.scenes if s.audio is not None}
    for wav in folder.audio.glob("*.wav"):
        if wav.name not in kept:
            wav.unlink(missing_ok=True)
