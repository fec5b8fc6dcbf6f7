"""Graph's failure vocabulary: which answers to retry, how long to wait, which error to raise."""

from __future__ import annotations

import email.utils
import random
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import requests
import urllib3.exceptions

from ztna_desktop.core.errors import AccessDenied, NotFound, ServiceError, Throttled

RETRY_STATUSES = frozenset({429, 503, 504})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
BACKOFF_BASE = 0.5  # seconds; attempt n waits uniform(0, min(cap, base * 2**n))
BACKOFF_CAP = 30.0
RETRY_AFTER_CAP = 300.0  # never sleep longer than this on the service's say-so


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    if seconds != seconds:  # NaN
        return None
    return min(max(seconds, 0.0), RETRY_AFTER_CAP)


def backoff_delay(attempt: int, rng: random.Random) -> float:
    """Full-jitter exponential backoff for retry number ``attempt`` (0-based)."""
    return rng.uniform(0.0, min(BACKOFF_CAP, BACKOFF_BASE * (2**attempt)))


def error_from_response(resp: requests.Response) -> ServiceError:
    """The typed error for a Graph error answer (envelope parsed when present)."""
    try:
        body = resp.json()
    except ValueError:
        body = None
    return error_from_parts(resp.status_code, resp.headers, body, resp.reason or "")


def error_from_parts(
    status: int, headers: Mapping[str, str], body: Any, reason: str = ""
) -> ServiceError:
    """The typed error for an error answer given as its parts (``$batch`` sub-responses too).

    ``headers`` should look keys up case-insensitively (``requests``' headers do).
    """
    code, message, request_id = "", "", headers.get("request-id")
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        err = body["error"]
        code = str(err.get("code") or "")
        message = str(err.get("message") or "")
        inner = err.get("innerError") or err.get("innererror")
        if not request_id and isinstance(inner, dict):
            request_id = inner.get("request-id")
    text = message or f"HTTP {status} {reason}".strip()
    text = f"Microsoft Graph: {text}" + (f" [{code}]" if code else "")
    kind: type[ServiceError]
    if status in (401, 403):
        kind = AccessDenied
    elif status == 404:
        kind = NotFound
    elif status in RETRY_STATUSES:
        kind = Throttled
    else:
        kind = ServiceError
    return kind(text, status=status, code=code, request_id=request_id)


def is_dropped(exc: requests.ConnectionError) -> bool:
    """True if the request may have reached the server before the connection died."""
    reason: BaseException | None = exc.args[0] if exc.args else None
    if isinstance(reason, urllib3.exceptions.MaxRetryError):
        reason = reason.reason
    return not isinstance(reason, urllib3.exceptions.NewConnectionError)
