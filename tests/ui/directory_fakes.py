"""A small directory for the read views, and fakes of the directory/activity loaders and store."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from tests.ui.fakes import guest
from ztna_desktop.core.directory import (
    AppAssignment,
    Directory,
    EnterpriseApp,
    Group,
    Member,
    MfaRegistration,
    MfaTrust,
    SignIn,
)
from ztna_desktop.core.errors import AccessDenied, Cancelled, ServiceError
from ztna_desktop.core.mfa import MfaMethod
from ztna_desktop.core.models import GuestUser, Organization
from ztna_desktop.ui.services import ActivityLoad, DirectoryLoad

NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)
FABRIKAM = "tid-fabrikam"
NORTHWIND = "tid-northwind"


def member_user(n: int) -> GuestUser:
    return GuestUser(
        f"m-{n}", f"Member {n}", f"member{n}@contoso.com", f"member{n}@contoso.com", "Member", True
    )


def small_directory() -> Directory:
    """Guests 1..12; groups Outer > Inner (nested), Direct; the ZTNA gateway assigned to Outer.

    - guest 1, 2: direct members of Outer -> can sign in to ZTNA
    - guest 3: only in Inner (nested in Outer) -> NOT effective
    - guest 4: assigned to the gateway directly
    - guest 5: pending acceptance (n % 3 == 0 is pending in fakes.guest? 3, 6, 9, 12)
    """
    users = {g.id: g for g in (guest(n) for n in range(1, 13))}
    users["m-1"] = member_user(1)
    d = Directory(users=users)
    d.groups = {
        "g-outer": Group("g-outer", "ZTNA Users", "Everyone on ZTNA"),
        "g-inner": Group("g-inner", "Partner Engineers"),
        "g-m365": Group(
            "g-m365",
            "Project Apollo",
            security_enabled=False,
            mail_enabled=True,
            group_types=("Unified",),
        ),
        "g-empty": Group("g-empty", "Helpdesk Team"),
    }
    d.members = {
        "g-outer": (
            Member("id-0001", "user"),
            Member("id-0002", "user"),
            Member("g-inner", "group"),
            Member("m-1", "user"),
        ),
        "g-inner": (Member("id-0003", "user"), Member("id-0007", "user")),
        "g-m365": (Member("id-0008", "user"),),
        "g-empty": (Member("m-1", "user"),),
    }
    d.owners = {"g-outer": ("m-1",), "g-inner": ("me",)}
    d.apps = {
        "sp-gw": EnterpriseApp(
            "sp-gw", "app-gw", "Sophos ZTNA Gateway", True, is_ztna_gateway=True
        ),
        "sp-crm": EnterpriseApp("sp-crm", "app-crm", "Contoso CRM", True),
        "sp-open": EnterpriseApp("sp-open", "app-open", "Open Wiki", False),
    }
    d.assignments = {
        "sp-gw": (
            AppAssignment("a1", "sp-gw", "g-outer", "Group", "ZTNA Users"),
            AppAssignment("a2", "sp-gw", "id-0004", "User", "Guest 0004"),
        ),
        "sp-crm": (AppAssignment("a3", "sp-crm", "g-m365", "Group", "Project Apollo"),),
    }
    d.mfa = {
        "id-0001": MfaRegistration(
            "id-0001",
            frozenset({MfaMethod.AUTHENTICATOR, MfaMethod.SMS, MfaMethod.VOICE}),
            True,
            "push",
        ),
        "id-0002": MfaRegistration("id-0002", frozenset({MfaMethod.FIDO2}), True, None),
        "id-0004": MfaRegistration("id-0004", frozenset(), False, None),
    }
    d.sign_ins = {
        "id-0001": SignIn(NOW - timedelta(days=2)),
        "id-0002": SignIn(NOW - timedelta(days=200)),
    }
    d.mfa_trust_default = MfaTrust(None, False)
    d.mfa_trust_partners = {
        FABRIKAM: MfaTrust(FABRIKAM, True, "Fabrikam Ltd"),
        NORTHWIND: MfaTrust(NORTHWIND, False, "Northwind Traders"),
    }
    d.home_tenants = {"id-0001": FABRIKAM, "id-0002": NORTHWIND}
    return d


def without_activity(d: Directory) -> Directory:
    import dataclasses

    return dataclasses.replace(d, mfa=None, sign_ins=None)


NO_PREMIUM = ServiceError(
    "Neither tenant is B2C or tenant doesn't have premium license",
    status=403,
    code="Authentication_RequestFromNonPremiumTenantOrB2CTenant",
)
ROLE_DENIED = AccessDenied(
    "Insufficient privileges to complete the operation.",
    status=403,
    code="Authorization_RequestDenied",
)


class FakeDirectoryLoader:
    """A LoadDirectory answering ``directory``; optionally gated or failing."""

    def __init__(
        self,
        directory: Directory | None = None,
        *,
        errors=None,
        owned=frozenset({"g-inner"}),
        error: Exception | None = None,
        gated: bool = False,
    ):
        self.directory = directory or without_activity(small_directory())
        self.errors, self.owned, self.error = dict(errors or {}), owned, error
        self.release = threading.Event()
        if not gated:
            self.release.set()
        self.started = threading.Event()
        self.calls = 0

    def __call__(self, cancel, progress) -> DirectoryLoad:
        self.calls += 1
        self.started.set()
        progress(0, None, "Reading the directory")
        while not self.release.is_set():
            if cancel.wait(0.01):
                raise Cancelled()
        if self.error is not None:
            raise self.error
        return DirectoryLoad(
            self.directory,
            NOW,
            dict(self.errors),
            Organization("tid", "Contoso Ltd", "contoso.onmicrosoft.com"),
            self.owned,
        )


class FakeActivityLoader:
    """A LoadActivity answering the small directory's MFA and sign-ins (or errors)."""

    def __init__(self, *, mfa="full", sign_ins=True, errors=None, error: Exception | None = None):
        full = small_directory()
        self.mfa = full.mfa if mfa == "full" else mfa
        self.sign_ins = full.sign_ins if sign_ins else None
        self.errors, self.error = dict(errors or {}), error
        self.calls = 0
        self.returned = threading.Event()

    def __call__(self, cancel, progress, directory) -> ActivityLoad:
        self.calls += 1
        try:
            if self.error is not None:
                raise self.error
            return ActivityLoad(self.mfa, self.sign_ins, NOW, dict(self.errors))
        finally:
            self.returned.set()


class MemorySnapshot:
    """A SnapshotStore in memory: records saves, answers loads with what was saved."""

    def __init__(self, directory: Directory | None = None, fetched_at=None):
        self.directory = directory
        self.fetched_at = dict(fetched_at or {})
        self.saves: list[tuple[list[str], str]] = []
        self.lock = threading.Lock()

    def load(self):
        with self.lock:
            if self.directory is None:
                return None
            return self.directory, dict(self.fetched_at)

    def save(self, directory, parts, now):
        with self.lock:
            self.saves.append((list(parts), threading.current_thread().name))
            self.directory = directory
            self.fetched_at.update(dict.fromkeys(parts, now))
