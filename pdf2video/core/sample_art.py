"""Procedural pictures for the bundled sample document, tests and benchmarks.

Each function returns a BGR uint8 image drawn with numpy/OpenCV alone, seeded so the
same call gives the same pixels: a photo-like landscape, a bar chart, a table, a
logo, a box-and-arrow diagram and a scanned page of text. Nothing is downloaded and no
binary file needs to live in git.
"""

from __future__ import annotations

import cv2
import numpy as np

from pdf2video.core.image_features import Image

_FONT = cv2.FONT_HERSHEY_SIMPLEX
_WORDS = (
    "data model layer signal output value growth energy system network image process result "
    "method design sample report change market review field power light"
).split()


def photo(width: int = 640, height: int = 420, seed: int = 1) -> Image:
    """A landscape-like picture: sky gradient, hills of smooth noise, fine texture."""
    rng = np.random.default_rng(seed)
    y = np.linspace(0, 1, height, dtype=np.float32)[:, None]
    sky = np.stack([np.full_like(y, 235) - 60 * y, 200 - 40 * y, 150 - 30 * y], axis=2)
    img: Image = np.broadcast_to(sky, (height, width, 3)).astype(np.float32).copy()
    for layer in range(3):
        noise = rng.normal(size=(max(2, height // 40), max(2, width // 40))).astype(np.float32)
        smooth = cv2.resize(noise, (width, height), interpolation=cv2.INTER_CUBIC)
        ridge = (0.45 + 0.12 * layer) * height + smooth * height * 0.08
        mask = (np.arange(height)[:, None] > ridge).astype(np.float32)
        colour = np.array([40 + 30 * layer, 110 + 25 * layer, 60 + 20 * layer], np.float32)
        shade = colour * (0.7 + 0.3 * np.clip(smooth[:, :, None], -1, 1))
        img = img * (1 - mask[:, :, None]) + shade * mask[:, :, None]
    texture = cv2.GaussianBlur(
        rng.normal(0, 14, (height, width, 3)).astype(np.float32), (0, 0), 1.2
    )
    img += texture
    sun = (int(width * 0.75), int(height * 0.22))
    cv2.circle(img, sun, max(6, height // 12), (120, 220, 255), -1, cv2.LINE_AA)
    img = cv2.GaussianBlur(img, (0, 0), 0.8)
    return np.clip(img, 0, 255).astype(np.uint8)


def bar_chart(width: int = 640, height: int = 420, seed: int = 2) -> Image:
    """A bar chart: white ground, axes, coloured bars, tick labels and a title."""
    rng = np.random.default_rng(seed)
    img = np.full((height, width, 3), 255, np.uint8)
    left, bottom, top, right = (
        int(width * 0.12),
        int(height * 0.85),
        int(height * 0.12),
        int(width * 0.95),
    )
    cv2.line(img, (left, top), (left, bottom), (40, 40, 40), 2)
    cv2.line(img, (left, bottom), (right, bottom), (40, 40, 40), 2)
    bars = 6
    slot = (right - left) // bars
    colours = [
        (180, 119, 31),
        (14, 127, 255),
        (44, 160, 44),
        (40, 39, 214),
        (189, 103, 148),
        (75, 86, 140),
    ]
    for i in range(bars):
        value = rng.uniform(0.2, 0.95)
        x0 = left + i * slot + slot // 5
        x1 = left + (i + 1) * slot - slot // 5
        y0 = int(bottom - value * (bottom - top))
        cv2.rectangle(img, (x0, y0), (x1, bottom - 1), colours[i % len(colours)], -1)
        cv2.putText(img, f"Q{i + 1}", (x0, bottom + 22), _FONT, 0.5, (30, 30, 30), 1, cv2.LINE_AA)
    for i in range(5):
        y = int(bottom - i * (bottom - top) / 4)
        cv2.putText(img, str(i * 25), (left - 40, y + 5), _FONT, 0.45, (30, 30, 30), 1, cv2.LINE_AA)
    cv2.putText(
        img, "Revenue by quarter", (left, top - 12), _FONT, 0.7, (20, 20, 20), 2, cv2.LINE_AA
    )
    return img


def table(
    width: int = 640, height: int = 360, rows: int = 7, cols: int = 4, seed: int = 3
) -> Image:
    """A ruled table of short words and numbers on white."""
    rng = np.random.default_rng(seed)
    img = np.full((height, width, 3), 255, np.uint8)
    margin = 10
    row_h = (height - 2 * margin) // rows
    col_w = (width - 2 * margin) // cols
    cv2.rectangle(
        img, (margin, margin), (margin + cols * col_w, margin + row_h), (235, 235, 235), -1
    )
    for r in range(rows + 1):
        y = margin + r * row_h
        cv2.line(img, (margin, y), (margin + cols * col_w, y), (60, 60, 60), 1)
    for c in range(cols + 1):
        x = margin + c * col_w
        cv2.line(img, (x, margin), (x, margin + rows * row_h), (60, 60, 60), 1)
    for r in range(rows):
        for c in range(cols):
            text = (
                _WORDS[int(rng.integers(len(_WORDS)))]
                if c == 0 or r == 0
                else (f"{rng.uniform(0, 999):.1f}")
            )
            cv2.putText(
                img,
                text,
                (margin + c * col_w + 8, margin + r * row_h + row_h * 2 // 3),
                _FONT,
                0.5,
                (20, 20, 20),
                1,
                cv2.LINE_AA,
            )
    return img


def logo(size: int = 160, seed: int = 4) -> Image:
    """A simple mark: a coloured disc with initials, on white."""
    rng = np.random.default_rng(seed)
    img = np.full((size, size, 3), 255, np.uint8)
    colour = tuple(int(c) for c in rng.integers(40, 200, 3))
    cv2.circle(img, (size // 2, size // 2), int(size * 0.42), colour, -1, cv2.LINE_AA)
    cv2.putText(
        img,
        "PV",
        (int(size * 0.22), int(size * 0.62)),
        cv2.FONT_HERSHEY_DUPLEX,
        size / 90,
        (255, 255, 255),
        max(1, size // 40),
        cv2.LINE_AA,
    )
    return img


def diagram(width: int = 640, height: int = 360, seed: int = 5) -> Image:
    """Boxes joined by arrows, each box labelled: a flow diagram."""
    rng = np.random.default_rng(seed)
    img = np.full((height, width, 3), 250, np.uint8)
    boxes = []
    for i in range(4):
        x = int(width * (0.05 + 0.24 * i))
        y = int(height * (0.3 + 0.25 * (i % 2)))
        boxes.append((x, y, x + int(width * 0.17), y + int(height * 0.2)))
    fills = [(250, 230, 200), (210, 240, 210), (200, 220, 250), (230, 210, 240)]
    for i, (x0, y0, x1, y1) in enumerate(boxes):
        cv2.rectangle(img, (x0, y0), (x1, y1), fills[i], -1)
        cv2.rectangle(img, (x0, y0), (x1, y1), (70, 70, 70), 2)
        word = _WORDS[int(rng.integers(len(_WORDS)))]
        cv2.putText(
            img, word, (x0 + 8, (y0 + y1) // 2 + 5), _FONT, 0.5, (20, 20, 20), 1, cv2.LINE_AA
        )
        if i:
            px1, py0, py1 = boxes[i - 1][2], boxes[i - 1][1], boxes[i - 1][3]
            cv2.arrowedLine(
                img,
                (px1, (py0 + py1) // 2),
                (x0, (y0 + y1) // 2),
                (60, 60, 60),
                2,
                cv2.LINE_AA,
                tipLength=0.15,
            )
    cv2.ellipse(
        img,
        (width // 2, int(height * 0.12)),
        (width // 6, height // 14),
        0,
        0,
        360,
        (80, 80, 80),
        2,
        cv2.LINE_AA,
    )
    return img


def scanned_page(width: int = 850, height: int = 1100, seed: int = 6) -> Image:
    """A page of text as a scanner sees it: greyish paper, slight noise, lines of words."""
    rng = np.random.default_rng(seed)
    img = np.full((height, width), 236, np.uint8)
    y = 90
    while y < height - 80:
        x = 70
        while True:
            word = _WORDS[int(rng.integers(len(_WORDS)))]
            (tw, _), _ = cv2.getTextSize(word, _FONT, 0.6, 1)
            if x + tw > width - 70:
                break
            cv2.putText(img, word, (x, y), _FONT, 0.6, 40, 1, cv2.LINE_AA)
            x += tw + 12
        y += 30 if rng.uniform() > 0.12 else 60
    paper: Image = img.astype(np.float32) + rng.normal(0, 6, img.shape).astype(np.float32)
    paper = cv2.GaussianBlur(paper, (0, 0), 0.6)
    return cv2.cvtColor(np.clip(paper, 0, 255).astype(np.uint8), cv2.COLOR_GRAY2BGR)


def rule(width: int = 600, height: int = 4) -> Image:
    """A thin coloured rule: a decoration, not content."""
    img = np.zeros((height, width, 3), np.uint8)
    img[:] = (160, 90, 30)
    return img


def gradient_band(width: int = 600, height: int = 60) -> Image:
    """A soft colour band used as a page ornament."""
    x = np.linspace(0, 1, width, dtype=np.float32)[None, :, None]
    left = np.array([200, 160, 90], np.float32)
    right = np.array([230, 210, 170], np.float32)
    band = left * (1 - x) + right * x
    return np.broadcast_to(band, (height, width, 3)).astype(np.uint8).copy()


def png_bytes(image: Image) -> bytes:
    ok, data = cv2.imencode(".png", image)
    if not ok:
        raise ValueError("PNG encoding failed")
    return bytes(data.tobytes())


def jpeg_bytes(image: Image, quality: int = 88) -> bytes:
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("JPEG encoding failed")
    return bytes(data.tobytes())
