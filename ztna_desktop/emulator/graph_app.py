"""Graph v1.0 on the emulator: routing, token checks, JSON answers and the error envelope."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from typing import Any

import jwt
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from ztna_desktop.emulator import (
    graph_apps,
    graph_batch,
    graph_groups,
    graph_me,
    graph_methods,
    graph_org,
    graph_policies,
    graph_reports,
    graph_users,
)
from ztna_desktop.emulator.graph_errors import GraphError, bad_request, denied, unauthenticated
from ztna_desktop.emulator.permissions import (
    APP_ROLES,
    GRAPH_APP_ID,
    Principal,
    effective_scopes,
)
from ztna_desktop.emulator.state import State

log = logging.getLogger(__name__)
JSON_TYPE = "application/json;odata.metadata=minimal;odata.streaming=true;charset=utf-8"
Handler = Callable[..., Any]

ROUTES: dict[str, Handler] = {
    "me": graph_users.me,
    "organization": graph_org.list_organization,
    "users": graph_users.list_users,
    "users_count": graph_users.count_users,
    "user": graph_users.get_user,
    "patch_user": graph_users.patch_user,
    "user_rel": graph_me.user_relation,
    "me_rel": graph_me.me_relation,
    "groups": graph_groups.list_groups,
    "groups_count": graph_groups.count_groups,
    "group": graph_groups.get_group,
    "group_rel": graph_groups.relation,
    "sps": graph_apps.list_sps,
    "sps_count": graph_apps.count_sps,
    "sp": graph_apps.get_sp,
    "sp_rel": graph_apps.sp_relation,
    "batch": graph_batch.batch,
    "registrations": graph_reports.list_registrations,
    "registration": graph_reports.get_registration,
    "user_methods": graph_methods.user_methods,
    "my_methods": graph_methods.my_methods,
    "authorization_policy": graph_policies.authorization_policy,
    "cta_default": graph_policies.cross_tenant_default,
    "cta_partners": graph_policies.cross_tenant_partners,
    "cta_partner": graph_policies.cross_tenant_partner,
    "tenant_relationship": graph_policies.tenant_relationship,
}
REPORT = "/v1.0/reports/authenticationMethods/userRegistrationDetails"
CTA = "/v1.0/policies/crossTenantAccessPolicy"
#: Extra handler argument of the ``/$count`` rules.
COUNT = {"count": True}
URLS = Map(
    [
        Rule("/v1.0/me", endpoint="me", methods=["GET"]),
        Rule("/v1.0/me/<rel>", endpoint="me_rel", methods=["GET"]),
        Rule("/v1.0/me/<rel>/$count", endpoint="me_rel", methods=["GET"], defaults=COUNT),
        Rule("/v1.0/me/<rel>/<cast>", endpoint="me_rel", methods=["GET"]),
        Rule("/v1.0/organization", endpoint="organization", methods=["GET"]),
        Rule("/v1.0/users", endpoint="users", methods=["GET"]),
        Rule("/v1.0/users/$count", endpoint="users_count", methods=["GET"]),
        Rule("/v1.0/users/<key>", endpoint="user", methods=["GET"]),
        Rule("/v1.0/users/<key>", endpoint="patch_user", methods=["PATCH"]),
        Rule("/v1.0/users/<key>/<rel>", endpoint="user_rel", methods=["GET"]),
        Rule(
            "/v1.0/users/<key>/<rel>/$count", endpoint="user_rel", methods=["GET"], defaults=COUNT
        ),
        Rule("/v1.0/users/<key>/<rel>/<cast>", endpoint="user_rel", methods=["GET"]),
        Rule("/v1.0/groups", endpoint="groups", methods=["GET"]),
        Rule("/v1.0/groups/$count", endpoint="groups_count", methods=["GET"]),
        Rule("/v1.0/groups/<key>", endpoint="group", methods=["GET"]),
        Rule("/v1.0/groups/<key>/<rel>", endpoint="group_rel", methods=["GET"]),
        Rule(
            "/v1.0/groups/<key>/<rel>/$count", endpoint="group_rel", methods=["GET"], defaults=COUNT
        ),
        Rule("/v1.0/groups/<key>/<rel>/<cast>", endpoint="group_rel", methods=["GET"]),
        Rule(
            "/v1.0/groups/<key>/<rel>/<cast>/$count",
            endpoint="group_rel",
            methods=["GET"],
            defaults=COUNT,
        ),
        Rule("/v1.0/servicePrincipals", endpoint="sps", methods=["GET"]),
        Rule("/v1.0/servicePrincipals/$count", endpoint="sps_count", methods=["GET"]),
        Rule("/v1.0/servicePrincipals/<key>", endpoint="sp", methods=["GET"]),
        Rule("/v1.0/servicePrincipals<key>", endpoint="sp", methods=["GET"]),
        Rule("/v1.0/servicePrincipals/<key>/<rel>", endpoint="sp_rel", methods=["GET"]),
        Rule("/v1.0/$batch", endpoint="batch", methods=["POST"]),
        Rule(REPORT, endpoint="registrations", methods=["GET"]),
        Rule(f"{REPORT}/<key>", endpoint="registration", methods=["GET"]),
        Rule("/v1.0/users/<key>/authentication/methods", endpoint="user_methods", methods=["GET"]),
        Rule("/v1.0/me/authentication/methods", endpoint="my_methods", methods=["GET"]),
        Rule(
            "/v1.0/policies/authorizationPolicy", endpoint="authorization_policy", methods=["GET"]
        ),
        Rule(f"{CTA}/default", endpoint="cta_default", methods=["GET"]),
        Rule(f"{CTA}/partners", endpoint="cta_partners", methods=["GET"]),
        Rule(f"{CTA}/partners/<key>", endpoint="cta_partner", methods=["GET"]),
        Rule("/v1.0/tenantRelationships/<call>", endpoint="tenant_relationship", methods=["GET"]),
    ],
    strict_slashes=False,
    # Relationship rules share one endpoint; a /$count rule only adds count=True.
    # Without this werkzeug would redirect a plain relationship URL to its /$count twin.
    redirect_defaults=False,
)
# POSTs that only read (a batch's sub-requests are checked one by one).
READ_POSTS = frozenset({"/v1.0/$batch"})


def authenticate(state: State, request: Request) -> Principal:
    """Check the bearer token; 401 InvalidAuthenticationToken when missing, bad or expired."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if not token or scheme.lower() != "bearer":
        raise unauthenticated("Access token is empty.")
    try:
        claims = state.signer.decode(token.strip(), audience=state.origin)
    except jwt.ExpiredSignatureError:
        raise unauthenticated("Lifetime validation failed, the token is expired.") from None
    except jwt.InvalidTokenError:
        raise unauthenticated(
            "IDX14100: JWT is not well formed or its signature is invalid."
        ) from None
    if claims.get("tid") != state.tenant.tenant_id:
        raise unauthenticated("Access token validation failure. Invalid audience.")
    roles = claims.get("roles")
    if isinstance(roles, list):
        return Principal(None, None, frozenset(r for r in roles if r in APP_ROLES))
    persona = str(claims.get("emu_persona", ""))
    scopes = frozenset(str(claims.get("scp", "")).split())
    return Principal(persona, str(claims.get("oid")), effective_scopes(persona, scopes))


def principal_name(principal: Principal | None) -> str | None:
    if principal is None:
        return None
    return principal.persona or "app"


def handle(state: State, request: Request) -> tuple[Response, str | None]:
    """Answer one Graph request; returns the response and who asked (for the log)."""
    request_id = str(uuid.uuid4())
    client_request_id = request.headers.get("client-request-id") or request_id
    principal: Principal | None = None
    try:
        adapter = URLS.bind_to_environ(request.environ)
        request.environ["emulator.request_id"] = request_id
        if request.method not in ("GET", "HEAD") and request.path not in READ_POSTS:
            # A persona without write rights (helpdesk) is refused any write, known path or not.
            principal = authenticate(state, request)
            if not principal.may_write:
                raise denied()
        try:
            endpoint, values = adapter.match()
        except HTTPException as exc:
            if exc.code == 405:
                raise GraphError(405, "Request_BadRequest", "Method not allowed.") from None
            segment = request.path.removeprefix("/v1.0/").split("/")[0]
            raise bad_request(
                f"Resource not found for the segment '{segment}'.", "BadRequest"
            ) from None
        principal = principal or authenticate(state, request)
        result = ROUTES[str(endpoint)](state, request, principal, **values)
        if result is None:
            response = Response(status=204)
        elif isinstance(result, int):
            response = Response(str(result), 200, content_type="text/plain;charset=utf-8")
        else:
            response = Response(json.dumps(result), 200, content_type=JSON_TYPE)
    except GraphError as exc:
        if exc.status >= 500:
            log.warning("Graph %s answered %s", request.path, exc.status)
        body = exc.body(request_id, client_request_id)
        response = Response(json.dumps(body), exc.status, content_type=JSON_TYPE)
        for name, value in exc.headers.items():
            response.headers[name] = value
        if exc.status == 401:
            response.headers["WWW-Authenticate"] = (
                'Bearer realm="", authorization_uri="https://login.microsoftonline.com/'
                f'common/oauth2/authorize", client_id="{GRAPH_APP_ID}"'
            )
    response.headers["request-id"] = request_id
    response.headers["client-request-id"] = client_request_id
    response.headers["x-ms-ags-diagnostic"] = json.dumps(
        {"ServerInfo": {"DataCenter": "Emulator", "Slice": "E", "Ring": "1"}}
    )
    return response, principal_name(principal)
