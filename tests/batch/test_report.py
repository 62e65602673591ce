"""The report's table and chart, from a result as the runner returns it."""

from __future__ import annotations

import matplotlib

from pdf2video.batch.report import heading, stage_chart, table
from pdf2video.core.batch.models import BatchResult, ItemResult

matplotlib.use("Agg")


def result() -> BatchResult:
    done = ItemResult(
        input="in/a.pdf",
        name="a",
        status="done",
        title="A | B",
        pages=3,
        scenes=4,
        duration_s=75.5,
        size_bytes=2_500_000,
        render_s=12.25,
        video="/out/a.mp4",
        stage_s={"extract": 1.0, "voiceover": 5.0, "compose": 6.0, "export": 0.25},
        warnings=["page 2 has no text layer"],
    )
    failed = ItemResult(input="in/b.pdf", name="b", status="failed", error="not a readable PDF")
    return BatchResult(
        output_dir="/out",
        started_at=0,
        finished_at=20,
        runner="in this process",
        items=[done, failed],
    )


def test_the_table_has_a_row_per_input_with_readable_figures():
    lines = table(result()).splitlines()
    assert lines[0].startswith("| input | video | title | pages | scenes | duration | size |")
    assert lines[2] == (
        "| in/a.pdf | a.mp4 | A \\| B | 3 | 4 | 1:15.5 | 2.5 MB | 12.2 s | ✅ done |  |"
    )
    assert lines[3] == "| in/b.pdf |  |  |  |  |  |  |  | ❌ failed | not a readable PDF |"


def test_the_heading_and_the_warnings():
    text = heading(result())
    assert text.startswith("**1 rendered, 0 up to date, 1 failed in 20.0 s**, in this process")
    assert result().warnings() == ["in/a.pdf: page 2 has no text layer"]


def test_the_chart_stacks_the_stages_of_each_rendered_input():
    figure = stage_chart(result())
    (axes,) = figure.axes
    widths = sorted(round(bar.get_width(), 2) for bar in axes.patches)
    assert widths == [0.25, 1.0, 5.0, 6.0]  # one bar per stage of the one rendered input
    assert [t.get_text() for t in axes.get_legend().get_texts()] == [
        "extract",
        "voiceover",
        "compose",
        "export",
    ]
