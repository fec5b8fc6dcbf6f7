"""JSON batching: many Graph requests in few HTTP requests (``POST /$batch``, 20 at most each).

The scheduler lives in ``batch_runner`` (types in ``batch_items``, pacing of page
chains in ``pacing``); this module is the simple face of it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ztna_desktop.core.errors import ServiceError
from ztna_desktop.graph.batch_items import (
    MAX_ATTEMPTS,
    MAX_BATCH,
    BatchItem,
    BatchResult,
    relative_url,
)
from ztna_desktop.graph.batch_runner import BatchRunner
from ztna_desktop.graph.pacing import Chain
from ztna_desktop.graph.rate_limit import RateLimiter
from ztna_desktop.graph.transport import GraphClient

__all__ = [
    "MAX_ATTEMPTS",
    "MAX_BATCH",
    "BatchItem",
    "BatchResult",
    "BatchRunner",
    "Chain",
    "RateLimiter",
    "batch_pages",
    "relative_url",
    "run_batch",
]


def _components(items: Sequence[BatchItem]) -> list[list[BatchItem]]:
    """Split ``items`` into groups linked by ``dependsOn`` (order kept)."""
    index = {i.id.lower(): n for n, i in enumerate(items)}
    parent = list(range(len(items)))

    def find(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for n, item in enumerate(items):
        for dep in item.depends_on:
            if dep.lower() not in index:
                raise ValueError(f"request {item.id!r} depends on unknown request {dep!r}")
            parent[find(n)] = find(index[dep.lower()])
    groups: dict[int, list[BatchItem]] = {}
    for n, item in enumerate(items):
        groups.setdefault(find(n), []).append(item)
    return list(groups.values())


def run_batch(
    client: GraphClient,
    requests: Sequence[BatchItem],
    *,
    max_attempts: int = MAX_ATTEMPTS,
    clock: Callable[[], float] = time.monotonic,
) -> dict[str, BatchResult]:
    """Send ``requests`` through ``$batch`` (20 per HTTP request); results by id.

    Raises:
        ValueError: duplicate ids, an unknown dependency, or a dependsOn chain over 20.
    """
    ids = [r.id.lower() for r in requests]
    if len(set(ids)) != len(ids):
        raise ValueError("batch request ids must be unique (case-insensitively)")
    runner = BatchRunner(client, max_attempts=max_attempts, clock=clock)
    results: dict[str, BatchResult] = {}
    for group in _components(requests):
        runner.submit(group, lambda r: results.__setitem__(r.id, r))
    runner.run()
    return results


def batch_pages(
    client: GraphClient,
    items: Iterable[BatchItem],
    *,
    errors: dict[str, ServiceError] | None = None,
    max_attempts: int = MAX_ATTEMPTS,
    clock: Callable[[], float] = time.monotonic,
) -> dict[str, list[dict[str, Any]]]:
    """Every value of each collection request, following ``@odata.nextLink`` in later batches.

    A failed request raises its typed error, unless ``errors`` is given: then it
    lands there (by id) and is absent from the result.
    """
    runner = BatchRunner(client, max_attempts=max_attempts, clock=clock)
    values: dict[str, list[dict[str, Any]]] = {}

    for item in items:
        values[item.id] = []

        def on_error(exc: ServiceError, key: str = item.id) -> None:
            if errors is None:
                raise exc
            errors[key] = exc
            values.pop(key, None)

        def on_page(page: dict[str, Any], key: str = item.id) -> None:
            values[key].extend(v for v in page["value"] if isinstance(v, dict))

        runner.follow_pages(item, on_page, on_error)
    runner.run()
    return values
