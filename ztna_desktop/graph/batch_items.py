"""What goes into a ``$batch`` and what comes out: requests, results and their URLs."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ztna_desktop.core.errors import BadResponse, ServiceError
from ztna_desktop.graph.pacing import Chain
from ztna_desktop.graph.rate_limit import RateLimiter
from ztna_desktop.graph.transport import GraphClient

MAX_BATCH = 20  # Graph's limit of requests per $batch
MAX_ATTEMPTS = 5  # sends per request, the first included


@dataclass(frozen=True, slots=True)
class BatchItem:
    """One request inside a batch. ``url`` is relative to the version root (no ``/v1.0``).

    ``limiter``: the rate limit of the API it calls. ``chain``: the page count of
    the collection it reads (``follow_pages`` counts pages into it). ``rides_with``:
    a rate-limited chain whose pages this one's ride with (see ``pacing``).
    """

    id: str
    url: str
    method: str = "GET"
    headers: Mapping[str, str] = field(default_factory=dict)
    body: Any = None
    depends_on: tuple[str, ...] = ()
    limiter: RateLimiter | None = field(default=None, compare=False)
    chain: Chain | None = field(default=None, compare=False)
    rides_with: Chain | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class BatchResult:
    """One sub-response; ``error`` is the typed error of a non-2xx status."""

    id: str
    status: int
    headers: Mapping[str, str]
    body: Any
    error: ServiceError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def json(self) -> dict[str, Any]:
        """The body as a JSON object; raises ``error`` if the request failed."""
        if self.error is not None:
            raise self.error
        if not isinstance(self.body, dict):
            raise BadResponse(
                "Microsoft Graph sent a batch answer that is not a JSON object.",
                status=self.status,
                code="InvalidShape",
            )
        return self.body


Callback = Callable[[BatchResult], None]


def relative_url(client: GraphClient, url: str) -> str:
    """``url`` (absolute ``@odata.nextLink`` or a path) relative to the client's version root."""
    base = client.base_url
    if "://" in url:
        full = client.url(url)  # refuses another origin
        if not full.startswith(base + "/"):
            raise BadResponse(
                "Microsoft Graph sent a link outside its API version.",
                status=200,
                code="ForeignUrl",
            )
        return full[len(base) :].replace(" ", "%20")
    version = urlsplit(base).path.rstrip("/")
    if version and url.startswith(version + "/"):
        url = url[len(version) :]
    url = url if url.startswith("/") else "/" + url
    return url.replace(" ", "%20")  # $filter text: a raw space is not a valid URL
