"""Uploads: a PDF, images, music or a packed studio project, checked by their content.

The caller is known, and their rate checked, before a byte of the body is read: the
routes parse the multipart body themselves rather than let the framework spool it
first. The body streams to a temporary file (cut off at the size limit, see
:mod:`pdf2video.service.body_limit`), then through the core's checks into the store.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from pdf2video.core.errors import UnsupportedFileType
from pdf2video.service.deps import BackendDep, PartsDep
from pdf2video.service.schemas import UploadOut

router = APIRouter(prefix="/uploads", tags=["uploads"])
MAX_FILES = 50


def multipart(field: str, *, many: bool) -> dict[str, Any]:
    """The OpenAPI description of a multipart body with the file field ``field``."""
    binary = {"type": "string", "format": "binary"}
    schema = {"type": "array", "items": binary} if many else binary
    return {
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {"type": "object", "properties": {field: schema}, "required": [field]}
                }
            },
        }
    }


async def _keep(
    request: Request, backend: BackendDep, parts: PartsDep, field: str
) -> list[UploadOut]:
    async with request.form(max_files=MAX_FILES, max_fields=MAX_FILES) as form:
        files = [f for f in form.getlist(field) if isinstance(f, UploadFile)]
        if not files:
            raise UnsupportedFileType(f"send the file in the multipart field {field!r}")
        parts.limiter.check(backend.user.name, "uploads", count=len(files))
        kept = []
        for item in files:
            if not item.filename:
                raise UnsupportedFileType("the upload has no file name")
            upload = await run_in_threadpool(backend.upload, item.file, item.filename)
            kept.append(UploadOut.of(upload))
        return kept


@router.post("", status_code=201, openapi_extra=multipart("file", many=False))
async def upload_file(request: Request, backend: BackendDep, parts: PartsDep) -> UploadOut:
    """One file in the multipart field ``file``; the same content again returns the earlier one."""
    parts.limiter.check(backend.user.name, "uploads", count=0)
    return (await _keep(request, backend, parts, "file"))[0]


@router.post("/images", status_code=201, openapi_extra=multipart("files", many=True))
async def upload_images(request: Request, backend: BackendDep, parts: PartsDep) -> list[UploadOut]:
    """Several images in the multipart field ``files`` (all in one request, within the limit)."""
    parts.limiter.check(backend.user.name, "uploads", count=0)
    return await _keep(request, backend, parts, "files")


@router.get("")
def list_uploads(
    backend: BackendDep,
    kind: Annotated[str | None, Query(pattern="^(pdf|image|music|project)$")] = None,
) -> list[UploadOut]:
    return [UploadOut.of(u) for u in backend.uploads(kind)]


@router.delete("/{upload_id}")
def delete_upload(backend: BackendDep, upload_id: str) -> UploadOut:
    return UploadOut.of(backend.delete_upload(upload_id))
