"""A sliding-window request limit per key (the reports API's 5 requests per 10 s)."""

from __future__ import annotations

import threading
import time
from collections import deque


class SlidingWindow:
    """At most ``limit`` admitted requests per ``window`` seconds for each key."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit, self.window = limit, window
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def admit(self, key: str) -> float | None:
        """Record a request; None if admitted, else the seconds until one would be."""
        now = time.monotonic()
        with self._lock:
            stamps = self._seen.setdefault(key, deque())
            while stamps and stamps[0] <= now - self.window:
                stamps.popleft()
            if len(stamps) >= self.limit:
                return max(0.001, stamps[0] + self.window - now)
            stamps.append(now)
            return None

    def clear(self) -> None:
        with self._lock:
            self._seen.clear()
