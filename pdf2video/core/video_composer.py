"""Composing scenes: layouts that turn a scene's inputs into frames.

A layout prepares what does not move once (backdrop, text layers, the fitted image)
and returns ``frame(t)``, a pure function of time. :class:`SceneFrames` adds what every
scene shares: the transition from the previous scene's last frame, burned-in captions,
the logo watermark and the fades at the very start and end. Layouts are registered by
:class:`~pdf2video.core.models.Layout`; a new one is one function.

Layouts: title card; full-bleed photo with Ken Burns; figure fit (shown whole on a
backdrop, gentle zoom only, never cropped); image beside bullets; bullets on a
backdrop; quote; end card. Each works at 16:9, 9:16 and 1:1, keeps text inside safe
margins and sizes text to fit.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

import cv2
import numpy as np

from pdf2video.core.captions import Cue
from pdf2video.core.effects import (
    MOTIONS,
    TRANSITIONS,
    Size,
    blend,
    contain,
    ease,
    fade_from_black,
    vignette,
)
from pdf2video.core.fonts import fit_text, text_layer
from pdf2video.core.image_features import Image
from pdf2video.core.models import Layout, Scene
from pdf2video.core.narration_text import split_sentences

FrameFn = Callable[[float], Image]
WHITE = (250, 250, 250)
SAFE = 0.06  # safe margin, a share of each side


@dataclass(frozen=True)
class RenderSpec:
    """The output format and the finishing touches shared by every scene."""

    width: int = 1920
    height: int = 1080
    fps: int = 30
    burn_captions: bool = False
    watermark_corner: str = "top-right"
    watermark_scale: float = 0.09
    watermark_opacity: float = 0.8
    transition: str = "crossfade"
    transition_s: float = 0.5
    edge_fade_s: float = 0.4

    @property
    def size(self) -> Size:
        return (self.width, self.height)

    @property
    def portrait(self) -> bool:
        return self.height > self.width


@dataclass
class SceneInputs:
    """Everything that shapes one scene's frames (decoded and ready)."""

    scene: Scene
    duration: float
    backdrop: Image  # exactly the output size
    image: Image | None = None  # the scene's visual, if it has one
    focus: tuple[float, float] = (0.5, 0.5)
    logo: Image | None = None  # BGRA or BGR
    cues: list[Cue] = field(default_factory=list)  # scene-local times
    first: bool = False
    last: bool = False


LayoutFn = Callable[[SceneInputs, RenderSpec], FrameFn]
LAYOUTS: dict[Layout, LayoutFn] = {}


def layout(name: Layout) -> Callable[[LayoutFn], LayoutFn]:
    def register(fn: LayoutFn) -> LayoutFn:
        LAYOUTS[name] = fn
        return fn

    return register


@dataclass(frozen=True)
class Box:
    x: int
    y: int
    w: int
    h: int


def safe_area(spec: RenderSpec) -> Box:
    mx, my = int(spec.width * SAFE), int(spec.height * SAFE)
    return Box(mx, my, spec.width - 2 * mx, spec.height - 2 * my)


def _title_box(spec: RenderSpec) -> Box:
    area = safe_area(spec)
    return Box(area.x, area.y, area.w, int(spec.height * (0.1 if spec.portrait else 0.14)))


def _body_box(spec: RenderSpec) -> Box:
    area, title = safe_area(spec), _title_box(spec)
    top = title.y + title.h + int(spec.height * 0.02)
    bottom = area.y + area.h - (int(spec.height * 0.12) if spec.burn_captions else 0)
    return Box(area.x, top, area.w, max(10, bottom - top))


def _text(
    text: str,
    box: Box,
    spec: RenderSpec,
    *,
    size: float,
    bold: bool = False,
    align: str = "left",
    max_lines: int = 6,
) -> Image:
    unit = min(spec.width, spec.height)
    return text_layer(
        text,
        (box.w, box.h),
        WHITE,
        max_size=max(12, int(unit * size)),
        min_size=max(10, int(unit * 0.022)),
        bold=bold,
        align=align,
        max_lines=max_lines,
    )


def _card(image: Image, box: Box) -> tuple[Image, int, int]:
    """The image fitted whole inside ``box`` with a thin light frame; and where it goes."""
    fitted = contain(image, (box.w - 8, box.h - 8))
    card = np.full((fitted.shape[0] + 8, fitted.shape[1] + 8, 3), 245, np.uint8)
    card[4:-4, 4:-4] = fitted
    x = box.x + (box.w - card.shape[1]) // 2
    y = box.y + (box.h - card.shape[0]) // 2
    return card, x, y


def _paste(frame: Image, image: Image, x: int, y: int) -> None:
    h, w = image.shape[:2]
    frame[y : y + h, x : x + w] = image


def _bullet_layers(bullets: list[str], box: Box, spec: RenderSpec) -> list[tuple[Image, int]]:
    """One layer per bullet, stacked from the top of ``box``, all in one font size (the
    largest that fits every bullet); (layer, y offset)."""
    if not bullets:
        return []
    slot = box.h // max(len(bullets), 3)
    unit = min(spec.width, spec.height)
    lower = max(10, int(unit * 0.022))
    size = min(
        fit_text(
            f"•  {b}",
            (box.w, slot),
            max_size=max(12, int(unit * 0.045)),
            min_size=lower,
            max_lines=2,
        )[0].size
        for b in bullets
    )
    layers = []
    for n, bullet in enumerate(bullets):
        layer = text_layer(
            f"•  {bullet}", (box.w, slot), WHITE, max_size=int(size), min_size=lower, max_lines=2
        )
        layers.append((layer, box.y + n * slot))
    return layers


def _reveal(
    frame: Image, layers: list[tuple[Image, int]], x: int, t: float, duration: float
) -> None:
    """Bullets appear one after another over the first 70% of the scene."""
    for n, (layer, y) in enumerate(layers):
        at = duration * 0.7 * n / max(len(layers), 1)
        if t >= at:
            blend(frame, layer, x, y, opacity=ease((t - at) / 0.4))


def _bullets_over(
    base: Image, bullets: list[str], box: Box, inputs: SceneInputs, spec: RenderSpec
) -> FrameFn:
    """A gently zooming base with bullets revealed over it, one after another."""
    layers = _bullet_layers(bullets, box, spec)
    zoom = MOTIONS["gentle_zoom"]

    def frame(t: float) -> Image:
        out = zoom(base, spec.size, t, inputs.duration, amount=0.02)
        _reveal(out, layers, box.x, t, inputs.duration)
        return out

    return frame


@layout(Layout.TITLE)
def title_card(inputs: SceneInputs, spec: RenderSpec) -> FrameFn:
    area = safe_area(spec)
    sentences = split_sentences(inputs.scene.narration)
    title = _text(
        inputs.scene.title,
        Box(area.x, area.y, area.w, int(area.h * 0.55)),
        spec,
        size=0.1,
        bold=True,
        align="center",
        max_lines=3,
    )
    subtitle_text = sentences[1] if len(sentences) > 1 else ""
    sub_box = Box(area.x, area.y + int(area.h * 0.58), area.w, int(area.h * 0.25))
    subtitle = _text(subtitle_text, sub_box, spec, size=0.045, align="center", max_lines=2)
    base = vignette(inputs.backdrop)
    zoom = MOTIONS["gentle_zoom"]

    def frame(t: float) -> Image:
        out = zoom(base, spec.size, t, inputs.duration, amount=0.05)
        blend(out, title, area.x, area.y)
        if subtitle_text:
            blend(out, subtitle, sub_box.x, sub_box.y, opacity=ease(t / 0.8))
        return out

    return frame


@layout(Layout.FULL_BLEED)
def full_bleed(inputs: SceneInputs, spec: RenderSpec) -> FrameFn:
    if inputs.image is None:
        return bullets_on_backdrop(inputs, spec)
    area = safe_area(spec)
    band_h = int(spec.height * 0.2)
    band = np.zeros((band_h, spec.width, 4), np.uint8)
    band[:, :, 3] = (np.linspace(0, 170, band_h)[:, None]).astype(np.uint8)
    caption_room = int(spec.height * 0.12) if spec.burn_captions else 0
    title_box = Box(
        area.x, spec.height - band_h - caption_room + int(band_h * 0.2), area.w, int(band_h * 0.6)
    )
    title = _text(inputs.scene.title, title_box, spec, size=0.05, bold=True, max_lines=2)
    kb = MOTIONS["ken_burns"]
    # Pre-scale once so each frame's warp reads a modest image.
    source = contain(inputs.image, (int(spec.width * 1.3), int(spec.height * 1.3)))

    def frame(t: float) -> Image:
        out = kb(source, spec.size, t, inputs.duration, focus=inputs.focus)
        blend(out, band, 0, spec.height - band_h - caption_room)
        blend(out, title, title_box.x, title_box.y, opacity=ease(t / 0.6))
        return out

    return frame


def _static_base(inputs: SceneInputs, spec: RenderSpec, image_box: Box | None) -> Image:
    base = inputs.backdrop.copy()
    if inputs.image is not None and image_box is not None:
        card, x, y = _card(inputs.image, image_box)
        _paste(base, card, x, y)
    title_box = _title_box(spec)
    blend(
        base,
        _text(inputs.scene.title, title_box, spec, size=0.06, bold=True, max_lines=2),
        title_box.x,
        title_box.y,
    )
    return base


@layout(Layout.FIGURE)
def figure_fit(inputs: SceneInputs, spec: RenderSpec) -> FrameFn:
    """The figure whole (never cropped) on the backdrop; only a gentle zoom moves."""
    body = _body_box(spec)
    base = _static_base(inputs, spec, body)
    zoom = MOTIONS["gentle_zoom"]

    def frame(t: float) -> Image:
        return zoom(base, spec.size, t, inputs.duration, amount=0.03)

    return frame


@layout(Layout.IMAGE_BULLETS)
def image_beside_bullets(inputs: SceneInputs, spec: RenderSpec) -> FrameFn:
    body = _body_box(spec)
    gap = int(min(spec.width, spec.height) * 0.03)
    if spec.portrait:  # image above, bullets below
        image_box = Box(body.x, body.y, body.w, int(body.h * 0.5))
        text_box = Box(body.x, image_box.y + image_box.h + gap, body.w, body.h - image_box.h - gap)
    else:  # image left, bullets right
        image_box = Box(body.x, body.y, int(body.w * 0.56), body.h)
        text_box = Box(image_box.x + image_box.w + gap, body.y, body.w - image_box.w - gap, body.h)
    if inputs.image is None:
        text_box = body
    base = _static_base(inputs, spec, image_box if inputs.image is not None else None)
    return _bullets_over(base, inputs.scene.bullets, text_box, inputs, spec)


@layout(Layout.BULLETS)
def bullets_on_backdrop(inputs: SceneInputs, spec: RenderSpec) -> FrameFn:
    body = _body_box(spec)
    base = _static_base(inputs, spec, None)
    return _bullets_over(base, inputs.scene.bullets or [inputs.scene.title], body, inputs, spec)


@layout(Layout.QUOTE)
def quote(inputs: SceneInputs, spec: RenderSpec) -> FrameFn:
    area = safe_area(spec)
    sentences = split_sentences(inputs.scene.narration) or [inputs.scene.narration]
    box = Box(area.x + area.w // 10, area.y + area.h // 6, area.w * 8 // 10, area.h * 2 // 3)
    text = _text(f"“{sentences[0]}”", box, spec, size=0.065, align="center", max_lines=6)
    base = vignette(inputs.backdrop)
    zoom = MOTIONS["gentle_zoom"]

    def frame(t: float) -> Image:
        out = zoom(base, spec.size, t, inputs.duration, amount=0.03)
        blend(out, text, box.x, box.y, opacity=ease(t / 0.8))
        return out

    return frame


@layout(Layout.END)
def end_card(inputs: SceneInputs, spec: RenderSpec) -> FrameFn:
    area = safe_area(spec)
    heading_box = Box(area.x, area.y + area.h // 5, area.w, area.h // 5)
    heading = _text(
        inputs.scene.title, heading_box, spec, size=0.08, bold=True, align="center", max_lines=2
    )
    lines = inputs.scene.bullets[:2] or [inputs.scene.narration]
    rest_box = Box(area.x, heading_box.y + heading_box.h, area.w, area.h // 3)
    rest = _text("  ·  ".join(lines), rest_box, spec, size=0.045, align="center", max_lines=3)
    base = vignette(inputs.backdrop)
    base = base.copy()
    blend(base, heading, heading_box.x, heading_box.y)
    blend(base, rest, rest_box.x, rest_box.y)

    def frame(t: float) -> Image:
        return base

    return frame


@functools.lru_cache(maxsize=256)
def _caption_layer(lines: tuple[str, ...], width: int, unit: int) -> Image:
    size = max(14, int(unit * 0.04))
    text = text_layer(
        "\n".join(lines),
        (width, int(size * 1.3 * len(lines)) + 8),
        WHITE,
        max_size=size,
        min_size=size,
        align="center",
        max_lines=2,
    )
    colour = np.zeros((text.shape[0] + 16, width, 3), np.uint8)
    blend(colour, text, 0, 8)
    alpha = np.full(colour.shape[:2], 150, np.uint8)
    alpha[8 : 8 + text.shape[0]] = np.maximum(alpha[8 : 8 + text.shape[0]], text[:, :, 3])
    box: Image = np.dstack([colour, alpha])
    return box


def _with_alpha(logo: Image) -> Image:
    """A BGRA logo; one without alpha loses the flat background colour of its corners."""
    if logo.shape[2] == 4:
        return logo
    corners = np.array([logo[0, 0], logo[0, -1], logo[-1, 0], logo[-1, -1]], np.int16)
    background = np.median(corners, axis=0)
    distance = np.abs(logo.astype(np.int16) - background).sum(axis=2)
    alpha = np.clip((distance - 24) * 8, 0, 255).astype(np.uint8)
    out: Image = np.dstack([logo, alpha])
    return out


def _watermark(logo: Image, spec: RenderSpec) -> tuple[Image, int, int]:
    logo = _with_alpha(logo)
    width = max(16, int(spec.width * spec.watermark_scale))
    height = max(1, round(logo.shape[0] * width / logo.shape[1]))
    small: Image = cv2.resize(logo, (width, height), interpolation=cv2.INTER_AREA)
    margin = int(min(spec.width, spec.height) * 0.03)
    x = margin if "left" in spec.watermark_corner else spec.width - width - margin
    y = margin if "top" in spec.watermark_corner else spec.height - height - margin
    return small, x, y


class SceneFrames:
    """A scene's frames: its layout plus transitions, captions, watermark and fades."""

    def __init__(
        self, inputs: SceneInputs, spec: RenderSpec, previous_last: Image | None = None
    ) -> None:
        self.inputs, self.spec = inputs, spec
        self.body = LAYOUTS.get(inputs.scene.layout, bullets_on_backdrop)(inputs, spec)
        self.previous_last = previous_last
        self.mark = _watermark(inputs.logo, spec) if inputs.logo is not None else None
        self.caption_width = int(spec.width * 0.8)
        # The layout's moving picture updates at half the frame rate from 30 fps up: slow
        # zooms and pans look the same, and half the frames cost nothing to make or encode.
        self.motion_step = 2 if spec.fps >= 30 else 1
        self._body_cache: tuple[float, Image] | None = None
        self._last: tuple[object, Image] | None = None  # (what shaped it, the frame)

    @property
    def frame_count(self) -> int:
        return max(1, round(self.inputs.duration * self.spec.fps))

    def _body(self, t: float) -> Image:
        n = round(t * self.spec.fps)
        at = (n - n % self.motion_step) / self.spec.fps
        if self._body_cache is None or self._body_cache[0] != at:
            self._body_cache = (at, self.body(at))
        return self._body_cache[1]

    def _steady_key(self, t: float) -> object | None:
        """What alone shapes the frame at ``t`` when no fade or transition is running; None
        while one is (then every frame is made afresh)."""
        spec, inputs = self.spec, self.inputs
        if (
            (self.previous_last is not None and t < spec.transition_s)
            or (inputs.first and t < spec.edge_fade_s)
            or (inputs.last and inputs.duration - t < spec.edge_fade_s + 1 / spec.fps)
        ):
            return None
        n = round(t * spec.fps)
        cue = next((i for i, c in enumerate(inputs.cues) if c.start <= t < c.end), -1)
        return (n - n % self.motion_step, cue if spec.burn_captions else None)

    def frame(self, t: float) -> Image:
        """The frame at ``t``; the very same array as the previous call when nothing
        visible changed (callers may reuse what they made from it)."""
        key = self._steady_key(t)
        if key is not None and self._last is not None and self._last[0] == key:
            return self._last[1]
        out = self._compose(t)
        self._last = (key, out) if key is not None else None
        return out

    def _compose(self, t: float) -> Image:
        spec, inputs = self.spec, self.inputs
        out = self._body(t).copy()  # layouts may hand back a cached frame: never draw on it
        if self.previous_last is not None and t < spec.transition_s:
            out = TRANSITIONS[spec.transition](self.previous_last, out, t / spec.transition_s)
        if spec.burn_captions:
            self._caption(out, t)
        if self.mark is not None:
            blend(out, self.mark[0], self.mark[1], self.mark[2], opacity=spec.watermark_opacity)
        if inputs.first and t < spec.edge_fade_s:
            out = fade_from_black(out, t / spec.edge_fade_s)
        if inputs.last and inputs.duration - t < spec.edge_fade_s:
            out = fade_from_black(out, (inputs.duration - t) / spec.edge_fade_s)
        return out

    def _caption(self, out: Image, t: float) -> None:
        for cue in self.inputs.cues:
            if cue.start <= t < cue.end:
                layer = _caption_layer(
                    tuple(cue.lines), self.caption_width, min(self.spec.width, self.spec.height)
                )
                x = (self.spec.width - layer.shape[1]) // 2
                y = self.spec.height - int(self.spec.height * SAFE) - layer.shape[0]
                blend(out, layer, x, y)
                return

    def last_frame(self) -> Image:
        return self.frame((self.frame_count - 1) / self.spec.fps)
