"""What the window needs from the outside world, handed over by app.py."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

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


@dataclass
class Services:
    """Everything the main window talks to.

    Attributes:
        auth: None when sign-in is not possible (``--smoke-test``).
        scopes: the scopes to sign in with and to check silently.
        load_guests: the Guests tab's loader.
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
    sign_in_method: str | None = None
    auto_sign_in: bool = False
    tenant_hint: str = ""
    config_source: str = "defaults"
    cache_description: str = ""
    notice: str = ""
    extra_about: dict[str, str] = field(default_factory=dict)
