"""GraphClient: authenticated requests to Microsoft Graph with paging, retries and typed errors.

Retries (bounded by ``max_retries``): 429/503/504 honouring ``Retry-After`` (seconds,
fractional allowed, or an HTTP date), else exponential backoff with full jitter; and,
for idempotent methods only, connections that dropped or timed out. A 401
``InvalidAuthenticationToken`` gets one retry with a freshly refreshed token.
The cancel event is checked before every request and wakes every backoff sleep.
"""

from __future__ import annotations

import email.utils
import inspect
import json
import logging
import random
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3.exceptions

from ztna_desktop import net
from ztna_desktop.core.errors import (
    AccessDenied,
    BadResponse,
    Cancelled,
    NetworkError,
    NotFound,
    ServiceError,
    Throttled,
)
from ztna_desktop.core.protocols import TokenProvider

log = logging.getLogger(__name__)

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
    status = resp.status_code
    code, message, request_id = "", "", resp.headers.get("request-id")
    try:
        body = resp.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        err = body["error"]
        code = str(err.get("code") or "")
        message = str(err.get("message") or "")
        inner = err.get("innerError") or err.get("innererror")
        if not request_id and isinstance(inner, dict):
            request_id = inner.get("request-id")
    text = message or f"HTTP {status} {resp.reason or ''}".strip()
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


def _dropped(exc: requests.ConnectionError) -> bool:
    """True if the request may have reached the server before the connection died."""
    reason: BaseException | None = exc.args[0] if exc.args else None
    if isinstance(reason, urllib3.exceptions.MaxRetryError):
        reason = reason.reason
    return not isinstance(reason, urllib3.exceptions.NewConnectionError)


class GraphClient:
    """Requests to one Graph base URL with tokens from a ``TokenProvider``.

    One requests Session per client; a GraphClient belongs to one thread.
    """

    def __init__(
        self,
        base_url: str,
        tokens: TokenProvider,
        scopes: Sequence[str],
        *,
        session: requests.Session | None = None,
        extra_ca: str = "",
        cancel: threading.Event | None = None,
        max_retries: int = 5,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        timeout: float | tuple[float, float] | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        parts = urlsplit(self.base_url)
        self._origin = f"{parts.scheme}://{parts.netloc}"
        self._tokens = tokens
        self._scopes = list(scopes)
        self._owns_session = session is None
        self._session = session if session is not None else net.make_session(extra_ca)
        self._cancel = cancel
        self._max_retries = max(0, max_retries)
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._timeout = timeout
        self._request_count = 0
        try:
            params = inspect.signature(tokens.access_token).parameters
            self._can_force_refresh = "force_refresh" in params
        except (TypeError, ValueError):
            self._can_force_refresh = False

    @property
    def request_count(self) -> int:
        """HTTP requests sent so far, retries included."""
        return self._request_count

    def close(self) -> None:
        if self._owns_session:
            self._session.close()

    def __enter__(self) -> GraphClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- plumbing -------------------------------------------------------------

    def url(self, path_or_url: str) -> str:
        """An absolute URL on this client's Graph origin (absolute ones are checked)."""
        if "://" in path_or_url:
            if not path_or_url.startswith(self._origin + "/"):
                raise BadResponse(
                    f"Refusing to send the token to another host: {urlsplit(path_or_url).netloc}",
                    status=0,
                    code="ForeignUrl",
                )
            return path_or_url
        return f"{self.base_url}/{path_or_url.lstrip('/')}"

    def _check_cancel(self) -> None:
        if self._cancel is not None and self._cancel.is_set():
            raise Cancelled()

    def _pause(self, seconds: float) -> None:
        """Sleep for a retry, waking at once when cancelled."""
        self._check_cancel()
        if self._cancel is not None and self._sleep is time.sleep:
            if self._cancel.wait(seconds):
                raise Cancelled()
            return
        self._sleep(seconds)
        self._check_cancel()

    def _token(self, force_refresh: bool = False) -> str:
        if force_refresh and self._can_force_refresh:
            return self._tokens.access_token(self._scopes, force_refresh=True)  # type: ignore[call-arg]
        return self._tokens.access_token(self._scopes)

    # -- public API -----------------------------------------------------------

    def request(
        self,
        method: str,
        path_or_url: str,
        *,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        json_body: Any = None,
    ) -> requests.Response:
        """Send one logical request (with retries); return the successful response."""
        method = method.upper()
        url = self.url(path_or_url)
        retries = 0
        refreshed = False
        while True:
            self._check_cancel()
            send_headers = {
                "Accept": "application/json",
                "client-request-id": str(uuid.uuid4()),
                **(headers or {}),
                "Authorization": "Bearer " + self._token(force_refresh=refreshed),
            }
            self._request_count += 1
            started = time.monotonic()
            try:
                resp = self._session.request(
                    method,
                    url,
                    params=params,
                    headers=send_headers,
                    json=json_body,
                    timeout=self._timeout,
                )
            except requests.exceptions.SSLError as exc:
                raise NetworkError(
                    f"The secure connection to {urlsplit(url).netloc} could not be verified "
                    "(TLS certificate not trusted)."
                ) from exc
            except (requests.ConnectionError, requests.Timeout) as exc:
                may_retry = method in IDEMPOTENT_METHODS and (
                    isinstance(exc, requests.Timeout) or _dropped(exc)
                )
                if may_retry and retries < self._max_retries:
                    delay = backoff_delay(retries, self._rng)
                    log.info(
                        "%s %s: connection failed (%s); retry in %.2f s",
                        method,
                        urlsplit(url).path,
                        type(exc).__name__,
                        delay,
                    )
                    retries += 1
                    self._pause(delay)
                    continue
                raise NetworkError(
                    f"Cannot reach Microsoft Graph at {urlsplit(url).netloc}: {type(exc).__name__}."
                ) from exc
            log.debug(
                "%s %s -> %d (%.0f ms)",
                method,
                urlsplit(url).path,
                resp.status_code,
                (time.monotonic() - started) * 1000,
            )
            if resp.ok:
                return resp
            if (
                resp.status_code == 401
                and not refreshed
                and self._auth_code(resp) == "InvalidAuthenticationToken"
            ):
                log.info("Graph rejected the token; refreshing it once")
                refreshed = True
                resp.close()
                continue
            if resp.status_code in RETRY_STATUSES and retries < self._max_retries:
                told = parse_retry_after(resp.headers.get("Retry-After"))
                delay = backoff_delay(retries, self._rng) if told is None else told
                log.info(
                    "%s %s -> %d; retry %d/%d in %.2f s",
                    method,
                    urlsplit(url).path,
                    resp.status_code,
                    retries + 1,
                    self._max_retries,
                    delay,
                )
                retries += 1
                resp.close()
                self._pause(delay)
                continue
            raise error_from_response(resp)

    @staticmethod
    def _auth_code(resp: requests.Response) -> str:
        try:
            err = resp.json().get("error", {})
            return str(err.get("code", "")) if isinstance(err, dict) else ""
        except (ValueError, AttributeError):
            return ""

    def get(
        self,
        path_or_url: str,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        """GET and return the JSON object; BadResponse if the body is not one."""
        resp = self.request("GET", path_or_url, params=params, headers=headers)
        try:
            body = json.loads(resp.content)
        except (ValueError, UnicodeDecodeError) as exc:
            raise BadResponse(
                "Microsoft Graph sent a response that is not JSON.",
                status=resp.status_code,
                code="InvalidJson",
                request_id=resp.headers.get("request-id"),
            ) from exc
        if not isinstance(body, dict):
            raise BadResponse(
                "Microsoft Graph sent JSON that is not an object.",
                status=resp.status_code,
                code="InvalidShape",
                request_id=resp.headers.get("request-id"),
            )
        return body

    def iter_pages(
        self,
        path: str,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Yield each page of a collection, following ``@odata.nextLink`` verbatim.

        Headers (e.g. ``ConsistencyLevel``) are resent on every page, as Graph
        does not carry them in the link.
        """
        page = self.get(path, params=params, headers=headers)
        while True:
            if not isinstance(page.get("value"), list):
                raise BadResponse(
                    "Microsoft Graph sent a collection page without a value list.",
                    status=200,
                    code="InvalidShape",
                )
            yield page
            link = page.get("@odata.nextLink")
            if link is None:
                return
            if not isinstance(link, str) or not link:
                raise BadResponse(
                    "Microsoft Graph sent an invalid @odata.nextLink.",
                    status=200,
                    code="InvalidShape",
                )
            page = self.get(link, headers=headers)
