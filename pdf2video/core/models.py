"""The records of a project, as pydantic models that round-trip through JSON.

``Project`` is what ``project.json`` holds: the source files, the ``Document`` read
from them (pages, text blocks, outline, image ``Asset`` records), the settings that
shape the outputs and one ``StageRecord`` per stage that has run.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1


def utc_now() -> datetime:
    return datetime.now(UTC)


class Model(BaseModel):
    """Shared config: unknown keys are an error, so a typo in project.json is caught."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class BBox(Model):
    """A rectangle in PDF points, origin top-left."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def area(self) -> float:
        return max(0.0, self.width) * max(0.0, self.height)


class BlockRole(StrEnum):
    BODY = "body"
    HEADING = "heading"
    HEADER = "header"  # running header repeated on many pages
    FOOTER = "footer"  # running footer repeated on many pages
    PAGE_NUMBER = "page_number"


class TextBlock(Model):
    """A paragraph (or heading) of text, in the page's reading order."""

    text: str
    bbox: BBox | None = None
    font_size: float = 0.0
    bold: bool = False
    heading_level: int | None = Field(default=None, ge=1, le=6)
    role: BlockRole = BlockRole.BODY

    @property
    def is_furniture(self) -> bool:
        """Running headers, footers and page numbers: not part of the content."""
        return self.role in (BlockRole.HEADER, BlockRole.FOOTER, BlockRole.PAGE_NUMBER)


class Page(Model):
    number: int = Field(ge=1)
    width: float = Field(ge=0)
    height: float = Field(ge=0)
    blocks: list[TextBlock] = Field(default_factory=list)
    has_text_layer: bool = True
    thumbnail: str | None = None  # path relative to the project folder
    render: str | None = None  # full-size render, for pages without a text layer

    @property
    def content_blocks(self) -> list[TextBlock]:
        return [b for b in self.blocks if not b.is_furniture]


class OutlineEntry(Model):
    level: int = Field(ge=1)
    title: str
    page: int | None = None


class ImageClass(StrEnum):
    PHOTO = "photo"
    CHART = "chart"
    DIAGRAM = "diagram"
    TABLE = "table"
    LOGO = "logo"
    TEXT_SCAN = "text_scan"
    DECORATIVE = "decorative"


class AssetKind(StrEnum):
    IMAGE = "image"  # an image embedded in the PDF
    PAGE_RENDER = "page_render"  # a render of a page without a text layer
    SUPPLIED = "supplied"  # an image file given with a text-plus-images input


class Asset(Model):
    """One image of the document, extracted once however often it appears."""

    id: str
    kind: AssetKind = AssetKind.IMAGE
    page: int | None = None  # first page it appears on
    pages: list[int] = Field(default_factory=list)  # every page it appears on
    bbox: BBox | None = None  # where it sits on its first page, in points
    page_area_fraction: float = 0.0  # its share of the first page's area
    width: int = Field(ge=1)
    height: int = Field(ge=1)
    sha256: str
    path: str  # relative to the project folder
    label: ImageClass | None = None  # what the classifier decided
    confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    decided_by: str | None = None  # "offline", "openai:<model>", "reader"
    override: ImageClass | None = None  # the user's choice; always wins
    excluded: bool = False

    @property
    def image_class(self) -> ImageClass | None:
        """The class in force: the user's override, else the classifier's label."""
        return self.override if self.override is not None else self.label

    @property
    def decision_source(self) -> str | None:
        return "user" if self.override is not None else self.decided_by


class SourceKind(StrEnum):
    PDF = "pdf"
    TEXT = "text"  # text plus images


class Document(Model):
    title: str
    author: str | None = None
    subject: str | None = None
    kind: SourceKind = SourceKind.PDF
    source_name: str
    source_sha256: str
    page_count: int = Field(ge=0)
    outline: list[OutlineEntry] = Field(default_factory=list)
    pages: list[Page] = Field(default_factory=list)
    assets: list[Asset] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    reader: str = "pymupdf"

    def asset(self, asset_id: str) -> Asset:
        for asset in self.assets:
            if asset.id == asset_id:
                return asset
        raise KeyError(asset_id)

    @property
    def headings(self) -> list[tuple[int, TextBlock]]:
        """(page number, block) for every heading, in reading order."""
        return [(p.number, b) for p in self.pages for b in p.blocks if b.heading_level]


class StageRecord(Model):
    """What one stage made last time and from which inputs."""

    name: str
    inputs_hash: str
    provider: str | None = None
    started: datetime
    finished: datetime
    seconds: float = Field(ge=0)
    outputs: dict[str, str | int | float] = Field(default_factory=dict)


class Mood(StrEnum):
    CALM = "calm"
    UPBEAT = "upbeat"
    SERIOUS = "serious"
    INSPIRING = "inspiring"
    NEUTRAL = "neutral"


class Layout(StrEnum):
    """How a scene is laid out (a hint the composer follows)."""

    TITLE = "title"  # title card
    FULL_BLEED = "full_bleed"  # a photo filling the frame, Ken Burns
    FIGURE = "figure"  # chart, diagram, table or scan shown whole
    IMAGE_BULLETS = "image_bullets"  # an image beside the bullets
    BULLETS = "bullets"  # bullets on a backdrop
    QUOTE = "quote"
    END = "end"  # end card


class VisualKind(StrEnum):
    ASSET = "asset"  # an extracted or supplied image
    PAGE = "page"  # a page render
    TITLE_CARD = "title_card"
    BACKDROP = "backdrop"


class Visual(Model):
    kind: VisualKind = VisualKind.BACKDROP
    asset_id: str | None = None  # for ASSET
    page: int | None = None  # for PAGE


class Timing(Model):
    """A sentence or a word of narration and where it is heard, in seconds."""

    text: str
    start: float = Field(ge=0)
    end: float = Field(ge=0)


class SceneAudio(Model):
    """The voiced narration of one scene."""

    path: str  # WAV, relative to the project folder
    key: str  # hash of narration, voice, speed: a different key means re-voice
    voice: str
    speed: float
    duration: float = Field(ge=0)
    sentences: list[Timing] = Field(default_factory=list)
    words: list[Timing] = Field(default_factory=list)


WORDS_PER_MINUTE = 150


class Scene(Model):
    id: str
    title: str
    narration: str
    bullets: list[str] = Field(default_factory=list, max_length=5)
    visual: Visual = Field(default_factory=Visual)
    more_visuals: list[str] = Field(default_factory=list)  # further asset ids of its section
    layout: Layout = Layout.BULLETS
    source_pages: list[int] = Field(default_factory=list)
    changed: bool = True  # edited since it was last voiced
    audio: SceneAudio | None = None

    @property
    def word_count(self) -> int:
        return len(self.narration.split())

    @property
    def estimated_seconds(self) -> float:
        """From the audio when voiced, else from the word count at 150 words a minute."""
        if self.audio is not None and not self.changed:
            return self.audio.duration
        return round(self.word_count * 60 / WORDS_PER_MINUTE + 0.5, 2)


class Script(Model):
    title: str
    mood: Mood = Mood.NEUTRAL
    scenes: list[Scene] = Field(default_factory=list)
    provider: str = "offline"
    watermark_asset: str | None = None  # the logo, a candidate for the watermark
    warnings: list[str] = Field(default_factory=list)

    def scene(self, scene_id: str) -> Scene:
        for scene in self.scenes:
            if scene.id == scene_id:
                return scene
        raise KeyError(scene_id)

    @property
    def estimated_seconds(self) -> float:
        return round(sum(s.estimated_seconds for s in self.scenes), 2)


class RenderRecord(Model):
    """What the last export made (shown by the CLI, the studio and the library)."""

    path: str  # relative to the project folder
    thumbnail: str | None = None
    captions: list[str] = Field(default_factory=list)
    duration: float
    width: int
    height: int
    fps: int
    codec: str
    encoder: str
    size_bytes: int
    scenes: int
    mood: str
    source_pages: list[int] = Field(default_factory=list)
    render_seconds: float
    segments_rendered: int
    segments_reused: int
    warnings: list[str] = Field(default_factory=list)

    @property
    def speed(self) -> float:
        """Seconds of video made per second of rendering."""
        return self.duration / self.render_seconds if self.render_seconds > 0 else 0.0


class ProjectSettings(Model):
    """The settings that shape a project's outputs (a subset of :class:`Settings`)."""

    image_classifier: str = "offline"
    thumbnail_px: int = 320
    page_render_px: int = 2000
    video_width: int = 1920
    video_height: int = 1080
    video_fps: int = 30


class Project(Model):
    """The single source of truth of one video in the making (``project.json``)."""

    schema_version: int = SCHEMA_VERSION
    id: str
    created: datetime = Field(default_factory=utc_now)
    source_files: list[str] = Field(default_factory=list)  # relative to the project folder
    document: Document | None = None
    script: Script | None = None
    render: RenderRecord | None = None
    settings: ProjectSettings = Field(default_factory=ProjectSettings)
    stages: dict[str, StageRecord] = Field(default_factory=dict)
