"""The SQLite store: its file, its migrations, and many writers at once."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap

import pytest

from pdf2video.core.errors import ProjectError
from pdf2video.core.store import MIGRATIONS, Store
from tests import builders

WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from pdf2video.core import job_queue
    from pdf2video.core.store import Store

    store = Store(Path(sys.argv[1]))
    claimed = job_queue.claim_next(store, limit=100)
    assert claimed is not None, "no job to claim"
    writes, slowest, deadline = 0, 0.0, time.monotonic() + float(sys.argv[2])
    while time.monotonic() < deadline:
        started = time.perf_counter()
        assert job_queue.report(store, claimed, "compose", (writes % 100) / 100, "frame", 1.0)
        job_queue.heartbeat(store, [claimed.claim])
        job_queue.still_wanted(store, claimed)
        slowest = max(slowest, time.perf_counter() - started)
        writes += 1
        time.sleep(0.01)
    print(writes, round(slowest * 1000, 1))
    """
)


def test_the_store_is_one_wal_file_with_every_table(settings):
    store = Store(settings.pdf2video_home / "pdf2video.db")
    assert store.one("PRAGMA journal_mode")["journal_mode"] == "wal"
    assert store.one("PRAGMA user_version")["user_version"] == len(MIGRATIONS)
    assert {"users", "uploads", "jobs", "videos", "presets", "settings"} <= set(
        store.db.table_names()
    )
    again = Store(store.path)  # opening again migrates nothing and loses nothing
    assert again.one("PRAGMA user_version")["user_version"] == len(MIGRATIONS)


def test_a_store_from_a_newer_version_is_refused_untouched(settings):
    path = settings.pdf2video_home / "pdf2video.db"
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 99")
    with pytest.raises(ProjectError, match="newer pdf2video"):
        Store(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 99


def test_four_processes_writing_progress_for_30_s_never_see_a_locked_database(alice):
    for n in range(4):
        alice.submit(builders.tiny_job(title=f"Job {n}"))
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(alice.store.path), "30"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    results = [w.communicate(timeout=90) for w in writers]
    for writer, (out, err) in zip(writers, results, strict=True):
        assert writer.returncode == 0, err
        assert "locked" not in err
        writes, _slowest_ms = out.split()
        assert int(writes) > 300  # each kept writing all along
    jobs = alice.jobs()
    assert all(0 < j.progress < 1 and j.status.value == "composing" for j in jobs)
