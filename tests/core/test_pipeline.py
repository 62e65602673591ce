"""Stages skip work whose inputs have not changed and never lose a user's choices."""

from __future__ import annotations

import shutil

from pdf2video.core.config import load_settings
from pdf2video.core.models import ImageClass
from pdf2video.core.pipeline import classify, extract, inspect_source
from pdf2video.core.project import ProjectFolder, load_project, save_project
from tests import builders


def test_running_again_with_the_same_inputs_does_nothing(docs, tmp_path):
    root = tmp_path / "p"
    settings = load_settings()
    first = inspect_source(docs["images"], root, settings)
    stamp = (root / "project.json").stat().st_mtime_ns
    again = inspect_source(docs["images"], root, settings)
    assert again.stages == first.stages
    assert (root / "project.json").stat().st_mtime_ns == stamp


def test_a_changed_setting_reruns_the_stage(docs, tmp_path):
    root = tmp_path / "p"
    first = inspect_source(docs["two_column"], root, load_settings())
    second = inspect_source(docs["two_column"], root, load_settings(thumbnail_px=160))
    assert second.stages["extract"].inputs_hash != first.stages["extract"].inputs_hash
    assert second.settings.thumbnail_px == 160


def test_overrides_survive_a_reread_of_a_changed_source(docs, tmp_path):
    root = tmp_path / "p"
    settings = load_settings()
    project = inspect_source(docs["images"], root, settings)
    chart = next(a for a in project.document.assets if a.image_class is ImageClass.CHART)
    chart.override = ImageClass.DIAGRAM
    logo = next(a for a in project.document.assets if a.image_class is ImageClass.LOGO)
    logo.excluded = True
    save_project(project, root)
    # The user replaces the source with an edited PDF holding the same pictures.
    edited = tmp_path / "edited.pdf"
    doc = builders.pymupdf.open(docs["images"])
    doc[0].insert_text((60, 700), "A new closing line", fontsize=10)
    doc.save(edited)
    shutil.copyfile(edited, root / project.source_files[0])
    folder = ProjectFolder(root)
    project = classify(folder, extract(folder, load_project(root), settings), settings)
    by_sha = {a.sha256: a for a in project.document.assets}
    assert by_sha[chart.sha256].image_class is ImageClass.DIAGRAM
    assert by_sha[logo.sha256].excluded


def test_the_source_is_copied_into_the_project_folder(docs, tmp_path):
    root = tmp_path / "p"
    project = inspect_source(docs["two_column"], root, load_settings())
    assert project.source_files == ["source/two_column.pdf"]
    assert (root / "source" / "two_column.pdf").read_bytes() == docs["two_column"].read_bytes()
    assert (root / "assets" / "thumbs").is_dir()
