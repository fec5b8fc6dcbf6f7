"""Fault injection for Graph requests: latency, 429, 503/504, dropped connections, garbage."""

from __future__ import annotations

import json
import random
import threading
import time
import uuid

from werkzeug.wrappers import Response

from ztna_desktop.emulator.graph_errors import GraphError
from ztna_desktop.emulator.options import FaultSettings

GARBAGE = (
    b"<html><head><title>502 Bad Gateway</title></head><body>Bad gateway</body></html>",
    b'{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users","value":[{"id":"',
    b"\x00\x1f\x8b not json at all",
)


class FaultInjector:
    """Rolls the dice for each Graph request against the live FaultSettings."""

    def __init__(self, settings: FaultSettings, seed: int) -> None:
        self.settings = settings
        self._rng = random.Random(seed ^ 0x5EED)
        self._lock = threading.Lock()

    def wait(self) -> None:
        """Sleep the configured latency plus jitter (server side, it is the point)."""
        s = self.settings
        with self._lock:
            jitter = self._rng.uniform(0, s.jitter_ms) if s.jitter_ms > 0 else 0.0
        delay = (s.latency_ms + jitter) / 1000
        if delay > 0:
            time.sleep(delay)

    def decide(self) -> str | None:
        """Return drop | throttle | fault | garbage, or None for a normal answer."""
        s = self.settings
        with self._lock:
            roll = self._rng.random()
            pick = self._rng.random()
        edge = 0.0
        for name, rate in (
            ("drop", s.drop_rate),
            ("throttle", s.throttle_rate),
            ("fault", s.fault_rate),
            ("garbage", s.garbage_rate),
        ):
            edge += max(0.0, rate)
            if roll < edge:
                return name if name != "fault" else ("503" if pick < 0.5 else "504")
        return None

    def garbage(self) -> Response:
        with self._lock:
            body = self._rng.choice(GARBAGE)
        return Response(body, 200, content_type="application/json")


def retry_after_text(seconds: float) -> str:
    return f"{seconds:.3f}".rstrip("0").rstrip(".") or "0"


def throttled(settings: FaultSettings) -> GraphError:
    retry = retry_after_text(settings.retry_after)
    return GraphError(
        429,
        "TooManyRequests",
        "Please retry again later.",
        headers={"Retry-After": retry},
        inner={"code": "429", "message": "Please retry after", "status": "429"},
    )


def unavailable(status: str, settings: FaultSettings) -> GraphError:
    if status == "503":
        return GraphError(
            503,
            "serviceNotAvailable",
            "The service is temporarily unavailable. Please retry later.",
            headers={"Retry-After": retry_after_text(settings.retry_after)},
        )
    return GraphError(504, "gatewayTimeout", "The operation timed out.")


def error_response(error: GraphError, client_request_id: str | None) -> Response:
    request_id = str(uuid.uuid4())
    body = error.body(request_id, client_request_id or request_id)
    response = Response(json.dumps(body), error.status, content_type="application/json")
    response.headers.update(error.headers)
    response.headers["request-id"] = request_id
    response.headers["client-request-id"] = client_request_id or request_id
    return response
