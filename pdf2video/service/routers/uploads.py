"""Uploads: a PDF, images, music or a packed studio project, checked by their content."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, UploadFile
from starlette.concurrency import run_in_threadpool

from pdf2video.core.errors import UnsupportedFileType
from pdf2video.service.deps import BackendDep, PartsDep
from pdf2video.service.schemas import UploadOut

router = APIRouter(prefix="/uploads", tags=["uploads"])


async def _keep(backend: BackendDep, parts: PartsDep, files: list[UploadFile]) -> list[UploadOut]:
    parts.limiter.check(backend.user.name, "uploads", count=len(files))
    kept = []
    for item in files:
        if item.filename is None:
            raise UnsupportedFileType("the upload has no file name")
        upload = await run_in_threadpool(backend.upload, item.file, item.filename)
        kept.append(UploadOut.of(upload))
    return kept


@router.post("", status_code=201)
async def upload_file(
    backend: BackendDep, parts: PartsDep, file: Annotated[UploadFile, File()]
) -> UploadOut:
    """One file in the multipart field ``file``; the same content again returns the earlier one."""
    return (await _keep(backend, parts, [file]))[0]


@router.post("/images", status_code=201)
async def upload_images(
    backend: BackendDep, parts: PartsDep, files: Annotated[list[UploadFile], File()]
) -> list[UploadOut]:
    """Several images in the multipart field ``files``."""
    return await _keep(backend, parts, files)


@router.get("")
def list_uploads(
    backend: BackendDep,
    kind: Annotated[str | None, Query(pattern="^(pdf|image|music|project)$")] = None,
) -> list[UploadOut]:
    return [UploadOut.of(u) for u in backend.uploads(kind)]


@router.delete("/{upload_id}")
def delete_upload(backend: BackendDep, upload_id: str) -> UploadOut:
    return UploadOut.of(backend.delete_upload(upload_id))
