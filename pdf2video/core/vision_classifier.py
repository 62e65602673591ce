"""Image classification by a vision model on any OpenAI-compatible server.

Images go in batches as small JPEG data URLs; the model must answer strict JSON
(``{"images": [{"index": 0, "label": "chart", "confidence": 0.9}]}``, enforced by a
JSON schema). Any image the model fails on (a timeout, an error after retries, a
malformed or incomplete answer) gets the offline classifier's label instead, so
classification always finishes. Answers are cached by image hash and model.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Sequence
from typing import Any

import cv2
import openai
from openai.types.chat import ChatCompletionContentPartParam, ChatCompletionMessageParam
from openai.types.shared_params import ResponseFormatJSONSchema
from pydantic import BaseModel, Field, ValidationError

from pdf2video.core.config import Settings
from pdf2video.core.hashing import inputs_hash, sha256_file
from pdf2video.core.image_classifier import (
    Classification,
    ClassifierInput,
    OfflineClassifier,
    register,
)
from pdf2video.core.image_features import load_image
from pdf2video.core.models import ImageClass
from pdf2video.core.openai_client import PROVIDER_ERRORS, describe_failure, make_client
from pdf2video.core.response_cache import ResponseCache

log = logging.getLogger(__name__)

BATCH_SIZE = 8
_SEND_PX = 512
_LABELS = [c.value for c in ImageClass]
_PROMPT = (
    "You classify images taken from a document. For each image, answer one label: "
    "photo (a photograph), chart (a plot or graph of data), diagram (boxes, arrows, "
    "schematics, illustrations), table (rows and columns of values), logo (a brand "
    "mark), text_scan (a scanned page or picture of text) or decorative (ornaments, "
    'rules, backgrounds). Answer JSON only: {"images": [{"index": N, "label": '
    '"...", "confidence": 0..1}]} with one entry per image, indexed as given.'
)
_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "images": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "index": {"type": "integer"},
                    "label": {"type": "string", "enum": _LABELS},
                    "confidence": {"type": "number"},
                },
                "required": ["index", "label", "confidence"],
                "additionalProperties": False,
            },
        }
    },
    "required": ["images"],
    "additionalProperties": False,
}


class _Answer(BaseModel):
    index: int
    label: ImageClass
    confidence: float = Field(ge=0, le=1)


class _Reply(BaseModel):
    images: list[_Answer]


class VisionClassifier:
    """Classify with a vision model, falling back offline image by image."""

    name = "openai"

    def __init__(
        self,
        settings: Settings,
        *,
        client: openai.OpenAI | None = None,
        cache: ResponseCache | None = None,
        fallback: OfflineClassifier | None = None,
    ) -> None:
        self.model = settings.openai_vision_model or settings.openai_chat_model
        self.client = client or make_client(settings)
        self.cache = cache or ResponseCache(None, "vision")
        self.fallback = fallback or OfflineClassifier()
        self.decided_by = f"openai:{self.model}"
        self.failures: list[str] = []

    def classify(self, images: Sequence[ClassifierInput]) -> list[Classification]:
        results: list[Classification | None] = [None] * len(images)
        keys = [inputs_hash("vision-v1", self.model, sha256_file(i.path)) for i in images]
        todo: list[int] = []
        for n, key in enumerate(keys):
            cached = self.cache.get(key)
            if cached is not None:
                results[n] = Classification(
                    ImageClass(cached["label"]), cached["confidence"], self.decided_by
                )
            else:
                todo.append(n)
        for start in range(0, len(todo), BATCH_SIZE):
            batch = todo[start : start + BATCH_SIZE]
            answers = self._ask([images[n] for n in batch])
            for offset, n in enumerate(batch):
                answer = answers.get(offset)
                if answer is None:
                    continue
                results[n] = Classification(
                    answer.label, round(answer.confidence, 3), self.decided_by
                )
                self.cache.put(
                    keys[n], {"label": answer.label.value, "confidence": answer.confidence}
                )
        return [
            result if result is not None else self._offline(images[n])
            for n, result in enumerate(results)
        ]

    def _offline(self, item: ClassifierInput) -> Classification:
        result = self.fallback.classify_one(item)
        return Classification(result.label, result.confidence, "offline (fallback)")

    def _ask(self, batch: Sequence[ClassifierInput]) -> dict[int, _Answer]:
        content: list[ChatCompletionContentPartParam] = [
            {"type": "text", "text": f"Classify these {len(batch)} images, indexed from 0."}
        ]
        for item in batch:
            content.append({"type": "image_url", "image_url": {"url": _data_url(item)}})
        messages: list[ChatCompletionMessageParam] = [
            {"role": "system", "content": _PROMPT},
            {"role": "user", "content": content},
        ]
        response_format: ResponseFormatJSONSchema = {
            "type": "json_schema",
            "json_schema": {"name": "image_classes", "strict": True, "schema": _SCHEMA},
        }
        try:
            response = self.client.chat.completions.create(
                model=self.model, messages=messages, response_format=response_format
            )
        except PROVIDER_ERRORS as exc:
            reason = describe_failure(exc)
            self.failures.append(reason)
            log.warning("vision classifier: %s; using the offline classifier", reason)
            return {}
        return self._parse(
            response.choices[0].message.content if response.choices else None, len(batch)
        )

    def _parse(self, text: str | None, count: int) -> dict[int, _Answer]:
        try:
            reply = _Reply.model_validate(json.loads(text or ""))
        except (ValueError, ValidationError):
            self.failures.append("the vision model's answer was not the JSON asked for")
            log.warning("vision classifier: malformed answer; using the offline classifier")
            return {}
        return {a.index: a for a in reply.images if 0 <= a.index < count}


def _data_url(item: ClassifierInput) -> str:
    image = load_image(item.path)
    h, w = image.shape[:2]
    scale = min(1.0, _SEND_PX / max(h, w))
    if scale < 1:
        image = cv2.resize(
            image, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA
        )
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 85])
    if not ok:
        raise ValueError(f"cannot encode {item.path.name}")
    return "data:image/jpeg;base64," + base64.b64encode(data.tobytes()).decode("ascii")


def _factory(**options: Any) -> VisionClassifier:
    settings: Settings = options["settings"]
    cache_dir = options.get("cache_dir")
    return VisionClassifier(settings, cache=ResponseCache(cache_dir, "vision"))


register("openai", _factory)
