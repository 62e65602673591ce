"""The batch report, as the executed notebook shows it: a table, a chart, the warnings."""

from __future__ import annotations

from pdf2video.core.batch.models import STAGES, BatchResult, ItemResult

_STATUS = {
    "done": "✅ done",
    "skipped": "⏭ up to date",
    "failed": "❌ failed",
    "refused": "⛔ refused",
    "ignored": "· ignored",
}


def _cell(value: object) -> str:
    return "" if value is None else str(value).replace("|", "\\|").replace("\n", " ")


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return ""
    return f"{int(seconds // 60)}:{seconds % 60:04.1f}"


def _size(size: int | None) -> str:
    return "" if size is None else f"{size / 1e6:.1f} MB"


def table(result: BatchResult) -> str:
    """Inputs to videos, one Markdown row each."""
    columns = ("input", "video", "title", "pages", "scenes", "duration", "size", "render time")
    rows = ["| " + " | ".join((*columns, "status", "error")) + " |", "|" + " --- |" * 10]
    for item in result.items:
        video = f"{item.name}.mp4" if item.video else ""
        render = f"{item.render_s:.1f} s" if item.render_s is not None else ""
        cells = [
            item.input,
            video,
            item.title,
            item.pages,
            item.scenes,
            _duration(item.duration_s),
            _size(item.size_bytes),
            render,
            _STATUS.get(item.status, item.status),
            item.error,
        ]
        rows.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(rows)


def heading(result: BatchResult) -> str:
    lines = [f"**{result.summary()}**, {result.runner}, into `{result.output_dir}`."]
    if result.dashboard:
        lines.append(f"Dask dashboard: <{result.dashboard}>")
    if result.webhook is not None:
        hook = result.webhook
        state = "delivered" if hook.get("ok") else f"not delivered ({hook.get('error')})"
        lines.append(f"Webhook {hook.get('url')}: {state} after {hook.get('attempts')} attempt(s).")
    return "\n\n".join(lines)


def stage_chart(result: BatchResult):  # noqa: ANN201 (a matplotlib Figure)
    """Seconds per stage per input, as stacked horizontal bars (inputs rendered this run)."""
    import matplotlib.pyplot as plt  # noqa: PLC0415

    timed: list[ItemResult] = [i for i in result.items if i.stage_s]
    fig, ax = plt.subplots(figsize=(9, 0.6 * max(2, len(timed)) + 1.2))
    if not timed:
        ax.text(0.5, 0.5, "nothing was rendered in this run", ha="center", va="center")
        ax.set_axis_off()
        return fig
    names = [i.name for i in timed]
    left = [0.0] * len(timed)
    for stage in STAGES:
        widths = [i.stage_s.get(stage, 0.0) for i in timed]
        if any(widths):
            ax.barh(names, widths, left=left, label=stage)
            left = [a + b for a, b in zip(left, widths, strict=True)]
    ax.invert_yaxis()
    ax.set_xlabel("seconds")
    ax.set_title("Time per stage")
    ax.legend(loc="lower right", fontsize="small")
    fig.tight_layout()
    return fig


def show(result: BatchResult) -> None:
    """Display the whole report in the notebook."""
    import matplotlib.pyplot as plt  # noqa: PLC0415
    from IPython.display import Markdown, display  # noqa: PLC0415

    display(Markdown(heading(result)))
    display(Markdown(table(result)))
    stage_chart(result)
    plt.show()
    warnings = result.warnings()
    text = "\n".join(f"- {_cell(w)}" for w in warnings) if warnings else "No warnings."
    display(Markdown("**Warnings**\n\n" + text))
