"""Long work off the kernel's main thread, reported through widget state only.

A button's callback must return at once, or the kernel's message loop stalls and no
Cancel can arrive. :class:`Tasks` runs the work in a thread; the thread reports by
setting widget values (a thread's ``print()`` is lost in the browser): a progress bar,
a status line, and on failure the error's one plain line, never a traceback.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from pdf2video.core.errors import Pdf2VideoError
from pdf2video.core.progress import ProgressEvent

log = logging.getLogger(__name__)
MIN_INTERVAL_S = 0.1  # at most ~10 updates a second reach the browser


def message_html(text: str, kind: str = "info") -> str:
    colour = {"info": "#555", "ok": "#1b7a2f", "error": "#b3261e"}[kind]
    safe = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<span class="p2v-{kind}" style="color:{colour}">{safe}</span>'


class StatusLine(widgets.VBox):
    """A progress bar and one line of text, both updated from any thread."""

    def __init__(self) -> None:
        self.bar = widgets.FloatProgress(
            value=0.0, min=0.0, max=1.0, layout=widgets.Layout(width="100%", display="none")
        )
        self.text = widgets.HTML("")
        self._last = 0.0
        super().__init__([self.bar, self.text])

    def info(self, text: str) -> None:
        self.text.value = message_html(text)

    def ok(self, text: str) -> None:
        self.bar.layout.display = "none"
        self.text.value = message_html(text, "ok")

    def error(self, text: str) -> None:
        self.bar.layout.display = "none"
        self.text.value = message_html(text, "error")

    def progress(self, event: ProgressEvent) -> None:
        moment = time.monotonic()
        if moment - self._last < MIN_INTERVAL_S and event.fraction < 1:
            return
        self._last = moment
        self.bar.layout.display = ""
        self.bar.value = max(0.0, min(1.0, event.fraction))
        self.text.value = message_html(f"{event.stage}: {event.message}")


class Tasks:
    """Runs work in background threads; ``wait()`` lets tests (and batch use) join them."""

    def __init__(self) -> None:
        self.threads: list[threading.Thread] = []
        self.errors: list[str] = []

    def run(
        self,
        status: StatusLine,
        work: Callable[[], Any],
        *,
        done: Callable[[Any], None] | None = None,
        busy: list[widgets.Button] | None = None,
    ) -> threading.Thread:
        """Run ``work`` in a thread; ``done(result)`` after it; errors shown on ``status``."""
        buttons = busy or []
        for button in buttons:
            button.disabled = True

        def target() -> None:
            try:
                result = work()
                if done is not None:
                    done(result)
            except Pdf2VideoError as exc:
                self.errors.append(exc.one_line())
                status.error(exc.one_line())
            except Exception as exc:
                log.exception("studio task failed")
                message = f"unexpected error: {type(exc).__name__}: {exc}"
                self.errors.append(message)
                status.error(message)
            finally:
                for button in buttons:
                    button.disabled = False

        thread = threading.Thread(target=target, name="pdf2video-studio", daemon=True)
        self.threads.append(thread)
        thread.start()
        return thread

    def wait(self, timeout: float = 300.0) -> None:
        deadline = time.monotonic() + timeout
        for thread in list(self.threads):
            thread.join(max(0.0, deadline - time.monotonic()))
        self.threads = [t for t in self.threads if t.is_alive()]
