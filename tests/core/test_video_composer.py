"""Each layout in each aspect ratio: the right shape, text drawn, figures whole, the
watermark in its corner, captions burned in when asked."""

from __future__ import annotations

import numpy as np
import pytest

from pdf2video.core import sample_art
from pdf2video.core.backdrops import procedural
from pdf2video.core.captions import Cue
from pdf2video.core.models import Layout, Mood, Scene
from pdf2video.core.video_composer import LAYOUTS, RenderSpec, SceneFrames, SceneInputs

ASPECTS = {"16:9": (640, 360), "9:16": (360, 640), "1:1": (480, 480)}


def inputs_for(layout, size, *, image=True, logo=None, cues=()):
    scene = Scene(
        id="s",
        title="Where the power goes",
        layout=layout,
        narration="Power flows to the panel. Then it goes to the grid.",
        bullets=[
            "Panels make direct current",
            "Inverters make it alternating",
            "The grid takes the surplus",
        ],
    )
    picture = sample_art.bar_chart(seed=4) if image else None
    return SceneInputs(
        scene=scene,
        duration=4.0,
        backdrop=procedural(Mood.CALM, size, seed=1),
        image=picture,
        logo=logo,
        cues=list(cues),
    )


def white_pixels(region):
    return int((region.min(axis=2) > 235).sum())


@pytest.mark.parametrize("aspect", sorted(ASPECTS))
@pytest.mark.parametrize("layout", list(Layout))
def test_every_layout_draws_a_full_frame_with_text(layout, aspect):
    size = ASPECTS[aspect]
    spec = RenderSpec(width=size[0], height=size[1], fps=24)
    frames = SceneFrames(inputs_for(layout, size), spec)
    for t in (0.5, 2.0, 3.9):
        frame = frames.frame(t)
        assert frame.shape == (size[1], size[0], 3) and frame.dtype == np.uint8
    assert white_pixels(frames.frame(3.0)) > 150  # white text was drawn somewhere
    assert LAYOUTS[layout]


@pytest.mark.parametrize("aspect", sorted(ASPECTS))
def test_a_figure_is_shown_whole(aspect):
    size = ASPECTS[aspect]
    spec = RenderSpec(width=size[0], height=size[1], fps=24)
    frame = SceneFrames(inputs_for(Layout.FIGURE, size), spec).frame(0.5)
    # the card's light frame surrounds the whole chart: find it and check its edges are
    # inside the picture, not cut by the frame's border
    light = frame.min(axis=2) > 240
    rows, cols = np.where(light)
    assert rows.min() > 0 and cols.min() > 0
    assert rows.max() < size[1] - 1 and cols.max() < size[0] - 1


def test_the_watermark_sits_in_its_corner():
    size = (640, 360)
    logo = sample_art.logo(size=200)
    spec = RenderSpec(width=640, height=360, fps=24)
    plain = SceneFrames(inputs_for(Layout.BULLETS, size), spec).frame(1.0)
    marked = SceneFrames(inputs_for(Layout.BULLETS, size, logo=logo), spec).frame(1.0)
    difference = np.abs(plain.astype(int) - marked.astype(int)).sum(axis=2) > 30
    rows, cols = np.where(difference)
    assert len(rows) > 200
    assert rows.max() < 360 * 0.25 and cols.min() > 640 * 0.75  # top-right corner only


def test_captions_are_burned_in_only_while_their_cue_lasts():
    size = (640, 360)
    cue = Cue(1.0, 2.0, ["Power flows to the panel."])
    spec = RenderSpec(width=640, height=360, fps=24, burn_captions=True)
    plain = SceneFrames(inputs_for(Layout.BULLETS, size), spec)
    captioned = SceneFrames(inputs_for(Layout.BULLETS, size, cues=[cue]), spec)
    bottom = slice(int(360 * 0.7), 360)
    during = np.abs(plain.frame(1.5)[bottom].astype(int) - captioned.frame(1.5)[bottom].astype(int))
    after = np.abs(plain.frame(2.5)[bottom].astype(int) - captioned.frame(2.5)[bottom].astype(int))
    assert during.mean() > 5 and after.mean() == 0


def test_the_first_scene_fades_in_and_the_last_fades_out():
    size = (640, 360)
    spec = RenderSpec(width=640, height=360, fps=24)
    inputs = inputs_for(Layout.TITLE, size)
    inputs.first = inputs.last = True
    frames = SceneFrames(inputs, spec)
    assert frames.frame(0.0).mean() < 3
    assert frames.frame(2.0).mean() > 40
    assert frames.frame(4.0).mean() < 3


def test_the_next_scene_crossfades_from_the_previous_last_frame():
    size = (640, 360)
    spec = RenderSpec(width=640, height=360, fps=24)
    previous = np.zeros((360, 640, 3), np.uint8)
    frames = SceneFrames(inputs_for(Layout.BULLETS, size), spec, previous_last=previous)
    assert frames.frame(0.0).mean() < 3
    assert frames.frame(1.0).mean() > 40
