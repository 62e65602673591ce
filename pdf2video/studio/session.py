"""The studio's state: one project being edited, and the intents the widgets send.

No widgets here, and no pipeline logic: each method calls one core function on the
project folder and keeps the updated project. Long work (reading a big PDF, writing the
script, voicing, previews) is started by the widgets in a background thread
(:mod:`pdf2video.studio.background`); renders go to the backend as jobs.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from pdf2video.core.backend import Backend, open_backend
from pdf2video.core.config import ProviderName, Settings
from pdf2video.core.errors import ProjectError
from pdf2video.core.jobs import Job, JobRequest
from pdf2video.core.models import ImageClass, Layout, Project, Script, Visual, VisualKind
from pdf2video.core.narration import voice_script
from pdf2video.core.pipeline import (
    inspect_source,
    preview_scene,
    regenerate_scene,
    still_frame,
    write_script,
)
from pdf2video.core.presets import RenderChoices
from pdf2video.core.progress import CancelToken, ProgressFn, no_progress
from pdf2video.core.project import ProjectFolder, load_project, safe_file_name, save_project
from pdf2video.core.render import options_from
from pdf2video.core.script_editing import (
    delete_scene,
    edit_scene,
    insert_scene,
    merge_scenes,
    reorder,
    split_scene,
)
from pdf2video.core.uploads import Upload, upload_path
from pdf2video.core.user_prefs import UserPrefs
from pdf2video.core.user_prefs import apply as apply_prefs

UNDO_DEPTH = 20


class StudioSession:
    """One user's editing session: the backend, the project and an undo history."""

    def __init__(self, settings: Settings, backend: Backend | None = None) -> None:
        self.backend = backend or open_backend(settings)
        self.base_settings = settings
        self.settings = apply_prefs(settings, self.backend.prefs())
        self.folder: ProjectFolder | None = None
        self.project: Project | None = None
        self.undo_stack: list[Script] = []
        self.listeners: list[Callable[[], None]] = []

    def save_prefs(self, prefs: UserPrefs) -> None:
        """Keep the user's defaults and use them from now on."""
        self.backend.save_prefs(prefs)
        self.settings = apply_prefs(self.base_settings, prefs)
        self.changed()

    # -- the project ---------------------------------------------------------------
    @property
    def projects_root(self) -> Path:
        return self.settings.pdf2video_home / "projects"

    def require(self) -> tuple[ProjectFolder, Project]:
        if self.folder is None or self.project is None:
            raise ProjectError("open a document first (step Source)")
        return self.folder, self.project

    def changed(self) -> None:
        for listener in list(self.listeners):
            listener()

    def open_file(
        self,
        path: Path,
        *,
        password: str | None = None,
        progress: ProgressFn = no_progress,
        cancel: CancelToken | None = None,
        name: str | None = None,
    ) -> Project:
        """Read a PDF (or a text file, or a text-plus-images folder) into a project folder
        named after it (or after ``name``)."""
        stem = safe_file_name(name or path.stem) or "document"
        root = self.projects_root / f"studio-{stem}"
        self.project = inspect_source(
            path, root, self.settings, password=password, progress=progress, cancel=cancel
        )
        self.folder = ProjectFolder(root)
        self.undo_stack.clear()
        self.changed()
        return self.project

    def open_upload(self, upload: Upload, **kwargs: object) -> Project:
        staging = self.settings.pdf2video_home / "tmp" / f"studio-{upload.id}"
        staging.mkdir(parents=True, exist_ok=True)
        name = safe_file_name(Path(upload.original_name).stem) or "document"
        source = staging / f"{name}{Path(upload.path).suffix}"
        shutil.copyfile(upload_path(self.settings, upload), source)
        try:
            return self.open_file(source, **kwargs)  # type: ignore[arg-type]
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def open_text(
        self,
        title: str,
        body: str,
        images: list[tuple[str, bytes]],
        *,
        progress: ProgressFn = no_progress,
    ) -> Project:
        """Text plus images (in this order) into a project folder."""
        if not body.strip():
            raise ProjectError("write some text first")
        name = safe_file_name(title) or "text"
        staging = self.settings.pdf2video_home / "tmp" / f"studio-text-{name}"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        heading = f"# {title.strip()}\n\n" if title.strip() else ""
        (staging / f"{name}.md").write_text(heading + body, encoding="utf-8")
        for number, (image_name, data) in enumerate(images, start=1):
            suffix = Path(image_name).suffix.lower() or ".png"
            (staging / f"image-{number:02d}{suffix}").write_bytes(data)
        try:
            return self.open_file(staging, progress=progress, name=name)
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def open_project(self, root: Path) -> Project:
        self.project = load_project(root)
        self.folder = ProjectFolder(root)
        self.undo_stack.clear()
        self.changed()
        return self.project

    # -- images --------------------------------------------------------------------
    def set_image(
        self, asset_id: str, *, image_class: ImageClass | None = None, excluded: bool | None = None
    ) -> Project:
        """Override an image's class (None: back to the classifier's) or exclude it."""
        folder, project = self.require()
        assert project.document is not None
        asset = project.document.asset(asset_id)
        asset.override = image_class
        if excluded is not None:
            asset.excluded = excluded
        save_project(project, folder.root)  # the next script sees the class in force
        self.changed()
        return project

    # -- the script ----------------------------------------------------------------
    def generate_script(
        self,
        *,
        provider: str = "offline",
        minutes: float | None = None,
        progress: ProgressFn = no_progress,
    ) -> Project:
        folder, project = self.require()
        settings = self.settings.model_copy(update={"script_provider": ProviderName(provider)})
        if project.script is not None:
            self._remember(project.script)
        self.project = write_script(
            folder, project, settings, progress, minutes=minutes, force=True
        )
        self.changed()
        return self.project

    @property
    def script(self) -> Script:
        _, project = self.require()
        if project.script is None:
            raise ProjectError("generate the script first (step Script)")
        return project.script

    def _remember(self, script: Script) -> None:
        self.undo_stack.append(script.model_copy(deep=True))
        del self.undo_stack[:-UNDO_DEPTH]

    def _edit(self, change: Callable[[Script], object]) -> Project:
        """Apply one edit to the script and save it at once; undoable."""
        folder, project = self.require()
        before = self.script.model_copy(deep=True)
        change(self.script)  # a refused edit raises before anything is saved
        self._remember(before)
        save_project(project, folder.root)
        self.changed()
        return project

    def edit_scene(
        self,
        index: int,
        *,
        title: str | None = None,
        narration: str | None = None,
        bullets: list[str] | None = None,
        layout: Layout | None = None,
        visual_asset: str | None = None,
    ) -> Project:
        scene = self.script.scenes[index]
        visual = None
        if visual_asset is not None:  # "" : no image, the backdrop only
            visual = (
                Visual(kind=VisualKind.ASSET, asset_id=visual_asset)
                if visual_asset
                else Visual(kind=VisualKind.BACKDROP)
            )
        return self._edit(
            lambda s: edit_scene(
                s,
                scene.id,
                title=title,
                narration=narration,
                bullets=bullets,
                layout=layout,
                visual=visual,
            )
        )

    def move_scene(self, old: int, new: int) -> Project:
        ids = [s.id for s in self.script.scenes]
        ids.insert(new, ids.pop(old))
        return self._edit(lambda s: reorder(s, ids))

    def reorder(self, ids: list[str]) -> Project:
        return self._edit(lambda s: reorder(s, ids))

    def split_scene(self, index: int) -> Project:
        scene_id = self.script.scenes[index].id
        return self._edit(lambda s: split_scene(s, scene_id))

    def merge_with_next(self, index: int) -> Project:
        scenes = self.script.scenes
        if index + 1 >= len(scenes):
            raise ProjectError("the last scene has no next scene to merge with")
        first, second = scenes[index].id, scenes[index + 1].id
        return self._edit(lambda s: merge_scenes(s, first, second))

    def insert_scene(self, index: int, title: str, narration: str) -> Project:
        return self._edit(lambda s: insert_scene(s, index, title=title, narration=narration))

    def delete_scene(self, index: int) -> Project:
        scene_id = self.script.scenes[index].id
        return self._edit(lambda s: delete_scene(s, scene_id))

    def regenerate_scene(self, index: int) -> Project:
        folder, project = self.require()
        self._remember(self.script)
        self.project = regenerate_scene(
            folder, project, self.settings, self.script.scenes[index].id
        )
        self.changed()
        return self.project

    def undo(self) -> Project:
        folder, project = self.require()
        if not self.undo_stack:
            raise ProjectError("nothing to undo")
        project.script = self.undo_stack.pop()
        save_project(project, folder.root)
        self.changed()
        return project

    # -- voice and preview ---------------------------------------------------------
    def voice(
        self,
        *,
        voice: str | None = None,
        speed: float | None = None,
        index: int | None = None,
        progress: ProgressFn = no_progress,
    ) -> list[str]:
        folder, project = self.require()
        only = {self.script.scenes[index].id} if index is not None else None
        self.project, voiced = voice_script(
            folder, project, self.settings, progress, voice_name=voice, speed=speed, only=only
        )
        self.changed()
        return voiced

    def preview(self, index: int) -> Path:
        folder, project = self.require()
        target = preview_scene(folder, project, self.settings, options_from(self.settings), index)
        self.project = load_project(folder.root)  # the scene may have been voiced
        return target

    def still(self, index: int, t: float) -> Path:
        folder, project = self.require()
        target = folder.out / f"still-{index + 1}.jpg"
        still_frame(folder, project, self.settings, options_from(self.settings), index, t, target)
        return target

    # -- render --------------------------------------------------------------------
    def submit_render(
        self,
        choices: RenderChoices,
        *,
        title: str | None = None,
        music_upload: str | None = None,
        logo_upload: str | None = None,
    ) -> Job:
        """Queue the final render of this project as a job (the backend runs it)."""
        folder, _ = self.require()
        request = JobRequest(
            source_type="project",
            project_path=str(folder.root.relative_to(self.settings.pdf2video_home)),
            title=title or self.title,
            music_upload=music_upload,
            logo_upload=logo_upload,
            **choices.model_dump(exclude_none=True),
        )
        return self.backend.submit(request)

    @property
    def title(self) -> str:
        if self.project is not None and self.project.document is not None:
            return self.project.document.title or "Untitled video"
        return "Untitled video"

    def estimate_seconds(self) -> float:
        """The video's length from the voiced narration, else from the word count."""
        scenes = self.script.scenes
        return sum(
            s.audio.duration if s.audio is not None else len(s.narration.split()) / 2.5
            for s in scenes
        )
