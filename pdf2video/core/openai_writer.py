"""Script writing by a chat model on any OpenAI-compatible server.

The model gets the outline, each section's text (shortened) and the list of images
with their classes, and must answer a Script through a JSON schema (structured output).
The answer is validated; an invalid one is sent back with the reason for a bounded
number of repairs. When the server fails (after the client's own retries on 429, 5xx
and timeouts) or never answers validly, the offline writer takes over when AI_FALLBACK
allows it, else the step fails with a plain-language message. Valid scripts are cached
on disk by the hash of the document, the images' classes, the model and the request.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import openai
from openai.types.chat import ChatCompletionMessageParam
from openai.types.shared_params import ResponseFormatJSONSchema
from pydantic import BaseModel, Field, ValidationError, field_validator

from pdf2video.core.config import Settings
from pdf2video.core.errors import ProviderUnavailable
from pdf2video.core.hashing import inputs_hash
from pdf2video.core.models import Document, Layout, Mood, Scene, Script, Visual, VisualKind
from pdf2video.core.openai_client import PROVIDER_ERRORS, describe_failure, make_client
from pdf2video.core.response_cache import ResponseCache
from pdf2video.core.script_writer import (
    OfflineScriptWriter,
    ScriptRequest,
    new_scene_id,
    register,
    scene_assets,
    sections_of,
    watermark_candidate,
)

log = logging.getLogger(__name__)

MAX_REPAIRS = 2
_SECTION_CHARS = 1500
_TOTAL_CHARS = 24_000
_PROMPT = (
    "You write the narration script of a short explainer video made from a document. "
    "Write it as scenes: an opening title scene, one or more scenes per section, and a "
    "closing scene. Narration is spoken aloud: plain sentences, no citation markers, URLs, "
    "page numbers or figure labels. Each scene has at most five short on-screen bullets. "
    "Use each photo, chart, diagram and table once as a scene visual (by its id), in the "
    "scene about its section; never use logos or decorations. Answer JSON only."
)


class _AnswerScene(BaseModel):
    title: str
    narration: str = Field(min_length=1)
    bullets: list[str] = Field(default_factory=list, max_length=5)
    visual_asset_id: str | None = None
    layout: Layout = Layout.BULLETS
    source_pages: list[int] = Field(default_factory=list)

    @field_validator("narration")
    @classmethod
    def _spoken(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a scene has empty narration")
        return value.strip()


class _AnswerScript(BaseModel):
    title: str
    mood: Mood = Mood.CALM
    scenes: list[_AnswerScene] = Field(min_length=1)


def _schema() -> dict[str, Any]:
    scene = {
        "type": "object",
        "properties": {
            "title": {"type": "string"},
            "narration": {"type": "string"},
            "bullets": {"type": "array", "items": {"type": "string"}, "maxItems": 5},
            "visual_asset_id": {"anyOf": [{"type": "string"}, {"type": "null"}]},
            "layout": {"type": "string", "enum": [layout.value for layout in Layout]},
            "source_pages": {"type": "array", "items": {"type": "integer"}},
        },
        "required": ["title", "narration", "bullets", "visual_asset_id", "layout", "source_pages"],
        "additionalProperties": False,
    }
    return {
        "type": "object",
        "properties": {
            "title": {"type": "string"},
            "mood": {"type": "string", "enum": [mood.value for mood in Mood]},
            "scenes": {"type": "array", "items": scene},
        },
        "required": ["title", "mood", "scenes"],
        "additionalProperties": False,
    }


def describe_document(document: Document, request: ScriptRequest) -> str:
    """The user message: length wanted, outline, sections (shortened) and images."""
    lines = [f"Title: {document.title}"]
    if request.target_minutes:
        lines.append(
            f"Target length: about {request.target_minutes:g} minutes "
            f"({int(request.target_minutes * 150)} spoken words)."
        )
    else:
        lines.append(f"About {request.words_per_scene} spoken words per section.")
    lines.append("\nSections:")
    used = 0
    for section in sections_of(document):
        text = " ".join(section.paragraphs)[:_SECTION_CHARS]
        if used + len(text) > _TOTAL_CHARS:
            text = text[: max(0, _TOTAL_CHARS - used)]
        used += len(text)
        lines.append(f"## {section.title} (pages {section.pages[0]}-{section.pages[-1]})\n{text}")
    lines.append("\nImages you may use as visuals (id, class, page):")
    for asset in scene_assets(document):
        lines.append(f"- {asset.id}: {asset.image_class}, page {asset.page or '-'}")
    return "\n".join(lines)


class OpenAIScriptWriter:
    name = "openai"

    def __init__(
        self,
        settings: Settings,
        *,
        client: openai.OpenAI | None = None,
        cache: ResponseCache | None = None,
    ) -> None:
        self.model = settings.openai_chat_model
        self.allow_fallback = settings.ai_fallback
        self.client = client or make_client(settings)
        self.cache = cache or ResponseCache(None, "scripts")
        self.fallback = OfflineScriptWriter()

    def write(self, document: Document, request: ScriptRequest) -> Script:
        key = inputs_hash(
            "script-v1",
            document.source_sha256,
            self.model,
            request.__dict__,
            [(a.id, str(a.image_class), a.excluded) for a in document.assets],
        )
        cached = self.cache.get(key)
        if cached is not None:
            return Script.model_validate(cached)
        failure = self._ask(document, request)
        if isinstance(failure, Script):
            self.cache.put(key, failure.model_dump(mode="json"))
            return failure
        if not self.allow_fallback:
            raise ProviderUnavailable(f"the script could not be written: {failure}")
        log.warning("script writer: %s; writing the script offline", failure)
        script = self.fallback.write(document, request)
        script.warnings.append(f"the AI script writer failed ({failure}); written offline")
        return script

    def _ask(self, document: Document, request: ScriptRequest) -> Script | str:
        """A valid Script, or the reason there is none."""
        messages: list[ChatCompletionMessageParam] = [
            {"role": "system", "content": _PROMPT},
            {"role": "user", "content": describe_document(document, request)},
        ]
        response_format: ResponseFormatJSONSchema = {
            "type": "json_schema",
            "json_schema": {"name": "script", "strict": True, "schema": _schema()},
        }
        reason = "no answer"
        for _ in range(1 + MAX_REPAIRS):
            try:
                response = self.client.chat.completions.create(
                    model=self.model, messages=messages, response_format=response_format
                )
            except PROVIDER_ERRORS as exc:
                return describe_failure(exc)
            text = response.choices[0].message.content if response.choices else None
            try:
                return self._to_script(text or "", document)
            except (ValueError, ValidationError) as exc:
                reason = "the AI answer was not a valid script"
                detail = str(exc).splitlines()[0][:300]
                messages.append({"role": "assistant", "content": text or ""})
                messages.append(
                    {
                        "role": "user",
                        "content": (
                            f"That answer is not valid ({detail}). Answer again with JSON only, "
                            "following the schema, every scene with narration."
                        ),
                    }
                )
        return reason

    def _to_script(self, text: str, document: Document) -> Script:
        answer = _AnswerScript.model_validate(json.loads(text))
        usable = {a.id for a in scene_assets(document)}
        scenes = []
        for item in answer.scenes:
            if item.visual_asset_id in usable:
                visual = Visual(kind=VisualKind.ASSET, asset_id=item.visual_asset_id)
            elif item.layout is Layout.TITLE:
                visual = Visual(kind=VisualKind.TITLE_CARD)
            else:
                visual = Visual(kind=VisualKind.BACKDROP)
            scenes.append(
                Scene(
                    id=new_scene_id(),
                    title=item.title.strip() or "Scene",
                    narration=item.narration,
                    bullets=[b.strip() for b in item.bullets if b.strip()],
                    visual=visual,
                    layout=item.layout,
                    source_pages=item.source_pages,
                )
            )
        return Script(
            title=answer.title.strip() or document.title,
            mood=answer.mood,
            scenes=scenes,
            provider=f"openai:{self.model}",
            watermark_asset=watermark_candidate(document),
        )


def _factory(**options: Any) -> OpenAIScriptWriter:
    return OpenAIScriptWriter(
        options["settings"], cache=ResponseCache(options.get("cache_dir"), "scripts")
    )


register("openai", _factory)
