"""Entra ID pieces shared by the sign-in endpoints: error answers, scopes, token minting."""

from __future__ import annotations

import json
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from werkzeug.wrappers import Response

from ztna_desktop.emulator.permissions import APP_ROLES, KNOWN_SCOPES, PERSONA_RIGHTS
from ztna_desktop.emulator.seed import TENANT_NAME, UserRecord, derived_guid
from ztna_desktop.emulator.state import State
from ztna_desktop.emulator.tokens import RESERVED_SCOPES, Grant, client_info

_CANONICAL = {s.lower(): s for s in KNOWN_SCOPES}
NO_STORE = {"Cache-Control": "no-store, no-cache", "Pragma": "no-cache"}


class EntraError(Exception):
    """An OAuth error answer in Entra's shape."""

    def __init__(self, status: int, error: str, code: int, text: str) -> None:
        super().__init__(f"{error}: AADSTS{code}: {text}")
        self.status, self.error, self.code, self.text = status, error, code, text

    def response(self) -> Response:
        trace, correlation = str(uuid.uuid4()), str(uuid.uuid4())
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%SZ")
        body = {
            "error": self.error,
            "error_description": f"AADSTS{self.code}: {self.text} Trace ID: {trace} "
            f"Correlation ID: {correlation} Timestamp: {stamp}",
            "error_codes": [self.code],
            "timestamp": stamp,
            "trace_id": trace,
            "correlation_id": correlation,
            "error_uri": f"https://login.microsoftonline.com/error?code={self.code}",
        }
        return Response(
            json.dumps(body),
            self.status,
            content_type="application/json; charset=utf-8",
            headers={**NO_STORE, "x-ms-request-id": trace},
        )


def tenant_not_found(segment: str) -> EntraError:
    return EntraError(
        400,
        "invalid_tenant",
        90002,
        f"Tenant '{segment}' not found. Check to make sure you have the correct tenant ID and "
        "are signing into the correct cloud. Check with your subscription administrator, this "
        "may happen if there are no active subscriptions for the tenant.",
    )


def unknown_client(client_id: str) -> EntraError:
    return EntraError(
        400,
        "invalid_client",
        700016,
        f"Application with identifier '{client_id}' was not found in the directory "
        f"'{TENANT_NAME}'. This can happen if the application has not been installed by the "
        "administrator of the tenant or consented to by any user in the tenant. You may have "
        "sent your authentication request to the wrong tenant.",
    )


def invalid_grant(code: int, text: str) -> EntraError:
    return EntraError(400, "invalid_grant", code, text)


@dataclass(frozen=True)
class Scopes:
    """A request's scopes: what to grant (canonical names) and what to echo back."""

    granted: frozenset[str]
    echo: str
    openid: bool


def resolve_scopes(state: State, raw: str, persona: str | None) -> Scopes:
    """Map a scope parameter onto Graph permissions; EntraError for other resources or names."""
    granted: set[str] = set()
    echo: list[str] = []
    words = raw.split()
    for word in words:
        if word.lower() in RESERVED_SCOPES:
            if word.lower() != "offline_access":
                echo.append(word.lower())
            continue
        prefix = next((p for p in state.resource_prefixes() if word.startswith(p)), "")
        name = word[len(prefix) :]
        if not prefix and ("/" in word or ":" in word):
            resource = word.rsplit("/", 1)[0]
            raise EntraError(
                400,
                "invalid_resource",
                500011,
                f"The resource principal named {resource} was not found in the tenant named "
                f"{TENANT_NAME}. This can happen if the application has not been installed by "
                "the administrator of the tenant or consented to by any user in the tenant.",
            )
        if name == ".default":
            allowed = PERSONA_RIGHTS[persona].allowed if persona else KNOWN_SCOPES
            granted |= set(allowed)
            echo.append(word)
            echo += [f"{prefix}{s}" for s in sorted(allowed)]
            continue
        canonical = _CANONICAL.get(name.lower())
        if canonical is None:
            raise EntraError(
                400,
                "invalid_scope",
                70011,
                "The provided request must include a 'scope' input parameter. The provided "
                f"value for the input parameter 'scope' is not valid. The scope '{word}' "
                "does not exist.",
            )
        granted.add(canonical)
        echo.append(word)
    if not granted:
        granted.add("User.Read")
        echo.append("User.Read")
    return Scopes(frozenset(granted), " ".join(dict.fromkeys(echo)), "openid" in raw.split())


def delegated_tokens(
    state: State,
    user: UserRecord,
    client_id: str,
    scopes: Scopes,
    raw_scope: str,
    nonce: str | None = None,
    with_client_info: bool = True,
) -> dict[str, Any]:
    """The token response for a signed-in persona (access, refresh, id token, client_info)."""
    now = int(time.time())
    tid = state.tenant.tenant_id
    lifetime = state.options.token_lifetime
    persona = user.persona or ""
    access = {
        "aud": state.origin,
        "iss": f"{state.origin}/{tid}/",
        "iat": now,
        "nbf": now,
        "exp": now + lifetime,
        "tid": tid,
        "oid": user.id,
        "sub": derived_guid(user.id, client_id),
        "upn": user.upn,
        "unique_name": user.upn,
        "name": user.display_name,
        "scp": " ".join(sorted(scopes.granted)),
        "appid": client_id,
        "idtyp": "user",
        "wids": list(PERSONA_RIGHTS[persona].roles),
        "emu_persona": persona,
        "uti": secrets.token_urlsafe(16),
        "ver": "1.0",
    }
    body: dict[str, Any] = {
        "token_type": "Bearer",
        "scope": scopes.echo,
        "expires_in": lifetime,
        "ext_expires_in": lifetime,
        "access_token": state.signer.encode(access),
        "refresh_token": state.tokens.add_refresh(Grant(client_id, raw_scope.split(), persona)),
    }
    if scopes.openid:
        id_claims: dict[str, Any] = {
            "aud": client_id,
            "iss": f"{state.origin}/{tid}/v2.0",
            "iat": now,
            "nbf": now,
            "exp": now + 3600,
            "name": user.display_name,
            "oid": user.id,
            "preferred_username": user.upn,
            "sub": derived_guid(user.id, client_id),
            "tid": tid,
            "ver": "2.0",
        }
        if nonce:
            id_claims["nonce"] = nonce
        body["id_token"] = state.signer.encode(id_claims)
    if with_client_info:
        body["client_info"] = client_info(user.id, tid)
    return body


def app_tokens(state: State, client_id: str) -> dict[str, Any]:
    """client_credentials: an application token carrying roles instead of scp."""
    now = int(time.time())
    tid = state.tenant.tenant_id
    lifetime = state.options.token_lifetime
    claims = {
        "aud": state.origin,
        "iss": f"{state.origin}/{tid}/",
        "iat": now,
        "nbf": now,
        "exp": now + lifetime,
        "tid": tid,
        "oid": derived_guid(tid, client_id),
        "sub": derived_guid(tid, client_id),
        "appid": client_id,
        "idtyp": "app",
        "roles": list(APP_ROLES),
        "uti": secrets.token_urlsafe(16),
        "ver": "1.0",
    }
    return {
        "token_type": "Bearer",
        "expires_in": lifetime,
        "ext_expires_in": lifetime,
        "access_token": state.signer.encode(claims),
    }


def json_response(body: dict[str, Any]) -> Response:
    return Response(
        json.dumps(body), 200, content_type="application/json; charset=utf-8", headers=NO_STORE
    )
