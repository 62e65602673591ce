"""Jobs: create, list with paging and filters, follow live (SSE), cancel, retry, delete."""

from __future__ import annotations

from collections.abc import AsyncIterable
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.exceptions import RequestValidationError
from fastapi.sse import EventSourceResponse, ServerSentEvent
from pydantic import ValidationError

from pdf2video.core.jobs import Job, JobFilter, JobStatus, count_jobs
from pdf2video.service.deps import BackendDep, PartsDep
from pdf2video.service.schemas import JobCreate, JobOut, Page

router = APIRouter(prefix="/jobs", tags=["jobs"])


@router.post("", status_code=201)
def create_job(body: JobCreate, backend: BackendDep, parts: PartsDep) -> JobOut:
    parts.limiter.check(backend.user.name, "jobs")
    try:
        request = body.request()
    except ValidationError as exc:
        raise RequestValidationError(exc.errors()) from None
    return JobOut.of(backend.submit(request))


@router.get("")
def list_jobs(
    backend: BackendDep,
    status: Annotated[list[JobStatus] | None, Query()] = None,
    since: Annotated[float | None, Query(description="created at or after (epoch s)")] = None,
    until: Annotated[float | None, Query()] = None,
    search: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Page[JobOut]:
    query = JobFilter(
        status=status or [], since=since, until=until, search=search, limit=limit, offset=offset
    )
    items = [JobOut.of(j) for j in backend.jobs(query)]
    return Page(
        items=items,
        total=count_jobs(backend.store, backend.user, query),
        limit=limit,
        offset=offset,
    )


def owned_job(job_id: str, backend: BackendDep) -> Job:
    return backend.job(job_id)


OwnedJob = Annotated[Job, Depends(owned_job)]


@router.get("/{job_id}")
def get_job(job: OwnedJob) -> JobOut:
    return JobOut.of(job)


@router.get("/{job_id}/events", response_class=EventSourceResponse)
async def job_events(job: OwnedJob, parts: PartsDep) -> AsyncIterable[ServerSentEvent]:
    """The job now, then each change of status or progress; the stream ends on a final status."""
    async for number, state in _numbered(parts.watcher.follow(job)):
        yield ServerSentEvent(
            data=JobOut.of(state).model_dump(mode="json"), event="job", id=str(number)
        )


async def _numbered(states: AsyncIterable[Job]) -> AsyncIterable[tuple[int, Job]]:
    number = 0
    async for state in states:
        number += 1
        yield number, state


@router.post("/{job_id}/cancel")
def cancel_job(job: OwnedJob, backend: BackendDep) -> JobOut:
    return JobOut.of(backend.cancel(job.id))


@router.post("/{job_id}/retry")
def retry_job(job: OwnedJob, backend: BackendDep, parts: PartsDep) -> JobOut:
    parts.limiter.check(backend.user.name, "jobs")
    return JobOut.of(backend.retry(job.id))


@router.delete("/{job_id}")
def delete_job(job: OwnedJob, backend: BackendDep) -> JobOut:
    return JobOut.of(backend.delete_job(job.id))
