"""Guests' MFA registrations: the tenant-wide report, else each guest's own methods.

The report (``userRegistrationDetails``) needs Entra ID P1 and a reports-reading
role, and Graph allows 5 report requests per 10 seconds: every request to it
goes through ``REPORTS_LIMITER`` (shared by every client in the process), and a
429 holds the limiter for its ``Retry-After``. Without P1 (403
``Authentication_RequestFromNonPremiumTenantOrB2CTenant``) the per-user methods
still answer for an admin with an authentication-methods role; a 403
``Authorization_RequestDenied`` means the signed-in role may not read either,
and the MFA view says so instead of showing nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ztna_desktop.core.directory import MfaRegistration
from ztna_desktop.core.errors import BadResponse, NotFound, ServiceError, ZtnaError
from ztna_desktop.core.mfa import methods_from_report, methods_from_user_methods
from ztna_desktop.graph.batch import BatchItem, BatchRunner, Chain, RateLimiter
from ztna_desktop.graph.transport import GraphClient
from ztna_desktop.graph.users import PAGE_SIZE

log = logging.getLogger(__name__)

NO_PREMIUM = "Authentication_RequestFromNonPremiumTenantOrB2CTenant"
REPORT_PATH = "/reports/authenticationMethods/userRegistrationDetails"
REPORT_SELECT = "id,isMfaRegistered,methodsRegistered,userPreferredMethodForSecondaryAuthentication"
#: Graph's reports limit: 5 requests per 10 seconds per app and tenant.
REPORTS_LIMITER = RateLimiter(5, 10.0)


@dataclass(frozen=True, slots=True)
class MfaRead:
    """What could be read: ``registrations`` None means nothing (``error`` says why).

    ``source`` is "report" or "methods" (per-user fallback); with "methods",
    ``error`` keeps the report's 403 so the view can explain the missing P1.
    """

    registrations: dict[str, MfaRegistration] | None
    error: ZtnaError | None = None
    source: str = ""


def is_no_premium(exc: BaseException) -> bool:
    """The 403 of a tenant without Entra ID P1."""
    return isinstance(exc, ServiceError) and exc.status == 403 and exc.code == NO_PREMIUM


def report_request(limiter: RateLimiter = REPORTS_LIMITER, chain: Chain | None = None) -> BatchItem:
    """The report's guest rows, 999 a page; ``chain`` counts its pages (for pacing)."""
    return BatchItem(
        "mfa-report",
        f"{REPORT_PATH}?$select={REPORT_SELECT}&$filter=userType eq 'guest'&$top={PAGE_SIZE}",
        limiter=limiter,
        chain=chain,
    )


def methods_request(user_id: str) -> BatchItem:
    """One user's registered methods (the API takes no query options)."""
    return BatchItem(f"am:{user_id}", f"/users/{user_id}/authentication/methods")


def parse_registration(obj: Any) -> MfaRegistration:
    """One row of the report."""
    if not isinstance(obj, dict) or not isinstance(obj.get("id"), str):
        raise _bad("a registration row has no id")
    methods = obj.get("methodsRegistered") or []
    if not isinstance(methods, list):
        raise _bad("methodsRegistered is not a list")
    preferred = obj.get("userPreferredMethodForSecondaryAuthentication")
    return MfaRegistration(
        user_id=obj["id"],
        methods=methods_from_report(str(m) for m in methods),
        is_mfa_registered=bool(obj.get("isMfaRegistered")),
        preferred=preferred if isinstance(preferred, str) else None,
        from_report=True,
    )


def parse_user_methods(user_id: str, values: list[Any]) -> MfaRegistration:
    """A user's ``authentication/methods`` as a registration (no preferred method known)."""
    methods = methods_from_user_methods(v for v in values if isinstance(v, dict))
    return MfaRegistration(user_id, methods, bool(methods), None, from_report=False)


def submit_report(
    runner: BatchRunner,
    on_done: Callable[[dict[str, MfaRegistration]], None],
    on_error: Callable[[ServiceError], None],
    limiter: RateLimiter = REPORTS_LIMITER,
    chain: Chain | None = None,
) -> None:
    """Queue the report's pages on ``runner``; ``on_done(registrations)`` after the last."""
    found: dict[str, MfaRegistration] = {}

    def on_page(page: dict[str, Any]) -> None:
        for obj in page["value"]:
            reg = parse_registration(obj)
            found[reg.user_id] = reg

    runner.follow_pages(report_request(limiter, chain), on_page, on_error, lambda: on_done(found))


def submit_user_methods(
    runner: BatchRunner,
    user_ids: Iterable[str],
    on_done: Callable[[dict[str, MfaRegistration]], None],
    on_error: Callable[[ServiceError], None],
) -> None:
    """Queue each user's methods; ``on_done`` once all answered, ``on_error`` on the first
    failure other than 404 (the queued rest is dropped: it would fail the same way)."""
    ids = list(dict.fromkeys(user_ids))
    found: dict[str, MfaRegistration] = {}
    state = {"left": len(ids), "failed": False}

    def finish_one() -> None:
        state["left"] -= 1
        if state["left"] == 0 and not state["failed"]:
            on_done(found)

    for uid in ids:
        values: list[Any] = []

        def on_error_one(exc: ServiceError, uid: str = uid) -> None:
            if isinstance(exc, NotFound):  # deleted since the users were read
                finish_one()
                return
            if not state["failed"]:
                state["failed"] = True
                dropped = runner.discard(lambda item: item.id.startswith("am:"))
                log.info("per-user methods refused (%s); %d requests dropped", exc.code, dropped)
                on_error(exc)

        def on_page(page: dict[str, Any], values: list[Any] = values) -> None:
            values.extend(page["value"])

        def on_done_one(uid: str = uid, values: list[Any] = values) -> None:
            found[uid] = parse_user_methods(uid, values)
            finish_one()

        runner.follow_pages(methods_request(uid), on_page, on_error_one, on_done_one)
    if not ids:
        on_done(found)


def submit_mfa(
    runner: BatchRunner,
    guest_ids: Iterable[str],
    on_result: Callable[[MfaRead], None],
    limiter: RateLimiter = REPORTS_LIMITER,
    chain: Chain | None = None,
) -> None:
    """Queue the report, falling back to per-user methods without P1; ``on_result`` once.

    ``chain`` counts the report's pages (other reads may ride with them, ``pacing``).
    """
    guests = list(guest_ids)

    def report_failed(exc: ServiceError) -> None:
        if not is_no_premium(exc):
            on_result(MfaRead(None, exc))
            return
        log.info("No Entra ID P1: reading %d guests' methods one by one", len(guests))
        submit_user_methods(
            runner,
            guests,
            lambda regs: on_result(MfaRead(regs, exc, "methods")),
            lambda exc2: on_result(MfaRead(None, exc2)),
        )

    submit_report(
        runner, lambda regs: on_result(MfaRead(regs, None, "report")), report_failed, limiter, chain
    )


def read_registration_report(client: GraphClient) -> dict[str, MfaRegistration]:
    """Every guest's row of the registration report (rate limited). Raises AccessDenied."""
    out: list[dict[str, MfaRegistration]] = []
    runner = BatchRunner(client)
    submit_report(runner, out.append, _raise)
    runner.run()
    return out[0]


def read_user_methods(client: GraphClient, user_ids: Iterable[str]) -> dict[str, MfaRegistration]:
    """Each user's methods through ``$batch`` (ceil(N/20) requests). Raises AccessDenied."""
    out: list[dict[str, MfaRegistration]] = []
    runner = BatchRunner(client)
    submit_user_methods(runner, user_ids, out.append, _raise)
    runner.run()
    return out[0]


def read_mfa(client: GraphClient, guest_ids: Iterable[str]) -> MfaRead:
    """The report, else per-user methods; never raises for a 403 (see ``MfaRead``)."""
    out: list[MfaRead] = []
    runner = BatchRunner(client)
    submit_mfa(runner, guest_ids, out.append)
    runner.run()
    return out[0]


def _raise(exc: ServiceError) -> None:
    raise exc


def _bad(text: str) -> BadResponse:
    return BadResponse(
        f"Microsoft Graph sent unexpected data: {text}.", status=200, code="InvalidShape"
    )
