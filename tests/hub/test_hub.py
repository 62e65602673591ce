"""A team on a real JupyterHub (as root), driven by Playwright in Debian's chromium.

The admin and two people sign up; an unapproved login is refused; the admin approves
them; alice becomes an editor and gets JupyterLab with the studio; bob (a viewer) gets
the app, makes a video, reloads mid-job and finds the same job, plays the result and
finds it under My videos. Then what bob must not reach: JupyterLab, the contents API,
a terminal, alice's server, alice's rows in the service, code execution over his
kernel's websocket, alice's home and the store. Screenshots in ``test-artifacts/hub/``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil
import pytest

from pdf2video.hub import spawn
from tests import builders
from tests.service.conftest import free_port

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "hub"
PASSWORD = "correct-horse-battery"


def _why_skip() -> str | None:
    if not CHROMIUM.exists():
        return "Debian's chromium is needed (.ci/run installs it)"
    if os.geteuid() != 0:
        return "the hub runs people's servers as their own accounts only as root"
    spawn.ensure_account(spawn.SERVICE_ACCOUNT, Path("/var/lib/pdf2video"))
    if not spawn.can_run_python(spawn.SERVICE_ACCOUNT):
        return f"other accounts cannot run {sys.executable} (.ci/run uses /usr/bin/python3)"
    return None


@dataclass
class Hub:
    url: str
    home: Path
    process: subprocess.Popen[bytes]
    log: Path

    def role(self, name: str, group: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pdf2video.core.cli", "hub", "role", name, group],
            env=dict(os.environ, PDF2VIDEO_HOME=str(self.home)),
            capture_output=True,
            text=True,
            check=False,
        )


def start_hub(root: Path, *, admin: str = "admin") -> Hub:
    """``pdf2video hub`` on free ports with a fresh workspace under ``root``."""
    home = root / "workspace"
    port = free_port()
    log = root / "hub.log"
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("JUPYTERHUB_", "PDF2VIDEO_")) or k == "PDF2VIDEO_HUB_PROXY"
    }
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "pdf2video.core.cli", "hub"),
            *("--port", str(port), "--admin", admin),
            *("--service-port", str(free_port()), "--hub-api-port", str(free_port())),
            *("--proxy-api-port", str(free_port())),
        ],
        env=env | {"PDF2VIDEO_HOME": str(home)},
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()[-3000:]
        try:
            if httpx.get(f"{url}/services/pdf2video/api/v1/health", timeout=2).status_code == 200:
                return Hub(url, home, process, log)
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise AssertionError("the hub did not start:\n" + log.read_text()[-3000:])


def stop_hub(hub: Hub, users: tuple[str, ...]) -> None:
    os.killpg(hub.process.pid, signal.SIGTERM)
    try:
        hub.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(hub.process.pid, signal.SIGKILL)
    for name in (*users, spawn.SERVICE_ACCOUNT):  # anything the hub left running
        subprocess.run(["pkill", "-u", name], check=False, capture_output=True)
    # the proxy goes with the hub (it runs in a session of its own, by its pid)
    pid_file = hub.home / "hub" / "proxy.pid"
    if pid_file.exists():
        proxy = int(pid_file.read_text().strip() or 0)
        if proxy and psutil.pid_exists(proxy) and psutil.Process(proxy).status() != "zombie":
            os.kill(proxy, signal.SIGKILL)
            raise AssertionError("the hub left its proxy running")


@pytest.fixture(scope="module")
def hub() -> Iterator[Hub]:
    reason = _why_skip()
    if reason:
        pytest.skip(reason)
    root = Path(tempfile.mkdtemp(prefix="pdf2video-hub-", dir="/tmp"))  # reachable by all
    root.chmod(0o755)
    found = start_hub(root)
    yield found
    stop_hub(found, ("alice", "bob"))
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(found.log, SHOTS / "hub.log")  # kept by CI beside the screenshots
    shutil.rmtree(root, ignore_errors=True)


def sign_up(page, hub: Hub, name: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{hub.url}/hub/signup")
    page.fill("#username_input", name)
    if page.locator("#email_input").count():
        page.fill("#email_input", f"{name}@example.org")
    page.fill("#password_input", PASSWORD)
    page.fill("#password_confirmation_input", PASSWORD)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_load_state()


def log_in(page, hub: Hub, name: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{hub.url}/hub/login")
    page.fill("#username_input", name)
    page.fill("#password_input", PASSWORD)
    page.click("#login_submit")
    page.wait_for_load_state()


def test_a_team_signs_in_and_each_gets_their_own_door(hub: Hub, tmp_path: Path):
    from playwright.sync_api import expect, sync_playwright  # noqa: PLC0415

    SHOTS.mkdir(parents=True, exist_ok=True)
    pdf = builders.varied_text_pdf(tmp_path / "Team notes.pdf", sections=1, sentences_per_section=2)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        contexts = {
            n: browser.new_context(viewport={"width": 1200, "height": 900})
            for n in ("admin", "alice", "bob")
        }
        pages = {n: c.new_page() for n, c in contexts.items()}
        for page in pages.values():
            page.set_default_timeout(60_000)

        anonymous = httpx.get(f"{hub.url}/user/bob/", follow_redirects=True)
        assert anonymous.url.path == "/hub/login" and anonymous.status_code == 200

        for name, page in pages.items():
            sign_up(page, hub, name)
        pages["bob"].screenshot(path=SHOTS / "1-signed-up.png")
        log_in(pages["bob"], hub, "bob")
        expect(pages["bob"].locator("body")).to_contain_text("has not been authorized")
        pages["bob"].screenshot(path=SHOTS / "2-unapproved-refused.png")

        admin = pages["admin"]
        log_in(admin, hub, "admin")
        admin.goto(f"{hub.url}/hub/authorize")
        for name in ("alice", "bob"):
            admin.goto(f"{hub.url}/hub/authorize/{name}")
        admin.goto(f"{hub.url}/hub/authorize")
        admin.screenshot(path=SHOTS / "3-approved.png")
        made = hub.role("alice", "editor")
        assert made.returncode == 0 and "editor group" in made.stdout, made.stderr
        refused = hub.role("alice", "boss")
        assert refused.returncode == 1 and "admin, editor, viewer" in refused.stderr

        alice = pages["alice"]
        log_in(alice, hub, "alice")
        alice.wait_for_url("**/lab/**", timeout=120_000)
        expect(alice.locator(".jp-LabShell")).to_be_visible(timeout=120_000)
        expect(alice.locator(".lm-TabBar-tabLabel", has_text="studio.ipynb").first).to_be_visible()
        alice.screenshot(path=SHOTS / "4-alice-lab.png")

        bob = pages["bob"]
        log_in(bob, hub, "bob")
        bob.wait_for_url("**/voila/**", timeout=120_000)
        expect(bob.get_by_text("Turn a document into a video")).to_be_visible(timeout=120_000)
        bob.screenshot(path=SHOTS / "5-bob-app.png")
        bob.set_viewport_size({"width": 390, "height": 844})  # a phone
        assert bob.evaluate("document.documentElement.scrollWidth") <= 390
        bob.screenshot(path=SHOTS / "5-bob-app-phone.png")
        bob.set_viewport_size({"width": 1200, "height": 900})
        with bob.expect_file_chooser() as chooser:
            bob.locator(".p2v-app button", has_text="Document").click()
        chooser.value.set_files(str(pdf))
        expect(bob.locator(".p2v-app button", has_text="Document (1)")).to_be_visible()
        bob.locator(".p2v-app select").first.select_option(label="720p draft")
        bob.get_by_role("button", name="Generate video").click()
        expect(bob.locator(".p2v-step").first).to_be_visible(timeout=60_000)
        bob.screenshot(path=SHOTS / "6-bob-generating.png")
        bob.reload()
        expect(bob.locator(".p2v-step").first).to_be_visible(timeout=120_000)
        bob.screenshot(path=SHOTS / "7-bob-reloaded.png")
        expect(bob.locator(".p2v-player-download").first).to_be_visible(timeout=240_000)
        expect(bob.get_by_text("is ready")).to_be_visible()
        player = bob.locator(".p2v-player video").first
        player.evaluate("v => { v.muted = true; return v.play(); }")
        bob.wait_for_function("() => document.querySelector('.p2v-player video').currentTime > 0.5")
        bob.screenshot(path=SHOTS / "8-bob-done.png")
        bob.get_by_role("tab", name="My videos").click()
        expect(bob.locator(".p2v-app b", has_text="Team notes")).to_be_visible()
        bob.screenshot(path=SHOTS / "9-bob-my-videos.png")

        # the service, through the hub's login: bob's video is his, alice gets a 404
        bob.goto(f"{hub.url}/services/pdf2video/api/v1/videos")
        (video,) = json.loads(bob.locator("body").inner_text())["items"]
        assert video["title"] == "Team notes" and video["owner"] == "bob"
        alice.goto(f"{hub.url}/services/pdf2video/api/v1/videos/{video['id']}")
        refused = json.loads(alice.locator("body").inner_text())
        assert refused["error"]["code"] == "VIDEO_NOT_FOUND"
        alice.goto(f"{hub.url}/services/pdf2video/api/v1/videos")
        assert json.loads(alice.locator("body").inner_text())["items"] == []

        # code sent straight to bob's kernel over its websocket is dropped
        bob.goto(f"{hub.url}/user/bob/voila/render/app.ipynb")
        expect(bob.get_by_text("Turn a document into a video")).to_be_visible(timeout=60_000)
        config = json.loads(bob.locator("#jupyter-config-data").inner_text())
        marker = Path(f"/tmp/pdf2video-pwned-{os.getpid()}")
        replies = bob.evaluate(
            """async ([kernel, code]) => {
                const url = `ws://${location.host}/user/bob/api/kernels/${kernel}/channels`;
                const ws = new WebSocket(url);
                const seen = [];
                ws.onmessage = (e) => { try { seen.push(JSON.parse(e.data).msg_type); } catch {} };
                await new Promise((ok) => { ws.onopen = ok; ws.onerror = ok; });
                const id = crypto.randomUUID();
                ws.send(JSON.stringify({
                    header: {msg_id: id, msg_type: "execute_request", username: "bob",
                             session: id, version: "5.3", date: new Date().toISOString()},
                    parent_header: {}, metadata: {}, channel: "shell",
                    content: {code, silent: false, store_history: false,
                              user_expressions: {}, allow_stdin: false},
                }));
                await new Promise((ok) => setTimeout(ok, 4000));
                ws.close();
                return seen;
            }""",
            [config["kernelId"], f"open('{marker}', 'w').write('x')"],
        )
        assert "execute_reply" not in replies and "execute_input" not in replies
        assert not marker.exists()

        for path in (
            "/user/bob/lab",
            "/user/bob/api/contents",
            "/user/bob/terminals/1",
            "/user/alice/",
        ):
            answer = bob.request.get(f"{hub.url}{path}", max_redirects=0)
            assert answer.status != 200, path
        browser.close()

    for secret in (Path("/home/alice"), hub.home, hub.home / "pdf2video.db"):
        peek = subprocess.run(
            ["runuser", "-u", "bob", "--", "ls", str(secret)], capture_output=True, check=False
        )
        assert peek.returncode != 0, secret
