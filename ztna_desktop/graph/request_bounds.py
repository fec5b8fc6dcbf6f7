"""The fewest HTTP requests (and the least time) Graph's documented limits allow for a refresh."""

from __future__ import annotations

import math

from ztna_desktop.graph.batch import MAX_BATCH
from ztna_desktop.graph.sign_ins import SIGN_IN_PAGE
from ztna_desktop.graph.users import PAGE_SIZE


def lower_bound_requests(
    n_users: int,
    n_groups: int,
    n_apps: int,
    n_domains: int,
    *,
    n_owned: int = 0,
    n_partners: int = 0,
    member_pages: int | None = None,
    assignment_pages: int | None = None,
) -> int:
    """The fewest HTTP requests Graph's documented limits allow for one directory read.

    Every collection page is one request (999 items at most: ``$top`` max), and
    any request can ride in a ``$batch`` of at most 20. The read needs at least
    these sub-requests (P(n) = ceil(max(n, 1) / 999), pages of a list of n)::

        S = P(users) + P(groups) + P(owned) + P(apps)          the four lists
          + member_pages  (>= 2 * groups: members and owners, one page each at least)
          + assignment_pages (>= apps: one page of appRoleAssignedTo each)
          + 2 + P(partners)        cross-tenant default, partners; authorization policy
          + domains                one findTenantInformationByDomainName each

    so at least ceil(S / 20) HTTP requests. And a list's pages are a chain (page
    k+1's link is in page k), one HTTP request each, so at least P(users), plus
    one when domains are looked up (they need every user read); likewise
    P(groups) + 1 for the members, P(apps) + 1 for the assignments. The bound is
    the largest of these.
    """

    def pages(n: int) -> int:
        return math.ceil(max(n, 1) / PAGE_SIZE)

    members = 2 * n_groups if member_pages is None else member_pages
    assigned = n_apps if assignment_pages is None else assignment_pages
    subs = (
        pages(n_users)
        + pages(n_groups)
        + pages(n_owned)
        + pages(n_apps)
        + members
        + assigned
        + 2
        + pages(n_partners)
        + n_domains
    )
    return max(
        math.ceil(subs / MAX_BATCH),
        pages(n_users) + (1 if n_domains else 0),
        pages(n_groups) + (1 if n_groups else 0),
        pages(n_apps) + (1 if n_apps else 0),
    )


def activity_bound(sign_in_pages: int, report_pages: int) -> int:
    """The fewest HTTP requests to read two page chains of these lengths through ``$batch``.

    A chain's pages are sequential (page k+1's link is in page k), so one ``$batch``
    carries at most one page of each: at least max(S, R) requests; and at most 20
    sub-requests each: at least ceil((S + R) / 20).
    """
    return max(sign_in_pages, report_pages, math.ceil((sign_in_pages + report_pages) / MAX_BATCH))


def lower_bound_activity_requests(n_guests: int, n_enabled: int | None = None) -> int:
    """The fewest HTTP requests for ``read_activity`` on a P1 tenant (``activity_bound``).

    Sign-ins list every guest, 500 a page (the signInActivity cap): S = ceil(G/500).
    The registration report lists enabled guests only (``n_enabled``, default all),
    999 a page: R = ceil(E/999). With G >= 500, S > R, so the bound is S: what
    the sign-in chain alone needs. The report's rate limit bounds the time, not
    the count (``min_report_seconds``).
    """
    sign_in_pages = math.ceil(max(n_guests, 1) / SIGN_IN_PAGE)
    enabled = n_guests if n_enabled is None else n_enabled
    report_pages = math.ceil(max(enabled, 1) / PAGE_SIZE)
    return activity_bound(sign_in_pages, report_pages)


def min_report_seconds(report_pages: int, limit: int = 5, window: float = 10.0) -> float:
    """The earliest the last of ``report_pages`` can be sent under ``limit`` per ``window`` s.

    In any window at most ``limit`` go, so page k (from 0) leaves at least
    ``window`` after page k - limit: at floor(k / limit) * window, the last at
    floor((R - 1) / limit) * window (plus its own round trip, not counted).
    """
    return (max(report_pages, 1) - 1) // max(limit, 1) * window
