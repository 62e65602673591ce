"""The offline classifier names what a person would call each picture."""

from __future__ import annotations

from pathlib import Path

import pytest

from pdf2video.core import sample_art
from pdf2video.core.image_classifier import (
    ClassifierInput,
    OfflineClassifier,
    available,
    classify_document,
    get_classifier,
    override,
)
from pdf2video.core.models import ImageClass
from pdf2video.core.pdf_extractor import read_pdf
from tests import builders


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "make", "expected"),
    [
        ("photo", lambda: builders.jpeg(sample_art.photo(seed=101)), ImageClass.PHOTO),
        (
            "photo-portrait",
            lambda: builders.jpeg(sample_art.photo(300, 480, seed=102)),
            ImageClass.PHOTO,
        ),
        ("matplotlib-line-chart", lambda: builders.matplotlib_chart_png("line"), ImageClass.CHART),
        ("matplotlib-bar-chart", lambda: builders.matplotlib_chart_png("bar"), ImageClass.CHART),
        ("bar-chart", lambda: builders.png(sample_art.bar_chart(seed=103)), ImageClass.CHART),
        ("table", lambda: builders.png(sample_art.table(seed=104)), ImageClass.TABLE),
        (
            "wide-table",
            lambda: builders.png(sample_art.table(900, 300, rows=5, cols=6, seed=105)),
            ImageClass.TABLE,
        ),
        ("diagram", lambda: builders.png(sample_art.diagram(seed=106)), ImageClass.DIAGRAM),
        ("logo", lambda: builders.png(sample_art.logo(size=150, seed=107)), ImageClass.LOGO),
        ("scan", lambda: builders.jpeg(sample_art.scanned_page(seed=108)), ImageClass.TEXT_SCAN),
        ("rule", lambda: builders.png(sample_art.rule(600, 10)), ImageClass.DECORATIVE),
        ("gradient", lambda: builders.png(sample_art.gradient_band()), ImageClass.DECORATIVE),
    ],
)
def test_offline_classifier_names_each_kind_of_picture(tmp_path, name, make, expected):
    path = write(tmp_path / f"{name}.img", make())
    result = OfflineClassifier().classify([ClassifierInput(name, path)])[0]
    assert result.label is expected
    assert 0.5 <= result.confidence <= 1.0
    assert result.decided_by == "offline"


def test_a_small_mark_repeated_on_every_page_is_a_logo(tmp_path):
    path = write(tmp_path / "mark.png", builders.png(sample_art.logo(size=200, seed=9)))
    item = ClassifierInput("m", path, page_area_fraction=0.004, pages=12)
    assert OfflineClassifier().classify([item])[0].label is ImageClass.LOGO


def test_images_in_a_pdf_get_their_classes(docs, tmp_path):
    document = read_pdf(docs["images"], tmp_path / "p")
    classify_document(document, tmp_path / "p", OfflineClassifier())
    by_page = {a.page: a.image_class for a in document.assets if a.width > 120}
    assert by_page[1] is ImageClass.PHOTO
    assert by_page[2] is ImageClass.CHART
    assert by_page[4] is ImageClass.TABLE
    assert by_page[6] is ImageClass.PHOTO  # the CMYK JPEG
    assert by_page[7] is ImageClass.PHOTO  # the JPEG 2000
    logo = next(a for a in document.assets if a.width == 120)
    assert logo.image_class is ImageClass.LOGO


def test_user_override_wins_even_after_reclassifying(docs, tmp_path):
    document = read_pdf(docs["images"], tmp_path / "p")
    classify_document(document, tmp_path / "p", OfflineClassifier())
    photo = next(a for a in document.assets if a.pages == [1, 3])
    override(document, photo.id, ImageClass.DIAGRAM)
    classify_document(document, tmp_path / "p", OfflineClassifier())
    assert photo.image_class is ImageClass.DIAGRAM
    assert photo.label is ImageClass.PHOTO
    assert photo.decision_source == "user"
    override(document, photo.id, None)
    assert photo.image_class is ImageClass.PHOTO


def test_unreadable_image_file_does_not_stop_classification(tmp_path):
    broken = write(tmp_path / "broken.png", b"\x89PNG\r\n\x1a\n not really")
    result = OfflineClassifier().classify([ClassifierInput("b", broken)])[0]
    assert result.label is ImageClass.DECORATIVE
    assert result.confidence < 0.5


def test_registry_lists_classifiers_and_refuses_unknown_names():
    assert "offline" in available()
    with pytest.raises(ValueError, match="unknown classifier 'magic'"):
        get_classifier("magic")
