"""Sign-in with MSAL (interactive browser, device code, silent) as a TokenProvider."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import urlsplit

import msal
import requests

from ztna_desktop import net
from ztna_desktop.auth.errors import auth_error, from_exception
from ztna_desktop.auth.scopes import SIGN_IN_SCOPES, qualified
from ztna_desktop.auth.token_cache import TokenCacheHandle
from ztna_desktop.config import CLOUDS, Config
from ztna_desktop.core.errors import AuthError, Cancelled, InteractionRequired, ZtnaError

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Hosts of Microsoft's clouds; only for these does MSAL's instance discovery run.
KNOWN_AUTHORITY_HOSTS = frozenset(
    {urlsplit(c.authority_host).hostname for c in CLOUDS.values()}
    | set(msal.authority.WELL_KNOWN_AUTHORITY_HOSTS)
)


@dataclass(frozen=True, slots=True)
class Account:
    """A signed-in account as the cache knows it."""

    username: str
    home_account_id: str
    tenant_id: str


@dataclass(frozen=True)
class DeviceFlow:
    """A started device-code sign-in: show ``message`` (or code + URI) to the person."""

    user_code: str
    verification_uri: str
    message: str
    expires_at: datetime
    raw: dict[str, Any] = field(repr=False)


class AuthClient:
    """One MSAL public client over one persisted cache; implements ``TokenProvider``.

    The MSAL application is built on first use (it fetches the tenant's OpenID
    configuration), so constructing an AuthClient does no I/O. Blocking calls are
    plain; the UI runs them in workers. ``access_token`` may be called from any thread.
    """

    def __init__(
        self,
        config: Config,
        cache: TokenCacheHandle | msal.TokenCache,
        *,
        session: requests.Session | None = None,
    ) -> None:
        self._config = config
        self._cache: msal.TokenCache = cache.cache if isinstance(cache, TokenCacheHandle) else cache
        self._session = session
        self._app: msal.PublicClientApplication | None = None
        self._app_lock = threading.Lock()
        self._token_lock = threading.Lock()
        self._home_account_id: str | None = None
        self._host = urlsplit(config.authority).hostname or ""

    # -- the MSAL application -------------------------------------------------

    def _build_app(self) -> msal.PublicClientApplication:
        with self._app_lock:
            if self._app is None:
                if self._session is None:
                    self._session = net.make_session(self._config.ca_file)
                known = self._host in KNOWN_AUTHORITY_HOSTS
                kwargs: dict[str, Any] = {} if known else {"instance_discovery": False}
                log.debug("Building MSAL app for %s", self._config.authority)
                self._app = self._call(
                    lambda: msal.PublicClientApplication(
                        self._config.client_id,
                        authority=self._config.authority,
                        token_cache=self._cache,
                        http_client=self._session,
                        **kwargs,
                    )
                )
            return self._app

    def _call(self, fn: Callable[[], T]) -> T:
        """Run an MSAL call, turning its exceptions into core.errors."""
        try:
            return fn()
        except ZtnaError:
            raise
        except Exception as exc:
            mapped = from_exception(exc, self._config)
            if mapped is None:
                raise  # a bug, not an expected failure
            raise mapped from exc

    def close(self) -> None:
        """Close the HTTP session (the cache stays as it is)."""
        if self._session is not None:
            self._session.close()

    # -- accounts -------------------------------------------------------------

    def _cached_accounts(self) -> list[dict[str, Any]]:
        """Accounts in the cache for this authority host and app, without any network."""
        rts = {
            rt.get("home_account_id")
            for rt in self._cache.search(
                msal.TokenCache.CredentialType.REFRESH_TOKEN,
                query={"environment": self._host, "client_id": self._config.client_id},
            )
        }
        tenant = self._config.tenant_id.lower()
        pin_tenant = _looks_like_guid(tenant)
        found = []
        for acc in self._cache.search(
            msal.TokenCache.CredentialType.ACCOUNT, query={"environment": self._host}
        ):
            if acc.get("home_account_id") not in rts:
                continue
            if pin_tenant and str(acc.get("realm", "")).lower() != tenant:
                continue
            found.append(acc)
        return sorted(found, key=lambda a: str(a.get("username", "")))

    def _current(self) -> dict[str, Any] | None:
        accounts = self._cached_accounts()
        for acc in accounts:
            if acc.get("home_account_id") == self._home_account_id:
                return acc
        return accounts[0] if accounts else None

    @property
    def account(self) -> Account | None:
        """The signed-in account (from the cache; no network), or None."""
        acc = self._current()
        if acc is None:
            return None
        return Account(
            username=str(acc.get("username") or ""),
            home_account_id=str(acc["home_account_id"]),
            tenant_id=str(acc.get("realm") or ""),
        )

    def _msal_account(self, app: msal.PublicClientApplication) -> dict[str, Any] | None:
        current = self._current()
        if current is None:
            return None
        for acc in app.get_accounts():
            if acc.get("home_account_id") == current["home_account_id"]:
                return dict(acc)
        return None

    def _signed_in(self, result: dict[str, Any], what: str) -> Account:
        if "access_token" not in result:
            raise auth_error(result, what)
        claims = result.get("id_token_claims") or {}
        oid = claims.get("oid") or claims.get("sub")
        for acc in self._cached_accounts():
            if acc.get("local_account_id") == oid and (
                not claims.get("tid") or acc.get("realm") == claims.get("tid")
            ):
                self._home_account_id = str(acc["home_account_id"])
                break
        account = self.account
        if account is None:
            raise AuthError(f"{what} succeeded but the token cache holds no account.")
        log.info("Signed in as %s (tenant %s)", account.username, account.tenant_id)
        return account

    def _scopes(self, scopes: Sequence[str] | None) -> list[str]:
        return qualified(self._config, SIGN_IN_SCOPES if scopes is None else scopes)

    # -- flows ----------------------------------------------------------------

    def sign_in_interactive(
        self,
        scopes: Sequence[str] | None = None,
        *,
        timeout: int = 300,
        login_hint: str | None = None,
    ) -> Account:
        """Sign in in the system browser (blocks until done or ``timeout`` seconds)."""
        app = self._build_app()
        wanted = self._scopes(scopes)
        try:
            result = self._call(
                lambda: app.acquire_token_interactive(
                    wanted,
                    login_hint=login_hint,
                    prompt=None if login_hint else msal.Prompt.SELECT_ACCOUNT,
                    timeout=timeout,
                )
            )
        except msal.BrowserInteractionTimeoutError as exc:
            raise AuthError(
                f"Sign-in did not finish within {timeout} s. If the browser showed an "
                "error, check the tenant and client id in the settings.",
                code="timeout",
            ) from exc
        return self._signed_in(result, "Sign-in")

    def start_device_flow(self, scopes: Sequence[str] | None = None) -> DeviceFlow:
        """Ask for a device code; show ``DeviceFlow.message`` to the person."""
        app = self._build_app()
        wanted = self._scopes(scopes)
        flow = self._call(lambda: app.initiate_device_flow(scopes=wanted))
        if "user_code" not in flow:
            raise auth_error(flow, "Device sign-in")
        return DeviceFlow(
            user_code=str(flow["user_code"]),
            verification_uri=str(flow.get("verification_uri", "")),
            message=str(flow.get("message", "")),
            expires_at=datetime.fromtimestamp(float(flow.get("expires_at", 0)), UTC),
            raw=flow,
        )

    def finish_device_flow(
        self, flow: DeviceFlow, cancel: threading.Event | None = None
    ) -> Account:
        """Wait until the person approved the code (polls; cancel is seen within 1 s)."""
        app = self._build_app()
        stop = cancel or threading.Event()

        def exit_condition(raw: dict[str, Any]) -> bool:
            return stop.is_set() or float(raw.get("expires_at", 0)) < time.time()

        if stop.is_set():
            raise Cancelled("Device sign-in cancelled.")
        result = self._call(
            lambda: app.acquire_token_by_device_flow(flow.raw, exit_condition=exit_condition)
        )
        if stop.is_set() and "access_token" not in result:
            raise Cancelled("Device sign-in cancelled.")
        return self._signed_in(result, "Device sign-in")

    def access_token(self, scopes: Sequence[str], *, force_refresh: bool = False) -> str:
        """A valid access token from the cache (refreshed silently when needed).

        Raises:
            InteractionRequired: nobody is signed in, or the refresh needs the person.
        """
        if self._current() is None:
            raise InteractionRequired("Not signed in.", code="no_account")
        wanted = self._scopes(scopes)
        with self._token_lock:
            app = self._build_app()
            account = self._msal_account(app)
            if account is None:
                raise InteractionRequired("Not signed in.", code="no_account")
            result = self._call(
                lambda: app.acquire_token_silent_with_error(
                    wanted, account, force_refresh=force_refresh
                )
            )
        if not result:
            raise InteractionRequired(
                "Sign in again: no cached token covers these permissions.", code="no_token"
            )
        if "access_token" not in result:
            raise auth_error(result, "Silent sign-in")
        return str(result["access_token"])

    def sign_out(self) -> None:
        """Remove the current account and its tokens from the cache (no network)."""
        current = self._current()
        self._home_account_id = None
        if current is None:
            return
        hid = current["home_account_id"]
        kinds = msal.TokenCache.CredentialType
        cache = self._cache
        for at in list(cache.search(kinds.ACCESS_TOKEN, query={"home_account_id": hid})):
            cache.remove_at(at)
        for rt in list(cache.search(kinds.REFRESH_TOKEN, query={"home_account_id": hid})):
            cache.remove_rt(rt)
        for idt in list(cache.search(kinds.ID_TOKEN, query={"home_account_id": hid})):
            cache.remove_idt(idt)
        for acc in list(cache.search(kinds.ACCOUNT, query={"home_account_id": hid})):
            cache.remove_account(acc)
        log.info("Signed out %s", current.get("username", ""))


def _looks_like_guid(text: str) -> bool:
    parts = text.split("-")
    return [len(p) for p in parts] == [8, 4, 4, 4, 12] and all(
        c in "0123456789abcdef" for c in text.replace("-", "")
    )
