"""GraphClient: authenticated requests to Microsoft Graph with paging, retries and typed errors.

Retries (bounded by ``max_retries``): 429/503/504 honouring ``Retry-After`` (seconds,
fractional allowed, or an HTTP date), else exponential backoff with full jitter; and,
for idempotent methods only, connections that dropped or timed out. A 401
``InvalidAuthenticationToken`` gets one retry with a freshly refreshed token.
The cancel event is checked before every request and wakes every backoff sleep.
"""

from __future__ import annotations

import inspect
import json
import logging
import random
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import requests

from ztna_desktop import net
from ztna_desktop.core.errors import BadResponse, Cancelled, NetworkError
from ztna_desktop.core.protocols import TokenProvider
from ztna_desktop.graph.policy import (
    IDEMPOTENT_METHODS,
    RETRY_STATUSES,
    backoff_delay,
    error_from_response,
    is_dropped,
    parse_retry_after,
)

log = logging.getLogger(__name__)


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

    def check_cancel(self) -> None:
        """Raise ``Cancelled`` if the cancel event is set."""
        self._check_cancel()

    def pause(self, seconds: float) -> None:
        """Wait ``seconds`` with the client's sleep; ``Cancelled`` at once when cancelled."""
        if seconds > 0:
            self._pause(seconds)
        else:
            self._check_cancel()

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
                    isinstance(exc, requests.Timeout) or is_dropped(exc)
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
