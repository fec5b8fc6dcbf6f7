"""The activity part of a refresh: guests' MFA registrations and sign-ins, in one batch stream.

The MFA report is paced by the reports limit (5 requests per 10 s), so with many
guests this read takes minutes: the UI runs it in its own worker, after the
directory read, and never lets it block the other views.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ztna_desktop.core.directory import Directory, MfaRegistration, SignIn
from ztna_desktop.core.errors import ServiceError, ZtnaError
from ztna_desktop.core.protocols import Progress, no_progress
from ztna_desktop.graph.batch import BatchRunner, RateLimiter
from ztna_desktop.graph.mfa import REPORTS_LIMITER, MfaRead, submit_mfa
from ztna_desktop.graph.sign_ins import parse_sign_in, sign_ins_request
from ztna_desktop.graph.transport import GraphClient


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
    requests: int = 0


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
    guests = [u.id for u in directory.users.values() if u.is_guest]
    sign_ins: dict[str, SignIn] = {}

    def on_mfa(result: MfaRead) -> None:
        out.mfa, out.mfa_source = result.registrations, result.source
        if result.error is not None:
            out.errors["mfa"] = result.error

    def on_sign_in_error(exc: ServiceError) -> None:
        out.errors["sign_ins"] = exc

    def on_sign_ins(page: dict[str, Any]) -> None:
        sign_ins.update(parse_sign_in(obj) for obj in page["value"])

    submit_mfa(runner, guests, on_mfa, limiter)
    runner.follow_pages(
        sign_ins_request(),
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
    return out
