"""One refresh: the whole directory in one ``$batch`` stream, and MFA + sign-ins in another.

``read_directory`` queues every read on one ``BatchRunner``: the first pages of
users, groups, owned groups and apps and the three policies go in the first
batch; each group page queues its groups' members and owners, each app page its
apps' assignments, the last users page the home-tenant lookups. Follow-up pages
jump the queue, so the long users list rides along with the per-group reads and
the request count stays at the lower bound (``lower_bound_requests``).

A part that fails (a 403, say) is recorded in ``errors`` under its snapshot part
name and left empty; the other parts are read all the same. Failures of the HTTP
request itself (offline, cancelled, token gone) raise.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ztna_desktop.core.directory import Directory, MfaTrust
from ztna_desktop.core.errors import NotFound, ServiceError, ZtnaError
from ztna_desktop.core.protocols import Progress, no_progress
from ztna_desktop.graph import apps, groups, policies
from ztna_desktop.graph.activity_reader import ActivityRead, read_activity
from ztna_desktop.graph.batch import BatchItem, BatchRunner
from ztna_desktop.graph.request_bounds import lower_bound_activity_requests, lower_bound_requests
from ztna_desktop.graph.tenants import (
    TenantInfo,
    entra_guest_domains,
    parse_tenant,
    tenant_request,
)
from ztna_desktop.graph.transport import GraphClient
from ztna_desktop.graph.users import PAGE_SIZE, USER_SELECT, parse_user

log = logging.getLogger(__name__)

__all__ = [
    "PARTS",
    "ActivityRead",
    "DirectoryRead",
    "lower_bound_activity_requests",
    "lower_bound_requests",
    "read_activity",
    "read_directory",
]

#: Parts of a directory read (``store.directory_store.DIRECTORY_PARTS`` plus two more).
PARTS = ("users", "groups", "members", "owners", "apps", "assignments", "trust", "home_tenants")
EXTRA_PARTS = ("owned", "authorization")


@dataclass
class DirectoryRead:
    """What ``read_directory`` got: a part in ``errors`` was not read (and is left empty)."""

    directory: Directory
    errors: dict[str, ZtnaError] = field(default_factory=dict)
    owned: frozenset[str] | None = None  # ids of the groups the signed-in person owns
    tenants: dict[str, TenantInfo] = field(default_factory=dict)  # domain -> tenant found
    tenants_asked: tuple[str, ...] = ()  # domains looked up
    requests: int = 0  # HTTP requests sent, retries included
    sub_requests: int = 0
    pages: dict[str, int] = field(default_factory=dict)  # part -> pages (sub-requests) read

    def lower_bound(self) -> int:
        """``lower_bound_requests`` for the tenant this read saw."""
        d = self.directory
        return lower_bound_requests(
            len(d.users),
            len(d.groups),
            len(d.apps),
            len(self.tenants_asked),
            n_owned=len(self.owned or ()),
            n_partners=len(d.mfa_trust_partners),
            member_pages=self.pages.get("members", 0) + self.pages.get("owners", 0) or None,
            assignment_pages=self.pages.get("assignments") or None,
        )


def users_request() -> BatchItem:
    """Every user (members too: owners and group members need names), 999 a page."""
    return BatchItem(
        "users",
        f"/users?$select={','.join(USER_SELECT)}&$top={PAGE_SIZE}&$count=true",
        headers={"ConsistencyLevel": "eventual"},
    )


class _DirectoryReader:
    """The callbacks of one directory read, wired onto one runner."""

    def __init__(self, client: GraphClient, gateway: apps.GatewayRule) -> None:
        self.runner = BatchRunner(client)
        self.gateway = gateway
        self.read = DirectoryRead(Directory())
        self.user_total: int | None = None
        self.owned: set[str] = set()
        self.partners: dict[str, MfaTrust] = {}

    def fail(self, *parts: str, drop: str = "") -> Callable[[ServiceError], None]:
        """An error handler recording the first error of ``parts``; drops queued ``drop*`` ids."""

        def on_error(exc: ServiceError) -> None:
            if drop and isinstance(exc, NotFound):  # an object deleted since it was listed
                return
            for part in parts:
                self.read.errors.setdefault(part, exc)
            if drop:
                self.runner.discard(lambda item: item.id.startswith(drop))
            log.info("directory read: %s not readable (%s %s)", parts, exc.status, exc.code)

        return on_error

    def count(self, part: str) -> None:
        self.read.pages[part] = self.read.pages.get(part, 0) + 1

    def submit(self) -> None:
        d, run = self.read.directory, self.runner
        run.follow_pages(
            users_request(), self.on_users, self.fail("users", "home_tenants"), self.on_users_done
        )
        run.follow_pages(
            groups.groups_request(), self.on_groups, self.fail("groups", "members", "owners")
        )
        run.follow_pages(
            groups.owned_groups_request(),
            self.on_owned,
            self.fail("owned"),
            lambda: setattr(self.read, "owned", frozenset(self.owned)),
        )
        run.follow_pages(apps.apps_request(), self.on_apps, self.fail("apps", "assignments"))
        run.submit([policies.default_trust_request()], self.on_default_trust)
        run.follow_pages(
            policies.partners_request(),
            lambda page: self.partners.update(policies.parse_partners(page["value"])),
            self.fail("trust"),
            lambda: d.mfa_trust_partners.update(self.partners),
        )
        run.submit([policies.authorization_request()], self.on_authorization)

    def on_users(self, page: dict[str, Any]) -> None:
        count = page.get("@odata.count")
        if isinstance(count, int) and not isinstance(count, bool):
            self.user_total = count
        users = self.read.directory.users
        for obj in page["value"]:
            user = parse_user(obj)
            users[user.id] = user

    def on_users_done(self) -> None:
        domains = entra_guest_domains(self.read.directory.users.values())
        self.read.tenants_asked = tuple(domains)
        found = self.read.tenants

        def on_tenant(domain: str) -> Callable[[Any], None]:
            def handle(result: Any) -> None:
                if result.error is None:
                    found[domain] = parse_tenant(result.json())
                    self.read.directory.home_tenants.update(
                        (gid, found[domain].tenant_id) for gid in domains[domain]
                    )
                elif not isinstance(result.error, NotFound):
                    self.fail("home_tenants", drop="t:")(result.error)

            return handle

        for domain in domains:
            self.runner.submit([tenant_request(domain)], on_tenant(domain))

    def collect(
        self, item: BatchItem, part: str, drop: str, done: Callable[[list[Any]], None]
    ) -> None:
        """Queue a per-object collection read; ``done(values)`` after its last page."""
        values: list[Any] = []

        def on_page(page: dict[str, Any]) -> None:
            self.count(part)
            values.extend(page["value"])

        self.runner.follow_pages(item, on_page, self.fail(part, drop=drop), lambda: done(values))

    def on_groups(self, page: dict[str, Any]) -> None:
        d = self.read.directory
        for obj in page["value"]:
            group = groups.parse_group(obj)
            d.groups[group.id] = group

            def on_members(values: list[Any], gid: str = group.id) -> None:
                d.members[gid] = tuple(groups.parse_member(v) for v in values)

            def on_owners(values: list[Any], gid: str = group.id) -> None:
                d.owners[gid] = groups.object_ids(values)

            self.collect(groups.members_request(group.id), "members", "m:", on_members)
            self.collect(groups.owners_request(group.id), "owners", "o:", on_owners)

    def on_owned(self, page: dict[str, Any]) -> None:
        self.owned.update(groups.object_ids(page["value"]))

    def on_apps(self, page: dict[str, Any]) -> None:
        d = self.read.directory
        for obj in page["value"]:
            app = apps.parse_app(obj, self.gateway)
            d.apps[app.id] = app

            def on_assignments(values: list[Any], sp: str = app.id) -> None:
                d.assignments[sp] = tuple(apps.parse_assignment(v, sp) for v in values)

            self.collect(apps.assignments_request(app.id), "assignments", "a:", on_assignments)

    def on_default_trust(self, result: Any) -> None:
        if result.error is not None:
            self.fail("trust")(result.error)
        else:
            self.read.directory.mfa_trust_default = policies.parse_default_trust(result.json())

    def on_authorization(self, result: Any) -> None:
        if result.error is not None:
            self.fail("authorization")(result.error)
        else:
            self.read.directory.authorization = policies.parse_authorization(result.json())

    def finish(self) -> DirectoryRead:
        d, errors = self.read.directory, self.read.errors
        names = {t.tenant_id: t.display_name for t in self.read.tenants.values()}
        d.mfa_trust_partners = {
            tid: MfaTrust(tid, t.is_mfa_accepted, names.get(tid, t.name))
            for tid, t in d.mfa_trust_partners.items()
        }
        for part, value in (
            ("users", d.users),
            ("groups", d.groups),
            ("members", d.members),
            ("owners", d.owners),
            ("apps", d.apps),
            ("assignments", d.assignments),
            ("home_tenants", d.home_tenants),
            ("trust", d.mfa_trust_partners),
        ):
            if part in errors:
                value.clear()
        if "trust" in errors:
            d.mfa_trust_default = None
        if "owned" in errors:
            self.read.owned = None
        return self.read


def read_directory(
    client: GraphClient,
    *,
    progress: Progress = no_progress,
    gateway: apps.GatewayRule = apps.DEFAULT_GATEWAY_RULE,
) -> DirectoryRead:
    """Users, groups with members and owners, apps with assignments, MFA trust, home tenants.

    ``progress(done, total, text)`` after each HTTP request, counted in sub-requests.
    Raises only what sinks every part (NetworkError, Cancelled, AuthError, a refused $batch).
    """
    reader = _DirectoryReader(client, gateway)
    started = client.request_count
    d = reader.read.directory
    progress(0, None, "Reading the directory…")

    def on_batch() -> None:
        done = reader.runner.items_done
        text = (
            f"Read {len(d.users)} users, {len(d.groups)} groups "
            f"({len(d.members)} with members), {len(d.apps)} apps"
        )
        progress(done, done + reader.runner.pending, text)

    reader.submit()
    reader.runner.run(on_batch)
    read = reader.finish()
    read.requests = client.request_count - started
    read.sub_requests = reader.runner.items_done
    log.info(
        "Directory read: %d requests (%d sub-requests), lower bound %d; errors: %s",
        read.requests,
        read.sub_requests,
        read.lower_bound(),
        sorted(read.errors),
    )
    return read
