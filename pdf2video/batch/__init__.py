"""The batch front door: ``notebooks/batch.ipynb`` run by papermill, and ``pdf2video batch``.

The work is in :mod:`pdf2video.core.batch`; this layer presents it in a notebook
(:mod:`.report`: the table, the chart of time per stage, the warnings) and runs the
notebook from a shell (:mod:`.cli`).
"""
