"""AuthClient with real MSAL against the emulator's Entra over real HTTPS."""

from __future__ import annotations

import threading
import time
import uuid
import webbrowser

import keyring
import msal
import pytest

from tests.fakes import FakeBrowser, emulator_config, sign_in
from tests.unit.auth.test_token_cache import MemoryKeyring
from ztna_desktop.auth import token_cache
from ztna_desktop.auth.client import AuthClient
from ztna_desktop.auth.token_cache import open_token_cache
from ztna_desktop.core.errors import AuthError, Cancelled, InteractionRequired, NetworkError

pytestmark = pytest.mark.emulator


@pytest.fixture
def memory_keyring(monkeypatch):
    monkeypatch.setattr(token_cache, "try_os_encryption", lambda path: "ImportError: no gi")
    before = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(before)


@pytest.fixture
def auth(emulator_info):
    client = AuthClient(emulator_config(emulator_info), msal.SerializableTokenCache())
    yield client
    client.close()


def token_requests(emulator):
    return [r for r in emulator.requests if r.path.endswith("/oauth2/v2.0/token")]


def authorize_requests(emulator):
    return [r for r in emulator.requests if r.path.endswith("/oauth2/v2.0/authorize")]


# -- interactive -----------------------------------------------------------------


def test_interactive_persona_chosen_on_the_page(auth, emulator_info, monkeypatch):
    browser = FakeBrowser(emulator_info["ca_file"], persona="helpdesk")
    monkeypatch.setattr(webbrowser, "open", browser)
    account = auth.sign_in_interactive(timeout=30)
    browser.wait()
    assert account.username == emulator_info["personas"]["helpdesk"]
    assert account.tenant_id == emulator_info["tenant_id"]
    assert "Pick an account" in browser.pages[0]
    assert auth.account == account
    assert auth.access_token(["User.Read"])


def test_interactive_with_login_hint_skips_the_picker(auth, emulator_info, monkeypatch):
    browser = FakeBrowser(emulator_info["ca_file"], persona="nobody")  # never asked to pick
    monkeypatch.setattr(webbrowser, "open", browser)
    owner = emulator_info["personas"]["owner"]
    account = auth.sign_in_interactive(login_hint=owner, timeout=30)
    browser.wait()
    assert account.username == owner
    assert "login_hint=" in browser.opened[0]
    assert "Pick an account" not in browser.pages[0]


# -- device code -----------------------------------------------------------------


def test_device_code_approved_from_another_thread(auth, emulator, emulator_info):
    flow = auth.start_device_flow()
    assert flow.user_code in flow.message
    assert flow.verification_uri.startswith("https://")

    def approve_once_polled():
        # Approve only after MSAL's first poll was told authorization_pending.
        deadline = time.monotonic() + 10
        while not token_requests(emulator) and time.monotonic() < deadline:
            time.sleep(0.02)
        emulator.approve_device_code(flow.user_code)

    approver = threading.Thread(target=approve_once_polled)
    approver.start()
    account = auth.finish_device_flow(flow)
    approver.join()
    assert account.username == emulator_info["personas"]["admin"]
    polls = [r.status for r in token_requests(emulator)]
    assert polls[0] == 400  # authorization_pending
    assert polls[-1] == 200


def test_device_code_cancel(auth):
    flow = auth.start_device_flow()
    cancel = threading.Event()
    timer = threading.Timer(0.2, cancel.set)
    timer.start()
    try:
        with pytest.raises(Cancelled):
            auth.finish_device_flow(flow, cancel)
    finally:
        timer.join()
    assert auth.account is None


# -- silent, refresh, sign-out ---------------------------------------------------------


def test_silent_from_a_reloaded_encrypted_cache(emulator, emulator_info, tmp_path, memory_keyring):
    config = emulator_config(emulator_info)
    path = tmp_path / "tokens.bin"
    first = AuthClient(config, open_token_cache(path, allow_plaintext=False))
    sign_in(emulator, first)
    token = first.access_token(["User.Read"])
    first.close()
    assert token.encode() not in path.read_bytes()

    emulator.reset_requests()
    second = AuthClient(config, open_token_cache(path, allow_plaintext=False))
    try:
        assert second.account is not None
        assert second.account.username == emulator_info["personas"]["admin"]
        assert second.access_token(["User.Read"]) == token
        assert token_requests(emulator) == []  # straight from the cache
        assert authorize_requests(emulator) == []
    finally:
        second.close()


def test_short_lived_tokens_are_refreshed_silently(emulator_factory):
    emu = emulator_factory(token_lifetime=30)  # inside MSAL's 5-minute skew: always stale
    auth = AuthClient(emulator_config(emu.info), msal.SerializableTokenCache())
    try:
        sign_in(emu, auth)
        emu.reset_requests()
        first = auth.access_token(["User.Read"])
        second = auth.access_token(["User.Read"])
        assert first != second
        assert len(token_requests(emu)) == 2
    finally:
        auth.close()


def test_force_refresh_uses_the_refresh_token(auth, emulator):
    sign_in(emulator, auth)
    old = auth.access_token(["User.Read"])
    emulator.reset_requests()
    new = auth.access_token(["User.Read"], force_refresh=True)
    assert new != old
    assert len(token_requests(emulator)) == 1
    assert authorize_requests(emulator) == []


def test_sign_out_forgets_the_account(emulator, emulator_info, tmp_path, memory_keyring):
    config = emulator_config(emulator_info)
    path = tmp_path / "tokens.bin"
    auth = AuthClient(config, open_token_cache(path, allow_plaintext=False))
    try:
        sign_in(emulator, auth)
        auth.sign_out()
        assert auth.account is None
        with pytest.raises(InteractionRequired):
            auth.access_token(["User.Read"])
    finally:
        auth.close()
    reloaded = open_token_cache(path, allow_plaintext=False).cache
    kinds = msal.TokenCache.CredentialType
    assert list(reloaded.search(kinds.REFRESH_TOKEN)) == []
    assert list(reloaded.search(kinds.ACCOUNT)) == []


def test_not_signed_in_is_interaction_required(auth, emulator):
    emulator.reset_requests()
    with pytest.raises(InteractionRequired):
        auth.access_token(["User.Read"])
    assert list(emulator.requests) == []  # no network to find that out


# -- failures ------------------------------------------------------------------------


def test_wrong_tenant_is_a_readable_auth_error(emulator_info):
    bogus = str(uuid.uuid4())
    auth = AuthClient(emulator_config(emulator_info, tenant_id=bogus), msal.TokenCache())
    try:
        with pytest.raises(AuthError) as info:
            auth.start_device_flow()
    finally:
        auth.close()
    assert not isinstance(info.value, NetworkError)
    assert bogus in str(info.value)
    assert "not found" in str(info.value)
    assert "AADSTS90002" in str(info.value)


def test_wrong_client_id_is_a_readable_auth_error(emulator_info):
    config = emulator_config(emulator_info, client_id=str(uuid.uuid4()))
    auth = AuthClient(config, msal.TokenCache())
    try:
        with pytest.raises(AuthError) as info:
            auth.start_device_flow()
    finally:
        auth.close()
    assert info.value.code in ("invalid_client", "unauthorized_client")
    assert "AADSTS700016" in str(info.value)
    assert "client id" in str(info.value)


def test_unreachable_tenant_is_a_network_error(emulator_factory):
    emu = emulator_factory()
    config = emulator_config(emu.info)
    emu.stop()
    auth = AuthClient(config, msal.TokenCache())
    try:
        with pytest.raises(NetworkError) as info:
            auth.start_device_flow()
    finally:
        auth.close()
    assert "127.0.0.1" in str(info.value)


def test_wrong_client_id_in_the_browser_times_out_readably(emulator_info, monkeypatch):
    config = emulator_config(emulator_info, client_id=str(uuid.uuid4()))
    auth = AuthClient(config, msal.TokenCache())
    browser = FakeBrowser(emulator_info["ca_file"])
    monkeypatch.setattr(webbrowser, "open", browser)
    try:
        with pytest.raises(AuthError) as info:
            auth.sign_in_interactive(timeout=1)
    finally:
        auth.close()
    with pytest.raises(AssertionError, match="expected one form"):
        browser.wait()  # the person saw Entra's error page, and no redirect came
    assert "AADSTS700016" in browser.pages[0]
    assert info.value.code == "timeout"
    assert "check the tenant and client id" in str(info.value)
