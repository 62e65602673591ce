"""Per-user rate limits on the costly actions (creating jobs, uploading files).

A sliding window of one minute per (user, action), in memory: the service is one
process, the only one that takes these requests, so no shared store is needed. Over
the limit, :class:`RateLimited` says how many seconds until the oldest request in the
window leaves it (the API answers 429 with ``Retry-After``).
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque

from pdf2video.core.errors import RateLimited

WINDOW_S = 60.0


class RateLimiter:
    def __init__(self, per_minute: dict[str, int]) -> None:
        self.per_minute = per_minute
        self._seen: dict[tuple[str, str], deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def check(self, user: str, action: str, *, count: int = 1) -> None:
        """Count ``count`` more ``action``s by ``user``, or refuse them all."""
        limit = self.per_minute[action]
        moment = time.monotonic()
        with self._lock:
            seen = self._seen[(user, action)]
            while seen and seen[0] <= moment - WINDOW_S:
                seen.popleft()
            if len(seen) + count > limit:
                wait = (seen[0] + WINDOW_S - moment) if seen else WINDOW_S
                raise RateLimited(
                    f"too many {action} requests: at most {limit} a minute; "
                    f"try again in {max(1, round(wait))} s",
                    retry_after_s=wait,
                )
            seen.extend([moment] * count)
