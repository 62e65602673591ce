"""Effects: pure functions of their inputs and time that return a uint8 BGR frame.

Two registries let new effects plug in without touching the composer:

- ``MOTIONS`` (``ken_burns``, ``pan``, ``gentle_zoom``, ``still``): an image and a time
  become a frame of the output size;
- ``TRANSITIONS`` (``crossfade``, ``fade``, ``slide``, ``wipe``): two frames and a
  progress 0..1 become one.

Plus the helpers the layouts use: ``cover``, ``contain``, ``blur_fill``, ``vignette``,
``blend`` (an RGBA layer over a frame) and ``focal_point`` (a face, else the most
salient region, else the centre).
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from pdf2video.core.image_features import Image

Size = tuple[int, int]  # (width, height)
Motion = Callable[..., Image]
Transition = Callable[[Image, Image, float], Image]
MOTIONS: dict[str, Motion] = {}
TRANSITIONS: dict[str, Transition] = {}


def motion(name: str) -> Callable[[Motion], Motion]:
    def register(fn: Motion) -> Motion:
        MOTIONS[name] = fn
        return fn

    return register


def transition(name: str) -> Callable[[Transition], Transition]:
    def register(fn: Transition) -> Transition:
        TRANSITIONS[name] = fn
        return fn

    return register


def ease(p: float) -> float:
    """Smoothstep easing of a progress 0..1 (clamped)."""
    p = min(1.0, max(0.0, p))
    return p * p * (3 - 2 * p)


def cover(image: Image, size: Size) -> Image:
    """Scale and centre-crop to fill ``size`` exactly."""
    width, height = size
    h, w = image.shape[:2]
    scale = max(width / w, height / h)
    resized = cv2.resize(
        image,
        (max(width, round(w * scale)), max(height, round(h * scale))),
        interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR,
    )
    y = (resized.shape[0] - height) // 2
    x = (resized.shape[1] - width) // 2
    out: Image = resized[y : y + height, x : x + width]
    return np.ascontiguousarray(out)


def contain(image: Image, size: Size) -> Image:
    """Scale to fit inside ``size`` whole (never cropped); the result may be smaller."""
    width, height = size
    h, w = image.shape[:2]
    scale = min(width / w, height / h)
    new = (max(1, round(w * scale)), max(1, round(h * scale)))
    out: Image = cv2.resize(
        image, new, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    )
    return out


def blur_fill(image: Image, size: Size) -> Image:
    """The image whole, centred, over a blurred and darkened copy filling the frame."""
    width, height = size
    back = cover(image, (max(1, width // 8), max(1, height // 8)))
    back = cv2.GaussianBlur(back, (0, 0), 3)
    frame: Image = cv2.resize(back, size, interpolation=cv2.INTER_LINEAR)
    frame = (frame.astype(np.float32) * 0.55).astype(np.uint8)
    front = contain(image, size)
    y = (height - front.shape[0]) // 2
    x = (width - front.shape[1]) // 2
    frame[y : y + front.shape[0], x : x + front.shape[1]] = front
    return frame


@functools.lru_cache(maxsize=8)
def _vignette_mask(width: int, height: int, strength: float) -> Image:
    y, x = np.ogrid[-1 : 1 : complex(0, height), -1 : 1 : complex(0, width)]
    radius = np.sqrt(x * x + y * y) / np.sqrt(2)
    mask: Image = (1 - strength * radius**2).astype(np.float32)[:, :, None]
    return mask


def vignette(frame: Image, strength: float = 0.35) -> Image:
    h, w = frame.shape[:2]
    out: Image = (frame.astype(np.float32) * _vignette_mask(w, h, strength)).astype(np.uint8)
    return out


_BLEND_CACHE: OrderedDict[tuple[int, float], tuple[Image, Image, Image, Image]] = OrderedDict()
_BLEND_LOCK = threading.Lock()


def _blend_weights(layer: Image, opacity: float) -> tuple[Image, Image, Image]:
    """(colour, keep, take) for a BGRA layer: computed once per layer and opacity, since
    layers are made once per scene and blended into every frame."""
    key = (id(layer), round(opacity, 3))
    with _BLEND_LOCK:
        hit = _BLEND_CACHE.get(key)
        if hit is not None and hit[0] is layer:
            _BLEND_CACHE.move_to_end(key)
            return hit[1], hit[2], hit[3]
    take = layer[:, :, 3].astype(np.float32) * (opacity / 255.0)
    keep = 1.0 - take
    colour = np.ascontiguousarray(layer[:, :, :3])
    with _BLEND_LOCK:
        _BLEND_CACHE[key] = (layer, colour, keep, take)  # holding the layer keeps its id unique
        while len(_BLEND_CACHE) > 96:
            _BLEND_CACHE.popitem(last=False)
    return colour, keep, take


def blend(frame: Image, layer: Image, x: int, y: int, opacity: float = 1.0) -> Image:
    """Alpha-composite a BGRA ``layer`` onto ``frame`` at (x, y), in place; clipped to the frame."""
    h, w = frame.shape[:2]
    lh, lw = layer.shape[:2]
    x0, y0, x1, y1 = max(0, x), max(0, y), min(w, x + lw), min(h, y + lh)
    if x0 >= x1 or y0 >= y1 or opacity <= 0:
        return frame
    colour, keep, take = _blend_weights(layer, opacity)
    rows, cols = slice(y0 - y, y1 - y), slice(x0 - x, x1 - x)
    frame[y0:y1, x0:x1] = cv2.blendLinear(
        np.ascontiguousarray(frame[y0:y1, x0:x1]),
        np.ascontiguousarray(colour[rows, cols]),
        np.ascontiguousarray(keep[rows, cols]),
        np.ascontiguousarray(take[rows, cols]),
    )
    return frame


def _zoom_window(image: Image, size: Size, zoom: float, centre: tuple[float, float]) -> Image:
    """The frame seen when ``image`` (covering ``size``) is zoomed by ``zoom`` around ``centre``
    (fractions of the image), kept inside the image."""
    width, height = size
    h, w = image.shape[:2]
    scale = max(width / w, height / h) * zoom
    view_w, view_h = width / scale, height / scale
    cx = min(max(centre[0] * w, view_w / 2), w - view_w / 2)
    cy = min(max(centre[1] * h, view_h / 2), h - view_h / 2)
    matrix = np.array(
        [[scale, 0, width / 2 - scale * cx], [0, scale, height / 2 - scale * cy]], dtype=np.float32
    )
    out: Image = cv2.warpAffine(
        image, matrix, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
    return out


@motion("ken_burns")
def ken_burns(
    image: Image,
    size: Size,
    t: float,
    duration: float,
    *,
    focus: tuple[float, float] = (0.5, 0.5),
    zoom: tuple[float, float] = (1.0, 1.15),
) -> Image:
    """Eased zoom from the centre towards ``focus`` (a face or the salient region)."""
    p = ease(t / duration if duration > 0 else 1.0)
    z = zoom[0] + (zoom[1] - zoom[0]) * p
    centre = (0.5 + (focus[0] - 0.5) * p, 0.5 + (focus[1] - 0.5) * p)
    return _zoom_window(image, size, z, centre)


@motion("pan")
def pan(
    image: Image,
    size: Size,
    t: float,
    duration: float,
    *,
    direction: str = "left",
    zoom: float = 1.12,
) -> Image:
    """Eased sideways (or vertical) travel across a slightly zoomed image."""
    p = ease(t / duration if duration > 0 else 1.0)
    start, end = {
        "left": ((0.0, 0.5), (1.0, 0.5)),
        "right": ((1.0, 0.5), (0.0, 0.5)),
        "up": ((0.5, 1.0), (0.5, 0.0)),
        "down": ((0.5, 0.0), (0.5, 1.0)),
    }[direction]
    centre = (start[0] + (end[0] - start[0]) * p, start[1] + (end[1] - start[1]) * p)
    return _zoom_window(image, size, zoom, centre)


@motion("gentle_zoom")
def gentle_zoom(
    image: Image, size: Size, t: float, duration: float, *, amount: float = 0.04
) -> Image:
    """A frame-sized image zoomed in by at most ``amount`` at its centre (figures)."""
    p = ease(t / duration if duration > 0 else 1.0)
    return _zoom_window(image, size, 1.0 + amount * p, (0.5, 0.5))


@motion("still")
def still(image: Image, size: Size, t: float, duration: float) -> Image:
    return cover(image, size)


@transition("crossfade")
def crossfade(a: Image, b: Image, p: float) -> Image:
    w = ease(p)
    out: Image = cv2.addWeighted(a, 1 - w, b, w, 0)
    return out


@transition("fade")
def fade(a: Image, b: Image, p: float) -> Image:
    """Through black: ``a`` fades out over the first half, ``b`` in over the second."""
    if p < 0.5:
        out: Image = (a.astype(np.float32) * (1 - ease(p * 2))).astype(np.uint8)
    else:
        out = (b.astype(np.float32) * ease(p * 2 - 1)).astype(np.uint8)
    return out


@transition("slide")
def slide(a: Image, b: Image, p: float) -> Image:
    """``b`` slides in from the right, pushing ``a`` out to the left."""
    w = a.shape[1]
    shift = round(w * ease(p))
    out = np.empty_like(a)
    out[:, : w - shift] = a[:, shift:]
    out[:, w - shift :] = b[:, :shift]
    return out


@transition("wipe")
def wipe(a: Image, b: Image, p: float) -> Image:
    """A soft-edged reveal of ``b`` from left to right."""
    w = a.shape[1]
    edge = ease(p) * (w + 40) - 20
    ramp = np.clip((edge - np.arange(w, dtype=np.float32)) / 20 + 0.5, 0, 1)[None, :, None]
    out: Image = (a * (1 - ramp) + b * ramp).astype(np.uint8)
    return out


def fade_from_black(frame: Image, p: float) -> Image:
    out: Image = (frame.astype(np.float32) * ease(p)).astype(np.uint8)
    return out


@functools.lru_cache(maxsize=1)
def _face_detector() -> Any | None:
    """OpenCV's Haar face cascade where this OpenCV still ships it (4.x; 5.0 dropped it)."""
    cascade = getattr(cv2, "CascadeClassifier", None)
    folder = getattr(getattr(cv2, "data", None), "haarcascades", None)
    if cascade is None or folder is None:
        return None
    path = Path(folder) / "haarcascade_frontalface_default.xml"
    return cascade(str(path)) if path.is_file() else None


def focal_point(image: Image) -> tuple[float, float]:
    """Where the eye goes, as fractions of width and height: the largest face, else the
    centre of spectral-residual saliency, else the centre."""
    h, w = image.shape[:2]
    small = cv2.resize(image, (128, max(1, round(128 * h / w))), interpolation=cv2.INTER_AREA)
    gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    detector = _face_detector()
    if detector is not None:
        faces = detector.detectMultiScale(gray, scaleFactor=1.1, minNeighbors=5, minSize=(12, 12))
        if len(faces):
            x, y, fw, fh = max(faces, key=lambda f: f[2] * f[3])
            return ((x + fw / 2) / small.shape[1], (y + fh / 2) / small.shape[0])
    spectrum = np.fft.fft2(gray.astype(np.float32))
    log_amplitude = np.log(np.abs(spectrum) + 1e-6)
    residual = log_amplitude - cv2.blur(log_amplitude, (3, 3))
    saliency = np.abs(np.fft.ifft2(np.exp(residual + 1j * np.angle(spectrum)))) ** 2
    saliency = cv2.GaussianBlur(saliency.astype(np.float32), (0, 0), 3)
    if not np.isfinite(saliency).all() or saliency.max() <= 0:
        return (0.5, 0.5)
    weights = saliency / saliency.sum()
    ys, xs = np.mgrid[0 : weights.shape[0], 0 : weights.shape[1]]
    fx = float((weights * xs).sum() / weights.shape[1])
    fy = float((weights * ys).sum() / weights.shape[0])
    # keep it near the middle: a pull, not a jump
    return (0.5 + (fx - 0.5) * 0.8, 0.5 + (fy - 0.5) * 0.8)
