"""The readable summary of a read document that ``pdf2video inspect`` prints."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from pdf2video.core.models import Document, Project, Script
from pdf2video.core.project import ProjectFolder
from pdf2video.core.voices import VoiceInfo

MAX_HEADINGS = 40


def _pages(numbers: list[int]) -> str:
    if not numbers:
        return "-"
    if len(numbers) <= 3:
        return ", ".join(str(n) for n in numbers)
    return f"{numbers[0]}, {numbers[1]} … ({len(numbers)} pages)"


def render_summary(console: Console, document: Document, project_dir: Path | None) -> None:
    """Pages, headings, images with class and confidence, warnings and where files are."""
    textless = sum(1 for p in document.pages if not p.has_text_layer)
    furniture = sum(1 for p in document.pages for b in p.blocks if b.is_furniture)
    console.print(f"[bold]{document.title}[/bold]")
    facts = [
        f"{document.page_count} page{'s' if document.page_count != 1 else ''}",
        document.source_name,
    ]
    if document.author:
        facts.insert(0, f"by {document.author}")
    console.print("  " + " · ".join(facts), markup=False)
    if textless:
        console.print(f"  pages without a text layer: {textless}")
    if furniture:
        console.print(f"  running headers, footers and page numbers set aside: {furniture}")

    headings = document.headings
    console.print(f"\n[bold]Headings[/bold] ({len(headings)})")
    for page, block in headings[:MAX_HEADINGS]:
        indent = "  " * (block.heading_level or 1)
        console.print(f"  p{page:<4}{indent}{block.text}", markup=False)
    if len(headings) > MAX_HEADINGS:
        console.print(f"  … and {len(headings) - MAX_HEADINGS} more")

    console.print(f"\n[bold]Images[/bold] ({len(document.assets)})")
    if document.assets:
        classes = Counter(str(a.image_class) for a in document.assets)
        console.print("  " + ", ".join(f"{n} {c}" for c, n in classes.most_common()))
        table = Table(show_edge=False, pad_edge=False, box=None)
        for column in ("id", "pages", "pixels", "class", "confidence", "decided by"):
            table.add_column(column)
        for asset in document.assets:
            table.add_row(
                asset.id,
                _pages(asset.pages),
                f"{asset.width}x{asset.height}",
                str(asset.image_class or "-"),
                f"{asset.confidence:.2f}",
                asset.decision_source or "-",
            )
        console.print(table)

    if document.warnings:
        console.print("\n[bold yellow]Warnings[/bold yellow]")
        for warning in document.warnings:
            console.print(f"  ! {warning}", markup=False)
    if project_dir is not None:
        console.print(f"\nProject folder: {project_dir}", markup=False)


def render_script(console: Console, script: Script) -> None:
    """Scenes with their narration, bullets, visual and length."""
    minutes, seconds = divmod(round(script.estimated_seconds), 60)
    console.print(f"[bold]{script.title}[/bold]")
    words = sum(s.word_count for s in script.scenes)
    console.print(
        f"  {len(script.scenes)} scenes · {words} words · about {minutes}:{seconds:02d} · "
        f"mood {script.mood} · written by {script.provider}",
        markup=False,
    )
    for n, scene in enumerate(script.scenes, start=1):
        visual = scene.visual.asset_id or str(scene.visual.kind)
        console.print(
            f"\n[bold]{n}. {scene.title}[/bold]  [dim]{scene.layout} · {visual} · "
            f"{scene.word_count} words · {scene.estimated_seconds:.0f} s[/dim]"
        )
        console.print(Padding(Text(scene.narration), (0, 0, 0, 3)))
        for bullet in scene.bullets:
            console.print(f"   • {bullet}", markup=False)
    for warning in script.warnings:
        console.print(f"\n[bold yellow]![/bold yellow] {warning}")


def render_voicing(
    console: Console, project: Project, voiced: list[str], folder: ProjectFolder
) -> None:
    assert project.script is not None
    table = Table(show_edge=False, pad_edge=False, box=None)
    for column in ("scene", "title", "seconds", "audio"):
        table.add_column(column)
    total = 0.0
    for n, scene in enumerate(project.script.scenes, start=1):
        audio = scene.audio
        assert audio is not None
        total += audio.duration
        table.add_row(
            str(n),
            scene.title[:48],
            f"{audio.duration:.1f}",
            "voiced" if scene.id in voiced else "unchanged",
        )
    console.print(table)
    reused = len(project.script.scenes) - len(voiced)
    console.print(
        f"\n{len(voiced)} scenes voiced, {reused} unchanged · total {total:.1f} s · "
        f"voice {project.script.scenes[0].audio.voice if project.script.scenes[0].audio else '-'}",
        markup=False,
    )
    console.print(f"Captions: {folder.out / 'video.srt'}, {folder.out / 'video.vtt'}", markup=False)


def render_voices(console: Console, voices: list[VoiceInfo], samples: dict[str, str]) -> None:
    table = Table(show_edge=False, pad_edge=False, box=None)
    for column in ("name", "provider", "language", "description", *(["sample"] if samples else [])):
        table.add_column(column)
    for voice in voices:
        row = [voice.name, voice.provider, voice.language, voice.description]
        table.add_row(*row, *([samples.get(voice.name, "")] if samples else []))
    console.print(table)


def render_result(console: Console, project: Project, output: Path | None) -> None:
    """What the render made: where, how long, how big, how fast."""
    record = project.render
    if record is None:
        return
    minutes, seconds = divmod(round(record.duration), 60)
    console.print(f"[bold green]Video:[/bold green] {output or record.path}")
    console.print(
        f"  {minutes}:{seconds:02d} · {record.width}x{record.height} {record.fps} fps · "
        f"{record.codec} ({record.encoder}) · {record.size_bytes / 1e6:.1f} MB · "
        f"{record.scenes} scenes · mood {record.mood}",
        markup=False,
    )
    console.print(
        f"  rendered in {record.render_seconds:.1f} s ({record.speed:.1f}x real time) · "
        f"{record.segments_rendered} scenes rendered, {record.segments_reused} reused",
        markup=False,
    )
    if record.thumbnail:
        console.print(
            f"  thumbnail: {record.thumbnail} · captions: {', '.join(record.captions)}",
            markup=False,
        )
    for warning in record.warnings:
        console.print(f"  [bold yellow]![/bold yellow] {warning}")
