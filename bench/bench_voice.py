"""Benchmark: Piper narration speed and offline script time.

    .venv/bin/python bench/bench_voice.py

- Piper (joe, en_US medium) narration speed: seconds of audio made per wall second,
  voicing the sample document's script (the model is loaded first, not timed).
  Target on 2 cores: at least 5x.
- Offline script writing for the generated 300-page benchmark PDF (read first, not timed).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from pdf2video.core.config import load_settings
from pdf2video.core.narration import voice_script
from pdf2video.core.pipeline import inspect_source, write_script
from pdf2video.core.project import ProjectFolder
from pdf2video.core.sample import build_sample_pdf
from pdf2video.core.script_writer import OfflineScriptWriter, ScriptRequest
from pdf2video.core.voices import get_voice


def main() -> None:
    settings = load_settings()
    with tempfile.TemporaryDirectory(prefix="pdf2video-bench-") as tmp:
        root = Path(tmp)
        project = inspect_source(build_sample_pdf(root / "s.pdf"), root / "p", settings)
        folder = ProjectFolder(root / "p")
        project = write_script(folder, project, settings)
        get_voice("joe", settings).speak("Warm up.")  # load the model
        started = time.perf_counter()
        project, _ = voice_script(folder, project, settings)
        wall = time.perf_counter() - started
        assert project.script is not None
        audio = sum(s.audio.duration for s in project.script.scenes if s.audio)
        words = sum(s.word_count for s in project.script.scenes)
        verdict = "meets" if audio / wall >= 5 else "MISSES"
        print(
            f"piper narration: {audio:.1f} s of audio ({words} words) in {wall:.2f} s = "
            f"{audio / wall:.1f}x real time ({verdict} the 5x target)"
        )

        big = inspect_source(build_sample_pdf(root / "big.pdf", pages=300), root / "big", settings)
        assert big.document is not None
        for minutes in (None, 5.0):
            started = time.perf_counter()
            script = OfflineScriptWriter().write(
                big.document, ScriptRequest(target_minutes=minutes)
            )
            took = time.perf_counter() - started
            label = f"target {minutes:g} min" if minutes else "70 words per section"
            print(
                f"offline script, 300-page PDF ({label}): {took:.2f} s, "
                f"{len(script.scenes)} scenes, {script.estimated_seconds / 60:.1f} min"
            )


if __name__ == "__main__":
    main()
