"""Benchmark: the team hub with simulated viewers (as root, with Debian's chromium).

    .venv/bin/python bench/bench_hub.py [--viewers 10]

A fresh ``pdf2video hub``; N viewers sign up, the admin approves them, then each signs
in from its own browser context, one after another. Reported:

- time from pressing **Sign in** to the app ready (its form shown, the kernel answering);
- memory per active user: the resident memory of each viewer's processes (server and
  kernel, their own system account), median;
- with every viewer's app open and one 1080p render running in the service, the widget
  round trip of each app (a click whose answer comes back from the kernel), median and
  worst: how many viewers the machine holds while answering within 300 ms.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests import builders
from tests.hub.test_hub import CHROMIUM, _why_skip, log_in, sign_up, start_hub, stop_hub

ROUND_TRIP_JS = """async () => {
    let changes = 0;
    const seen = new MutationObserver(() => { changes += 1; });
    seen.observe(document.querySelector('.p2v-app'), {subtree: true, childList: true,
                                                       characterData: true});
    const button = [...document.querySelectorAll('.p2v-app button')]
        .find(b => b.textContent.includes('Generate video'));
    const began = performance.now();
    button.click();
    while (true) {
        await new Promise(r => setTimeout(r, 5));
        const text = document.querySelector('.p2v-app').innerText;
        if (changes > 0 && text.includes('add a PDF or some text first')
            && !text.includes('Sending your files')) break;
        if (performance.now() - began > 10000) break;
    }
    seen.disconnect();
    return performance.now() - began;
}"""


def resident_mb(user: str) -> float:
    total = 0
    for process in psutil.process_iter(["username", "memory_info"]):
        if process.info["username"] == user and process.info["memory_info"]:
            total += process.info["memory_info"].rss
    return total / 2**20


def main() -> int:
    from playwright.sync_api import expect, sync_playwright  # noqa: PLC0415

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--viewers", type=int, default=10)
    args = parser.parse_args()
    reason = _why_skip()
    if reason:
        print(f"bench_hub: skipped: {reason}")
        return 0
    names = tuple(f"viewer{n:02d}" for n in range(args.viewers))
    root = Path(tempfile.mkdtemp(prefix="pdf2video-hub-bench-", dir="/tmp"))
    root.chmod(0o755)
    hub = start_hub(root)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
            admin = browser.new_page()
            sign_up(admin, hub, "admin")
            pages = {}
            for name in names:
                page = browser.new_context(viewport={"width": 1000, "height": 800}).new_page()
                page.set_default_timeout(120_000)
                sign_up(page, hub, name)
                pages[name] = page
            log_in(admin, hub, "admin")
            for name in names:
                admin.goto(f"{hub.url}/hub/authorize/{name}")

            ready = []
            for name, page in pages.items():
                began = time.perf_counter()
                log_in(page, hub, name)
                page.wait_for_url("**/voila/**")
                expect(page.get_by_text("Turn a document into a video")).to_be_visible()
                page.evaluate(ROUND_TRIP_JS)  # the kernel answers
                ready.append(time.perf_counter() - began)
            memory = [resident_mb(name) for name in names]
            print(
                f"{args.viewers} viewers: sign-in to app ready median "
                f"{statistics.median(ready):.1f} s, worst {max(ready):.1f} s; "
                "memory per active viewer median "
                f"{statistics.median(memory):.0f} MiB (server + kernel)"
            )

            idle = [pages[n].evaluate(ROUND_TRIP_JS) for n in names]
            first = pages[names[0]]
            pdf = builders.varied_text_pdf(
                root / "Long notes.pdf", sections=4, sentences_per_section=6
            )
            with first.expect_file_chooser() as chooser:
                first.locator(".p2v-app button", has_text="Document").click()
            chooser.value.set_files(str(pdf))
            first.get_by_role("button", name="Generate video").click()
            first.locator(".p2v-step[data-step='composing'][style*='bold']").wait_for(
                timeout=300_000
            )
            per_viewer = {
                n: [pages[n].evaluate(ROUND_TRIP_JS) for _ in range(3)] for n in names[1:]
            }
            busy = [trip for trips in per_viewer.values() for trip in trips]
            within = sum(1 for trips in per_viewer.values() if max(trips) < 300)
            print(
                f"widget round trip, all {args.viewers} apps open: idle median "
                f"{statistics.median(idle):.0f} ms, worst {max(idle):.0f} ms; during a 1080p "
                f"render: median {statistics.median(busy):.0f} ms, worst {max(busy):.0f} ms "
                f"(target < 300 ms: {within} of {len(per_viewer)} other viewers always within it)"
            )
            browser.close()
    finally:
        stop_hub(hub, names)
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
