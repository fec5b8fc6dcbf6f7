"""POST /$batch: up to 20 sub-requests, each routed, authorised and fault-injected on its own.

Rules (reference §4): ``requests`` of at most 20; each with ``id`` (unique, case-insensitive),
``method`` and a relative ``url``; ``headers`` with Content-Type whenever a ``body`` is given
(and a write needs a body); ``dependsOn`` ids must be in the batch. A broken batch is one
400; otherwise the answer is 200 with one response per request, in dependency order. A
request whose dependency did not succeed answers 424 without running. Sub-requests inherit
the batch's Authorization header.
"""

from __future__ import annotations

import json
import uuid
from typing import Any
from urllib.parse import quote

from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request, Response

from ztna_desktop.emulator.graph_errors import GraphError, bad_request
from ztna_desktop.emulator.permissions import Principal
from ztna_desktop.emulator.state import State

MAX_REQUESTS = 20
WRITES = frozenset({"POST", "PATCH", "PUT"})
METHODS = frozenset({"GET", "POST", "PATCH", "PUT", "DELETE", "HEAD"})
INVALID = "Invalid batch payload format."


def _fail(message: str) -> GraphError:
    return bad_request(message, "BadRequest")


def _validate(payload: Any) -> list[dict[str, Any]]:
    if not isinstance(payload, dict) or not isinstance(payload.get("requests"), list):
        raise _fail(INVALID)
    items: list[dict[str, Any]] = payload["requests"]
    if not items:
        raise _fail(INVALID)
    if len(items) > MAX_REQUESTS:
        raise _fail(
            f"Number of requests in the batch should not be more than {MAX_REQUESTS}; "
            f"found {len(items)}."
        )
    seen: set[str] = set()
    for item in items:
        if not isinstance(item, dict):
            raise _fail(INVALID)
        ident, method, url = item.get("id"), item.get("method"), item.get("url")
        if not isinstance(ident, str) or not ident:
            raise _fail("Request Id is required in a batch request.")
        if not isinstance(method, str) or method.upper() not in METHODS:
            raise _fail(f"Invalid method in request id : {ident}.")
        if not isinstance(url, str) or not url:
            raise _fail(f"Url is required in request id : {ident}.")
        if "://" in url:
            raise _fail(f"Request id : {ident} has an absolute url; batch urls must be relative.")
        if ident.lower() in seen:
            raise _fail(
                f"Request Id : {ident} must be unique in a batch (ids are case-insensitive)."
            )
        seen.add(ident.lower())
        headers = item.get("headers")
        if headers is not None and not isinstance(headers, dict):
            raise _fail(INVALID)
        has_type = any(k.lower() == "content-type" for k in headers or {})
        if ("body" in item and item["body"] is not None and not has_type) or (
            method.upper() in WRITES and item.get("body") is None
        ):
            raise _fail(f"Write request id : {ident} does not contain Content-Type header or body.")
    for item in items:
        depends = item.get("dependsOn") or []
        if not isinstance(depends, list) or not all(isinstance(d, str) for d in depends):
            raise _fail(INVALID)
        for dep in depends:
            if dep.lower() not in seen or dep.lower() == str(item["id"]).lower():
                raise _fail(f"Request id : {item['id']} depends on '{dep}', not in the batch.")
    return items


def _order(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Requests in an order where each comes after what it depends on; 400 on a cycle."""
    done: set[str] = set()
    ordered: list[dict[str, Any]] = []
    pending = list(items)
    while pending:
        ready = [i for i in pending if all(d.lower() in done for d in i.get("dependsOn") or [])]
        if not ready:
            raise _fail("The dependsOn of the batch requests form a cycle.")
        for item in ready:
            ordered.append(item)
            done.add(str(item["id"]).lower())
            pending.remove(item)
    return ordered


def _sub_request(outer: Request, item: dict[str, Any]) -> Request:
    url = str(item["url"])
    path, _, query = url.lstrip("/").partition("?")
    headers = {str(k): str(v) for k, v in (item.get("headers") or {}).items()}
    for name in ("Authorization", "client-request-id"):
        if outer.headers.get(name) and name.lower() not in {k.lower() for k in headers}:
            headers[name] = outer.headers[name]
    body = item.get("body")
    data: bytes | None = None
    if body is not None:
        data = json.dumps(body).encode() if not isinstance(body, str) else body.encode()
    builder = EnvironBuilder(
        path="/v1.0/" + quote(path, safe="/$%'()=,:@;!*+"),
        query_string=quote(query, safe="=&$%,'()/:;@+!*"),
        method=str(item["method"]).upper(),
        headers=list(headers.items()),
        data=data,
        base_url=outer.host_url,
    )
    try:
        return Request(builder.get_environ())
    finally:
        builder.close()


def _answer(ident: str, response: Response) -> dict[str, Any]:
    out: dict[str, Any] = {"id": ident, "status": response.status_code}
    headers: dict[str, str] = {}
    for name in ("Retry-After", "Location", "request-id", "client-request-id"):
        if name in response.headers:
            headers[name] = response.headers[name]
    raw = response.get_data()
    if raw:
        content_type = response.headers.get("Content-Type", "application/json")
        headers["Content-Type"] = content_type
        if content_type.startswith("application/json"):
            try:
                out["body"] = json.loads(raw)
            except ValueError:
                out["body"] = raw.decode("latin-1")
        else:
            out["body"] = raw.decode("utf-8", "replace")
    out["headers"] = headers
    return out


def _failed_dependency(ident: str) -> dict[str, Any]:
    return {
        "id": ident,
        "status": 424,
        "headers": {"Content-Type": "application/json"},
        "body": {
            "error": {
                "code": "FailedDependency",
                "message": "The request was not run because a request it depends on failed.",
            }
        },
    }


def batch(state: State, request: Request, principal: Principal) -> dict[str, Any]:
    """Run a JSON batch; the outer answer is 200 once the payload is valid."""
    payload = request.get_json(silent=True)
    items = _order(_validate(payload))
    if state.dispatch is None:
        raise GraphError(500, "generalException", "Batching is not available.")
    batch_id = str(request.environ.get("emulator.request_id") or uuid.uuid4())
    statuses: dict[str, int] = {}
    responses: list[dict[str, Any]] = []
    for item in items:
        ident = str(item["id"])
        depends = [d.lower() for d in item.get("dependsOn") or []]
        if any(not 200 <= statuses[d] < 300 for d in depends):
            answer = _failed_dependency(ident)
        else:
            answer = _answer(ident, state.dispatch(_sub_request(request, item), batch_id))
        statuses[ident.lower()] = int(answer["status"])
        responses.append(answer)
    return {"responses": responses}
