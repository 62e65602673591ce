"""TextRank over TF-IDF in numpy: which sentences carry a text.

Sentences are TF-IDF vectors (words lower-cased, stop words dropped); their cosine
similarities form a graph, and PageRank on that graph scores each sentence.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

_WORD = re.compile(r"[a-zà-ÿ][a-zà-ÿ'-]+")
STOP_WORDS = frozenset(
    """a an and are as at be been but by can could did do does for from had has have he her
    his how i if in into is it its just more most no not of on or our out so some such than
    that the their them then there these they this those through to too up us was we were
    what when where which while who will with would you your also about after all any each
    between both other over same very may might must shall should only own under again
    further once here why because until against during before above below off down""".split()
)


def tokens(sentence: str) -> list[str]:
    return [w for w in _WORD.findall(sentence.lower()) if w not in STOP_WORDS]


def tfidf(sentences: Sequence[str]) -> np.ndarray:
    """Rows are L2-normalised TF-IDF vectors of the sentences."""
    counts = [Counter(tokens(s)) for s in sentences]
    vocabulary = {w: i for i, w in enumerate(sorted({w for c in counts for w in c}))}
    if not vocabulary:
        return np.zeros((len(sentences), 1), np.float32)
    matrix = np.zeros((len(sentences), len(vocabulary)), np.float32)
    for row, counter in enumerate(counts):
        for word, n in counter.items():
            matrix[row, vocabulary[word]] = n
    document_frequency = (matrix > 0).sum(axis=0)
    idf = np.log((1 + len(sentences)) / (1 + document_frequency)) + 1
    matrix *= idf
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    normalised: np.ndarray = matrix / np.maximum(norms, 1e-9)
    return normalised


def textrank(vectors: np.ndarray, *, damping: float = 0.85, iterations: int = 50) -> np.ndarray:
    """PageRank scores of sentences whose similarity graph comes from ``vectors``."""
    n = vectors.shape[0]
    if n == 0:
        return np.zeros(0)
    if n == 1:
        return np.ones(1)
    similarity = vectors @ vectors.T
    np.fill_diagonal(similarity, 0.0)
    out_weight = similarity.sum(axis=1, keepdims=True)
    transition = np.where(out_weight > 0, similarity / np.maximum(out_weight, 1e-9), 1.0 / n)
    scores = np.full(n, 1.0 / n)
    for _ in range(iterations):
        updated: np.ndarray = (1 - damping) / n + damping * (transition.T @ scores)
        if np.abs(updated - scores).sum() < 1e-6:
            return updated
        scores = updated
    return scores
