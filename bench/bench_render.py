"""Benchmark: rendering speed, against MoviePy and against the encoder alone.

    .venv/bin/pip install -e '.[bench]'     # MoviePy, for (b) only
    .venv/bin/python bench/bench_render.py [--seconds-per-scene 10]

On the same voiced scenes, at 1080p30 with the same x264 settings (veryfast, 12M):
(a) this renderer, seconds of video per wall second;
(b) the same scenes composited with MoviePy (image + Ken Burns-like zoom + text), the
    way most peer tools do it;
(c) the encoder alone, fed pre-made frames (the floor);
(d) re-rendering after editing one scene of ten, as a share of the full render;
(e) the draft preview of one 10-second scene.
Targets on 2 cores: (a) >= 0.9 x (c); (a) >= 5 x (b); (d) <= 15%; (e) <= 2 s.
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import cv2

from pdf2video.core.config import Encoder, load_settings
from pdf2video.core.encoder import choose, ffmpeg_command, video_args
from pdf2video.core.fonts import font_dir
from pdf2video.core.narration import voice_script
from pdf2video.core.pipeline import inspect_source, preview_scene, render_video, write_script
from pdf2video.core.project import ProjectFolder, load_project, save_project
from pdf2video.core.render import Renderer, options_from
from pdf2video.core.sample import build_sample_pdf
from pdf2video.core.script_editing import edit_scene, insert_scene


def make_project(root: Path, words: int) -> Path:
    settings = load_settings(script_words_per_scene=words)
    pdf = build_sample_pdf(root / "bench.pdf", pages=9)
    folder = ProjectFolder(root / "project")
    project = inspect_source(pdf, folder.root, settings)
    project = write_script(folder, project, settings)
    voice_script(folder, project, settings)
    return folder.root


def ours(project_dir: Path, options) -> tuple[float, float]:
    shutil.rmtree(project_dir / "segments", ignore_errors=True)
    started = time.perf_counter()
    project = render_video(project_dir, load_settings(), options, project_dir=project_dir)
    return project.render.duration, time.perf_counter() - started


def encoder_floor(project_dir: Path, options, video_seconds: float) -> float:
    """The same x264 settings fed frames made beforehand (the frames of a real scene)."""
    project = load_project(project_dir)
    renderer = Renderer(ProjectFolder(project_dir), project, load_settings(), options)
    frames = renderer.scene_frames(1)
    # the same input format as the renderer: yuv420p, converted beforehand
    pool = [
        cv2.cvtColor(frames.frame(n / options.fps), cv2.COLOR_BGR2YUV_I420).tobytes()
        for n in range(0, 90)
    ]
    count = round(video_seconds * options.fps)
    with tempfile.TemporaryDirectory() as tmp:
        command = [
            *ffmpeg_command(),
            "-f",
            "rawvideo",
            "-pix_fmt",
            "yuv420p",
            "-s",
            f"{options.width}x{options.height}",
            "-r",
            str(options.fps),
            "-i",
            "-",
            *video_args(choose(Encoder.LIBX264), options.fps, options.bitrate, draft=False),
            "-an",
            f"{tmp}/floor.mp4",
        ]
        started = time.perf_counter()
        process = subprocess.Popen(command, stdin=subprocess.PIPE)
        assert process.stdin is not None
        for n in range(count):
            process.stdin.write(pool[n % len(pool)])
        process.stdin.close()
        process.wait()
        return time.perf_counter() - started


def moviepy_render(project_dir: Path, options, limit_s: float) -> tuple[float, float] | None:
    if importlib.util.find_spec("moviepy") is None:
        return None
    from moviepy import (  # noqa: PLC0415
        AudioFileClip,
        ColorClip,
        CompositeVideoClip,
        ImageClip,
        TextClip,
        concatenate_videoclips,
    )

    project = load_project(project_dir)
    folder = ProjectFolder(project_dir)
    size = (options.width, options.height)
    clips, total = [], 0.0
    font = str(font_dir() / "DejaVuSans-Bold.ttf")
    for scene in project.script.scenes:
        duration = scene.audio.duration
        if total + duration > limit_s:
            break
        total += duration
        layers = [ColorClip(size, color=(40, 60, 90)).with_duration(duration)]
        if scene.visual.asset_id:
            path = folder.resolve(project.document.asset(scene.visual.asset_id).path)
            picture = (
                ImageClip(str(path))
                .with_duration(duration)
                .resized(height=int(options.height * 0.6))
                .resized(lambda t, d=duration: 1 + 0.05 * t / d)
                .with_position("center")
            )
            layers.append(picture)
        title = TextClip(
            font=font,
            text=scene.title,
            font_size=54,
            color="white",
            size=(int(options.width * 0.9), None),
            method="caption",
        )
        layers.append(title.with_duration(duration).with_position(("center", 40)))
        clip = CompositeVideoClip(layers, size=size).with_audio(
            AudioFileClip(str(folder.resolve(scene.audio.path)))
        )
        clips.append(clip)
    video = concatenate_videoclips(clips)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        video.write_videofile(
            f"{tmp}/moviepy.mp4",
            fps=options.fps,
            codec="libx264",
            preset="veryfast",
            bitrate=options.bitrate,
            audio_codec="aac",
            logger=None,
        )
        return total, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=25, help="words per scene (~10 s)")
    parser.add_argument(
        "--moviepy-seconds", type=float, default=30.0, help="seconds of video for (b); 0 skips it"
    )
    args = parser.parse_args()
    settings = load_settings()
    full = options_from(settings, encoder=Encoder.LIBX264)
    with tempfile.TemporaryDirectory(prefix="pdf2video-bench-") as tmp:
        project_dir = make_project(Path(tmp), args.words)
        scenes = len(load_project(project_dir).script.scenes)
        video_s, wall = ours(project_dir, full)
        a = video_s / wall
        print(
            f"(a) pdf2video: {video_s:.1f} s of 1080p30 in {wall:.1f} s = {a:.2f} s/s "
            f"({scenes} scenes, libx264 veryfast 12M)"
        )
        floor = encoder_floor(project_dir, full, video_s)
        c = video_s / floor
        print(
            f"(c) encoder alone on pre-made frames: {video_s:.1f} s in {floor:.1f} s = "
            f"{c:.2f} s/s -> (a) is {a / c:.2f} x (c) (target >= 0.9)"
        )
        result = (
            moviepy_render(project_dir, full, args.moviepy_seconds)
            if (args.moviepy_seconds > 0)
            else None
        )
        if result is None:
            print("(b) MoviePy: not installed (pip install -e '.[bench]'), skipped")
        else:
            mp_video, mp_wall = result
            b = mp_video / mp_wall
            print(
                f"(b) MoviePy compositing: {mp_video:.1f} s in {mp_wall:.1f} s = {b:.2f} s/s "
                f"-> (a) is {a / b:.1f} x (b) (target >= 5)"
            )
        project = load_project(project_dir)
        middle = project.script.scenes[len(project.script.scenes) // 2]
        edit_scene(project.script, middle.id, narration=middle.narration + " That is all.")
        save_project(project, project_dir)
        started = time.perf_counter()
        again = render_video(project_dir, settings, full, project_dir=project_dir)
        d = time.perf_counter() - started
        print(
            f"(d) re-render after editing 1 scene of {scenes}: {d:.1f} s = {100 * d / wall:.0f}% "
            f"of the full render ({again.render.segments_rendered} rendered, "
            f"{again.render.segments_reused} reused; target <= 15%)"
        )
        project = load_project(project_dir)
        # (e) a scene of about ten seconds (some 25 words at the voice's pace)
        insert_scene(
            project.script,
            1,
            title="Ten seconds",
            narration=(
                "Solar panels on a roof turn sunlight into direct current, and an inverter "
                "changes it into the alternating current a home can use every day. What the "
                "house does not use right away goes to a battery or back to the grid."
            ),
        )
        save_project(project, project_dir)
        project, _ = voice_script(ProjectFolder(project_dir), project, settings)
        index = 1
        seconds = project.script.scenes[index].audio.duration
        started = time.perf_counter()
        preview_scene(ProjectFolder(project_dir), project, settings, full, index)
        e = time.perf_counter() - started
        print(f"(e) draft preview of a {seconds:.1f} s scene: {e:.2f} s (target <= 2 s)")


if __name__ == "__main__":
    main()
