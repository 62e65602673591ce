"""Measurements of an image that tell photos, charts, tables, logos and scans apart.

Pure numpy/OpenCV on a copy scaled to at most ``WORK_PX`` on its longer side, so the
cost per image is small and fixed whatever the source resolution.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

WORK_PX = 320

# OpenCV's stubs type every array loosely; images here are uint8 BGR in practice.
Image = NDArray[Any]


@dataclass(frozen=True)
class ImageFeatures:
    width: int  # of the original image, in pixels
    height: int
    aspect: float  # width / height
    gray_std: float  # contrast, 0..~128
    entropy: float  # of the gray histogram, bits (0..8)
    unique_colour_ratio: float  # distinct 5-bit colours / pixels
    top_colour_share: float  # the commonest colour's share (the background)
    top8_colour_share: float  # the eight commonest colours' share (flat graphics: high)
    background_is_light: bool
    saturated_share: float  # pixels with strong colour
    edge_density: float  # Canny edge pixels / pixels
    long_h_lines: int  # horizontal rules spanning >= 60% of the width
    long_v_lines: int  # vertical rules spanning >= 60% of the height
    short_rules: int  # straight rules of 12-50% of the side (box edges)
    text_lines: int  # text-line-like blobs
    text_area_share: float  # their share of the image
    objects: int  # separate shapes standing out of the background (a logo: one or two)
    page_area_fraction: float = 0.0  # share of its page (0 when unknown)
    pages: int = 1  # how many pages it appears on

    def as_dict(self) -> dict[str, float | int | bool]:
        return asdict(self)


def load_image(path: Path) -> Image:
    """Read an image as 3-channel BGR, alpha composited over white, scaled for work."""
    image = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    if image is None:
        raise ValueError(f"cannot decode {path.name}")
    return to_bgr(image)


def to_bgr(image: Image) -> Image:
    if image.ndim == 2:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    if image.shape[2] == 4:
        alpha = image[:, :, 3:4].astype(np.float32) / 255.0
        rgb = image[:, :, :3].astype(np.float32)
        blended: Image = (rgb * alpha + 255.0 * (1 - alpha)).astype(np.uint8)
        return blended
    return image


def _scaled(image: Image) -> Image:
    h, w = image.shape[:2]
    scale = WORK_PX / max(h, w)
    if scale >= 1:
        return image
    return cv2.resize(
        image, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA
    )


def _rules(
    binary: Image, horizontal: bool, fraction: float, want_mask: bool = False
) -> tuple[int, Image | None]:
    """Count thin straight rules at least ``fraction`` of the side long (and their mask)."""
    h, w = binary.shape
    length = max(3, int((w if horizontal else h) * fraction))
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1) if horizontal else (1, length))
    lines = cv2.morphologyEx(binary, cv2.MORPH_OPEN, kernel)
    _, labels, stats, _ = cv2.connectedComponentsWithStats(lines)
    thickness = stats[1:, cv2.CC_STAT_HEIGHT if horizontal else cv2.CC_STAT_WIDTH]
    limit = max(3, int((h if horizontal else w) * 0.03))
    thin = np.flatnonzero(thickness <= limit) + 1
    if not want_mask:
        return len(thin), None
    return len(thin), (np.isin(labels, thin) * 255).astype(np.uint8)


def measure(
    image: Image,
    *,
    page_area_fraction: float = 0.0,
    pages: int = 1,
    original_size: tuple[int, int] | None = None,
) -> ImageFeatures:
    """Measure a BGR image (any size)."""
    oh, ow = image.shape[:2]
    if original_size is not None:
        ow, oh = original_size
    small = _scaled(image)
    gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    pixels = gray.size

    hist = np.bincount(gray.ravel(), minlength=256).astype(np.float64) / pixels
    nonzero = hist[hist > 0]
    entropy = float(-(nonzero * np.log2(nonzero)).sum())

    q = (small >> 3).astype(np.int32)
    codes = (q[:, :, 0] << 10) | (q[:, :, 1] << 5) | q[:, :, 2]
    counts = np.sort(np.bincount(codes.ravel()))[::-1]
    counts = counts[counts > 0]
    top = counts[0] / pixels
    top8 = counts[:8].sum() / pixels
    background_code = int(np.argmax(np.bincount(codes.ravel())))
    bg_b, bg_g, bg_r = (
        (background_code & 31) << 3,
        ((background_code >> 5) & 31) << 3,
        ((background_code >> 10) & 31) << 3,
    )
    light = (int(bg_b) + int(bg_g) + int(bg_r)) / 3 > 170

    hsv = cv2.cvtColor(small, cv2.COLOR_BGR2HSV)
    saturated = float(((hsv[:, :, 1] > 80) & (hsv[:, :, 2] > 60)).mean())
    edges = cv2.Canny(gray, 80, 160)

    # Thin strokes (text, rules, outlines) stand out of the local background; solid
    # areas (bars, discs, photo regions) do not.
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9))
    op = cv2.MORPH_BLACKHAT if light else cv2.MORPH_TOPHAT
    thin = (cv2.morphologyEx(gray, op, kernel) > 40).astype(np.uint8) * 255
    # Axes touching solid bars are not thin in the black-hat mask; take rules from the
    # thresholded ink as well (the thickness check keeps solid regions out).
    flags = cv2.THRESH_BINARY_INV if light else cv2.THRESH_BINARY
    _, ink = cv2.threshold(gray, 0, 255, flags | cv2.THRESH_OTSU)
    strokes = cv2.bitwise_or(thin, ink)
    long_h, _ = _rules(strokes, True, 0.6)
    long_v, _ = _rules(strokes, False, 0.6)
    short_h, h_rules = _rules(thin, True, 0.12, want_mask=True)
    short_v, v_rules = _rules(thin, False, 0.12, want_mask=True)
    assert h_rules is not None and v_rules is not None
    text_lines, text_share = _text_lines(thin & ~h_rules & ~v_rules)
    objects = _objects(small, background_code)
    return ImageFeatures(
        width=int(ow),
        height=int(oh),
        aspect=float(ow) / max(float(oh), 1.0),
        gray_std=float(gray.std()),
        entropy=entropy,
        unique_colour_ratio=float(len(counts)) / pixels,
        top_colour_share=float(top),
        top8_colour_share=float(top8),
        background_is_light=bool(light),
        saturated_share=saturated,
        edge_density=float((edges > 0).mean()),
        long_h_lines=int(long_h),
        long_v_lines=int(long_v),
        short_rules=int(max(0, short_h - long_h) + max(0, short_v - long_v)),
        text_lines=text_lines,
        text_area_share=text_share,
        objects=objects,
        page_area_fraction=float(page_area_fraction),
        pages=int(pages),
    )


def _text_lines(ink: Image) -> tuple[int, float]:
    """Blobs shaped like lines of text once letters are smeared together sideways."""
    h, w = ink.shape
    smear = cv2.morphologyEx(
        ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, w // 60), 1))
    )
    count, _, stats, _ = cv2.connectedComponentsWithStats(smear)
    if count <= 1:
        return 0, 0.0
    bw, bh, area = stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT], stats[1:, 4]
    fill = area / np.maximum(bw * bh, 1)
    is_line = (bh >= 2) & (bh <= max(4, h // 12)) & (bw >= 3 * bh) & (bw >= 8) & (fill > 0.3)
    share = float((bw[is_line] * bh[is_line]).sum()) / (h * w)
    return int(is_line.sum()), share


def _objects(image: Image, background_code: int) -> int:
    """Shapes (over 1% of the image) that differ clearly from the background colour."""
    bg = np.array(
        [
            (background_code & 31) << 3,
            ((background_code >> 5) & 31) << 3,
            ((background_code >> 10) & 31) << 3,
        ],
        np.int16,
    )
    distance = np.abs(image.astype(np.int16) - bg).sum(axis=2)
    mask = (distance > 60).astype(np.uint8)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask)
    if count <= 1:
        return 0
    return int((stats[1:, cv2.CC_STAT_AREA] > image.shape[0] * image.shape[1] * 0.01).sum())
