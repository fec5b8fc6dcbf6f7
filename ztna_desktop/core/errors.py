"""Expected failures, each carrying text a person can read.

Bugs are not modelled here: they reach ``sys.excepthook``. Everything below is
an outcome the UI shows calmly (offline, denied, throttled, cancelled).
"""

from __future__ import annotations


class ZtnaError(Exception):
    """Base of every expected failure; ``str(exc)`` is fit to show to a person."""


class ConfigError(ZtnaError):
    """The configuration is missing a value or holds a bad one."""


class Cancelled(ZtnaError):
    """The person (or shutdown) cancelled a running operation."""

    def __init__(self, message: str = "Cancelled.") -> None:
        super().__init__(message)


class AuthError(ZtnaError):
    """Sign-in failed or a token could not be obtained.

    Attributes:
        code: the OAuth ``error`` value (``invalid_client``, ``invalid_grant`` ...), if any.
    """

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


class InteractionRequired(AuthError):
    """No usable cached token: the person must sign in again."""


class NetworkError(ZtnaError):
    """The service could not be reached (offline, DNS, refused, TLS, timeout)."""


class ServiceError(ZtnaError):
    """A service answered with an error.

    Attributes:
        status: HTTP status code.
        code: the service's error code (Graph: ``Authorization_RequestDenied`` ...).
        request_id: the id support needs to trace the request, if the service sent one.
    """

    def __init__(
        self, message: str, *, status: int, code: str = "", request_id: str | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.request_id = request_id

    def __str__(self) -> str:
        text = super().__str__()
        if self.request_id:
            text += f" (request id {self.request_id})"
        return text


class AccessDenied(ServiceError):
    """401/403: the signed-in account or app lacks the permission."""


class NotFound(ServiceError):
    """404: the object does not exist (or is not visible)."""


class Throttled(ServiceError):
    """429 (or 503/504) that stayed after every retry."""


class BadResponse(ServiceError):
    """The service sent something that is not what its API documents (garbage JSON ...)."""
