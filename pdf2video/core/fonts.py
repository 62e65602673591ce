"""Text drawn into frames with an open font: DejaVu Sans, regular and bold.

The font files come with the ``matplotlib`` package (``mpl-data/fonts/ttf``, licence
``LICENSE_DEJAVU``: the Bitstream Vera licence, free to use and redistribute), so no
font lives in this repository and none is downloaded. Text is drawn with Pillow into an
RGBA layer once per scene; frames only blend the layer in.
"""

from __future__ import annotations

import functools
from importlib.resources import files
from pathlib import Path

import numpy as np
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from pdf2video.core.image_features import Image

Colour = tuple[int, int, int]


def font_dir() -> Path:
    return Path(str(files("matplotlib").joinpath("mpl-data", "fonts", "ttf")))


def font_licence() -> Path:
    return font_dir() / "LICENSE_DEJAVU"


@functools.lru_cache(maxsize=64)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(font_dir() / name), max(6, int(size)))


def wrap(text: str, face: ImageFont.FreeTypeFont, max_width: int) -> list[str]:
    """Greedy word wrap to ``max_width`` pixels; a word longer than the width is cut."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if face.getlength(trial) <= max_width or not current:
            current = trial
        else:
            lines.append(current)
            current = word
        while face.getlength(current) > max_width and len(current) > 1:
            cut = len(current) - 1
            while cut > 1 and face.getlength(current[:cut] + "…") > max_width:
                cut -= 1
            lines.append(current[:cut] + "…")
            current = ""
    if current:
        lines.append(current)
    return lines


def fit_text(
    text: str,
    box: tuple[int, int],
    *,
    max_size: int,
    min_size: int = 12,
    bold: bool = False,
    max_lines: int = 6,
    line_spacing: float = 1.25,
) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest font (from ``max_size`` down) whose wrapped text fits ``box``."""
    width, height = box
    size = max_size
    while True:
        face = font(size, bold)
        lines = wrap(text, face, width)
        tall = len(lines) * size * line_spacing
        if (tall <= height and len(lines) <= max_lines) or size <= min_size:
            return face, lines[:max_lines]
        size = max(min_size, int(size * 0.9))


def text_layer(
    text: str,
    box: tuple[int, int],
    colour: Colour,
    *,
    max_size: int,
    min_size: int = 12,
    bold: bool = False,
    align: str = "left",
    max_lines: int = 6,
    shadow: bool = True,
) -> Image:
    """An RGBA layer exactly ``box`` in size with the text fitted, wrapped and aligned."""
    width, height = box
    face, lines = fit_text(
        text, box, max_size=max_size, min_size=min_size, bold=bold, max_lines=max_lines
    )
    layer = PILImage.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    step = int(face.size * 1.25)
    y = max(0, (height - step * len(lines)) // 2) if align == "center" else 0
    for line in lines:
        line_width = face.getlength(line)
        x = (width - line_width) / 2 if align == "center" else 0
        if shadow:
            draw.text((x + 2, y + 2), line, font=face, fill=(0, 0, 0, 140))
        draw.text((x, y), line, font=face, fill=(*colour, 255))
        y += step
    # RGBA -> BGRA for OpenCV frames
    pixels: Image = np.asarray(layer)[:, :, [2, 1, 0, 3]].copy()
    return pixels
