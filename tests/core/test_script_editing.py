"""Editing a script as the studio will: each edit touches only its scenes."""

from __future__ import annotations

import pytest

from pdf2video.core.errors import ScriptEditError
from pdf2video.core.models import Layout, Scene, Script, Visual, VisualKind
from pdf2video.core.script_editing import (
    delete_scene,
    edit_scene,
    insert_scene,
    merge_scenes,
    reorder,
    split_scene,
)


@pytest.fixture
def script() -> Script:
    scenes = [
        Scene(
            id=f"s{n}",
            title=f"Scene {n}",
            narration=f"First of {n}. Second of {n}. Third.",
            bullets=[f"point {n}"],
            changed=False,
        )
        for n in range(1, 5)
    ]
    scenes[2].visual = Visual(kind=VisualKind.ASSET, asset_id="img-0003")
    return Script(title="T", scenes=scenes)


def changed(script):
    return [s.id for s in script.scenes if s.changed]


def test_editing_narration_marks_only_that_scene(script):
    edit_scene(script, "s2", narration="  A new   line for the voice. ")
    assert script.scene("s2").narration == "A new line for the voice."
    assert changed(script) == ["s2"]


def test_empty_narration_is_refused_and_nothing_changes(script):
    with pytest.raises(ScriptEditError, match="a scene needs narration"):
        edit_scene(script, "s2", title="New title", narration="   ")
    assert script.scene("s2").title == "Scene 2"
    assert changed(script) == []


def test_bullets_visual_and_layout_can_be_edited(script):
    edit_scene(
        script,
        "s1",
        bullets=["one", " ", "two"],
        layout=Layout.FIGURE,
        visual=Visual(kind=VisualKind.PAGE, page=3),
    )
    scene = script.scene("s1")
    assert scene.bullets == ["one", "two"]
    assert scene.layout is Layout.FIGURE and scene.visual.page == 3
    with pytest.raises(ScriptEditError, match="at most 5 bullets"):
        edit_scene(script, "s1", bullets=list("abcdef"))


def test_reorder_needs_every_scene_once_and_changes_no_content(script):
    reorder(script, ["s4", "s1", "s2", "s3"])
    assert [s.id for s in script.scenes] == ["s4", "s1", "s2", "s3"]
    assert changed(script) == []
    with pytest.raises(ScriptEditError, match="exactly once"):
        reorder(script, ["s1", "s1", "s2", "s3"])


def test_split_cuts_between_sentences(script):
    split_scene(script, "s3", at_sentence=1)
    first, second = script.scenes[2], script.scenes[3]
    assert first.narration == "First of 3."
    assert second.narration == "Second of 3. Third."
    assert second.visual.asset_id == "img-0003"
    assert set(changed(script)) == {"s3", second.id}
    with pytest.raises(ScriptEditError, match="one sentence"):
        split_scene(script, "s3")


def test_merge_joins_neighbours(script):
    merge_scenes(script, "s2", "s3")
    assert [s.id for s in script.scenes] == ["s1", "s2", "s4"]
    merged = script.scene("s2")
    assert merged.narration.endswith("Second of 3. Third.")
    assert merged.bullets == ["point 2", "point 3"]
    assert merged.more_visuals == ["img-0003"]
    assert changed(script) == ["s2"]
    with pytest.raises(ScriptEditError, match="neighbouring"):
        merge_scenes(script, "s1", "s4")


def test_insert_and_delete(script):
    scene = insert_scene(script, 1, title="Aside", narration="A quick aside.")
    assert script.scenes[1] is scene and scene.changed
    delete_scene(script, scene.id)
    assert [s.id for s in script.scenes] == ["s1", "s2", "s3", "s4"]
    with pytest.raises(ScriptEditError, match="needs narration"):
        insert_scene(script, 0, title="Empty", narration="")
    with pytest.raises(ScriptEditError, match="no scene 'nope'"):
        delete_scene(script, "nope")


def test_the_last_scene_cannot_be_deleted():
    script = Script(title="T", scenes=[Scene(id="only", title="Only", narration="Hi.")])
    with pytest.raises(ScriptEditError, match="at least one scene"):
        delete_scene(script, "only")
