"""GET /reports/authenticationMethods/userRegistrationDetails (list and by user id).

Needs Entra ID P1 (else 403 Authentication_RequestFromNonPremiumTenantOrB2CTenant),
AuditLog.Read.All with a reports role, and keeps to the reports limit: at most
``reports_limit`` requests per ``reports_window`` seconds per app and signed-in user;
the next answers 429 TooManyRequests with Retry-After. Disabled users are not in the
report ("This method doesn't work for disabled users").
"""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Request

from ztna_desktop.emulator import odata
from ztna_desktop.emulator.faults import retry_after_text
from ztna_desktop.emulator.graph_errors import GraphError, bad_request, denied, not_found
from ztna_desktop.emulator.graph_users import NO_PREMIUM
from ztna_desktop.emulator.odata_schema import ENUM_OPS, EntitySet, Prop, ops
from ztna_desktop.emulator.permissions import PERSONA_RIGHTS, Principal
from ztna_desktop.emulator.seed import iso
from ztna_desktop.emulator.seed_mfa import ReportRow
from ztna_desktop.emulator.state import State

READ_REPORT = ("AuditLog.Read.All", "UserAuthenticationMethod.Read.All")
SSPR_METHODS = frozenset(
    {"mobilePhone", "alternateMobilePhone", "officePhone", "email", "microsoftAuthenticatorPush",
     "softwareOneTimePasscode"}
)  # fmt: skip
NAME_OPS = ops("eq", "startsWith")


def _is_admin(row: ReportRow) -> bool:
    return bool(row.user.persona and PERSONA_RIGHTS[row.user.persona].roles)


def _sspr_registered(row: ReportRow) -> bool:
    return any(m in SSPR_METHODS for m in row.reg.methods)


def _bool(name: str, get: Any) -> Prop:
    return Prop(name, get, default=True, edm="Boolean", filter_ops=ops("eq"))


REGISTRATIONS = EntitySet(
    name="reports/authenticationMethods/userRegistrationDetails",
    type_name="microsoft.graph.userRegistrationDetails",
    resource="UserRegistrationDetails",
    props=[
        Prop("id", lambda r: r.user.id, default=True, filter_ops=ENUM_OPS),
        Prop(
            "userPrincipalName",
            lambda r: r.user.upn,
            default=True,
            filter_ops=NAME_OPS,
            orderby=True,
        ),
        Prop(
            "userDisplayName",
            lambda r: r.user.display_name,
            default=True,
            filter_ops=NAME_OPS,
            orderby=True,
        ),
        Prop("userType", lambda r: r.user.user_type.lower(), default=True, filter_ops=ops("eq")),
        _bool("isAdmin", _is_admin),
        _bool("isSsprRegistered", _sspr_registered),
        _bool("isSsprEnabled", lambda r: r.user.user_type == "Member"),
        _bool("isSsprCapable", lambda r: r.user.user_type == "Member" and _sspr_registered(r)),
        _bool("isMfaRegistered", lambda r: r.reg.is_mfa_registered),
        _bool("isMfaCapable", lambda r: r.reg.is_mfa_capable),
        _bool(
            "isPasswordlessCapable",
            lambda r: any(
                m
                in (
                    "fido2SecurityKey",
                    "windowsHelloForBusiness",
                    "microsoftAuthenticatorPasswordless",
                )
                for m in r.reg.methods
            ),
        ),
        _bool("isSystemPreferredAuthenticationMethodEnabled", lambda r: True),
        Prop(
            "systemPreferredAuthenticationMethods",
            lambda r: r.reg.system_preferred,
            default=True,
            edm="",
        ),
        Prop(
            "userPreferredMethodForSecondaryAuthentication",
            lambda r: r.reg.preferred,
            default=True,
            filter_ops=ops("eq"),
        ),
        Prop(
            "methodsRegistered",
            lambda r: list(r.reg.methods),
            default=True,
            edm="",
            filter_ops=ops("any"),
            sub={"": ("String", ops("eq"))},
        ),
        Prop(
            "lastUpdatedDateTime",
            lambda r: iso(r.reg.updated),
            default=True,
            edm="DateTimeOffset",
            filter_ops=ops("ge", "le"),
        ),
    ],
)


def _gate(state: State, principal: Principal) -> None:
    """Permission, licence, then the reports limit (in that order)."""
    if not principal.has_any(*READ_REPORT) or not principal.reads_reports:
        raise denied()
    if state.options.no_premium:
        raise GraphError(403, "Authentication_RequestFromNonPremiumTenantOrB2CTenant", NO_PREMIUM)
    wait = state.reports.admit(f"{principal.persona or 'app'}:{principal.oid}")
    if wait is not None:
        raise GraphError(
            429,
            "TooManyRequests",
            "Please retry again later.",
            headers={"Retry-After": retry_after_text(wait)},
            inner={"code": "429", "message": "Please retry after", "status": "429"},
        )


def list_registrations(state: State, request: Request, principal: Principal) -> dict[str, Any]:
    _gate(state, principal)
    query = odata.parse_query(
        REGISTRATIONS, list(request.args.items(multi=True)), request.headers, state.cursors
    )
    rows = [r for r in state.world.report_rows if r.user.enabled]
    return odata.page(REGISTRATIONS, query, rows, state.graph_base, state.cursors)


def get_registration(
    state: State, request: Request, principal: Principal, key: str
) -> dict[str, Any]:
    _gate(state, principal)
    if any(k.startswith("$") for k in request.args):
        raise bad_request("This request does not support OData query parameters.")
    user = state.tenant.by_id.get(key.lower())
    reg = state.world.registration_by_id.get(key.lower())
    if user is None or reg is None or not user.enabled:
        raise not_found(key)
    query = odata.parse_query(REGISTRATIONS, [], request.headers, state.cursors)
    body = {
        "@odata.context": odata.context_url(state.graph_base, REGISTRATIONS, query, entity=True)
    }
    body.update(odata.render(query, ReportRow(user, reg)))
    return body
