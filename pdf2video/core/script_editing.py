"""Editing a script, as the studio does: each function changes the Script in place,
returns it, and marks as changed only the scenes it touched (those are re-voiced and
re-rendered; the rest are reused). Bad edits raise :class:`ScriptEditError`.
"""

from __future__ import annotations

from collections.abc import Sequence

from pdf2video.core.errors import ScriptEditError
from pdf2video.core.models import Layout, Scene, Script, Visual
from pdf2video.core.narration_text import split_sentences
from pdf2video.core.script_writer import new_scene_id

MAX_BULLETS = 5


def _find(script: Script, scene_id: str) -> Scene:
    try:
        return script.scene(scene_id)
    except KeyError:
        raise ScriptEditError(f"there is no scene {scene_id!r} in this script") from None


def _clean_narration(text: str) -> str:
    narration = " ".join(text.split())
    if not narration:
        raise ScriptEditError("a scene needs narration: type what the voice should say")
    return narration


def _clean_bullets(bullets: Sequence[str]) -> list[str]:
    kept = [" ".join(b.split()) for b in bullets if b.strip()]
    if len(kept) > MAX_BULLETS:
        raise ScriptEditError(f"a scene shows at most {MAX_BULLETS} bullets (got {len(kept)})")
    return kept


def edit_scene(
    script: Script,
    scene_id: str,
    *,
    title: str | None = None,
    narration: str | None = None,
    bullets: Sequence[str] | None = None,
    visual: Visual | None = None,
    layout: Layout | None = None,
) -> Script:
    """Change any of a scene's fields; nothing changes when one of them is refused."""
    scene = _find(script, scene_id)
    updates: dict[str, object] = {}
    if title is not None:
        updates["title"] = " ".join(title.split()) or scene.title
    if narration is not None:
        updates["narration"] = _clean_narration(narration)
    if bullets is not None:
        updates["bullets"] = _clean_bullets(bullets)
    if visual is not None:
        updates["visual"] = visual
    if layout is not None:
        updates["layout"] = layout
    for name, value in updates.items():
        setattr(scene, name, value)
    if updates:
        scene.changed = True
    return script


def reorder(script: Script, scene_ids: Sequence[str]) -> Script:
    """Put the scenes in this order (every scene exactly once); no scene's content changes."""
    if sorted(scene_ids) != sorted(s.id for s in script.scenes):
        raise ScriptEditError("a new order must list every scene of the script exactly once")
    by_id = {s.id: s for s in script.scenes}
    script.scenes = [by_id[i] for i in scene_ids]
    return script


def split_scene(script: Script, scene_id: str, *, at_sentence: int | None = None) -> Script:
    """Cut a scene in two between sentences (by default in the middle)."""
    scene = _find(script, scene_id)
    sentences = split_sentences(scene.narration)
    if len(sentences) < 2:
        raise ScriptEditError("a scene with one sentence cannot be split")
    cut = at_sentence if at_sentence is not None else len(sentences) // 2
    if not 0 < cut < len(sentences):
        raise ScriptEditError(f"split after sentence 1 to {len(sentences) - 1} (got {cut})")
    second = Scene(
        id=new_scene_id(),
        title=f"{scene.title} (continued)",
        narration=" ".join(sentences[cut:]),
        bullets=[],
        visual=scene.visual.model_copy(),
        layout=scene.layout,
        source_pages=list(scene.source_pages),
    )
    scene.narration = " ".join(sentences[:cut])
    scene.changed = True
    index = script.scenes.index(scene)
    script.scenes.insert(index + 1, second)
    return script


def merge_scenes(script: Script, first_id: str, second_id: str) -> Script:
    """Join two neighbouring scenes into the first; the second is removed."""
    first, second = _find(script, first_id), _find(script, second_id)
    if script.scenes.index(second) != script.scenes.index(first) + 1:
        raise ScriptEditError("only neighbouring scenes can be merged (the second right after)")
    first.narration = f"{first.narration} {second.narration}"
    first.bullets = (first.bullets + [b for b in second.bullets if b not in first.bullets])[
        :MAX_BULLETS
    ]
    first.more_visuals += ([second.visual.asset_id] if second.visual.asset_id else []) + [
        v for v in second.more_visuals if v not in first.more_visuals
    ]
    first.source_pages = sorted({*first.source_pages, *second.source_pages})
    first.changed = True
    script.scenes.remove(second)
    return script


def insert_scene(
    script: Script,
    index: int,
    *,
    title: str,
    narration: str,
    bullets: Sequence[str] = (),
    visual: Visual | None = None,
    layout: Layout = Layout.BULLETS,
) -> Scene:
    """Add a new scene at ``index`` (0 = first); returns it."""
    if not 0 <= index <= len(script.scenes):
        raise ScriptEditError(f"a scene can go at position 0 to {len(script.scenes)} (got {index})")
    scene = Scene(
        id=new_scene_id(),
        title=" ".join(title.split()) or "New scene",
        narration=_clean_narration(narration),
        bullets=_clean_bullets(bullets),
        visual=visual or Visual(),
        layout=layout,
    )
    script.scenes.insert(index, scene)
    return scene


def delete_scene(script: Script, scene_id: str) -> Script:
    scene = _find(script, scene_id)
    if len(script.scenes) == 1:
        raise ScriptEditError("a script needs at least one scene")
    script.scenes.remove(scene)
    return script
