"""Everything one emulator run shares between its endpoints."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ztna_desktop.emulator.odata import Cursors
from ztna_desktop.emulator.options import EmulatorOptions, FaultSettings
from ztna_desktop.emulator.ratelimit import SlidingWindow
from ztna_desktop.emulator.seed import TENANT_DOMAIN, Tenant
from ztna_desktop.emulator.tokens import Signer, TokenStore
from ztna_desktop.emulator.world import World


@dataclass
class State:
    """The tenant, the token machinery and the live fault settings of one run."""

    options: EmulatorOptions
    tenant: Tenant
    faults: FaultSettings
    world: World
    reports: SlidingWindow
    origin: str = ""  # https://127.0.0.1:PORT, set once the socket is bound
    tokens: TokenStore = field(default_factory=TokenStore)
    signer: Signer = field(default_factory=Signer)
    cursors: Cursors = field(default_factory=lambda: Cursors(secrets.token_bytes(16)))
    # Runs one $batch sub-request through routing, auth and faults: (request, batch id).
    dispatch: Callable[[Any, str], Any] | None = None

    @property
    def graph_base(self) -> str:
        return f"{self.origin}/v1.0"

    def known_tenant(self, segment: str) -> bool:
        """Does this authority path segment name our tenant (id, domain or organizations)?"""
        return segment.lower() in {
            self.tenant.tenant_id,
            TENANT_DOMAIN,
            "organizations",
            "common",
        }

    def resource_prefixes(self) -> tuple[str, ...]:
        """Scope prefixes meaning Graph: the emulator's origin and the real Graph's."""
        return (f"{self.origin}/", "https://graph.microsoft.com/", f"{self.origin}/v1.0/")
