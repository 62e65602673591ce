"""Backgrounds for scenes: procedural offline backdrops, or OpenAI images when asked.

The offline backdrop is a diagonal gradient in the mood's palette (or the brand
colours), soft out-of-focus shapes, and optionally the scene's page, blurred, as faint
texture. The OpenAI backdrop asks the image model for an abstract background in the
mood; answers are cached by prompt, and any failure falls back to the offline one.
"""

from __future__ import annotations

import base64
import logging
import re
from pathlib import Path

import cv2
import numpy as np

from pdf2video.core.config import Settings
from pdf2video.core.effects import Size, cover
from pdf2video.core.hashing import inputs_hash
from pdf2video.core.image_features import Image
from pdf2video.core.models import Mood
from pdf2video.core.openai_client import PROVIDER_ERRORS, describe_failure, make_client

log = logging.getLogger(__name__)

Colour = tuple[int, int, int]  # BGR
PALETTES: dict[Mood, tuple[Colour, Colour, Colour]] = {
    # (dark, light, accent), BGR
    Mood.CALM: ((70, 52, 18), (150, 120, 60), (190, 200, 120)),
    Mood.UPBEAT: ((60, 30, 130), (40, 120, 240), (80, 200, 250)),
    Mood.SERIOUS: ((40, 30, 25), (90, 70, 55), (160, 140, 120)),
    Mood.INSPIRING: ((90, 30, 70), (60, 150, 220), (120, 210, 250)),
    Mood.NEUTRAL: ((60, 50, 45), (120, 110, 100), (200, 190, 180)),
}
_HEX = re.compile(r"^#?([0-9a-fA-F]{6})$")


def hex_to_bgr(value: str) -> Colour:
    match = _HEX.match(value.strip())
    if not match:
        raise ValueError(f"expected a colour like #1f6feb, got {value!r}")
    r, g, b = (int(match.group(1)[i : i + 2], 16) for i in (0, 2, 4))
    return (b, g, r)


def palette(mood: Mood, brand: tuple[str, str] | None = None) -> tuple[Colour, Colour, Colour]:
    if brand is None:
        return PALETTES.get(mood, PALETTES[Mood.NEUTRAL])
    primary, accent = hex_to_bgr(brand[0]), hex_to_bgr(brand[1])
    dark: Colour = (primary[0] // 2, primary[1] // 2, primary[2] // 2)
    return dark, primary, accent


def procedural(
    mood: Mood,
    size: Size,
    *,
    seed: int = 0,
    page_art: Image | None = None,
    brand: tuple[str, str] | None = None,
) -> Image:
    """A calm, non-distracting background of exactly ``size`` (BGR uint8)."""
    width, height = size
    dark, light, accent = (np.array(c, np.float32) for c in palette(mood, brand))
    rng = np.random.default_rng(seed)
    # Work small, then scale up: smooth content loses nothing and it is fast.
    sw, sh = max(16, width // 8), max(16, height // 8)
    yy, xx = np.mgrid[0:sh, 0:sw].astype(np.float32)
    angle = rng.uniform(0.2, 0.8)
    g = (xx / sw * np.cos(angle) + yy / sh * np.sin(angle)) / (np.cos(angle) + np.sin(angle))
    small = dark + (light - dark) * g[:, :, None]
    for _ in range(5):
        cx, cy = rng.uniform(0, sw), rng.uniform(0, sh)
        radius = rng.uniform(0.15, 0.45) * max(sw, sh)
        blob = np.exp(-(((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * radius**2)))[:, :, None]
        small = small + (accent - small) * blob * rng.uniform(0.12, 0.3)
    if page_art is not None:
        art = cv2.GaussianBlur(cover(page_art, (sw, sh)).astype(np.float32), (0, 0), 5)
        small = small * 0.93 + art * 0.07
    frame: Image = cv2.resize(
        np.clip(small, 0, 255).astype(np.uint8), size, interpolation=cv2.INTER_CUBIC
    )
    return frame


class ImageBackdrops:
    """Backdrops from an OpenAI-compatible image model, cached, falling back offline."""

    def __init__(self, settings: Settings, cache_dir: Path) -> None:
        self.settings = settings
        self.cache_dir = cache_dir
        self.failures: list[str] = []

    def backdrop(self, mood: Mood, size: Size, *, seed: int = 0, topic: str = "") -> Image:
        prompt = (
            f"An abstract, softly lit background for an explainer video about {topic}. "
            f"Mood: {mood}. No text, no letters, no logos, no people."
        )
        key = inputs_hash("backdrop-v1", self.settings.openai_image_model, prompt, seed)
        path = self.cache_dir / f"{key[:32]}.png"
        if not path.is_file() and not self.failures:
            try:
                client = make_client(self.settings)
                answer = client.images.generate(
                    model=self.settings.openai_image_model, prompt=prompt, size="1536x1024", n=1
                )
                data = answer.data[0].b64_json if answer.data else None
                if not data:
                    raise ValueError("the image model sent no image")
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(base64.b64decode(data))
            except (*PROVIDER_ERRORS, ValueError) as exc:  # type: ignore[misc]
                reason = describe_failure(exc) if isinstance(exc, PROVIDER_ERRORS) else str(exc)
                self.failures.append(reason)
                log.warning("backdrop image failed (%s); using the procedural backdrop", reason)
        image = cv2.imread(str(path)) if path.is_file() else None
        if image is None:
            return procedural(mood, size, seed=seed)
        return cover(image, size)
