"""MSAL results and exceptions turned into core.errors with text a person can read."""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlsplit

import requests

from ztna_desktop.config import Config
from ztna_desktop.core.errors import AuthError, InteractionRequired, NetworkError, ZtnaError

log = logging.getLogger(__name__)

#: OAuth errors that a new interactive sign-in fixes.
INTERACTION_ERRORS = frozenset(
    {"invalid_grant", "interaction_required", "login_required", "consent_required"}
)


def first_sentence(description: str) -> str:
    """Entra's error_description without the Trace ID / Correlation ID / Timestamp lines."""
    keep = []
    for line in description.replace("\r\n", "\n").split("\n"):
        if line.startswith(("Trace ID:", "Correlation ID:", "Timestamp:")):
            break
        if line.strip():
            keep.append(line.strip())
    return " ".join(keep)


def auth_error(result: dict[str, Any], what: str) -> AuthError:
    """An AuthError (or InteractionRequired) for an MSAL error result."""
    code = str(result.get("error") or "unknown_error")
    text = first_sentence(str(result.get("error_description") or "")) or code
    log.info("%s failed: %s (%s)", what, code, text)
    if code in INTERACTION_ERRORS:
        return InteractionRequired(f"Sign in again: {text}", code=code)
    if code in ("invalid_client", "unauthorized_client"):
        return AuthError(
            f"{what} failed: the app's client id is not known to this tenant. {text}",
            code=code,
        )
    if code == "authorization_declined":
        return AuthError(f"{what} was declined.", code=code)
    if code == "expired_token":
        return AuthError(f"{what} failed: the code expired before it was approved.", code=code)
    return AuthError(f"{what} failed: {text}", code=code)


def _discovery_error(exc: BaseException) -> tuple[str, str] | None:
    """(error, description) from the OIDC discovery answer MSAL hides in __context__."""
    seen: BaseException | None = exc
    while seen is not None:
        text = str(seen)
        start = text.find('{"error"')
        if start >= 0:
            try:
                body = json.loads(text[start:])
            except ValueError:
                body = None
            if isinstance(body, dict):
                return str(body.get("error", "")), str(body.get("error_description", ""))
        seen = seen.__context__
    return None


def from_exception(exc: Exception, config: Config) -> ZtnaError | None:
    """Map an exception raised inside MSAL to core.errors; None if it is a bug."""
    if isinstance(exc, requests.RequestException):
        host = urlsplit(getattr(exc.request, "url", None) or config.authority).netloc
        if isinstance(exc, requests.exceptions.SSLError):
            return NetworkError(
                f"The secure connection to {host} could not be verified "
                "(TLS certificate not trusted). Check [tls] ca_file or your proxy's CA."
            )
        if isinstance(exc, requests.Timeout):
            return NetworkError(f"{host} did not answer in time.")
        return NetworkError(f"Cannot reach {host}: check the network connection.")
    if isinstance(exc, ValueError) and "Unable to get authority configuration" in str(exc):
        found = _discovery_error(exc)
        detail = first_sentence(found[1]) if found else ""
        return AuthError(
            f"Tenant {config.tenant_id!r} was not found at {config.resolved_authority_host()}. "
            f"Check the tenant id in the settings. {detail}".strip(),
            code=(found[0] if found and found[0] else "invalid_tenant"),
        )
    return None
