"""Health: is the service up and its store readable; which encoder renders, on which GPU."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from pdf2video import __version__
from pdf2video.core.encoder import choose, gpu_name, probe
from pdf2video.service.deps import PartsDep
from pdf2video.service.schemas import GpuHealth, Health

router = APIRouter(prefix="/health", tags=["health"])


@router.get("")
def health(parts: PartsDep) -> Health:
    parts.store.one("SELECT 1 AS ok")
    return Health(status="ok", version=__version__, store="ok")


@router.get("/gpu")
async def gpu(parts: PartsDep) -> GpuHealth:
    """The encoder probe's result (a tiny test encode, cached) and the GPU's name."""
    nvenc = await run_in_threadpool(probe, "h264_nvenc")
    choice = await run_in_threadpool(choose, parts.settings.video_codec)
    return GpuHealth(encoder=choice.name, nvenc=nvenc, gpu=await run_in_threadpool(gpu_name))
