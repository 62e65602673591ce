"""Writing the scene-by-scene script: the ScriptWriter protocol and the offline writer.

The offline writer (the default: no key, no network) is extractive:

1. the document is cut into sections at its headings (or into groups of pages when it
   has none);
2. each section's sentences are cleaned for reading aloud and ranked with TextRank;
   the best are kept, in document order, up to the section's word budget (about 150
   spoken words a minute);
3. every photo, chart, diagram, table and scan becomes a scene visual in its section
   (a section with several pictures becomes several scenes); logos and decorations
   never do, and the logo seen on most pages is offered as the watermark;
4. an opening title scene and a closing scene frame the rest; the mood comes from the
   words of the text.

Every narration sentence is a sentence of the document, cleaned.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from pdf2video.core.errors import EmptyDocument
from pdf2video.core.models import (
    WORDS_PER_MINUTE,
    Asset,
    Document,
    ImageClass,
    Layout,
    Mood,
    Scene,
    Script,
    Visual,
    VisualKind,
)
from pdf2video.core.narration_text import clean_for_narration, is_speakable, split_sentences
from pdf2video.core.registry import Registry
from pdf2video.core.textrank import textrank, tfidf

VISUAL_CLASSES = (
    ImageClass.PHOTO,
    ImageClass.CHART,
    ImageClass.DIAGRAM,
    ImageClass.TABLE,
    ImageClass.TEXT_SCAN,
)
DEFAULT_WORDS_PER_SCENE = 70
_PAGES_PER_SECTION = 3
_MIN_SECTION_WORDS = 12
_BULLET_WORDS = 8
_FRAME_WORDS = 30  # what the title and closing scenes say
_MIN_SCENE_WORDS = 40  # a section scene shorter than this is not worth its own scene
_MIN_SPLIT_WORDS = 25  # a section split for its pictures gives each part this much to say


@dataclass(frozen=True)
class ScriptRequest:
    """What shapes a script besides the document."""

    target_minutes: float | None = None  # total length; None: words_per_scene decides
    words_per_scene: int = DEFAULT_WORDS_PER_SCENE


class ScriptWriter(Protocol):
    name: str

    def write(self, document: Document, request: ScriptRequest) -> Script: ...


@dataclass
class Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)

    @property
    def word_count(self) -> int:
        return sum(len(p.split()) for p in self.paragraphs)


def new_scene_id() -> str:
    return f"s-{uuid.uuid4().hex[:8]}"


def sections_of(document: Document) -> list[Section]:
    """Sections at the document's top two heading levels, or groups of pages."""
    levels = sorted({b.heading_level for _, b in document.headings if b.heading_level})
    if not levels:
        return _page_groups(document)
    cut_levels = set(levels[:2])
    sections: list[Section] = []
    current: Section | None = None
    for page in document.pages:
        for block in page.content_blocks:
            if block.heading_level in cut_levels and block.text.strip() != document.title:
                current = Section(title=block.text.strip(), pages=[page.number])
                sections.append(current)
                continue
            if block.heading_level:
                continue  # the title, or a minor heading inside a section
            if current is None:
                current = Section(title=document.title, pages=[page.number])
                sections.append(current)
            current.paragraphs.append(block.text)
            if page.number not in current.pages:
                current.pages.append(page.number)
    return _merge_thin(sections)


def _page_groups(document: Document) -> list[Section]:
    """No headings: one section per few pages, titled by its first words."""
    groups: list[Section] = []
    for start in range(0, len(document.pages), _PAGES_PER_SECTION):
        pages = document.pages[start : start + _PAGES_PER_SECTION]
        paragraphs = [b.text for page in pages for b in page.content_blocks]
        if not paragraphs:
            continue
        words = " ".join(paragraphs).split()[:6]
        title = " ".join(words).rstrip(",.;:") + "…"
        groups.append(Section(title=title, paragraphs=paragraphs, pages=[p.number for p in pages]))
    return _merge_thin(groups)


def _grouped(sections: list[Section], groups: int) -> list[Section]:
    """``sections`` joined into ``groups`` runs of neighbours, titled by their first."""
    size = -(-len(sections) // groups)
    out = []
    for start in range(0, len(sections), size):
        run = sections[start : start + size]
        out.append(
            Section(
                title=run[0].title,
                paragraphs=[p for s in run for p in s.paragraphs],
                pages=sorted({n for s in run for n in s.pages}),
            )
        )
    return out


def _merge_thin(sections: list[Section]) -> list[Section]:
    """A section with almost no text joins the next one (a heading followed by a heading)."""
    merged: list[Section] = []
    carry: Section | None = None
    for section in sections:
        if carry is not None:
            section.pages = sorted({*carry.pages, *section.pages})
            section.paragraphs = carry.paragraphs + section.paragraphs
            carry = None
        if section.word_count < _MIN_SECTION_WORDS:
            carry = section
            continue
        merged.append(section)
    if carry is not None:
        if merged:
            merged[-1].paragraphs += carry.paragraphs
            merged[-1].pages = sorted({*merged[-1].pages, *carry.pages})
        else:
            merged.append(carry)
    return merged


def narration_sentences(section: Section) -> list[str]:
    sentences = []
    for paragraph in section.paragraphs:
        for sentence in split_sentences(clean_for_narration(paragraph)):
            if is_speakable(sentence):
                sentences.append(sentence)
    return list(dict.fromkeys(sentences))  # a sentence repeated on a page is read once


def pick(sentences: list[str], scores: np.ndarray, budget_words: int) -> list[str]:
    """The best-scored sentences whose words come closest to ``budget_words``, in their
    original order (at least one)."""
    chosen: set[int] = set()
    words = 0
    for index in np.argsort(-scores, kind="stable"):
        length = len(sentences[int(index)].split())
        if chosen and abs(words + length - budget_words) >= abs(words - budget_words):
            continue
        chosen.add(int(index))
        words += length
    return [s for i, s in enumerate(sentences) if i in chosen]


def bullets_from(sentences: list[str], limit: int = 4) -> list[str]:
    """Short on-screen points: the first clause of each sentence, at most eight words."""
    points = []
    for sentence in sentences[:limit]:
        clause = re.split(r"[,;:—–]| - ", sentence)[0].strip().rstrip(".!?")
        if len(clause.split()) < 3:  # "Installation," says nothing on its own
            clause = sentence.rstrip(".!?")
        words = clause.split()
        if len(words) > _BULLET_WORDS:
            clause = " ".join(words[:_BULLET_WORDS]) + "…"
        if clause and clause not in points:
            points.append(clause[0].upper() + clause[1:])
    return points[:5]


_MOOD_WORDS = {
    Mood.SERIOUS: "risk risks loss death disease crisis war threat danger security legal failure "
    "warning decline damage harm fraud attack safety injury",
    Mood.UPBEAT: "growth new exciting success fun best easy win gain improve record boost great "
    "cheaper faster happy opportunity",
    Mood.CALM: "nature care simple gentle relax quiet balance health calm peace garden slow "
    "water breathe",
    Mood.INSPIRING: "future vision change dream together build discover innovation hope "
    "possible imagine create",
}


def mood_of(text: str) -> Mood:
    words = re.findall(r"[a-z]+", text.lower())
    counts = {
        mood: sum(words.count(w) for w in vocabulary.split())
        for mood, vocabulary in _MOOD_WORDS.items()
    }
    best = max(counts, key=lambda m: counts[m])
    return best if counts[best] >= 2 else Mood.CALM


def _visual_for(asset: Asset) -> tuple[Visual, Layout]:
    if asset.image_class is ImageClass.PHOTO:
        return Visual(kind=VisualKind.ASSET, asset_id=asset.id), Layout.FULL_BLEED
    return Visual(kind=VisualKind.ASSET, asset_id=asset.id), Layout.FIGURE


def scene_assets(document: Document) -> list[Asset]:
    """Images that belong in the video: not excluded, not logos or decorations."""
    return [a for a in document.assets if not a.excluded and a.image_class in VISUAL_CLASSES]


def watermark_candidate(document: Document) -> str | None:
    logos = [a for a in document.assets if a.image_class is ImageClass.LOGO and not a.excluded]
    return max(logos, key=lambda a: len(a.pages)).id if logos else None


class OfflineScriptWriter:
    """Extractive script writing: TextRank over each section's sentences."""

    name = "offline"

    def write(self, document: Document, request: ScriptRequest) -> Script:
        sections = [s for s in sections_of(document) if narration_sentences(s)]
        pictures = scene_assets(document)
        if not sections and not pictures:
            raise EmptyDocument("there is no text and there are no images to make a video from")
        if not sections:
            raise EmptyDocument(
                "there is no text to narrate (a scanned PDF? text recognition is not supported yet)"
            )
        sections, budget = self._fit(sections, request)
        per_section = [narration_sentences(section) for section in sections]
        all_sentences = [s for sentences in per_section for s in sentences]
        vectors = tfidf(all_sentences)
        scenes = [self._title_scene(document, sections)]
        offset = 0
        placed: set[str] = set()
        for section, sentences in zip(sections, per_section, strict=True):
            scores = textrank(vectors[offset : offset + len(sentences)])
            offset += len(sentences)
            chosen = pick(sentences, scores, budget)
            images = [a for a in pictures if a.page in section.pages and a.id not in placed]
            placed.update(a.id for a in images)
            scenes.extend(self._section_scenes(section, chosen, images))
        leftovers = [a for a in pictures if a.id not in placed]
        if leftovers:  # pictures outside every section (e.g. on a title page)
            scenes[1].more_visuals.extend(a.id for a in leftovers)
        scenes.append(self._closing_scene(all_sentences, vectors, document))
        return Script(
            title=document.title,
            mood=mood_of(" ".join(all_sentences)),
            scenes=scenes,
            provider=self.name,
            watermark_asset=watermark_candidate(document),
        )

    @staticmethod
    def _fit(sections: list[Section], request: ScriptRequest) -> tuple[list[Section], int]:
        """Sections and the words each may narrate. With a target length, neighbouring
        sections are grouped when the target cannot give each a scene of its own."""
        if not request.target_minutes:
            return sections, request.words_per_scene
        content = max(30.0, request.target_minutes * WORDS_PER_MINUTE - _FRAME_WORDS)
        groups = max(1, min(len(sections), int(content // _MIN_SCENE_WORDS)))
        if groups < len(sections):
            sections = _grouped(sections, groups)
        return sections, int(max(15, min(400, content / len(sections))))

    @staticmethod
    def _title_scene(document: Document, sections: list[Section]) -> Scene:
        subtitle = next(
            (
                b.text
                for p in document.pages[:1]
                for b in p.content_blocks
                if b.heading_level and b.text != document.title
            ),
            None,
        )
        narration = document.title.rstrip(".") + "."
        if subtitle and subtitle != sections[0].title:
            narration += f" {subtitle.rstrip('.')}."
        return Scene(
            id=new_scene_id(),
            title=document.title,
            narration=narration,
            bullets=[s.title for s in sections[:5]],
            visual=Visual(kind=VisualKind.TITLE_CARD),
            layout=Layout.TITLE,
            source_pages=[1],
        )

    @staticmethod
    def _section_scenes(section: Section, chosen: list[str], images: list[Asset]) -> list[Scene]:
        words = sum(len(c.split()) for c in chosen)
        parts = max(1, min(len(images), len(chosen), words // _MIN_SPLIT_WORDS))
        per_part = -(-len(chosen) // parts)
        scenes = []
        for n in range(parts):
            sentences = chosen[n * per_part : (n + 1) * per_part] or chosen[-1:]
            scene = Scene(
                id=new_scene_id(),
                title=section.title if n == 0 else f"{section.title} ({n + 1})",
                narration=" ".join(sentences),
                bullets=bullets_from(sentences),
                source_pages=section.pages,
            )
            if n < len(images):
                scene.visual, scene.layout = _visual_for(images[n])
                if scene.layout is Layout.FIGURE and scene.bullets:
                    scene.layout = Layout.IMAGE_BULLETS if len(images) == 1 else Layout.FIGURE
            scenes.append(scene)
        if len(images) > parts:
            scenes[-1].more_visuals.extend(a.id for a in images[parts:])
        return scenes

    @staticmethod
    def _closing_scene(sentences: list[str], vectors: np.ndarray, document: Document) -> Scene:
        best = sentences[int(np.argmax(textrank(vectors)))]
        return Scene(
            id=new_scene_id(),
            title="In short",
            narration=best,
            bullets=[document.title],
            visual=Visual(kind=VisualKind.BACKDROP),
            layout=Layout.END,
            source_pages=[],
        )


_REGISTRY: Registry[ScriptWriter] = Registry("script writer")


def register(name: str, factory: Callable[..., ScriptWriter]) -> None:
    """Make a script writer available by name (settings: SCRIPT_PROVIDER)."""
    _REGISTRY.register(name, factory)


def available() -> list[str]:
    return _REGISTRY.names()


def get_writer(name: str, **options: object) -> ScriptWriter:
    return _REGISTRY.get(name, **options)


register("offline", lambda **_: OfflineScriptWriter())
