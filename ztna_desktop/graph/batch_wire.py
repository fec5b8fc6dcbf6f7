"""The ``$batch`` JSON format: sub-requests out, sub-responses back as typed results."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from requests.structures import CaseInsensitiveDict

from ztna_desktop.core.errors import BadResponse
from ztna_desktop.graph.batch_items import BatchItem, BatchResult
from ztna_desktop.graph.policy import error_from_parts


def wire_request(name: str, item: BatchItem, names: Mapping[str, str]) -> dict[str, Any]:
    """``item`` as a sub-request named ``name``; ``names`` maps item ids to wire names."""
    request: dict[str, Any] = {"id": name, "method": item.method.upper(), "url": item.url}
    headers = dict(item.headers)
    if item.body is not None:
        headers.setdefault("Content-Type", "application/json")
        request["body"] = item.body
    if headers:
        request["headers"] = headers
    if item.depends_on:
        request["dependsOn"] = [names[d.lower()] for d in item.depends_on]
    return request


def parse_answers(content: bytes) -> dict[str, dict[str, Any]]:
    """The sub-responses of a ``$batch`` response body, by wire name (any order)."""
    try:
        body = json.loads(content)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadResponse(
            "Microsoft Graph sent a batch response that is not JSON.",
            status=200,
            code="InvalidJson",
        ) from exc
    responses = body.get("responses") if isinstance(body, dict) else None
    if not isinstance(responses, list):
        raise BadResponse(
            "Microsoft Graph sent a batch response without responses.",
            status=200,
            code="InvalidShape",
        )
    return {
        str(r.get("id")): r for r in responses if isinstance(r, dict) and r.get("id") is not None
    }


def result_of(item: BatchItem, answer: dict[str, Any] | None) -> BatchResult:
    """``item``'s sub-response as a result (a missing one is a ``BadResponse``)."""
    if answer is None:
        missing = BadResponse("Graph left a batch request unanswered.", status=0)
        return BatchResult(item.id, 0, {}, None, missing)
    status = answer.get("status")
    status = status if isinstance(status, int) and not isinstance(status, bool) else 0
    raw = answer.get("headers")
    headers = CaseInsensitiveDict(raw if isinstance(raw, dict) else {})
    body = answer.get("body")
    error = None if 200 <= status < 300 else error_from_parts(status, headers, body)
    return BatchResult(item.id, status, headers, body, error)
