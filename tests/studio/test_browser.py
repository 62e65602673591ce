"""The studio in a real JupyterLab, driven by Playwright in Debian's chromium.

A person's path: open the studio notebook, run it, upload a generated PDF, generate the
script, edit one scene's narration, preview that scene and see the player, render a
small draft and see the download link, then cancel a second render. Each step leaves a
screenshot in ``test-artifacts/studio/`` (kept by CI, ignored by git).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from pdf2video.core.jobs import JobStatus
from pdf2video.studio.launch import notebook, run_all_cells, running_lab
from tests import builders

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "studio"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is needed (.ci/run installs it)"
)


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A real JupyterLab on 127.0.0.1 with a token, rooted at a fresh workspace."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "studio.ipynb").write_text(json.dumps(notebook()), encoding="utf-8")
    try:
        with running_lab(home) as url:
            yield url, home
    finally:  # a render the studio left running would go on in its worker: stop it
        from pdf2video.core.backend import LocalBackend  # noqa: PLC0415
        from pdf2video.core.config import load_settings  # noqa: PLC0415
        from pdf2video.core.jobs import FINISHED  # noqa: PLC0415

        backend = LocalBackend(load_settings(pdf2video_home=home))
        for job in backend.jobs():
            if job.status not in FINISHED:
                backend.cancel(job.id)


def test_a_person_makes_a_video_in_the_studio(lab, tmp_path):
    from playwright.sync_api import expect, sync_playwright  # noqa: PLC0415

    url, home = lab
    pdf = builders.varied_text_pdf(
        tmp_path / "Solar notes.pdf", sections=2, sentences_per_section=2
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(60_000)

        def shot(name: str) -> None:
            page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)

        page.goto(url)
        run_all_cells(page, ".p2v-studio-root")
        shot("1-studio-opened")

        page.locator(".p2v-studio-root input[type=file][accept='.pdf']").first.set_input_files(
            str(pdf)
        )
        expect(page.locator(".p2v-ok", has_text="Read Solar notes.pdf")).to_be_visible()
        expect(page.locator(".p2v-doc-title")).to_be_visible()
        shot("2-source-read")

        page.get_by_role("button", name="Script", exact=True).click()
        page.get_by_role("button", name="Generate script", exact=True).click()
        expect(page.locator(".p2v-ok", has_text="scenes written")).to_be_visible()
        expect(page.locator(".p2v-card").first).to_be_visible()
        narration = page.locator(".widget-textarea", has_text="Narration").locator("textarea")
        narration.fill("The sun gives more energy in one hour than the world uses in a year.")
        narration.press("Tab")  # the field saves when it loses focus
        expect(page.locator(".p2v-ok", has_text="saved")).to_be_visible()
        shot("3-script-edited")

        page.get_by_role("button", name="Preview", exact=True).click()
        page.get_by_role("button", name="Preview scene", exact=True).click()
        page.wait_for_function(  # the newest video loaded into a player is playing
            "() => [...document.querySelectorAll('.p2v-player')]"
            ".some(p => p.dataset.playing && p.dataset.playing === p.dataset.loads)"
        )
        page.wait_for_function(
            "() => [...document.querySelectorAll('.p2v-player video')]"
            ".some(v => v.readyState >= 1 && v.duration > 1)"
        )
        shot("4-preview-playing")

        page.get_by_role("button", name="Render", exact=True).click()
        page.locator(".widget-dropdown", has_text="Size").locator("select").select_option("720p")
        page.get_by_role("checkbox", name="Draft (fastest)").check()
        page.get_by_role("button", name="Render video", exact=True).click()
        expect(page.locator("a.p2v-download")).to_be_visible(timeout=180_000)
        shot("5-render-done")

        page.get_by_role("checkbox", name="Draft (fastest)").uncheck()
        page.locator(".widget-dropdown", has_text="Size").locator("select").select_option("1080p")
        page.get_by_role("button", name="Render video", exact=True).click()
        try:
            expect(page.locator(".p2v-step[data-step='composing'][style*='bold']")).to_be_visible(
                timeout=120_000
            )
        finally:
            shot("6a-second-render-running")
        page.get_by_role("button", name="Cancel", exact=True).click()
        expect(page.locator(".p2v-info", has_text="Cancelled")).to_be_visible(timeout=30_000)
        shot("6-second-render-cancelled")
        browser.close()

    from pdf2video.core.backend import LocalBackend  # noqa: PLC0415
    from pdf2video.core.config import load_settings  # noqa: PLC0415

    backend = LocalBackend(load_settings(pdf2video_home=home))  # the kernel's user: this one
    assert sorted(j.status for j in backend.jobs()) == sorted(
        [JobStatus.COMPLETED, JobStatus.CANCELLED]
    )
