"""A client-side sliding-window rate limiter for APIs with a documented request budget."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable


class RateLimiter:
    """At most ``max_requests`` in any ``per_seconds`` window (thread-safe).

    Shared by every client in the process that calls the same rate-limited API.
    """

    def __init__(
        self, max_requests: int, per_seconds: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.max_requests = max(1, max_requests)
        self.per_seconds = per_seconds
        self._clock = clock
        self._sent: deque[float] = deque()
        self._hold_until = 0.0
        self._lock = threading.Lock()

    def delay(self) -> float:
        """Seconds until one more request may go (0 when it may go now)."""
        with self._lock:
            now = self._clock()
            while self._sent and self._sent[0] <= now - self.per_seconds:
                self._sent.popleft()
            wait = self._hold_until - now
            if len(self._sent) >= self.max_requests:
                wait = max(wait, self._sent[0] + self.per_seconds - now)
            return max(0.0, wait)

    def record(self) -> None:
        """Count one request sent now."""
        with self._lock:
            self._sent.append(self._clock())

    def hold(self, seconds: float) -> None:
        """Send nothing for ``seconds`` (the service said so with a 429)."""
        with self._lock:
            self._hold_until = max(self._hold_until, self._clock() + seconds)
