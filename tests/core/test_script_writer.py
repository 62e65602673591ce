"""The offline script reads like the document, aloud, and uses its pictures."""

from __future__ import annotations

import re

import pytest

from pdf2video.core.config import load_settings
from pdf2video.core.errors import EmptyDocument
from pdf2video.core.models import ImageClass, Layout, Mood, VisualKind
from pdf2video.core.narration_text import clean_for_narration, split_sentences
from pdf2video.core.pipeline import inspect_source
from pdf2video.core.sample import SECTIONS, build_sample_pdf
from pdf2video.core.script_writer import OfflineScriptWriter, ScriptRequest, mood_of
from tests import builders


@pytest.fixture(scope="module")
def sample_project(tmp_path_factory):
    root = tmp_path_factory.mktemp("sample")
    pdf = build_sample_pdf(root / "sample.pdf")
    return inspect_source(pdf, root / "project", load_settings())


def document_text(document) -> str:
    text = " ".join(b.text for p in document.pages for b in p.content_blocks)
    return " ".join(clean_for_narration(text).split())


def test_headings_become_scene_titles_between_a_title_and_a_closing_scene(sample_project):
    script = OfflineScriptWriter().write(sample_project.document, ScriptRequest())
    titles = [s.title for s in script.scenes]
    assert titles[0] == "How Solar Power Reaches Your Home"
    assert [t for t, *_ in SECTIONS] == [t for t in titles[1:-1] if "(" not in t]
    assert script.scenes[0].layout is Layout.TITLE
    assert script.scenes[0].visual.kind is VisualKind.TITLE_CARD
    assert script.scenes[-1].layout is Layout.END


def test_every_narration_sentence_is_found_in_the_document(sample_project):
    script = OfflineScriptWriter().write(sample_project.document, ScriptRequest())
    text = document_text(sample_project.document)
    for scene in script.scenes[1:]:
        for sentence in split_sentences(scene.narration):
            assert sentence in text, sentence


def test_pictures_are_visuals_and_the_logo_is_the_watermark_only(sample_project):
    document = sample_project.document
    script = OfflineScriptWriter().write(document, ScriptRequest())
    used = {s.visual.asset_id for s in script.scenes} | {
        v for s in script.scenes for v in s.more_visuals
    }
    wanted = {
        a.id
        for a in document.assets
        if a.image_class
        in (ImageClass.PHOTO, ImageClass.CHART, ImageClass.DIAGRAM, ImageClass.TABLE)
    }
    logo = next(a.id for a in document.assets if a.image_class is ImageClass.LOGO)
    assert wanted <= used
    assert logo not in used
    assert script.watermark_asset == logo
    photo_scene = next(s for s in script.scenes if s.layout is Layout.FULL_BLEED)
    assert document.asset(photo_scene.visual.asset_id).image_class is ImageClass.PHOTO


def test_narration_has_no_running_headers_or_page_numbers(docs, tmp_path):
    project = inspect_source(docs["two_column"], tmp_path / "p", load_settings())
    script = OfflineScriptWriter().write(project.document, ScriptRequest())
    narration = " ".join(s.narration for s in script.scenes)
    assert "Confidential" not in narration
    assert not re.search(r"Page \d+ of \d+", narration)
    assert "© 2026" not in narration


def test_citations_urls_and_figure_labels_are_not_read_aloud(tmp_path):
    text = tmp_path / "notes.md"
    text.write_text(
        "# Findings\n\nSolar output rose by a third last year [12]. Details are online at "
        "https://example.org/report.pdf for anyone curious. Figure 3: Output rose fast in "
        "spring (see Figure 3). Prices fell as well (Smith et al., 2021). The grid took "
        "the surplus without trou-\nble at all.\n"
    )
    project = inspect_source(text, tmp_path / "p", load_settings())
    narration = " ".join(
        s.narration for s in OfflineScriptWriter().write(project.document, ScriptRequest()).scenes
    )
    for noise in ("[12]", "https", "example.org", "Figure 3", "Smith et al", "trou-"):
        assert noise not in narration
    assert "without trouble at all." in narration


def test_length_follows_the_target_minutes(tmp_path):
    pdf = builders.varied_text_pdf(tmp_path / "long.pdf", sections=30)
    project = inspect_source(pdf, tmp_path / "p", load_settings())
    for minutes in (1.0, 3.0, 6.0):
        script = OfflineScriptWriter().write(
            project.document, ScriptRequest(target_minutes=minutes)
        )
        words = sum(s.word_count for s in script.scenes)
        assert minutes * 150 * 0.7 <= words <= minutes * 150 * 1.3, (minutes, words)


def test_words_per_scene_bounds_each_section(sample_project):
    script = OfflineScriptWriter().write(sample_project.document, ScriptRequest(words_per_scene=30))
    for scene in script.scenes[1:-1]:
        assert 5 <= scene.word_count <= 30 + 35  # the budget, plus at most one more sentence
        assert len(scene.bullets) <= 5


def test_a_document_without_headings_is_cut_into_page_groups(tmp_path):
    doc = builders.new_doc()
    for n in range(7):
        page = doc.new_page()
        page.insert_textbox(
            builders.pymupdf.Rect(72, 72, 520, 700),
            f"Part {n} begins here. " + builders.LOREM * 3,
            fontsize=11,
        )
    pdf = builders.save(doc, tmp_path / "plain.pdf")
    project = inspect_source(pdf, tmp_path / "p", load_settings())
    script = OfflineScriptWriter().write(project.document, ScriptRequest())
    assert len(script.scenes) == 2 + 3  # title, pages 1-3, 4-6, 7, closing
    assert script.scenes[1].source_pages == [1, 2, 3]


def test_no_text_and_no_images_is_a_clear_error(tmp_path):
    doc = builders.new_doc()
    doc.new_page()
    pdf = builders.save(doc, tmp_path / "blank.pdf")
    project = inspect_source(pdf, tmp_path / "p", load_settings())
    assert project.document.warnings == ["blank pages: 1"]
    with pytest.raises(EmptyDocument, match="no text and there are no images"):
        OfflineScriptWriter().write(project.document, ScriptRequest())


def test_a_scan_without_text_says_there_is_nothing_to_narrate(docs, tmp_path):
    project = inspect_source(docs["scanned"], tmp_path / "p", load_settings())
    with pytest.raises(EmptyDocument, match="no text to narrate"):
        OfflineScriptWriter().write(project.document, ScriptRequest())


def test_mood_comes_from_the_words():
    assert (
        mood_of("The risk of failure and the danger of fraud are a security threat.")
        is Mood.SERIOUS
    )
    assert mood_of("Exciting growth, a new record, the best success yet.") is Mood.UPBEAT
    assert mood_of("A table of numbers.") is Mood.CALM
