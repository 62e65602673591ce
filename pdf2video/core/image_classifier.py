"""Image classification: photo, chart, diagram, table, logo, text_scan or decorative.

A :class:`Classifier` takes images (with where they sit in the document) and returns a
label and a confidence for each. Two are registered:

- ``offline`` (the default): rules over OpenCV/numpy measurements
  (:mod:`pdf2video.core.image_features`); no key, no network.
- ``openai``: a vision model on any OpenAI-compatible server
  (:mod:`pdf2video.core.vision_classifier`), falling back to ``offline`` per image.

A user's override is stored on the asset and always wins over any classifier.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from pdf2video.core.image_features import ImageFeatures, load_image, measure
from pdf2video.core.models import Asset, AssetKind, Document, ImageClass
from pdf2video.core.registry import Registry

Scores = dict[ImageClass, float]
_PARALLEL_FROM = 8


@dataclass(frozen=True)
class ClassifierInput:
    """One image to classify, with what the document says about it."""

    key: str  # the asset id
    path: Path
    page_area_fraction: float = 0.0  # 0 when not from a page
    pages: int = 1  # how many pages show it
    size: tuple[int, int] | None = None  # original pixel size


@dataclass(frozen=True)
class Classification:
    label: ImageClass
    confidence: float
    decided_by: str


class Classifier(Protocol):
    name: str

    def classify(self, images: Sequence[ClassifierInput]) -> list[Classification]:
        """One classification per input, in the same order."""
        ...


def _clamp(value: float) -> float:
    return max(0.0, min(1.0, value))


def score(f: ImageFeatures) -> Scores:
    """Evidence for each class, each roughly 0..1."""
    axes = f.long_h_lines >= 1 and f.long_v_lines >= 1
    flat = f.top8_colour_share > 0.85
    light_ground = f.top_colour_share >= 0.4
    extreme_aspect = f.aspect > 6 or f.aspect < 1 / 6

    decorative = 0.0
    if f.gray_std < 6 or f.entropy < 0.8:
        decorative = 1.0
    if extreme_aspect and f.text_lines < 3:
        decorative = max(decorative, 0.9)
    if f.edge_density < 0.004 and f.text_lines == 0 and f.long_h_lines + f.long_v_lines == 0:
        decorative = max(decorative, 0.7)

    photo = _clamp((0.75 - f.top8_colour_share) / 0.4) * 0.6 + _clamp((f.entropy - 4) / 3) * 0.4

    text_scan = (
        _clamp(f.text_lines / 40) * 0.5
        + _clamp(f.text_area_share / 0.12) * 0.3
        + (0.2 if f.saturated_share < 0.05 else 0.0)
    )
    if f.long_h_lines >= 3:
        text_scan -= 0.3

    table = 0.0
    if f.long_h_lines >= 3:
        table = 0.5 + (0.25 if f.long_v_lines >= 2 or f.short_rules >= 3 else 0.0)
        table += 0.25 if f.saturated_share < 0.08 else 0.0

    chart = (
        (0.45 if axes else 0.0)
        + _clamp(f.saturated_share / 0.08)
        * 0.35
        * (1.0 if light_ground else 0.3)
        * (1.0 if axes or f.objects >= 3 else 0.4)
        + (0.2 if light_ground and f.top8_colour_share > 0.7 else 0.0)
    )
    if f.long_h_lines >= 3 and f.saturated_share < 0.03:
        chart -= 0.3

    diagram = (
        (0.35 if flat else 0.0)
        + _clamp((f.short_rules - 2) / 8) * 0.5
        + (0.25 if light_ground and f.short_rules >= 4 else 0.0)
        - (0.3 if axes else 0.0)
        - (0.3 if f.long_h_lines >= 3 else 0.0)
    )

    small_on_page = 0 < f.page_area_fraction <= 0.04
    small_px = max(f.width, f.height) <= 300
    logo = (
        (0.35 if small_on_page else 0.0)
        + (0.3 if small_px else 0.0)
        + (0.3 if f.pages >= 2 else 0.0)
        + (0.2 if flat else 0.0)
        + (0.2 if f.objects <= 2 and f.text_lines <= 2 and 0.3 < f.aspect < 3.5 else 0.0)
        - (0.3 if f.text_lines > 5 else 0.0)
        - (0.3 if f.long_h_lines >= 2 else 0.0)
    )
    return {
        ImageClass.PHOTO: photo,
        ImageClass.CHART: chart,
        ImageClass.DIAGRAM: diagram,
        ImageClass.TABLE: table,
        ImageClass.LOGO: logo,
        ImageClass.TEXT_SCAN: text_scan,
        ImageClass.DECORATIVE: decorative,
    }


def decide(scores: Scores) -> tuple[ImageClass, float]:
    """The best class and a confidence from its margin over the runner-up."""
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    (best, top), (_, second) = ranked[0], ranked[1]
    confidence = _clamp(0.5 + (top - second)) * _clamp(0.4 + top)
    return best, round(max(0.05, min(0.99, confidence)), 3)


class OfflineClassifier:
    """Rules over image measurements; fast, deterministic, no network."""

    name = "offline"

    def classify_one(self, item: ClassifierInput) -> Classification:
        try:
            image = load_image(item.path)
        except (OSError, ValueError):
            return Classification(ImageClass.DECORATIVE, 0.1, self.name)
        features = measure(
            image,
            page_area_fraction=item.page_area_fraction,
            pages=item.pages,
            original_size=item.size,
        )
        label, confidence = decide(score(features))
        return Classification(label, confidence, self.name)

    def classify(self, images: Sequence[ClassifierInput]) -> list[Classification]:
        if len(images) < _PARALLEL_FROM:
            return [self.classify_one(item) for item in images]
        # OpenCV and numpy release the GIL, so threads use every core.
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            return list(pool.map(self.classify_one, images))


_REGISTRY: Registry[Classifier] = Registry("classifier")


def register(name: str, factory: Callable[..., Classifier]) -> None:
    """Make a classifier available by name (settings: IMAGE_CLASSIFIER)."""
    _REGISTRY.register(name, factory)


def available() -> list[str]:
    return _REGISTRY.names()


def get_classifier(name: str, **options: object) -> Classifier:
    return _REGISTRY.get(name, **options)


register("offline", lambda **_: OfflineClassifier())


def inputs_for(document: Document, root: Path) -> list[ClassifierInput]:
    """What the classifier needs for each asset that a classifier should decide."""
    return [
        ClassifierInput(
            key=asset.id,
            path=root / asset.path,
            page_area_fraction=asset.page_area_fraction,
            pages=max(1, len(asset.pages)),
            size=(asset.width, asset.height),
        )
        for asset in document.assets
        if asset.kind is not AssetKind.PAGE_RENDER
    ]


def apply(document: Document, results: dict[str, Classification]) -> None:
    """Store the classifier's labels; user overrides stay untouched and keep winning."""
    for asset in document.assets:
        result = results.get(asset.id)
        if result is None:
            continue
        asset.label = result.label
        asset.confidence = result.confidence
        asset.decided_by = result.decided_by


def classify_document(document: Document, root: Path, classifier: Classifier) -> Document:
    items = inputs_for(document, root)
    results = classifier.classify(items)
    apply(document, {item.key: result for item, result in zip(items, results, strict=True)})
    return document


def override(document: Document, asset_id: str, label: ImageClass | None) -> Asset:
    """Set (or clear, with None) the user's class for one asset."""
    asset = document.asset(asset_id)
    asset.override = label
    return asset
