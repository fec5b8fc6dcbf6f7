"""A client-side sliding-window rate limiter for APIs with a documented request budget."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(eq=False, slots=True)
class Slot:
    """One request counted by a limiter: sent at ``at``, then answered at ``at``."""

    at: float


class RateLimiter:
    """At most ``max_requests`` in any ``per_seconds`` window (thread-safe).

    Shared by every client in the process that calls the same rate-limited API.
    A request counts from when it is sent (``record``) and, once answered
    (``answered``), from when its answer came: the service admitted it somewhere
    in between, so the next window never opens before the service's does and a
    request sent exactly on time is not refused with a 429 for network jitter.
    """

    def __init__(
        self, max_requests: int, per_seconds: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.max_requests = max(1, max_requests)
        self.per_seconds = per_seconds
        self._clock = clock
        self._slots: list[Slot] = []
        self._hold_until = 0.0
        self._lock = threading.Lock()

    def delay(self) -> float:
        """Seconds until one more request may go (0 when it may go now)."""
        with self._lock:
            now = self._clock()
            self._slots = [s for s in self._slots if s.at > now - self.per_seconds]
            wait = self._hold_until - now
            if len(self._slots) >= self.max_requests:
                wait = max(wait, min(s.at for s in self._slots) + self.per_seconds - now)
            return max(0.0, wait)

    def record(self) -> Slot:
        """Count one request sent now; pass the slot to ``answered`` when its answer comes."""
        with self._lock:
            slot = Slot(self._clock())
            self._slots.append(slot)
            return slot

    def answered(self, slot: Slot) -> None:
        """The request of ``slot`` got its answer (or failed) now: it counts from now."""
        with self._lock:
            slot.at = self._clock()
            if slot not in self._slots:
                self._slots.append(slot)

    def hold(self, seconds: float) -> None:
        """Send nothing for ``seconds`` (the service said so with a 429)."""
        with self._lock:
            self._hold_until = max(self._hold_until, self._clock() + seconds)
