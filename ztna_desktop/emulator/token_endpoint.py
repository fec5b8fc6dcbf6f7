"""The token endpoint: authorization_code, refresh_token, device_code, client_credentials."""

from __future__ import annotations

import hmac
import time

from werkzeug.wrappers import Request, Response

from ztna_desktop.emulator.entra import (
    EntraError,
    app_tokens,
    delegated_tokens,
    invalid_grant,
    json_response,
    resolve_scopes,
    unknown_client,
)
from ztna_desktop.emulator.state import State
from ztna_desktop.emulator.tokens import pkce_matches

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


def _client_secret(request: Request) -> str:
    if request.authorization and request.authorization.password:
        return request.authorization.password
    return request.form.get("client_secret", "")


def _client_id(request: Request) -> str:
    if request.authorization and request.authorization.username:
        return request.authorization.username
    return request.form.get("client_id", "")


def token(state: State, request: Request, tenant: str) -> Response:
    form = request.form
    grant_type = form.get("grant_type", "")
    client_id = _client_id(request)
    if client_id not in (state.tenant.public_client_id, state.tenant.app_client_id):
        raise unknown_client(client_id)
    if grant_type == "client_credentials":
        return _client_credentials(state, request, client_id)
    if client_id != state.tenant.public_client_id:
        raise EntraError(
            401,
            "invalid_client",
            7000218,
            "The request body must contain the following parameter: 'client_assertion' or "
            "'client_secret'.",
        )
    if grant_type == "authorization_code":
        return _authorization_code(state, request)
    if grant_type == "refresh_token":
        return _refresh(state, request)
    if grant_type == DEVICE_GRANT:
        return _device(state, request)
    raise EntraError(
        400,
        "unsupported_grant_type",
        70003,
        f"The app requested an unsupported grant type '{grant_type}'.",
    )


def _authorization_code(state: State, request: Request) -> Response:
    form = request.form
    code = state.tokens.take_code(form.get("code", ""))
    if code is None:
        raise invalid_grant(
            70000,
            "The provided value for the 'code' parameter is not valid. The code has "
            "expired, was already redeemed or was not issued by this tenant.",
        )
    if code.client_id != form.get("client_id"):
        raise invalid_grant(70000, "The code was issued to a different client.")
    if form.get("redirect_uri") != code.redirect_uri:
        raise invalid_grant(
            70002,
            "The reply url specified in the token request does not match the reply url "
            "used in the authorization request.",
        )
    if code.challenge:
        verifier = form.get("code_verifier", "")
        if not verifier or not pkce_matches(verifier, code.challenge, code.challenge_method):
            raise invalid_grant(
                501481,
                "The Code_Verifier does not match the code_challenge supplied in the "
                "authorization request.",
            )
    raw = form.get("scope") or " ".join(code.scopes)
    user = state.tenant.personas[code.persona]
    scopes = resolve_scopes(state, raw, code.persona)
    return json_response(
        delegated_tokens(
            state, user, code.client_id, scopes, raw, code.nonce, form.get("client_info") == "1"
        )
    )


def _refresh(state: State, request: Request) -> Response:
    form = request.form
    grant = state.tokens.get_refresh(form.get("refresh_token", ""))
    if grant is None or grant.client_id != form.get("client_id"):
        raise invalid_grant(9002313, "Invalid request. Request is malformed or invalid.")
    raw = form.get("scope") or " ".join(grant.scopes)
    user = state.tenant.personas[grant.persona]
    scopes = resolve_scopes(state, raw, grant.persona)
    return json_response(
        delegated_tokens(
            state, user, grant.client_id, scopes, raw, None, form.get("client_info") == "1"
        )
    )


def _device(state: State, request: Request) -> Response:
    form = request.form
    value = form.get("device_code", "")
    with state.tokens.lock:
        grant = state.tokens.devices.get(value)
        if grant is None or grant.client_id != form.get("client_id"):
            raise invalid_grant(70000, "The provided value for 'device_code' is not valid.")
        if grant.redeemed:
            raise invalid_grant(54005, "OAuth2 Authorization code was already redeemed.")
        if grant.expires < time.time():
            raise EntraError(
                400,
                "expired_token",
                70020,
                "The provided value for the input parameter 'device_code' is not valid. "
                "This device code has expired.",
            )
        if grant.declined:
            raise EntraError(
                400, "authorization_declined", 70019, "The end user declined the authorization."
            )
        if grant.persona is None:
            raise EntraError(
                400,
                "authorization_pending",
                70016,
                "OAuth 2.0 device flow error. Authorization is pending. Continue polling.",
            )
        grant.redeemed = True
    raw = " ".join(grant.scopes)
    user = state.tenant.personas[grant.persona]
    scopes = resolve_scopes(state, raw, grant.persona)
    return json_response(
        delegated_tokens(
            state, user, grant.client_id, scopes, raw, None, form.get("client_info") == "1"
        )
    )


def _client_credentials(state: State, request: Request, client_id: str) -> Response:
    secret = _client_secret(request)
    if client_id != state.tenant.app_client_id or not secret:
        raise EntraError(
            401,
            "invalid_client",
            7000218,
            "The request body must contain the following parameter: 'client_assertion' or "
            "'client_secret'.",
        )
    if not hmac.compare_digest(secret, state.tenant.app_client_secret):
        raise EntraError(
            401,
            "invalid_client",
            7000215,
            "Invalid client secret provided. Ensure the secret being sent in the request is the "
            f"client secret value, not the client secret ID, for a secret added to app "
            f"'{client_id}'.",
        )
    scope = request.form.get("scope", "")
    if not scope.endswith("/.default") or len(scope.split()) != 1:
        raise EntraError(
            400,
            "invalid_scope",
            1002012,
            f"The provided value for scope {scope} is not valid. Client credential flows must "
            "have a scope value with /.default suffixed to the resource identifier "
            "(application ID URI).",
        )
    resolve_scopes(state, scope, None)
    return json_response(app_tokens(state, client_id))
