"""What the window needs from the outside world, handed over by app.py."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from ztna_desktop.core.directory import Directory, MfaRegistration, SignIn
from ztna_desktop.core.errors import ZtnaError
from ztna_desktop.core.models import GuestUser, Organization
from ztna_desktop.core.protocols import Progress


class Authenticator(Protocol):
    """The part of ``auth.client.AuthClient`` the UI uses (every call may block)."""

    @property
    def account(self) -> Any: ...

    def access_token(self, scopes: Sequence[str]) -> str: ...

    def sign_in_interactive(
        self, scopes: Sequence[str] | None = None, *, timeout: int = 300
    ) -> Any: ...

    def start_device_flow(self, scopes: Sequence[str] | None = None) -> Any: ...

    def finish_device_flow(self, flow: Any, cancel: threading.Event | None = None) -> Any: ...

    def sign_out(self) -> None: ...


@dataclass(frozen=True)
class GuestsLoad:
    """One load of the Guests tab: the tenant (if it could be read) and its guests."""

    organization: Organization | None
    guests: list[GuestUser]


#: Runs on a worker thread; builds its own Graph client; honours ``cancel``.
LoadGuests = Callable[[threading.Event, Progress], GuestsLoad]


@dataclass(frozen=True)
class DirectoryLoad:
    """One directory read: users, groups, apps, trust (graph.directory_reader).

    Attributes:
        errors: part name (store.directory_store.DIRECTORY_PARTS) -> why it could not be read.
        owned: ids of the groups the signed-in person owns (None: could not be read).
    """

    directory: Directory
    fetched_at: datetime
    errors: dict[str, ZtnaError] = field(default_factory=dict)
    organization: Organization | None = None
    owned: frozenset[str] | None = None


@dataclass(frozen=True)
class ActivityLoad:
    """One activity read: MFA registrations and sign-ins, each None when unreadable.

    Attributes:
        errors: "mfa" / "sign_ins" -> why that part is missing (or, for "mfa" with data,
            why the report could not be read and the per-user methods were used).
    """

    mfa: dict[str, MfaRegistration] | None
    sign_ins: dict[str, SignIn] | None
    fetched_at: datetime
    errors: dict[str, ZtnaError] = field(default_factory=dict)


#: Runs on a worker thread after a directory read; honours ``cancel``.
LoadDirectory = Callable[[threading.Event, Progress], DirectoryLoad]
LoadActivity = Callable[[threading.Event, Progress, Directory], ActivityLoad]


class SnapshotStore(Protocol):
    """The local copy of what was read (store.directory_store), for one tenant.

    Both calls run on worker threads; implementations serialise them.
    """

    def load(self) -> tuple[Directory, dict[str, datetime]] | None: ...

    def save(self, directory: Directory, parts: Sequence[str], now: datetime) -> None: ...


@dataclass
class Services:
    """Everything the main window talks to.

    Attributes:
        auth: None when sign-in is not possible (``--smoke-test``).
        scopes: the scopes to sign in with and to check silently.
        load_guests: the Guests tab's loader (used when there is no ``load_directory``).
        load_directory: reads the directory (users, groups, apps, trust).
        load_activity: reads MFA and sign-ins after each directory read.
        snapshot: the signed-in tenant's local snapshot (None: nothing is kept).
        sign_in_method: "device" or "browser" to skip the chooser (demo); None asks.
        auto_sign_in: sign in interactively at start-up (demo); else only silently.
        tenant_hint: what to call the tenant before its name is known.
        config_source: where the settings came from (About box).
        cache_description: how the token cache is stored (About box).
        notice: a standing remark for the status bar (e.g. tokens in memory only).
    """

    auth: Authenticator | None
    scopes: Sequence[str] = ()
    load_guests: LoadGuests | None = None
    load_directory: LoadDirectory | None = None
    load_activity: LoadActivity | None = None
    snapshot: SnapshotStore | None = None
    sign_in_method: str | None = None
    auto_sign_in: bool = False
    tenant_hint: str = ""
    config_source: str = "defaults"
    cache_description: str = ""
    notice: str = ""
    extra_about: dict[str, str] = field(default_factory=dict)
