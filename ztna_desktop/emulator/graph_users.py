"""Graph users: the user schema for the OData engine and /me, /users, /users/{id}, /$count."""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Request

from ztna_desktop.emulator import odata
from ztna_desktop.emulator import odata_filter as flt
from ztna_desktop.emulator.graph_errors import (
    GraphError,
    bad_request,
    denied,
    not_found,
)
from ztna_desktop.emulator.odata_schema import (
    DATE_OPS,
    ENUM_OPS,
    STRING_OPS,
    EntitySet,
    Prop,
    ops,
)
from ztna_desktop.emulator.permissions import Principal
from ztna_desktop.emulator.seed import ISSUERS, TENANT_DOMAIN, UserRecord, derived_guid, iso
from ztna_desktop.emulator.state import State

READ_USERS = (
    "User.Read.All",
    "User.ReadWrite.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
)
BASIC = frozenset({"id", "displayName", "givenName", "surname", "mail", "userPrincipalName"})
NO_PREMIUM = "Neither tenant is B2C or tenant doesn't have premium license"
SIGN_IN_DATES = ("lastSignInDateTime", "lastNonInteractiveSignInDateTime")


def _identities(u: UserRecord) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [
        {"signInType": "userPrincipalName", "issuer": TENANT_DOMAIN, "issuerAssignedId": u.upn}
    ]
    if u.user_type == "Guest" and u.state == "Accepted":
        issuer = ISSUERS[u.source]
        out.append(
            {
                "signInType": "federated",
                "issuer": issuer,
                "issuerAssignedId": u.mail if issuer == "mail" else None,
            }
        )
    return out


def _sign_in_activity(u: UserRecord) -> dict[str, Any] | None:
    if u.last_sign_in is None and u.last_non_interactive is None:
        return None
    last_ok = max(t for t in (u.last_sign_in, u.last_non_interactive) if t is not None)
    ids = {name: derived_guid(u.id, name) for name in ("i", "n", "s")}
    return {
        "lastSignInDateTime": iso(u.last_sign_in),
        "lastSignInRequestId": ids["i"] if u.last_sign_in else None,
        "lastNonInteractiveSignInDateTime": iso(u.last_non_interactive),
        "lastNonInteractiveSignInRequestId": ids["n"] if u.last_non_interactive else None,
        "lastSuccessfulSignInDateTime": iso(last_ok),
        "lastSuccessfulSignInRequestId": ids["s"],
    }


def _p(name: str, get: Any, **kw: Any) -> Prop:
    return Prop(name, get, **kw)


USERS = EntitySet(
    name="users",
    type_name="microsoft.graph.user",
    resource="User",
    props=[
        _p("businessPhones", lambda u: [], default=True, edm=""),
        _p(
            "displayName",
            lambda u: u.display_name,
            default=True,
            filter_ops=STRING_OPS,
            search=True,
            orderby=True,
        ),
        _p("givenName", lambda u: u.given, default=True, filter_ops=STRING_OPS, search=True),
        _p("id", lambda u: u.id, default=True, filter_ops=ENUM_OPS),
        _p("jobTitle", lambda u: u.job_title, default=True, filter_ops=STRING_OPS, search=True),
        _p("mail", lambda u: u.mail, default=True, filter_ops=STRING_OPS, search=True),
        _p("mobilePhone", lambda u: None, default=True, filter_ops=STRING_OPS),
        _p(
            "officeLocation",
            lambda u: "Building 1" if u.user_type == "Member" else None,
            default=True,
            filter_ops=STRING_OPS,
        ),
        _p(
            "preferredLanguage",
            lambda u: "en-US" if u.user_type == "Member" else None,
            default=True,
            filter_ops=ENUM_OPS,
        ),
        _p("surname", lambda u: u.surname, default=True, filter_ops=STRING_OPS, search=True),
        _p(
            "userPrincipalName",
            lambda u: u.upn,
            default=True,
            filter_ops=STRING_OPS,
            search=True,
            orderby=True,
        ),
        _p("userType", lambda u: u.user_type, filter_ops=ENUM_OPS),
        _p("externalUserState", lambda u: u.state, filter_ops=ENUM_OPS),
        _p(
            "externalUserStateChangeDateTime",
            lambda u: iso(u.state_change),
            edm="DateTimeOffset",
            filter_ops=ENUM_OPS,
        ),
        _p("createdDateTime", lambda u: iso(u.created), edm="DateTimeOffset", filter_ops=DATE_OPS),
        _p("accountEnabled", lambda u: u.enabled, edm="Boolean", filter_ops=ENUM_OPS),
        _p(
            "creationType",
            lambda u: "Invitation" if u.user_type == "Guest" else None,
            filter_ops=ENUM_OPS,
        ),
        _p(
            "identities",
            _identities,
            edm="",
            filter_ops=ops("any"),
            sub={
                "issuer": ("String", ops("eq")),
                "issuerAssignedId": ("String", ops("eq")),
                "signInType": ("String", ops("eq")),
            },
        ),
        _p("companyName", lambda u: u.company, filter_ops=STRING_OPS),
        _p(
            "otherMails",
            lambda u: [u.mail] if u.user_type == "Guest" else [],
            edm="",
            filter_ops=ops("any"),
            sub={"": ("String", ops("eq", "startsWith"))},
        ),
        _p(
            "mailNickname",
            lambda u: u.upn.split("@")[0].replace("#EXT#", "#EXT"),
            filter_ops=STRING_OPS,
        ),
        _p("department", lambda u: None, filter_ops=STRING_OPS),
        _p(
            "usageLocation",
            lambda u: "US" if u.user_type == "Member" else None,
            filter_ops=ENUM_OPS,
        ),
        _p(
            "proxyAddresses",
            lambda u: [f"SMTP:{u.mail}"],
            edm="",
            filter_ops=ops("any"),
            sub={"": ("String", ops("eq", "startsWith"))},
        ),
        _p("onPremisesSyncEnabled", lambda u: None, edm="Boolean", filter_ops=ENUM_OPS),
        _p(
            "signInActivity",
            _sign_in_activity,
            edm="",
            omit_null=True,
            sub={
                name: ("DateTimeOffset", ops("eq", "ne", "not", "ge", "le"))
                for name in SIGN_IN_DATES
            },
        ),
    ],
    exclusive_filters=frozenset(f"signInActivity/{name}" for name in SIGN_IN_DATES),
    page_caps={"signInActivity": 500},
)


def _check_sign_in_activity(state: State, principal: Principal, query: odata.Query) -> None:
    filtered = query.filter is not None and any(
        isinstance(node, flt.Compare | flt.In | flt.Function | flt.Any_)
        and node.path.parts[:1] == ("signInActivity",)
        for node, _ in flt.walk(query.filter)
    )
    touches = filtered or any(p.name == "signInActivity" for p in query.select)
    if not touches:
        return
    if state.options.no_premium:
        raise GraphError(403, "Authentication_RequestFromNonPremiumTenantOrB2CTenant", NO_PREMIUM)
    if not principal.has_any("AuditLog.Read.All") or not principal.reads_reports:
        raise denied()


def _restrict(principal: Principal, body: dict[str, Any]) -> dict[str, Any]:
    """User.ReadBasic.All exposes only the basic profile; other properties come back null."""
    if principal.has_any(*READ_USERS):
        return body
    return {k: (v if k in BASIC or k.startswith("@") else None) for k, v in body.items()}


def list_users(state: State, request: Request, principal: Principal) -> dict[str, Any]:
    if not principal.has_any("User.ReadBasic.All", *READ_USERS):
        raise denied()
    query = odata.parse_query(
        USERS, list(request.args.items(multi=True)), request.headers, state.cursors
    )
    _check_sign_in_activity(state, principal, query)
    body = odata.page(USERS, query, state.tenant.users, state.graph_base, state.cursors)
    body["value"] = [_restrict(principal, item) for item in body["value"]]
    return body


def count_users(state: State, request: Request, principal: Principal) -> int:
    if not principal.has_any("User.ReadBasic.All", *READ_USERS):
        raise denied()
    args = list(request.args.items(multi=True))
    query = odata.count_query(USERS, args, request.headers, state.cursors)
    _check_sign_in_activity(state, principal, query)
    return odata.count(USERS, query, state.tenant.users)


def _single(
    state: State, request: Request, principal: Principal, user: UserRecord
) -> dict[str, Any]:
    args = [(k, v) for k, v in request.args.items(multi=True) if k.lower() == "$select"]
    query = odata.parse_query(USERS, args, request.headers, state.cursors)
    _check_sign_in_activity(state, principal, query)
    body = {"@odata.context": odata.context_url(state.graph_base, USERS, query, entity=True)}
    body.update(odata.render(query, user))
    return body


def get_user(state: State, request: Request, principal: Principal, key: str) -> dict[str, Any]:
    if not principal.has_any("User.ReadBasic.All", *READ_USERS):
        raise denied()
    user = state.tenant.by_id.get(key.lower())
    if user is None:
        user = state.tenant.by_upn.get(key.lower())
        if user is not None and "signinactivity" in request.args.get("$select", "").lower():
            # signInActivity on a single user works by object id only.
            raise bad_request(
                "Get By Key only supports UserId and the key has to be a valid Guid",
                "Request_UnsupportedQuery",
            )
    if user is None:
        raise not_found(key)
    return _restrict(principal, _single(state, request, principal, user))


def me(state: State, request: Request, principal: Principal) -> dict[str, Any]:
    if principal.is_app:
        raise bad_request("/me request is only valid with delegated authentication flow.")
    if not principal.has_any("User.Read", "User.ReadBasic.All", *READ_USERS):
        raise denied()
    user = state.tenant.by_id[principal.oid or ""]
    return _single(state, request, principal, user)


# PATCH /users/{id}: property -> (record attribute, JSON type, permissions that allow it)
_WRITABLE: dict[str, tuple[str, type, tuple[str, ...]]] = {
    "accountEnabled": (
        "enabled",
        bool,
        ("User.EnableDisableAccount.All", "User.ReadWrite.All", "Directory.ReadWrite.All"),
    ),
    "displayName": ("display_name", str, ("User.ReadWrite.All", "Directory.ReadWrite.All")),
    "givenName": ("given", str, ("User.ReadWrite.All", "Directory.ReadWrite.All")),
    "surname": ("surname", str, ("User.ReadWrite.All", "Directory.ReadWrite.All")),
    "companyName": ("company", str, ("User.ReadWrite.All", "Directory.ReadWrite.All")),
    "jobTitle": ("job_title", str, ("User.ReadWrite.All", "Directory.ReadWrite.All")),
}


def patch_user(state: State, request: Request, principal: Principal, key: str) -> None:
    """Update a few user properties; 204 No Content like Graph."""
    user = state.tenant.by_id.get(key.lower()) or state.tenant.by_upn.get(key.lower())
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not body:
        raise bad_request("Empty Payload. JSON content expected.", "BadRequest")
    changes: dict[str, Any] = {}
    for name, value in body.items():
        if name not in _WRITABLE:
            raise bad_request(f"Invalid property '{name}'.")
        attr, kind, scopes = _WRITABLE[name]
        if not isinstance(value, kind):
            raise bad_request(f"Invalid value specified for property '{name}' of resource 'User'.")
        if not principal.has_any(*scopes):
            raise denied()
        changes[attr] = value
    if user is None:
        raise not_found(key)
    if "display_name" in changes:  # stored as given + surname; keep it simple
        given, _, surname = str(changes.pop("display_name")).partition(" ")
        changes.setdefault("given", given)
        changes.setdefault("surname", surname)
    for attr, value in changes.items():
        setattr(user, attr, value)
