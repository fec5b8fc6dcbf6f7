"""A fake Graph that answers ``$batch`` POSTs through a per-sub-request handler (unit tests)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.fakes import FakeSession, FakeTokenProvider, response
from ztna_desktop.graph.transport import GraphClient

BASE = "https://graph.example/v1.0"

#: handler(sub_request) -> (status, headers, body)
Handler = Callable[[dict[str, Any]], tuple[int, dict[str, str], Any]]


def ok(body: Any) -> tuple[int, dict[str, str], Any]:
    return 200, {}, body


def error(status: int, code: str, request_id: str = "rid", **headers: str):
    body = {"error": {"code": code, "message": f"{code} text", "innerError": {}}}
    return status, {"request-id": request_id, **headers}, body


class BatchSession(FakeSession):
    """Answers each POST /$batch by calling ``handler`` per sub-request; records every batch.

    ``reverse`` sends the sub-responses in reverse order (Graph does not keep the order).
    """

    def __init__(self, handler: Handler, *, reverse: bool = True) -> None:
        super().__init__()
        self.handler = handler
        self.reverse = reverse
        self.batches: list[list[dict[str, Any]]] = []

    def request(self, method, url, params=None, headers=None, json=None, timeout=None):
        self.sent.append({"method": method, "url": url, "params": params, "headers": headers})
        if self.answers:  # a queued whole-batch answer (e.g. an outer error) goes first
            return super().request(method, url, params, headers, json, timeout)
        assert method == "POST", method
        assert url == BASE + "/$batch", url
        assert headers["Content-Type"] == "application/json"
        subs = json["requests"]
        assert len(subs) <= 20
        self.batches.append(subs)
        out = []
        for sub in subs:
            status, sub_headers, body = self.handler(sub)
            out.append({"id": sub["id"], "status": status, "headers": sub_headers, "body": body})
        if self.reverse:
            out.reverse()
        return response(200, {"responses": out})


class FakeClock:
    """Monotonic time that moves only when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 3))
        self.now += seconds


def client_for(session: FakeSession, clock: FakeClock | None = None, **kwargs: Any) -> GraphClient:
    sleep = clock.sleep if clock is not None else (lambda s: None)
    return GraphClient(BASE, FakeTokenProvider(), ["x"], session=session, sleep=sleep, **kwargs)


def collection(values: list[Any], next_link: str | None = None) -> dict[str, Any]:
    page: dict[str, Any] = {"value": values}
    if next_link:
        page["@odata.nextLink"] = next_link
    return page
