"""project.json round-trips and is guarded against damage and newer versions."""

from __future__ import annotations

import json

import pytest

from pdf2video.core.config import load_settings
from pdf2video.core.errors import ProjectError
from pdf2video.core.models import SCHEMA_VERSION, ImageClass, Project
from pdf2video.core.pipeline import inspect_source
from pdf2video.core.project import ProjectFolder, load_project, save_project


def test_a_read_project_round_trips_through_json(docs, tmp_path):
    project = inspect_source(docs["images"], tmp_path / "p", load_settings())
    text = project.model_dump_json()
    again = Project.model_validate_json(text)
    assert again == project
    assert again.schema_version == SCHEMA_VERSION
    assert again.document is not None
    assert again.document.assets[0].image_class is project.document.assets[0].image_class
    assert set(again.stages) == {"extract", "classify"}


def test_override_survives_saving_and_loading(docs, tmp_path):
    root = tmp_path / "p"
    project = inspect_source(docs["images"], root, load_settings())
    project.document.assets[1].override = ImageClass.TABLE
    save_project(project, root)
    loaded = load_project(root)
    assert loaded.document.assets[1].image_class is ImageClass.TABLE
    assert loaded.document.assets[1].decision_source == "user"


def test_a_damaged_project_file_is_reported_not_crashed_on(tmp_path):
    root = tmp_path / "p"
    root.mkdir()
    (root / "project.json").write_text('{"id": 5, "stages": "nope"}')
    with pytest.raises(ProjectError, match="damaged"):
        load_project(root)


def test_a_project_from_a_newer_version_is_refused(tmp_path):
    root = tmp_path / "p"
    save_project(Project(id="x"), root)
    data = json.loads((root / "project.json").read_text())
    data["schema_version"] = SCHEMA_VERSION + 1
    (root / "project.json").write_text(json.dumps(data))
    with pytest.raises(ProjectError, match="newer pdf2video"):
        load_project(root)


def test_saving_leaves_no_temporary_files(tmp_path):
    root = tmp_path / "p"
    for n in range(3):
        save_project(Project(id=f"x{n}"), root)
    assert [p.name for p in root.iterdir()] == ["project.json"]
    assert ProjectFolder(root).exists()
