"""Entra sign-in endpoints: discovery, authorize (+ account picker), devicecode, device login."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlencode, urlsplit

from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from ztna_desktop.emulator import pages
from ztna_desktop.emulator.entra import (
    EntraError,
    resolve_scopes,
    tenant_not_found,
    unknown_client,
)
from ztna_desktop.emulator.state import State
from ztna_desktop.emulator.token_endpoint import token
from ztna_desktop.emulator.tokens import AuthCode

DEVICE_CODE_LIFETIME = 900
CODE_LIFETIME = 600
URLS = Map(
    [
        Rule("/<tenant>/v2.0/.well-known/openid-configuration", endpoint="discovery"),
        Rule("/<tenant>/oauth2/v2.0/authorize", endpoint="authorize", methods=["GET", "POST"]),
        Rule("/<tenant>/oauth2/v2.0/token", endpoint="token", methods=["POST"]),
        Rule("/<tenant>/oauth2/v2.0/devicecode", endpoint="devicecode", methods=["POST"]),
        Rule("/devicelogin", endpoint="devicelogin", methods=["GET", "POST"]),
        Rule("/", endpoint="index"),
    ]
)


def _html(text: str, status: int = 200) -> Response:
    return Response(text, status, content_type="text/html; charset=utf-8")


def _persona_labels(state: State) -> list[tuple[str, str]]:
    return [(name, f"{u.display_name} ({u.upn})") for name, u in state.tenant.personas.items()]


def discovery(state: State, request: Request, tenant: str) -> Response:
    base = f"{state.origin}/{tenant}"
    tid = (
        state.tenant.tenant_id
        if tenant.lower() not in ("organizations", "common")
        else "{tenantid}"
    )
    body = {
        "token_endpoint": f"{base}/oauth2/v2.0/token",
        "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
        "jwks_uri": f"{base}/discovery/v2.0/keys",
        "response_modes_supported": ["query", "fragment", "form_post"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "issuer": f"{state.origin}/{tid}/v2.0",
        "request_uri_parameter_supported": False,
        "userinfo_endpoint": f"{state.graph_base}/oidc/userinfo",
        "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
        "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode",
        "http_logout_supported": True,
        "frontchannel_logout_supported": True,
        "end_session_endpoint": f"{base}/oauth2/v2.0/logout",
        "claims_supported": [
            "sub",
            "iss",
            "aud",
            "exp",
            "iat",
            "nonce",
            "name",
            "oid",
            "tid",
            "preferred_username",
            "ver",
        ],
        "tenant_region_scope": "EU",
        "cloud_instance_name": "microsoftonline.com",
        "msgraph_host": urlsplit(state.origin).netloc,
    }
    return Response(json.dumps(body), 200, content_type="application/json; charset=utf-8")


def _loopback_redirect(uri: str) -> bool:
    parts = urlsplit(uri)
    return parts.scheme == "http" and parts.hostname in ("localhost", "127.0.0.1")


def authorize(state: State, request: Request, tenant: str) -> Response:
    params: dict[str, str] = {k: v for k, v in request.values.items() if k != "persona"}
    client_id = params.get("client_id", "")
    if client_id != state.tenant.public_client_id:
        err = unknown_client(client_id)
        return _html(pages.message("Sign in", f"AADSTS{err.code}: {err.text}"), 400)
    redirect_uri = params.get("redirect_uri", "")
    if not _loopback_redirect(redirect_uri):
        text = (
            f"AADSTS50011: The redirect URI '{redirect_uri}' specified in the request does not "
            f"match the redirect URIs configured for the application '{client_id}'."
        )
        return _html(pages.message("Sign in", text), 400)
    persona = request.form.get("persona") if request.method == "POST" else None
    hint = params.get("login_hint", "").lower()
    if persona is None and hint:
        persona = next((n for n, u in state.tenant.personas.items() if u.upn == hint), None)
    if persona not in state.tenant.personas and params.get("prompt") == "none":
        silent = {
            "error": "login_required",
            "error_description": "AADSTS50058: A silent sign-in request was sent but no user "
            "is signed in.",
        }
        if "state" in params:
            silent["state"] = params["state"]
        return _answer(redirect_uri, params, silent)
    if persona not in state.tenant.personas:
        action = f"{state.origin}/{tenant}/oauth2/v2.0/authorize"
        return _html(pages.account_picker(action, params, _persona_labels(state)))
    reply: dict[str, str] = {}
    try:
        if params.get("response_type") != "code":
            raise EntraError(
                400,
                "unsupported_response_type",
                700054,
                "response_type 'code' is the only one this app may use.",
            )
        scopes = params.get("scope", "openid profile")
        resolve_scopes(state, scopes, persona)
        code = AuthCode(
            client_id=client_id,
            redirect_uri=redirect_uri,
            scopes=scopes.split(),
            persona=persona or "",
            nonce=params.get("nonce"),
            challenge=params.get("code_challenge"),
            challenge_method=params.get("code_challenge_method"),
            expires=time.time() + CODE_LIFETIME,
        )
        reply["code"] = state.tokens.add_code(code)
    except EntraError as exc:
        reply = {"error": exc.error, "error_description": f"AADSTS{exc.code}: {exc.text}"}
    if "state" in params:
        reply["state"] = params["state"]
    return _answer(redirect_uri, params, reply)


def _answer(redirect_uri: str, params: dict[str, str], reply: dict[str, str]) -> Response:
    """Send the authorize result back: a form_post page, or a redirect with a query."""
    if params.get("response_mode", "query") == "form_post":
        return _html(pages.form_post(redirect_uri, reply))
    sep = "&" if urlsplit(redirect_uri).query else "?"
    return Response("", 302, headers={"Location": f"{redirect_uri}{sep}{urlencode(reply)}"})


def devicecode(state: State, request: Request, tenant: str) -> Response:
    client_id = request.form.get("client_id", "")
    if client_id != state.tenant.public_client_id:
        raise unknown_client(client_id)
    scope = request.form.get("scope", "openid profile")
    resolve_scopes(state, scope, None)
    grant = state.tokens.add_device(client_id, scope.split(), DEVICE_CODE_LIFETIME)
    auto = state.options.auto_approve_device_codes
    if auto:
        approve(state, grant.user_code, auto)
    uri = f"{state.origin}/devicelogin"
    body = {
        "user_code": grant.user_code,
        "device_code": grant.device_code,
        "verification_uri": uri,
        "expires_in": DEVICE_CODE_LIFETIME,
        "interval": 1,
        "message": f"To sign in, use a web browser to open the page {uri} and enter the code "
        f"{grant.user_code} to authenticate.",
    }
    return Response(json.dumps(body), 200, content_type="application/json; charset=utf-8")


def approve(state: State, user_code: str, persona: str, decline: bool = False) -> None:
    """Approve (or decline) a pending device code as a persona; KeyError if unknown."""
    if persona not in state.tenant.personas:
        raise KeyError(f"unknown persona {persona!r}")
    grant = state.tokens.device_by_user_code(user_code)
    if grant is None or grant.expires < time.time():
        raise KeyError(f"no pending device code {user_code!r}")
    with state.tokens.lock:
        grant.persona, grant.declined = persona, decline


def devicelogin(state: State, request: Request) -> Response:
    action = f"{state.origin}/devicelogin"
    labels = _persona_labels(state)
    if request.method == "GET":
        return _html(pages.device_login(action, labels))
    code = request.form.get("user_code", "")
    decline = bool(request.form.get("decline"))
    persona = request.form.get("persona") or "admin"
    try:
        approve(state, code, persona, decline=decline)
    except KeyError:
        return _html(pages.device_login(action, labels, "That code didn't work. Try again."))
    text = (
        "You declined to sign in."
        if decline
        else (
            "You have signed in to the application on your device. You may now close this window."
        )
    )
    return _html(pages.message("Device sign-in", text))


def index(state: State, request: Request) -> Response:
    info = {"tenant": state.tenant.tenant_id, "graph": state.graph_base}
    return _html(pages.message("ZTNA Desktop emulator", json.dumps(info)))


def handle(state: State, request: Request) -> Response | None:
    """Answer a sign-in request, or None when the path is not a sign-in endpoint."""
    adapter = URLS.bind_to_environ(request.environ)
    try:
        endpoint, values = adapter.match()
    except Exception:  # noqa: BLE001 - werkzeug's NotFound/MethodNotAllowed: not ours
        return None
    handlers: dict[str, Any] = {
        "discovery": discovery,
        "authorize": authorize,
        "token": token,
        "devicecode": devicecode,
        "devicelogin": devicelogin,
        "index": index,
    }
    tenant = values.get("tenant")
    try:
        if tenant is not None and not state.known_tenant(tenant):
            raise tenant_not_found(tenant)
        response: Response = handlers[str(endpoint)](state, request, **values)
    except EntraError as exc:
        if endpoint == "authorize":
            return _html(pages.message("Sign in", f"AADSTS{exc.code}: {exc.text}"), exc.status)
        return exc.response()
    return response
