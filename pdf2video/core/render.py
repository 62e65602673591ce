"""Rendering: scenes to segments, segments to the finished MP4.

Each scene renders to ``segments/<key>.mp4``, where the key hashes everything that
shaped it (scene, narration audio, visual, backdrop, output format, encoder, the
previous scene for the transition, this renderer's version); a segment that exists is
reused, so after an edit only the changed scenes render again. Frames are made with
numpy/OpenCV (:mod:`pdf2video.core.video_composer`) and piped straight to ffmpeg;
segments render in parallel, one per core. The export joins them by stream copy and
adds the audio (see :mod:`pdf2video.core.export`).
"""

from __future__ import annotations

import logging
import os
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import cv2
import pymupdf

from pdf2video.core import backdrops
from pdf2video.core.captions import cues_for
from pdf2video.core.config import Encoder, Settings
from pdf2video.core.content_input import check_image
from pdf2video.core.effects import focal_point
from pdf2video.core.encoder import EncoderChoice, choose, ffmpeg, ffmpeg_command, video_args
from pdf2video.core.errors import Pdf2VideoError, ProjectError, RenderError, UnusableMedia
from pdf2video.core.hashing import inputs_hash, sha256_file
from pdf2video.core.image_features import Image, to_bgr
from pdf2video.core.models import Mood, Project, Scene, VisualKind
from pdf2video.core.presets import RenderChoices, parse_resolution
from pdf2video.core.progress import CancelToken, ProgressEvent, ProgressFn, no_progress
from pdf2video.core.project import ProjectFolder
from pdf2video.core.video_composer import RenderSpec, SceneFrames, SceneInputs

log = logging.getLogger(__name__)

RENDERER_VERSION = "2"  # bump when frames would change: old segments and backdrops go stale
SIZES = {"720p": 720, "1080p": 1080, "1440p": 1440, "2160p": 2160}
DRAFT_SHORT_SIDE = 480
DRAFT_FPS = 15  # a draft is for checking content and timing, not motion


@dataclass(frozen=True)
class RenderOptions:
    width: int
    height: int
    fps: int
    captions: str  # burn, sidecar or off
    encoder: Encoder
    bitrate: str
    draft: bool = False
    music: Path | None = None
    logo: Path | None = None  # None: no watermark
    logo_from_document: bool = False
    brand: tuple[str, str] | None = None
    backgrounds: str = "offline"


def frame_size(short_side: int, aspect: str) -> tuple[int, int]:
    """Even width and height for a short side and an aspect ratio."""

    def even(x: float) -> int:
        return max(2, round(x / 2) * 2)

    if aspect == "9:16":
        return even(short_side), even(short_side * 16 / 9)
    if aspect == "1:1":
        return even(short_side), even(short_side)
    return even(short_side * 16 / 9), even(short_side)


def options_from(
    settings: Settings,
    *,
    resolution: tuple[int, int] | None = None,
    fps: int | None = None,
    aspect: str | None = None,
    captions: str | None = None,
    encoder: Encoder | None = None,
    draft: bool = False,
    music: Path | None = None,
    logo: str | None = None,
) -> RenderOptions:
    """Render options from the settings, with the command's flags on top (a resolution
    given with another aspect than 16:9 keeps its short side, in that aspect)."""
    if resolution is not None and aspect and aspect != "16:9":
        resolution = frame_size(min(resolution), aspect)
    aspect = aspect or settings.video_aspect
    if resolution is not None:
        width, height = resolution
    elif draft:
        width, height = frame_size(DRAFT_SHORT_SIDE, aspect)
        fps = min(fps or settings.video_fps, DRAFT_FPS)
    elif settings.video_width == 1920 and settings.video_height == 1080:
        width, height = frame_size(1080, aspect)
    else:
        width, height = settings.video_width, settings.video_height
    wanted_logo = logo if logo is not None else settings.watermark
    brand = (
        (settings.brand_primary, settings.brand_accent)
        if (settings.brand_primary and settings.brand_accent)
        else None
    )
    return RenderOptions(
        width=width,
        height=height,
        fps=fps or settings.video_fps,
        captions=captions or settings.captions,
        encoder=encoder or settings.video_codec,
        bitrate=settings.video_bitrate,
        draft=draft,
        music=music,
        logo=None if wanted_logo in ("auto", "off") else Path(wanted_logo).expanduser(),
        logo_from_document=wanted_logo == "auto",
        brand=brand,
        backgrounds=settings.backgrounds.value,
    )


def options_for(
    settings: Settings,
    choices: RenderChoices,
    *,
    music: Path | None = None,
    logo: str | None = None,
) -> RenderOptions:
    """Render options for a job's or a batch's choices (a preset's, overridden)."""
    return options_from(
        settings,
        resolution=parse_resolution(choices.resolution) if choices.resolution else None,
        fps=choices.fps,
        aspect=choices.aspect,
        captions=choices.captions,
        encoder=choices.encoder,
        draft=bool(choices.draft),
        music=music,
        logo=logo,
    )


def check_music(path: Path) -> None:
    """Refuse, before anything renders, a music file ffmpeg cannot decode."""
    if not path.is_file():
        raise UnusableMedia("the music file does not exist", path=path)
    command = [
        ffmpeg(),
        "-hide_banner",
        "-v",
        "error",
        "-i",
        str(path),
        "-t",
        "3",
        "-vn",
        "-f",
        "null",
        "-",
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    if result.returncode != 0 or "Invalid data" in result.stderr:
        reason = (result.stderr.strip().splitlines() or ["not audio"])[-1]
        raise UnusableMedia(f"this is not music pdf2video can play ({reason[:120]})", path=path)
    probe = subprocess.run(
        [ffmpeg(), "-hide_banner", "-i", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if "Audio:" not in probe.stderr:
        raise UnusableMedia("the file has no audio track", path=path)


def check_logo(path: Path) -> None:
    try:
        check_image(path)
    except Pdf2VideoError as exc:
        raise UnusableMedia(f"the logo cannot be used: {exc.message}", path=path) from None


def load_visual(
    folder: ProjectFolder, project: Project, scene: Scene, max_px: int = 2400
) -> Image | None:
    """The scene's picture, decoded to BGR (alpha over white), or None."""
    visual = scene.visual
    document = project.document
    if visual.kind is VisualKind.ASSET and visual.asset_id and document is not None:
        try:
            asset = document.asset(visual.asset_id)
        except KeyError:
            return None
        image = cv2.imread(str(folder.resolve(asset.path)), cv2.IMREAD_UNCHANGED)
        return to_bgr(image) if image is not None else None
    if visual.kind is VisualKind.PAGE and visual.page and project.source_files:
        cached = folder.pages / f"page-{visual.page:04d}.jpg"
        if not cached.is_file():
            source = folder.resolve(project.source_files[0])
            with pymupdf.open(source) as doc:
                if not 1 <= visual.page <= doc.page_count:
                    return None
                page = doc[visual.page - 1]
                zoom = max_px / max(page.rect.width, page.rect.height)
                page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False).save(str(cached))
        return cv2.imread(str(cached))
    return None


def _document_logo(folder: ProjectFolder, project: Project) -> Path | None:
    if project.script is None or project.script.watermark_asset is None or project.document is None:
        return None
    try:
        return folder.resolve(project.document.asset(project.script.watermark_asset).path)
    except KeyError:
        return None


def _page_art(folder: ProjectFolder, project: Project, scene: Scene) -> Image | None:
    if project.document is None or not scene.source_pages:
        return None
    page = next((p for p in project.document.pages if p.number == scene.source_pages[0]), None)
    if page is None or page.thumbnail is None:
        return None
    return cv2.imread(str(folder.resolve(page.thumbnail)))


def scene_backdrop(
    folder: ProjectFolder,
    project: Project,
    scene: Scene,
    index: int,
    options: RenderOptions,
    settings: Settings,
) -> tuple[Image, str]:
    """The scene's background at output size, cached in ``backdrops/``; (image, key)."""
    mood = project.script.mood if project.script else Mood.NEUTRAL
    size = (options.width, options.height)
    key = inputs_hash(
        "backdrop",
        RENDERER_VERSION,
        mood,
        size,
        index,
        options.brand,
        options.backgrounds,
        scene.source_pages[:1],
    )[:24]
    path = folder.backdrops / f"{key}.jpg"
    image = cv2.imread(str(path)) if path.is_file() else None
    if image is None or image.shape[:2] != (options.height, options.width):
        if options.backgrounds == "openai":
            maker = backdrops.ImageBackdrops(settings, folder.cache / "backdrops")
            image = maker.backdrop(
                mood, size, seed=index, topic=project.script.title if project.script else ""
            )
        else:
            image = backdrops.procedural(
                mood,
                size,
                seed=index,
                brand=options.brand,
                page_art=_page_art(folder, project, scene),
            )
        folder.backdrops.mkdir(parents=True, exist_ok=True)
        cv2.imwrite(str(path), image, [cv2.IMWRITE_JPEG_QUALITY, 92])
    return image, key


@dataclass
class _Plan:
    """What one segment needs, gathered up front (cheap) so workers only render."""

    index: int
    scene: Scene
    duration: float
    key: str
    path: Path


class Renderer:
    """Renders a voiced project's scenes for one set of options."""

    def __init__(
        self, folder: ProjectFolder, project: Project, settings: Settings, options: RenderOptions
    ) -> None:
        if project.script is None or any(s.audio is None for s in project.script.scenes):
            raise ProjectError("voice the script first (pdf2video voice)", path=folder.root)
        self.folder, self.project, self.settings, self.options = folder, project, settings, options
        self.scenes = project.script.scenes
        self.choice: EncoderChoice = choose(options.encoder)
        self.spec = RenderSpec(
            width=options.width,
            height=options.height,
            fps=options.fps,
            burn_captions=options.captions == "burn",
        )
        self.logo_path = options.logo or (
            _document_logo(folder, project) if options.logo_from_document else None
        )
        self.logo_sha = sha256_file(self.logo_path) if self.logo_path else None
        self._logo: Image | None = None

    def duration(self, scene: Scene) -> float:
        """The scene's length in whole frames, as close as can be to its narration."""
        assert scene.audio is not None
        return max(1, round(scene.audio.duration * self.options.fps)) / self.options.fps

    def _content_key(self, index: int, exclude: set[str] | None = None) -> str:
        scene = self.scenes[index]
        data = scene.model_dump(mode="json", exclude=exclude or {"changed"})
        visual_sha = None
        if scene.visual.asset_id and self.project.document is not None:
            try:
                visual_sha = self.project.document.asset(scene.visual.asset_id).sha256
            except KeyError:
                visual_sha = None
        return inputs_hash(
            "segment",
            RENDERER_VERSION,
            data,
            visual_sha,
            self.spec.__dict__,
            self.logo_sha,
            self.choice.name,
            self.options.bitrate,
            self.options.draft,
            self.options.brand,
            self.options.backgrounds,
            index,
            index == len(self.scenes) - 1,
            self.project.script.mood if self.project.script else None,
        )

    def _last_frame_key(self, index: int) -> str:
        """What shapes a scene's last frame, which the next scene's transition starts from:
        not its narration or length (unless captions are burned in)."""
        exclude = (
            {"changed", "audio"} if self.spec.burn_captions else {"changed", "audio", "narration"}
        )
        return inputs_hash(self._content_key(index, exclude=exclude))

    def plans(self) -> list[_Plan]:
        plans = []
        previous = ""
        for index, scene in enumerate(self.scenes):
            key = inputs_hash(self._content_key(index), previous)[:32]
            previous = self._last_frame_key(index)
            plans.append(
                _Plan(index, scene, self.duration(scene), key, self.folder.segments / f"{key}.mp4")
            )
        return plans

    def logo(self) -> Image | None:
        if self.logo_path is not None and self._logo is None:
            image = cv2.imread(str(self.logo_path), cv2.IMREAD_UNCHANGED)
            if image is not None and image.ndim == 2:
                image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
            self._logo = image
        return self._logo

    def scene_frames(self, index: int, *, with_previous: bool = True) -> SceneFrames:
        scene = self.scenes[index]
        backdrop, _ = scene_backdrop(
            self.folder, self.project, scene, index, self.options, self.settings
        )
        image = load_visual(self.folder, self.project, scene)
        assert scene.audio is not None
        duration = self.duration(scene)
        inputs = SceneInputs(
            scene=scene,
            duration=duration,
            backdrop=backdrop,
            image=image,
            focus=focal_point(image) if image is not None else (0.5, 0.5),
            logo=self.logo(),
            cues=cues_for(scene.audio.words, 0.0, duration) if self.spec.burn_captions else [],
            first=index == 0,
            last=index == len(self.scenes) - 1,
        )
        previous = None
        if with_previous and index > 0:
            previous = self.scene_frames(index - 1, with_previous=False).last_frame()
        return SceneFrames(inputs, self.spec, previous)

    def render_segment(
        self, plan: _Plan, cancel: CancelToken | None, on_frame: ProgressFn = no_progress
    ) -> None:
        """Render one scene to ``plan.path``; a failure leaves no partial file."""
        frames = self.scene_frames(plan.index)
        plan.path.parent.mkdir(parents=True, exist_ok=True)
        partial = plan.path.with_name(f".{plan.path.stem}.part.mp4")
        command = [
            *ffmpeg_command(),
            "-f",
            "rawvideo",
            "-pix_fmt",
            "yuv420p",  # converted here (cv2, 1.5 ms at 1080p): half the bytes through the pipe
            "-s",
            f"{self.spec.width}x{self.spec.height}",
            "-r",
            str(self.spec.fps),
            "-i",
            "-",
            *video_args(self.choice, self.spec.fps, self.options.bitrate, draft=self.options.draft),
            "-an",
            str(partial),
        ]
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stderr=subprocess.PIPE)
        assert process.stdin is not None and process.stderr is not None
        try:
            total = frames.frame_count
            previous: tuple[Image, Image] | None = None  # (frame, its yuv420p)
            for n in range(total):
                if cancel is not None:
                    cancel.check()
                frame = frames.frame(n / self.spec.fps)
                if previous is None or previous[0] is not frame:
                    previous = (frame, cv2.cvtColor(frame, cv2.COLOR_BGR2YUV_I420))
                process.stdin.write(previous[1].data)
                if n % 15 == 0:
                    on_frame(ProgressEvent("compose", n / total, plan.scene.title))
            process.stdin.close()
            code = process.wait()
            if code != 0:
                raise RenderError(self._failure(process, code))
            partial.replace(plan.path)
        except BrokenPipeError:
            process.wait()
            partial.unlink(missing_ok=True)
            raise RenderError(self._failure(process, process.returncode)) from None
        except BaseException:
            process.kill()
            process.wait()
            partial.unlink(missing_ok=True)
            raise
        finally:
            process.stderr.close()

    @staticmethod
    def _failure(process: subprocess.Popen[bytes], code: int | None) -> str:
        assert process.stderr is not None
        try:
            detail = process.stderr.read().decode(errors="replace").strip().splitlines()
        except ValueError:
            detail = []
        reason = detail[-1] if detail else f"ffmpeg exited with {code}"
        if "No space left" in reason:
            return "the disk is full; free some space and render again (finished scenes are kept)"
        return f"the video encoder stopped: {reason[:200]}"

    def compose(
        self, progress: ProgressFn = no_progress, cancel: CancelToken | None = None
    ) -> tuple[list[Path], int, int]:
        """Render every missing segment, in parallel; (segments in order, rendered, reused)."""
        plans = self.plans()
        todo = [p for p in plans if not p.path.is_file()]
        done = 0
        started = time.monotonic()
        workers = max(
            1,
            min(
                len(todo),
                len(os.sched_getaffinity(0))
                if hasattr(os, "sched_getaffinity")
                else os.cpu_count() or 1,
            ),
        )

        def run(plan: _Plan) -> None:
            self.render_segment(plan, cancel)

        progress(ProgressEvent("compose", 0.0, f"{len(todo)} of {len(plans)} scenes to render"))
        if todo:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                futures = [pool.submit(run, plan) for plan in todo]
                try:
                    for future in futures:
                        future.result()
                        done += 1
                        elapsed = time.monotonic() - started
                        eta = elapsed * (len(todo) - done) / done
                        progress(
                            ProgressEvent(
                                "compose",
                                done / len(todo),
                                f"scene {done} of {len(todo)} rendered",
                                eta,
                            )
                        )
                except BaseException:
                    if cancel is not None:
                        cancel.cancel()  # stop the other workers at their next frame
                    for future in futures:
                        future.cancel()
                    raise
        return [p.path for p in plans], len(todo), len(plans) - len(todo)

    def still(self, index: int, t: float) -> Image:
        frames = self.scene_frames(index)
        return frames.frame(min(max(0.0, t), frames.inputs.duration - 1 / self.spec.fps))


def draft_options(options: RenderOptions) -> RenderOptions:
    aspect = (
        "9:16"
        if options.height > options.width
        else ("1:1" if options.height == options.width else "16:9")
    )
    width, height = frame_size(DRAFT_SHORT_SIDE, aspect)
    return replace(options, width=width, height=height, fps=min(options.fps, DRAFT_FPS), draft=True)
