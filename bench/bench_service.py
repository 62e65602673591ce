"""Benchmark: the pdf2video service's API latency, SSE fan-out and Range streaming.

    .venv/bin/python bench/bench_service.py [--jobs 10000] [--clients 100] [--mb 100]

A fresh workspace gets 10,000 jobs of one user (rows written straight into the store,
as a busy service would have them), then the real service (``pdf2video serve
--no-worker``) runs on 127.0.0.1 and this process calls it over TCP with httpx:

- latency of ``GET /jobs`` (a page of 50, newest first) and ``GET /jobs/{id}`` (a random
  job), 500 sequential calls each, p50 and p99, for the owner and for an admin;
- SSE fan-out: 100 clients follow one job while its row changes 20 times; the delay
  from each change to each client's event, and whether every client saw the end;
- Range streaming: a 100 MB video read whole and in 8 MB ranges, MB/s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pdf2video.core.jobs import JobRequest, JobStatus
from pdf2video.core.store import open_store
from pdf2video.core.users import get_user
from tests.service.conftest import OWNER_TOKEN, start_service, stop_service


def fill(home: Path, jobs: int) -> list[str]:
    """``jobs`` finished jobs of ``ada`` (and a few of ``bob``) in the store; their ids."""
    store = open_store(home)
    get_user(store, "ada")
    get_user(store, "bob")
    request = JobRequest(source_type="text_images", text_content="# A\n\nText.", draft=True)
    body = request.model_dump_json(exclude_none=True)
    start = time.time() - jobs
    ids, rows = [], []
    for n in range(jobs):
        job_id = uuid.uuid4().hex[:16]
        ids.append(job_id)
        owner = "bob" if n % 10 == 0 else "ada"
        rows.append(
            (
                job_id,
                owner,
                f"Video {n}",
                "text_images",
                JobStatus.COMPLETED.value,
                body,
                start + n,
                start + n,
                1.0,
            )
        )
    with store.transaction() as conn:
        conn.executemany(
            "INSERT INTO jobs (id, owner, title, source_type, status, request, created_at,"
            " updated_at, progress) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    store.close()
    return [i for i, r in zip(ids, rows, strict=True) if r[1] == "ada"]


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p50 = statistics.median(ordered) * 1000
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000
    return f"p50 {p50:.1f} ms, p99 {p99:.1f} ms"


def latency(client: httpx.Client, path: str | list[str], calls: int = 500) -> list[float]:
    samples = []
    for n in range(calls):
        target = path if isinstance(path, str) else path[n % len(path)]
        began = time.perf_counter()
        answer = client.get(target)
        samples.append(time.perf_counter() - began)
        assert answer.status_code == 200, answer.text
    return samples


async def fan_out(api: str, token: str, job_id: str, home: Path, clients: int) -> None:
    changes: dict[int, float] = {}
    delays: list[float] = []
    ended = 0

    async def follow(http: httpx.AsyncClient) -> None:
        nonlocal ended
        async with http.stream("GET", f"/jobs/{job_id}/events") as answer:
            async for line in answer.aiter_lines():
                if line.startswith("data:"):
                    state = json.loads(line[5:])
                    step = int(state["progress"] * 100)
                    if step in changes:
                        delays.append(time.perf_counter() - changes[step])
                    if state["status"] == "completed":
                        ended += 1

    limits = httpx.Limits(max_connections=clients + 10)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=api, headers=headers, limits=limits, timeout=60) as http:
        followers = [asyncio.create_task(follow(http)) for _ in range(clients)]
        await asyncio.sleep(3)  # everyone connected and has the first state
        store = open_store(home)
        for step in range(1, 21):
            status = JobStatus.COMPLETED if step == 20 else JobStatus.COMPOSING
            changes[step * 5] = time.perf_counter()
            with store.transaction() as conn:
                conn.execute(
                    "UPDATE jobs SET status = ?, progress = ?, updated_at = ? WHERE id = ?",
                    (status.value, step * 5 / 100, time.time(), job_id),
                )
            await asyncio.sleep(0.5)
        await asyncio.wait_for(asyncio.gather(*followers), timeout=30)
        store.close()
    print(
        f"SSE fan-out, {clients} clients x 20 changes: delivery {percentiles(delays)}; "
        f"{len(delays)} events of {clients * 20}; {ended}/{clients} saw the end"
    )


def read_all(client: httpx.Client, path: str, headers: dict[str, str] | None = None) -> int:
    got = 0
    with client.stream("GET", path, headers=headers) as answer:
        assert answer.status_code in (200, 206), answer.status_code
        for chunk in answer.iter_raw(1 << 20):
            got += len(chunk)
    return got


def streaming(client: httpx.Client, video_id: str, size: int, rounds: int = 5) -> None:
    """MB/s reading the video whole, and in 8 MB ranges; the median of ``rounds``."""
    path, step = f"/videos/{video_id}/stream", 8 << 20
    whole, ranged = [], []
    for _ in range(rounds):
        began = time.perf_counter()
        assert read_all(client, path) == size
        whole.append(size / 1e6 / (time.perf_counter() - began))
        began = time.perf_counter()
        for start in range(0, size, step):
            end = min(size, start + step) - 1
            got = read_all(client, path, {"Range": f"bytes={start}-{end}"})
            assert got == end - start + 1
        ranged.append(size / 1e6 / (time.perf_counter() - began))
    print(
        f"Range streaming of {size / 1e6:.0f} MB (median of {rounds}): "
        f"whole {statistics.median(whole):.0f} MB/s, "
        f"in 8 MB ranges {statistics.median(ranged):.0f} MB/s"
    )


def add_video(home: Path, megabytes: int) -> tuple[str, int]:
    path = home / "projects" / "bench" / "out" / "video.mp4"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        for _ in range(megabytes):
            out.write(os.urandom(1 << 20))
    store = open_store(home)
    video_id = uuid.uuid4().hex[:16]
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO videos (id, owner, title, path, size_bytes, created_at)"
            " VALUES (?, 'ada', 'Big', ?, ?, ?)",
            (video_id, str(path.relative_to(home)), path.stat().st_size, time.time()),
        )
    store.close()
    return video_id, path.stat().st_size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--mb", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-service-") as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        open_store(home).close()
        ids = fill(home, args.jobs)
        video_id, size = add_video(home, args.mb)
        service = start_service(home, "--no-worker")
        try:
            token = service.token_for("ada")
            with service.client(token=token) as ada, service.client(token=OWNER_TOKEN) as admin:
                latency(ada, "/jobs", 50)  # warm up
                print(f"{args.jobs} jobs in the store (one user has {len(ids)}):")
                print(f"  GET /jobs (50 a page), owner: {percentiles(latency(ada, '/jobs'))}")
                print(f"  GET /jobs (50 a page), admin: {percentiles(latency(admin, '/jobs'))}")
                random.seed(1)
                paths = [f"/jobs/{random.choice(ids)}" for _ in range(500)]
                print(f"  GET /jobs/{{id}}:               {percentiles(latency(ada, paths))}")
                page = f"/jobs?offset={len(ids) - 60}&search=Video"
                print(f"  GET /jobs, a late page, search: {percentiles(latency(ada, page, 200))}")
                streaming(ada, video_id, size)
            store = open_store(home)
            with store.transaction() as conn:
                conn.execute(
                    "UPDATE jobs SET status = 'pending', progress = 0 WHERE id = ?", (ids[-1],)
                )
            store.close()
            asyncio.run(fan_out(service.api, token, ids[-1], home, args.clients))
        finally:
            stop_service(service)
    return 0


if __name__ == "__main__":
    sys.exit(main())
