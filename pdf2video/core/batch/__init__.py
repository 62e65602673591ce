"""Headless batches: many documents rendered without a browser, in one process or on Dask.

``run_batch`` takes the parameters of ``notebooks/batch.ipynb`` (:class:`BatchParams`),
expands the inputs (PDFs, folders, ZIPs, text-plus-images folders), skips the ones whose
video is up to date, renders the rest (:mod:`.local` here, or :mod:`.on_dask` across a
Dask cluster, with the same segments either way), files each video in the library under
the running user, and returns a :class:`BatchResult` for the report. Only the process
that runs ``run_batch`` opens the store; the workers only read and write project folders.
"""

from __future__ import annotations

from pdf2video.core.batch.models import BatchParams, BatchResult, ItemResult
from pdf2video.core.batch.runner import run_batch

__all__ = ["BatchParams", "BatchResult", "ItemResult", "run_batch"]
