"""Exporting: segments joined by stream copy, with the audio track, into ``out/video.mp4``.

The audio comes ready-made from :mod:`pdf2video.core.soundtrack` and is copied too, so
the export itself only writes the container. The MP4 gets faststart, an optional soft
subtitle track, a thumbnail from a representative (never black) frame, SRT/VTT
sidecars, and a record in project.json.
"""

from __future__ import annotations

import subprocess
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

from pdf2video.core.captions import write_captions
from pdf2video.core.encoder import ffmpeg_command
from pdf2video.core.errors import RenderError
from pdf2video.core.models import Layout, RenderRecord
from pdf2video.core.render import Renderer


def export(
    renderer: Renderer,
    segments: list[Path],
    audio: Path,
    *,
    output: Path | None,
    soft_subtitles: bool,
    started: float,
    rendered: int,
    reused: int,
    warnings: list[str],
) -> RenderRecord:
    folder, options, project = renderer.folder, renderer.options, renderer.project
    assert project.script is not None
    folder.out.mkdir(parents=True, exist_ok=True)
    durations = [renderer.duration(s) for s in renderer.scenes]
    srt, vtt = write_captions(project, folder.out, durations)
    final = folder.out / ("preview.mp4" if options.draft and output is None else "video.mp4")
    partial = final.with_name(f".{final.stem}.part.mp4")
    duration = float(sum(durations))
    with tempfile.TemporaryDirectory(prefix="pdf2video-export-") as tmp:
        listing = Path(tmp) / "segments.txt"
        listing.write_text("".join(f"file '{p.resolve()}'\n" for p in segments), encoding="utf-8")
        command = [
            *ffmpeg_command(),
            "-f",
            "concat",
            "-safe",
            "0",
            "-i",
            str(listing),
            "-i",
            str(audio),
        ]
        if soft_subtitles:
            command += ["-i", str(srt)]
        command += ["-map", "0:v", "-map", "1:a"]
        if soft_subtitles:
            command += [
                "-map",
                "2:s",
                "-c:s",
                "mov_text",
                "-metadata:s:s:0",
                "language=eng",
            ]
        command += [
            "-c:v",
            "copy",
            "-c:a",
            "copy",
            "-t",
            f"{duration:.3f}",
            "-movflags",
            "+faststart",
            str(partial),
        ]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            partial.unlink(missing_ok=True)
            reason = (result.stderr.strip().splitlines() or ["ffmpeg failed"])[-1]
            raise RenderError(f"joining the scenes failed: {reason[:200]}")
        partial.replace(final)
    thumbnail = _thumbnail(renderer, final, durations, folder.out / "thumb.jpg")
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        if output.resolve() != final.resolve():
            output.write_bytes(final.read_bytes())
    pages = sorted({n for s in project.script.scenes for n in s.source_pages})
    return RenderRecord(
        path=folder.relative(final),
        thumbnail=folder.relative(thumbnail) if thumbnail else None,
        captions=[folder.relative(srt), folder.relative(vtt)],
        duration=round(duration, 3),
        width=options.width,
        height=options.height,
        fps=options.fps,
        codec="hevc" if "hevc" in renderer.choice.name else "h264",
        encoder=renderer.choice.name,
        size_bytes=final.stat().st_size,
        scenes=len(project.script.scenes),
        mood=str(project.script.mood),
        source_pages=pages,
        render_seconds=round(time.monotonic() - started, 2),
        segments_rendered=rendered,
        segments_reused=reused,
        warnings=warnings,
    )


def _thumbnail(
    renderer: Renderer, video: Path, durations: list[float], target: Path
) -> Path | None:
    """A frame from the middle of the most telling scene (a photo or figure), never black."""
    scenes = renderer.scenes
    starts = np.concatenate([[0.0], np.cumsum(durations)])
    preferred = [Layout.FULL_BLEED, Layout.FIGURE, Layout.IMAGE_BULLETS, Layout.TITLE]
    order = sorted(
        range(len(scenes)),
        key=lambda i: (
            preferred.index(scenes[i].layout) if scenes[i].layout in preferred else 9,
            i,
        ),
    )
    for index in order:
        at = starts[index] + durations[index] / 2
        result = subprocess.run(
            [
                *ffmpeg_command(),
                "-ss",
                f"{at:.3f}",
                "-i",
                str(video),
                "-frames:v",
                "1",
                "-q:v",
                "3",
                str(target),
            ],
            capture_output=True,
            check=False,
        )
        image = cv2.imread(str(target)) if result.returncode == 0 else None
        if image is not None and float(image.mean()) > 20:
            return target
    target.unlink(missing_ok=True)
    return None
