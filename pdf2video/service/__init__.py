"""The pdf2video service: the ``/api/v1`` HTTP API over ``pdf2video.core`` for many users.

Routes stay thin and call core. Built in the service issue.
"""

from __future__ import annotations
