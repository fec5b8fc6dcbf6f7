"""The Emulator: start/stop the embedded tenant and reach into it from tests."""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
import weakref
from pathlib import Path
from types import TracebackType
from typing import Any

from ztna_desktop.emulator import signin
from ztna_desktop.emulator.certs import make_server_context
from ztna_desktop.emulator.entra import app_tokens, delegated_tokens, resolve_scopes
from ztna_desktop.emulator.options import EmulatorOptions, FaultSettings, RequestRecord
from ztna_desktop.emulator.ratelimit import SlidingWindow
from ztna_desktop.emulator.seed import TENANT_DOMAIN, build_tenant
from ztna_desktop.emulator.seed_apps import ZTNA_GATEWAY_APP_ID
from ztna_desktop.emulator.server import App, Server
from ztna_desktop.emulator.state import State
from ztna_desktop.emulator.world import build_world

log = logging.getLogger(__name__)


class Emulator:
    """Entra sign-in and Graph v1.0 for a seeded demo tenant, on one loopback HTTPS port.

    ``with Emulator(EmulatorOptions(guests=50)) as emu: ...`` or start()/stop().
    """

    def __init__(self, options: EmulatorOptions | None = None) -> None:
        self.options = options or EmulatorOptions()
        self.faults = FaultSettings.from_options(self.options)
        self._log: list[RequestRecord] = []
        self._log_lock = threading.Lock()
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self._cleanup: weakref.finalize[Any, Any] | None = None
        self._state: State | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> Emulator:
        """Build the tenant, make the CA, bind and serve; returns once requests are served."""
        if self._server is not None:
            raise RuntimeError("emulator already started")
        opts = self.options
        tenant = build_tenant(opts.seed, opts.guests, opts.member_count)
        world = build_world(tenant, opts.group_count, opts.app_count)
        if self._cleanup is not None:
            self._cleanup()
        directory = Path(tempfile.mkdtemp(prefix="ztna-emulator-"))
        # ca.pem outlives stop() (clients may still hold the path), not the object/process.
        self._cleanup = weakref.finalize(self, shutil.rmtree, str(directory), True)
        context, self._ca_file = make_server_context(directory)
        state = State(
            options=opts,
            tenant=tenant,
            faults=self.faults,
            world=world,
            reports=SlidingWindow(opts.reports_limit, opts.reports_window),
        )
        server = Server(opts.host, opts.port, App(state, self._record), context)
        host = "127.0.0.1" if opts.host in ("0.0.0.0", "") else opts.host
        state.origin = f"https://{host}:{server.port}"
        self._state, self._server = state, server
        self._thread = threading.Thread(
            target=server.serve_forever, name="ztna-emulator", daemon=True
        )
        self._thread.start()
        log.info("emulator serving %s (%d users)", state.origin, len(tenant.users))
        return self

    def stop(self) -> None:
        """Stop serving, close every connection, join the threads (idempotent).

        The CA file stays until the Emulator is garbage-collected or the process exits.
        """
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.close_connections()
            server.server_close()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def __enter__(self) -> Emulator:
        if self._server is None:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- what clients need -----------------------------------------------------------------

    @property
    def state(self) -> State:
        if self._state is None:
            raise RuntimeError("emulator not started")
        return self._state

    @property
    def info(self) -> dict[str, Any]:
        """Everything a client needs, JSON-serialisable (what ``ztna-desktop emulator`` prints)."""
        state, tenant = self.state, self.state.tenant
        return {
            "authority": f"{state.origin}/{tenant.tenant_id}",
            "graph": state.graph_base,
            "ca_file": str(self._ca_file),
            "tenant_id": tenant.tenant_id,
            "tenant_domain": TENANT_DOMAIN,
            "public_client_id": tenant.public_client_id,
            "app_client_id": tenant.app_client_id,
            "app_client_secret": tenant.app_client_secret,
            "personas": {name: user.upn for name, user in tenant.personas.items()},
            "ztna_gateway_app_id": ZTNA_GATEWAY_APP_ID,
            "seed": state.world.summary(),
        }

    # -- test hooks ------------------------------------------------------------------------

    @property
    def requests(self) -> list[RequestRecord]:
        """A snapshot of the request log, oldest first."""
        with self._log_lock:
            return list(self._log)

    def reset_requests(self) -> None:
        with self._log_lock:
            self._log.clear()

    def reset_faults(self) -> None:
        """Back to the fault settings the emulator was started with; reports limit forgotten."""
        for name, value in vars(FaultSettings.from_options(self.options)).items():
            setattr(self.faults, name, value)
        if self._state is not None:
            self._state.reports.clear()

    def approve_device_code(self, user_code: str, persona: str = "admin") -> None:
        """Approve a pending device code as ``persona``; KeyError if code or persona is unknown."""
        signin.approve(self.state, user_code, persona)

    def decline_device_code(self, user_code: str) -> None:
        """Decline a pending device code (the next poll answers authorization_declined)."""
        signin.approve(self.state, user_code, "admin", decline=True)

    def access_token(self, persona: str | None = "admin", scopes: str = "User.Read.All") -> str:
        """Mint a Graph access token without a sign-in (persona None: the app's token).

        For Graph-client tests that do not exercise MSAL.
        """
        state = self.state
        if persona is None:
            return str(app_tokens(state, state.tenant.app_client_id)["access_token"])
        user = state.tenant.personas[persona]
        granted = resolve_scopes(state, scopes, persona)
        body = delegated_tokens(state, user, state.tenant.public_client_id, granted, scopes)
        return str(body["access_token"])

    def _record(self, record: RequestRecord) -> None:
        with self._log_lock:
            self._log.append(record)
