"""Fakes at the UI's seams: an authenticator and a guests loader (no Qt, no network)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from ztna_desktop.core.errors import Cancelled, InteractionRequired
from ztna_desktop.core.models import GuestUser, Identity, Organization
from ztna_desktop.ui.services import GuestsLoad

WAIT_S = 10.0  # upper bound for a fake's wait; tests release it long before


@dataclass(frozen=True)
class FakeAccount:
    username: str = "admin@contoso.onmicrosoft.com"
    home_account_id: str = "oid.tid"
    tenant_id: str = "tid"


@dataclass(frozen=True)
class FakeFlow:
    user_code: str = "ABCD-1234"
    verification_uri: str = "https://login.example.test/device"
    message: str = "Enter ABCD-1234 at https://login.example.test/device"
    expires_at: datetime = field(default_factory=lambda: datetime.now(UTC) + timedelta(minutes=15))
    raw: dict = field(default_factory=dict)


class FakeAuth:
    """Behaves like AuthClient: a cached account or none; device flows approved by the test."""

    def __init__(self, account: FakeAccount | None = None, silent_error: Exception | None = None):
        self._account = account
        self.silent_error = silent_error
        self.approved = threading.Event()
        self.device_error: Exception | None = None
        self.finish_started = threading.Event()
        self.finish_returned = threading.Event()
        self.calls: list[str] = []

    @property
    def account(self):
        return self._account

    def access_token(self, scopes) -> str:
        self.calls.append("access_token")
        if self._account is None:
            raise InteractionRequired("Not signed in.")
        if self.silent_error is not None:
            raise self.silent_error
        return "fake-token"

    def sign_in_interactive(self, scopes=None, *, timeout: int = 300):
        self.calls.append("interactive")
        if not self.approved.wait(WAIT_S):
            raise Cancelled("timed out")
        self._account = FakeAccount()
        return self._account

    def start_device_flow(self, scopes=None):
        self.calls.append("start_device_flow")
        return FakeFlow()

    def finish_device_flow(self, flow, cancel=None):
        self.calls.append("finish_device_flow")
        self.finish_started.set()
        try:
            cancel = cancel or threading.Event()
            while not self.approved.is_set():
                if cancel.wait(0.01):
                    raise Cancelled("Device sign-in cancelled.")
            if self.device_error is not None:
                raise self.device_error
            self._account = FakeAccount()
            return self._account
        finally:
            self.finish_returned.set()

    def sign_out(self) -> None:
        self.calls.append("sign_out")
        self._account = None


def guest(n: int, **changes) -> GuestUser:
    values: dict[str, Any] = dict(
        id=f"id-{n:04d}",
        display_name=f"Guest {n:04d}",
        mail=f"guest{n:04d}@fabrikam.com",
        user_principal_name=f"guest{n:04d}_fabrikam.com#EXT#@contoso.onmicrosoft.com",
        user_type="Guest",
        account_enabled=n % 5 != 0,
        external_user_state="Accepted" if n % 3 else "PendingAcceptance",
        created=datetime(2024, 1, 1, 12, tzinfo=UTC) + timedelta(days=n),
        identities=(Identity("federated", "google.com"),) if n % 4 == 0 else (),
    )
    values.update(changes)
    return GuestUser(**values)


def guests(count: int) -> list[GuestUser]:
    return [guest(n) for n in range(1, count + 1)]


class FakeLoader:
    """A ``LoadGuests``: reports progress, optionally waits for ``release``, then answers."""

    def __init__(self, rows: list[GuestUser], *, error: Exception | None = None, gated=False):
        self.rows, self.error = rows, error
        self.release = threading.Event()
        if not gated:
            self.release.set()
        self.started = threading.Event()
        self.returned = threading.Event()
        self.calls = 0

    def __call__(self, cancel: threading.Event, progress) -> GuestsLoad:
        self.calls += 1
        self.started.set()
        try:
            progress(0, None, "Reading users")
            while not self.release.is_set():
                if cancel.wait(0.01):
                    raise Cancelled()
            if self.error is not None:
                raise self.error
            progress(len(self.rows), len(self.rows), f"Read {len(self.rows)} users")
            return GuestsLoad(
                Organization("tid", "Contoso Ltd", "contoso.onmicrosoft.com"), list(self.rows)
            )
        finally:
            self.returned.set()
