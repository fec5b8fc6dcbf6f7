"""Words for a part of the directory that could not be read: licence, role, or something else."""

from __future__ import annotations

from ztna_desktop.core.errors import AccessDenied, ServiceError, ZtnaError

NO_PREMIUM_CODE = "Authentication_RequestFromNonPremiumTenantOrB2CTenant"
P1_REPORT_NOTE = "Entra ID P1 needed for the registration report; showing per-user methods."
ROLE_MFA = (
    "Your role cannot read authentication methods (needs Reports Reader, Global Reader, "
    "Security Reader or Authentication Administrator)."
)
ROLE_SIGN_INS = "your role cannot read sign-in activity (needs Reports Reader or Global Reader)"
NO_P1_SIGN_INS = "needs Entra ID P1"


def is_no_premium(error: ZtnaError | None) -> bool:
    """The tenant lacks Entra ID P1 (Graph's 403 for reports and signInActivity)."""
    return isinstance(error, ServiceError) and (
        error.code == NO_PREMIUM_CODE or "premium" in str(error).lower()
    )


def is_role_denied(error: ZtnaError | None) -> bool:
    return isinstance(error, AccessDenied) and not is_no_premium(error)


def mfa_explanation(error: ZtnaError | None, *, have_data: bool, from_report: bool) -> str:
    """Why the MFA tab shows what it shows ("" when the report was read fine)."""
    if have_data:
        if error is None and from_report:
            return ""
        if error is None or is_no_premium(error):
            return P1_REPORT_NOTE
        if is_role_denied(error):
            return "Your role cannot read the registration report; showing per-user methods."
        return f"The registration report could not be read ({error}); showing per-user methods."
    if error is None:
        return "MFA registrations have not been read yet."
    if is_role_denied(error):
        return ROLE_MFA
    if is_no_premium(error):
        return (
            "The registration report needs Entra ID P1, and the per-user methods could not be "
            f"read either: {error}"
        )
    return f"MFA registrations could not be read: {error}"


def sign_ins_unavailable(error: ZtnaError | None) -> str:
    """Why last sign-ins are missing, short enough for a tooltip or a cell."""
    if error is None:
        return "not read yet"
    if is_no_premium(error):
        return NO_P1_SIGN_INS
    if is_role_denied(error):
        return ROLE_SIGN_INS
    return str(error)
