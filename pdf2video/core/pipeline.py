"""The stages of a project, each ``(folder, project, settings, progress, cancel) -> project``.

A stage records the hash of its inputs in ``project.stages``; run again with the same
inputs it does nothing: ``extract`` (read the source into a Document, with images and
page renders), ``classify`` (label every image), ``write_script``, then the voiceover
(:mod:`pdf2video.core.narration`), and ``render_video`` runs them all and adds
backgrounds, compose (with the soundtrack built alongside) and export.
"""

from __future__ import annotations

import importlib
import shutil
import subprocess
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import cv2

from pdf2video import __version__
from pdf2video.core.config import Settings
from pdf2video.core.content_input import TEXT_SUFFIXES, read_source, read_text_file, split_folder
from pdf2video.core.encoder import ffmpeg_command
from pdf2video.core.errors import EmptyDocument, ProjectError, RenderError
from pdf2video.core.export import export
from pdf2video.core.file_types import sniff
from pdf2video.core.hashing import inputs_hash, sha256_file
from pdf2video.core.image_classifier import classify_document, get_classifier
from pdf2video.core.models import (
    Document,
    ImageClass,
    Project,
    ProjectSettings,
    StageRecord,
    utc_now,
)
from pdf2video.core.narration import voice_script
from pdf2video.core.pdf_extractor import open_pdf
from pdf2video.core.progress import CancelToken, ProgressEvent, ProgressFn, no_progress
from pdf2video.core.project import ProjectFolder, create_project, load_project, save_project
from pdf2video.core.render import (
    Renderer,
    RenderOptions,
    check_logo,
    check_music,
    draft_options,
    scene_backdrop,
)
from pdf2video.core.script_editing import edit_scene
from pdf2video.core.script_writer import ScriptRequest, get_writer
from pdf2video.core.soundtrack import Soundtrack
from pdf2video.core.soundtrack import build as build_soundtrack

Stage = Callable[[ProjectFolder, Project, Settings, ProgressFn, CancelToken], Project]

# Modules that register providers when imported (the registries' built-in plugins).
_PROVIDER_MODULES = ("pdf2video.core.vision_classifier", "pdf2video.core.openai_writer")


def load_providers() -> None:
    for name in _PROVIDER_MODULES:
        importlib.import_module(name)


def project_settings(settings: Settings) -> ProjectSettings:
    return ProjectSettings(
        image_classifier=settings.image_classifier.value,
        thumbnail_px=settings.thumbnail_px,
        page_render_px=settings.page_render_px,
        video_width=settings.video_width,
        video_height=settings.video_height,
        video_fps=settings.video_fps,
    )


def _record(
    project: Project,
    name: str,
    digest: str,
    started: float,
    provider: str | None,
    **outputs: str | int | float,
) -> None:
    finished = time.time()
    project.stages[name] = StageRecord(
        name=name,
        inputs_hash=digest,
        provider=provider,
        started=datetime.fromtimestamp(started, UTC),
        finished=utc_now(),
        seconds=round(finished - started, 3),
        outputs=dict(outputs),
    )


def _is_current(project: Project, name: str, digest: str) -> bool:
    record = project.stages.get(name)
    return record is not None and record.inputs_hash == digest


def extract(
    folder: ProjectFolder,
    project: Project,
    settings: Settings,
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
    *,
    password: str | None = None,
) -> Project:
    """Read the project's source into its Document (skipped when nothing changed)."""
    if not project.source_files:
        raise ProjectError("the project has no source file", path=folder.root)
    sources = [folder.resolve(s) for s in project.source_files]
    digest = inputs_hash(
        "extract",
        __version__,
        [sha256_file(p) for p in sources],
        settings.thumbnail_px,
        settings.page_render_px,
    )
    if project.document is not None and _is_current(project, "extract", digest):
        return project
    started = time.time()
    kept = _user_choices(project.document)
    # Outputs of an earlier read are regenerated; user choices carry over by image hash.
    shutil.rmtree(folder.assets, ignore_errors=True)
    document = _read_sources(sources, folder, settings, password, progress, cancel)
    for asset in document.assets:
        if asset.sha256 in kept:
            asset.override, asset.excluded = kept[asset.sha256]
    project.document = document
    project.settings = project_settings(settings)
    project.stages.pop("classify", None)
    _record(
        project,
        "extract",
        digest,
        started,
        "pymupdf",
        pages=document.page_count,
        images=len(document.assets),
    )
    save_project(project, folder.root)
    return project


def _user_choices(document: Document | None) -> dict[str, tuple[ImageClass | None, bool]]:
    if document is None:
        return {}
    return {
        a.sha256: (a.override, a.excluded)
        for a in document.assets
        if a.override is not None or a.excluded
    }


def _read_sources(
    sources: list[Path],
    folder: ProjectFolder,
    settings: Settings,
    password: str | None,
    progress: ProgressFn,
    cancel: CancelToken | None,
) -> Document:
    texts = [p for p in sources if p.suffix.lower() in TEXT_SUFFIXES]
    if texts:
        images = [p for p in sources if p not in texts]
        return read_text_file(texts[0], images, folder.root)
    return read_source(
        sources[0],
        folder.root,
        password=password,
        thumbnail_px=settings.thumbnail_px,
        page_render_px=settings.page_render_px,
        progress=progress,
        cancel=cancel,
    )


def classify(
    folder: ProjectFolder,
    project: Project,
    settings: Settings,
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> Project:
    """Label every extracted image (user overrides are kept and win)."""
    document = project.document
    if document is None:
        raise ProjectError("read the document first (extract)", path=folder.root)
    load_providers()
    name = settings.image_classifier.value
    model = (settings.openai_vision_model or settings.openai_chat_model) if name == "openai" else ""
    digest = inputs_hash("classify", [a.sha256 for a in document.assets], name, model)
    if _is_current(project, "classify", digest):
        return project
    if cancel is not None:
        cancel.check()
    started = time.time()
    progress(ProgressEvent("classify", 0.0, f"{len(document.assets)} images"))
    classifier = get_classifier(name, settings=settings, cache_dir=folder.cache)
    classify_document(document, folder.root, classifier)
    for message in dict.fromkeys(getattr(classifier, "failures", [])):
        document.warnings.append(f"image classification fell back to offline: {message}")
    progress(ProgressEvent("classify", 1.0, "done"))
    _record(project, "classify", digest, started, classifier.name, images=len(document.assets))
    save_project(project, folder.root)
    return project


def inspect_source(
    source: Path,
    project_dir: Path,
    settings: Settings,
    *,
    password: str | None = None,
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> Project:
    """Read and classify ``source`` into the project folder ``project_dir``."""
    if source.is_dir():
        text, images = split_folder(source)
        project = create_project(project_dir, [text, *images])
    else:
        if source.suffix.lower() in TEXT_SUFFIXES:
            sniff(source)
        else:
            open_pdf(source, password=password).close()  # refuse before anything is copied
        project = create_project(project_dir, [source])
    folder = ProjectFolder(project_dir)
    project = extract(folder, project, settings, progress, cancel, password=password)
    return classify(folder, project, settings, progress, cancel)


def script_request(settings: Settings, minutes: float | None = None) -> ScriptRequest:
    return ScriptRequest(
        target_minutes=minutes if minutes is not None else settings.script_target_minutes,
        words_per_scene=settings.script_words_per_scene,
    )


def write_script(
    folder: ProjectFolder,
    project: Project,
    settings: Settings,
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
    *,
    minutes: float | None = None,
    force: bool = False,
) -> Project:
    """Write the scene-by-scene script (skipped when its inputs have not changed).

    A script about to be replaced is first copied to ``script-<time>.json``, so edits
    are never lost to a regeneration.
    """
    document = project.document
    if document is None:
        raise ProjectError("read the document first (extract)", path=folder.root)
    load_providers()
    name = settings.script_provider.value
    request = script_request(settings, minutes)
    model = settings.openai_chat_model if name == "openai" else ""
    digest = inputs_hash(
        "script",
        document.source_sha256,
        name,
        model,
        request.__dict__,
        [(a.id, str(a.image_class), a.excluded) for a in document.assets],
    )
    if project.script is not None and _is_current(project, "script", digest) and not force:
        return project
    if cancel is not None:
        cancel.check()
    started = time.time()
    progress(ProgressEvent("script", 0.0, f"writing with {name}"))
    writer = get_writer(name, settings=settings, cache_dir=folder.cache)
    try:
        script = writer.write(document, request)
    except EmptyDocument as exc:
        source = folder.resolve(project.source_files[0]) if project.source_files else None
        raise EmptyDocument(exc.message, path=source) from None
    if project.script is not None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        backup = folder.root / f"script-{stamp}.json"
        backup.write_text(project.script.model_dump_json(indent=2), encoding="utf-8")
    project.script = script
    progress(ProgressEvent("script", 1.0, f"{len(script.scenes)} scenes"))
    _record(project, "script", digest, started, script.provider, scenes=len(script.scenes))
    save_project(project, folder.root)
    return project


def regenerate_scene(
    folder: ProjectFolder, project: Project, settings: Settings, scene_id: str
) -> Project:
    """Write one scene again from its source: the fresh script's scene that shares the most
    source pages (or sits at the same place) replaces its title, narration and bullets."""
    if project.script is None or project.document is None:
        raise ProjectError("write the script first", path=folder.root)
    old = project.script.scene(scene_id)
    index = project.script.scenes.index(old)
    load_providers()
    writer = get_writer(settings.script_provider.value, settings=settings, cache_dir=folder.cache)
    fresh = writer.write(project.document, script_request(settings)).scenes
    if not fresh:
        raise EmptyDocument("the document gave no scene to write again", path=folder.root)
    pages = set(old.source_pages)

    def closeness(i: int) -> tuple[int, int]:
        return (len(pages & set(fresh[i].source_pages)), -abs(i - index))

    new = fresh[max(range(len(fresh)), key=closeness)]
    edit_scene(
        project.script, scene_id, title=new.title, narration=new.narration, bullets=new.bullets
    )
    save_project(project, folder.root)
    return project


def render_video(
    source: Path,
    settings: Settings,
    options: RenderOptions,
    *,
    project_dir: Path,
    output: Path | None = None,
    password: str | None = None,
    voice: str | None = None,
    speed: float | None = None,
    minutes: float | None = None,
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> Project:
    """The whole pipeline: extract, classify, script, voiceover, backgrounds, compose,
    export. Every stage reuses what is cached, so a cancelled or crashed run resumes."""
    folder, project = prepare_render(
        source,
        settings,
        options,
        project_dir=project_dir,
        password=password,
        voice=voice,
        speed=speed,
        minutes=minutes,
        progress=progress,
        cancel=cancel,
    )
    started = time.monotonic()
    renderer = Renderer(folder, project, settings, options)
    with ThreadPoolExecutor(max_workers=1) as mixer:  # the audio is made while scenes render
        audio = mixer.submit(build_soundtrack, soundtrack_for(renderer))
        segments, rendered, reused = renderer.compose(progress, cancel)
        return finish_render(
            renderer,
            segments,
            audio.result(),
            output=output,
            started=started,
            rendered=rendered,
            reused=reused,
            progress=progress,
        )


def prepare_render(
    source: Path,
    settings: Settings,
    options: RenderOptions,
    *,
    project_dir: Path,
    password: str | None = None,
    voice: str | None = None,
    speed: float | None = None,
    minutes: float | None = None,
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> tuple[ProjectFolder, Project]:
    """Every stage before compose: the project read, scripted, voiced, with its backdrops
    made, so its scenes can render anywhere (threads here, or Dask workers)."""
    if options.music is not None:
        check_music(options.music)  # refused before any work starts
    if options.logo is not None:
        check_logo(options.logo)
    folder = ProjectFolder(project_dir)
    if ProjectFolder(source).exists():
        folder = ProjectFolder(source)
        project = load_project(source)
        project = extract(folder, project, settings, progress, cancel, password=password)
        project = classify(folder, project, settings, progress, cancel)
    else:
        project = inspect_source(
            source, project_dir, settings, password=password, progress=progress, cancel=cancel
        )
    project = write_script(folder, project, settings, progress, cancel, minutes=minutes)
    project, _ = voice_script(
        folder, project, settings, progress, cancel, voice_name=voice, speed=speed
    )
    assert project.script is not None
    progress(ProgressEvent("backgrounds", 0.0, "backdrops"))
    for index, scene in enumerate(project.script.scenes):
        scene_backdrop(folder, project, scene, index, options, settings)
    progress(ProgressEvent("backgrounds", 1.0, "backdrops ready"))
    return folder, project


def soundtrack_for(renderer: Renderer) -> Soundtrack:
    """The narration and music of the renderer's scenes, timed as they are on screen."""
    return Soundtrack(
        renderer.folder,
        renderer.scenes,
        [renderer.duration(s) for s in renderer.scenes],
        renderer.options.music,
    )


def finish_render(
    renderer: Renderer,
    segments: list[Path],
    audio: Path,
    *,
    output: Path | None = None,
    started: float,
    rendered: int,
    reused: int,
    progress: ProgressFn = no_progress,
) -> Project:
    """The export: segments and audio joined into the video, recorded in project.json."""
    progress(ProgressEvent("export", 0.0, "joining the scenes and the audio"))
    options, project = renderer.options, renderer.project
    record = export(
        renderer,
        segments,
        audio,
        output=output,
        started=started,
        rendered=rendered,
        reused=reused,
        warnings=[renderer.choice.warning] if renderer.choice.warning else [],
        soft_subtitles=options.captions != "off" and not options.draft,
    )
    project.render = record
    save_project(project, renderer.folder.root)
    progress(ProgressEvent("export", 1.0, "done"))
    return project


def _scene_renderer(
    folder: ProjectFolder,
    project: Project,
    settings: Settings,
    options: RenderOptions,
    index: int,
) -> tuple[Renderer, int]:
    """A renderer for scene ``index`` that voices that scene only (and where it sits in it).

    When scenes before it are not voiced yet, it is shown alone (fading in from black
    instead of the previous scene's transition); scenes after it are left out until
    voiced. So a preview never waits for the whole script to be voiced.
    """
    assert project.script is not None
    wanted = project.script.scenes[index].id
    project, _ = voice_script(folder, project, settings, only={wanted})
    assert project.script is not None
    scenes = project.script.scenes
    if any(s.audio is None for s in scenes[: index + 1]):
        scenes, index = [scenes[index]], 0
    elif any(s.audio is None for s in scenes):
        scenes = scenes[: index + 1]
    if scenes is not project.script.scenes:
        script = project.script.model_copy(update={"scenes": scenes})
        project = project.model_copy(update={"script": script})
    return Renderer(folder, project, settings, options), index


def preview_scene(
    folder: ProjectFolder,
    project: Project,
    settings: Settings,
    options: RenderOptions,
    index: int,
    output: Path | None = None,
) -> Path:
    """One scene at draft quality, with its narration: a quick look for the studio."""
    if project.script is None or not 0 <= index < len(project.script.scenes):
        count = len(project.script.scenes) if project.script else 0
        raise ProjectError(
            f"there is no scene {index + 1} (the script has {count})", path=folder.root
        )
    number = index + 1
    renderer, index = _scene_renderer(folder, project, settings, draft_options(options), index)
    plan = renderer.plans()[index]
    if not plan.path.is_file():
        renderer.render_segment(plan, None)
    scene = renderer.scenes[index]
    assert scene.audio is not None
    target = output or folder.out / f"preview-scene-{number}.mp4"
    target.parent.mkdir(parents=True, exist_ok=True)
    command = [
        *ffmpeg_command(),
        "-i",
        str(plan.path),
        "-i",
        str(folder.resolve(scene.audio.path)),
        "-map",
        "0:v",
        "-map",
        "1:a",
        "-c:v",
        "copy",
        "-c:a",
        "aac",
        "-b:a",
        "128k",
        "-shortest",
        "-movflags",
        "+faststart",
        str(target),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RenderError(f"the preview could not be made: {result.stderr.strip()[-200:]}")
    return target


def still_frame(
    folder: ProjectFolder,
    project: Project,
    settings: Settings,
    options: RenderOptions,
    index: int,
    t: float,
    output: Path,
) -> Path:
    """The frame of scene ``index`` at ``t`` seconds into it, as an image file."""
    if project.script is None or not 0 <= index < len(project.script.scenes):
        raise ProjectError(f"there is no scene {index + 1}", path=folder.root)
    renderer, index = _scene_renderer(folder, project, settings, options, index)
    image = renderer.still(index, t)
    output.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(output), image)
    return output
