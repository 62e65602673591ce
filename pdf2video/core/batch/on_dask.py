"""Rendering a batch on Dask distributed: videos and their scenes as tasks across workers.

``workers=N`` starts a ``LocalCluster`` of N single-threaded worker processes on this
machine; ``scheduler="tcp://host:8786"`` uses a running cluster whose workers see the
same paths (the workspace and the output folder on shared storage) and have pdf2video
installed. Per input: one ``prepare`` task (read .. backdrops), then one task per scene,
then one ``finish`` task (soundtrack, export). The tasks only touch project folders: this
process, which submitted them, is the only one that writes the store.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from pdf2video.core.batch import tasks
from pdf2video.core.batch.outcome import Finished, Outcome, message
from pdf2video.core.batch.progress import WEIGHTS, ItemProgress
from pdf2video.core.batch.tasks import Work
from pdf2video.core.errors import ClusterUnavailable

PREPARED = sum(w for stage, w in WEIGHTS.items() if stage not in ("compose", "export"))
CONNECT_TIMEOUT_S = 20
# Dask's nannies start workers with MALLOC_TRIM_THRESHOLD_=65536, which makes glibc map and
# unmap every frame buffer: scenes rendered 1.7x slower (measured). Not for our workers.
TRIM = "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_"


@dataclass
class Cluster:
    client: Any  # distributed.Client
    description: str
    dashboard: str | None


@contextmanager
def cluster(workers: int, scheduler: str | None) -> Iterator[Cluster]:
    """A client of the cluster asked for, closed (and a local cluster stopped) afterwards."""
    try:
        import dask  # noqa: PLC0415
        from distributed import Client, LocalCluster  # noqa: PLC0415
    except ImportError:
        raise ClusterUnavailable(
            "Dask is not installed: pip install 'pdf2video[batch]' (the distributed package)"
        ) from None
    local = None
    try:
        if scheduler:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT_S)
            description = f"on the Dask cluster at {scheduler}"
        else:
            with dask.config.set({TRIM: None}):
                local = LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,  # a scene's ffmpeg already uses several cores
                    processes=True,
                    silence_logs=logging.CRITICAL,  # a bad input's failure is in the report
                )
            client = Client(local)
            description = f"on a LocalCluster of {workers} worker{'s' * (workers != 1)}"
    except Exception as exc:  # OSError, TimeoutError, "Nanny failed to start", ...
        if local is not None:
            local.close()
        if scheduler:
            raise ClusterUnavailable(
                f"could not reach the Dask scheduler {scheduler}: {exc}"
            ) from None
        raise ClusterUnavailable(
            f"the local Dask cluster did not start ({exc}); from a Python script, call "
            "run_batch under 'if __name__ == \"__main__\":' (its workers are new processes)"
        ) from None
    try:
        yield Cluster(client, description, _dashboard(client))
    finally:
        client.close()
        if local is not None:
            local.close()


def _dashboard(client: Any) -> str | None:
    try:
        import bokeh  # noqa: F401, PLC0415  (the dashboard needs it)
    except ImportError:
        return None
    link = getattr(client, "dashboard_link", None)
    return str(link) if link else None


class _Tracker:
    """Which task is which, and how far each input has come."""

    def __init__(self) -> None:
        self.token = secrets.token_hex(4)
        self.tasks: dict[str, tuple[str, Work, int]] = {}  # key -> (kind, work, scene index)
        self.outcomes: dict[str, Outcome] = {}
        self.scenes_left: dict[str, int] = {}
        self.rendered: dict[str, int] = {}
        self.segments: dict[str, list[str]] = {}
        self.compose_started: dict[str, float] = {}

    def key(self, kind: str, work: Work, index: int = -1) -> str:
        key = f"pdf2video-{kind}-{work.name}-{index}-{self.token}"
        self.tasks[key] = (kind, work, index)
        return key


def render_on(
    cluster_: Cluster, works: list[Work], report: ItemProgress, finished: Finished
) -> None:
    """Every input's tasks, submitted as their inputs become ready; ``finished`` as each ends."""
    from distributed import as_completed  # noqa: PLC0415

    client = cluster_.client
    track = _Tracker()
    pending = as_completed()
    for work in works:
        track.outcomes[work.name] = Outcome()
        pending.add(client.submit(tasks.prepare, work, key=track.key("prepare", work), priority=0))
    for future in pending:
        kind, work, index = track.tasks[future.key]
        outcome = track.outcomes[work.name]
        if outcome.error is not None:
            continue  # another task of this input failed first
        if future.status != "finished":
            outcome.error = message(future.exception())
            finished(work, outcome)
            continue
        result = future.result()
        if kind == "prepare":
            outcome.prepared = result
            outcome.stage_s.update(result.stage_s)
            track.scenes_left[work.name] = result.scenes + 1  # and the soundtrack
            track.rendered[work.name] = 0
            track.segments[work.name] = [""] * result.scenes
            track.compose_started[work.name] = time.monotonic()
            report(work.name, PREPARED, "compose")
            pending.add(
                client.submit(tasks.soundtrack, work, key=track.key("soundtrack", work), priority=1)
            )
            for scene in range(result.scenes):
                pending.add(
                    client.submit(
                        tasks.render_scene,
                        work,
                        scene,
                        key=track.key("scene", work, scene),
                        priority=1,  # finish the videos under way before starting new ones
                    )
                )
        elif kind in ("scene", "soundtrack"):
            if kind == "scene":
                segment, rendered = result
                track.segments[work.name][index] = segment
                track.rendered[work.name] += int(rendered)
            track.scenes_left[work.name] -= 1
            assert outcome.prepared is not None
            parts = outcome.prepared.scenes + 1  # the scenes and the soundtrack
            done = parts - track.scenes_left[work.name]
            report(work.name, PREPARED + WEIGHTS["compose"] * done / parts, "compose")
            if track.scenes_left[work.name] == 0:
                outcome.stage_s["compose"] = round(
                    time.monotonic() - track.compose_started[work.name], 3
                )
                pending.add(
                    client.submit(
                        tasks.finish,
                        work,
                        track.rendered[work.name],
                        key=track.key("finish", work),
                        priority=2,
                    )
                )
        else:
            seconds, outcome.warnings = result
            outcome.stage_s["export"] = seconds
            outcome.segments = track.segments[work.name]
            finished(work, outcome)
