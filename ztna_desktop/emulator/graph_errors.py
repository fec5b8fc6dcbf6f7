"""Graph's error envelope and the errors the OData engine and handlers raise."""

from __future__ import annotations

from datetime import UTC, datetime

ADVANCED_HINT = (
    "Try adding $count=true query parameter and ConsistencyLevel:eventual header. "
    "Refer to https://aka.ms/graph-docs/advanced-queries for more information"
)
DENIED = "Insufficient privileges to complete the operation."


class GraphError(Exception):
    """An answer in Graph's error shape: HTTP status, code, message."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        headers: dict[str, str] | None = None,
        inner: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.inner = inner or {}

    def body(self, request_id: str, client_request_id: str) -> dict[str, object]:
        inner: dict[str, str] = {
            "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S"),
            "request-id": request_id,
            "client-request-id": client_request_id,
        }
        inner.update(self.inner)
        return {"error": {"code": self.code, "message": self.message, "innerError": inner}}


def bad_request(message: str, code: str = "Request_BadRequest") -> GraphError:
    return GraphError(400, code, message)


def unsupported_query(message: str) -> GraphError:
    return GraphError(400, "Request_UnsupportedQuery", message)


def operator_needs_advanced(operator: str) -> GraphError:
    return unsupported_query(
        f"Operator '{operator}' is not supported because the required parameters might be "
        f"missing. {ADVANCED_HINT}"
    )


def unsupported_clause(prop: str, resource: str) -> GraphError:
    return unsupported_query(
        f"Unsupported or invalid query filter clause specified for property '{prop}' "
        f"of resource '{resource}'."
    )


def denied() -> GraphError:
    return GraphError(403, "Authorization_RequestDenied", DENIED)


def not_found(key: str) -> GraphError:
    return GraphError(
        404,
        "Request_ResourceNotFound",
        f"Resource '{key}' does not exist or one of its queried reference-property objects "
        "are not present.",
    )


def unauthenticated(message: str) -> GraphError:
    return GraphError(401, "InvalidAuthenticationToken", message)
