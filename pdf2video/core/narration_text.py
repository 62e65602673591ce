"""Text that reads well aloud: sentence splitting and cleaning for narration.

Removes what a listener should never hear: citation markers like ``[12]`` or
``(Smith et al., 2020)``, raw URLs and e-mail addresses, figure and table labels,
page references, list bullets and broken hyphenation.
"""

from __future__ import annotations

import re

_ABBREVIATIONS = (
    "e.g.",
    "i.e.",
    "etc.",
    "vs.",
    "cf.",
    "al.",
    "fig.",
    "figs.",
    "no.",
    "nos.",
    "dr.",
    "mr.",
    "mrs.",
    "ms.",
    "prof.",
    "st.",
    "approx.",
    "ca.",
    "eq.",
    "vol.",
    "pp.",
    "p.",
    "inc.",
    "ltd.",
    "jan.",
    "feb.",
    "mar.",
    "apr.",
    "jun.",
    "jul.",
    "aug.",
    "sep.",
    "sept.",
    "oct.",
    "nov.",
    "dec.",
)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_CITATION = re.compile(r"\s*\[\s*\d+(?:\s*[-–,]\s*\d+)*\s*\]")
_AUTHOR_YEAR = re.compile(
    r"\s*\((?:[A-Z][A-Za-z'-]+(?: et al\.)?(?:,| and| &)?\s*)+,?\s*\d{4}[a-z]?\)"
)
_URL = re.compile(r"\s*(?:https?://|www\.)\S+?(?=[.,;:!?)]*(?:\s|$))", re.IGNORECASE)
_EMAIL = re.compile(r"\s*\S+@\S+\.\w+")
_FIGURE_REF = re.compile(
    r"\s*\((?:see\s+)?(?:fig(?:ure)?s?\.?|tables?|tab\.|p\.|pp\.|pages?|section|sec\.)\s*[\dIVX.,\s–-]+\)",
    re.IGNORECASE,
)
_LABEL_PREFIX = re.compile(
    r"(^|[.!?]\s+)(?:fig(?:ure)?\.?|table|chart|exhibit)\s*\d+[.:]\s*", re.IGNORECASE
)
_BULLET = re.compile(r"^\s*(?:[•▪●◦‣∙·*-]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+")
_HYPHEN_BREAK = re.compile(r"(\w)-\s+([a-z])")
_SPACES = re.compile(r"\s+")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?])")


def clean_for_narration(text: str) -> str:
    """One paragraph (or sentence) made fit to be read aloud."""
    text = _BULLET.sub("", text)
    text = _HYPHEN_BREAK.sub(r"\1\2", text)
    for pattern in (_CITATION, _AUTHOR_YEAR, _URL, _EMAIL, _FIGURE_REF):
        text = pattern.sub("", text)
    text = _LABEL_PREFIX.sub(r"\1", text.strip())
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", _SPACES.sub(" ", text)).strip()
    return text


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph, keeping abbreviations like "e.g." inside their sentence."""
    pieces = _SENTENCE_END.split(text.strip())
    sentences: list[str] = []
    for raw in pieces:
        piece = raw.strip()
        if not piece:
            continue
        if sentences and sentences[-1].split()[-1].lower() in _ABBREVIATIONS:
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
    return sentences


def is_speakable(sentence: str, *, min_words: int = 4, max_words: int = 45) -> bool:
    """A sentence worth narrating: long enough, mostly words, ending like a sentence."""
    words = sentence.split()
    if not min_words <= len(words) <= max_words:
        return False
    letters = sum(c.isalpha() for c in sentence)
    if letters < 0.6 * len(sentence.replace(" ", "")):
        return False  # tables of numbers, codes, formulas
    return sentence[-1] in ".!?\"”'’)"
