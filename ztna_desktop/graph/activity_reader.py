"""The activity part of a refresh: guests' MFA registrations and sign-ins, in one batch stream.

The MFA report is paced by the reports limit (5 requests per 10 s), so with many
guests this read takes minutes: the UI runs it in its own worker, after the
directory read, and never lets it block the other views. The sign-in pages ride
in the report's batches (``pacing``): the sign-ins have about twice the report's
pages, so their spare pages go while the report waits for its limiter and the rest
travel with a report page each. The read then takes as many HTTP requests as the
sign-ins have pages (``request_bounds.activity_bound``) and no longer than the
report's own pace. Without the report (a 403) the sign-ins go at full speed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ztna_desktop.core.directory import Directory, MfaRegistration, SignIn
from ztna_desktop.core.errors import ServiceError, ZtnaError
from ztna_desktop.core.protocols import Progress, no_progress
from ztna_desktop.graph.batch import BatchRunner, Chain, RateLimiter
from ztna_desktop.graph.mfa import REPORTS_LIMITER, MfaRead, submit_mfa
from ztna_desktop.graph.request_bounds import activity_bound
from ztna_desktop.graph.sign_ins import SIGN_IN_PAGE, parse_sign_in, sign_ins_request
from ztna_desktop.graph.transport import GraphClient
from ztna_desktop.graph.users import PAGE_SIZE


@dataclass
class ActivityRead:
    """MFA registrations and sign-ins, each None when unreadable (``errors`` says why).

    ``errors["mfa"]`` with ``mfa`` not None: the report was refused (no P1) and
    ``mfa_source`` is "methods" (each guest's own methods).
    """

    mfa: dict[str, MfaRegistration] | None = None
    sign_ins: dict[str, SignIn] | None = None
    mfa_source: str = ""
    errors: dict[str, ZtnaError] = field(default_factory=dict)
    requests: int = 0  # HTTP requests sent, retries included
    report_pages: int = 0  # pages of the registration report read
    sign_in_pages: int = 0

    def lower_bound(self) -> int:
        """The fewest HTTP requests for the report and sign-in chains this read saw."""
        return activity_bound(self.sign_in_pages, self.report_pages)


def read_activity(
    client: GraphClient,
    directory: Directory,
    *,
    progress: Progress = no_progress,
    limiter: RateLimiter = REPORTS_LIMITER,
) -> ActivityRead:
    """Guests' MFA registrations and sign-ins (the reports limit paces the MFA report).

    Run it in its own worker: with many guests the report takes minutes.
    """
    runner = BatchRunner(client)
    started = client.request_count
    out = ActivityRead()
    guests = [u for u in directory.users.values() if u.is_guest]
    sign_ins: dict[str, SignIn] = {}
    # Expected pages: the report lists enabled guests only, the sign-ins every guest.
    report = Chain.of(sum(1 for u in guests if u.account_enabled), PAGE_SIZE)
    sign_in = Chain.of(len(guests), SIGN_IN_PAGE)

    def on_mfa(result: MfaRead) -> None:
        out.mfa, out.mfa_source = result.registrations, result.source
        if result.error is not None:
            out.errors["mfa"] = result.error

    def on_sign_in_error(exc: ServiceError) -> None:
        out.errors["sign_ins"] = exc

    def on_sign_ins(page: dict[str, Any]) -> None:
        sign_ins.update(parse_sign_in(obj) for obj in page["value"])

    submit_mfa(runner, (u.id for u in guests), on_mfa, limiter, report)
    runner.follow_pages(
        sign_ins_request(chain=sign_in, rides_with=report),
        on_sign_ins,
        on_sign_in_error,
        lambda: setattr(out, "sign_ins", sign_ins),
    )
    progress(0, None, "Reading MFA registrations and sign-ins…")

    def on_batch() -> None:
        done = runner.items_done
        progress(done, done + runner.pending, f"Read sign-ins of {len(sign_ins)} guests")

    runner.run(on_batch)
    out.requests = client.request_count - started
    out.report_pages, out.sign_in_pages = report.read, sign_in.read
    return out
