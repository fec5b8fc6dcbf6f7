"""The persisted token cache: keyring-keyed encryption, plaintext consent, file modes."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import stat

import keyring
import keyring.backend
import keyring.backends.fail
import keyring.backends.null
import keyring.errors
import msal
import pytest

from ztna_desktop.auth import token_cache
from ztna_desktop.auth.token_cache import (
    KEYRING_SERVICE,
    PlaintextCacheNotAllowed,
    is_secure_backend,
    keyring_key_name,
    open_token_cache,
    secure_keyring,
)
from ztna_desktop.core.errors import AuthError

ACCESS_TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.ACCESS-TOKEN-SECRET-PART.sig"
REFRESH_TOKEN = "0.REFRESH-TOKEN-SECRET-PART-1234567890"


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring that keeps secrets in a dict (stands in for an encrypting OS keyring)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.store.get((service, username))

    def set_password(self, service, username, password):
        self.store[(service, username)] = password

    def delete_password(self, service, username):
        self.store.pop((service, username), None)


class LockedKeyring(MemoryKeyring):
    def get_password(self, service, username):
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")


PlaintextKeyring = type("PlaintextKeyring", (MemoryKeyring,), {"__module__": "keyrings.alt.file"})


@pytest.fixture
def use_keyring(monkeypatch):
    """Install a keyring backend for one test (and no msal-extensions libsecret)."""
    monkeypatch.setattr(token_cache, "try_os_encryption", lambda path: "ImportError: no gi")
    before = keyring.get_keyring()

    def install(backend):
        keyring.set_keyring(backend)
        return backend

    yield install
    keyring.set_keyring(before)


def _b64(obj: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")


def add_tokens(cache: msal.TokenCache) -> None:
    """Put one sign-in's tokens into ``cache`` the way MSAL does after a token response."""
    claims = {"oid": "u1", "tid": "t1", "preferred_username": "admin@contoso.test"}
    id_token = f"{_b64({'alg': 'none'})}.{_b64(claims)}."
    cache.add(
        {
            "client_id": "client-1",
            "scope": ["User.Read"],
            "token_endpoint": "https://login.example/t1/oauth2/v2.0/token",
            "response": {
                "access_token": ACCESS_TOKEN,
                "refresh_token": REFRESH_TOKEN,
                "token_type": "Bearer",
                "expires_in": 3600,
                "client_info": _b64({"uid": "u1", "utid": "t1"}),
                "id_token": id_token,
                "scope": "User.Read",
            },
        }
    )


def access_tokens(cache: msal.TokenCache) -> list[str]:
    return [at["secret"] for at in cache.search(msal.TokenCache.CredentialType.ACCESS_TOKEN)]


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_keyring_key_encrypts_the_file(tmp_path, use_keyring):
    backend = use_keyring(MemoryKeyring())
    path = tmp_path / "data" / "tokens.bin"
    handle = open_token_cache(path, allow_plaintext=False)
    assert handle.encrypted
    assert handle.description == "keyring (MemoryKeyring) + AES"
    add_tokens(handle.cache)

    raw = path.read_bytes()
    assert ACCESS_TOKEN.encode() not in raw
    assert REFRESH_TOKEN.encode() not in raw
    assert b"secret" not in raw
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
    assert (KEYRING_SERVICE, keyring_key_name(path)) in backend.store

    again = open_token_cache(path, allow_plaintext=False)  # another process, same key
    assert access_tokens(again.cache) == [ACCESS_TOKEN]


def test_second_handle_sees_writes_of_the_first(tmp_path, use_keyring):
    use_keyring(MemoryKeyring())
    path = tmp_path / "tokens.bin"
    first = open_token_cache(path, allow_plaintext=False)
    second = open_token_cache(path, allow_plaintext=False)
    assert access_tokens(second.cache) == []
    add_tokens(first.cache)
    assert access_tokens(second.cache) == [ACCESS_TOKEN]


def test_lost_key_means_an_empty_cache_not_a_crash(tmp_path, use_keyring):
    backend = use_keyring(MemoryKeyring())
    path = tmp_path / "tokens.bin"
    add_tokens(open_token_cache(path, allow_plaintext=False).cache)
    backend.store.clear()  # the keyring was reset
    handle = open_token_cache(path, allow_plaintext=False)
    assert access_tokens(handle.cache) == []
    add_tokens(handle.cache)  # and it is usable again
    assert access_tokens(open_token_cache(path, allow_plaintext=False).cache) == [ACCESS_TOKEN]


@pytest.mark.parametrize(
    "backend",
    [keyring.backends.fail.Keyring(), keyring.backends.null.Keyring(), PlaintextKeyring()],
    ids=["fail", "null", "plaintext"],
)
def test_plaintext_refused_without_consent(tmp_path, use_keyring, backend):
    use_keyring(backend)
    path = tmp_path / "tokens.bin"
    with pytest.raises(PlaintextCacheNotAllowed) as info:
        open_token_cache(path, allow_plaintext=False)
    assert isinstance(info.value, AuthError)
    assert "No OS encryption is available" in str(info.value)
    assert "plain text" in str(info.value)
    assert not path.exists()


def test_locked_keyring_is_not_encryption(tmp_path, use_keyring):
    use_keyring(LockedKeyring())
    with pytest.raises(PlaintextCacheNotAllowed, match="Failed to unlock"):
        open_token_cache(tmp_path / "tokens.bin", allow_plaintext=False)


def test_plaintext_with_consent_is_0600(tmp_path, use_keyring):
    use_keyring(keyring.backends.fail.Keyring())
    path = tmp_path / "tokens.json"
    path.write_text("{}")
    path.chmod(0o644)
    handle = open_token_cache(path, allow_plaintext=True)
    assert not handle.encrypted
    assert handle.description == "plain file"
    add_tokens(handle.cache)
    assert mode(path) == 0o600
    assert json.loads(path.read_text())["AccessToken"]


def test_insecure_backends_are_not_encryption():
    assert not is_secure_backend(keyring.backends.fail.Keyring())
    assert not is_secure_backend(keyring.backends.null.Keyring())
    assert not is_secure_backend(PlaintextKeyring())
    assert is_secure_backend(MemoryKeyring())


def test_chainer_yields_its_best_secure_backend(monkeypatch):
    good = MemoryKeyring()

    class Chain:
        backends = (PlaintextKeyring(), good, keyring.backends.null.Keyring())

    monkeypatch.setattr(keyring, "get_keyring", Chain)
    assert secure_keyring() is good


def test_msal_extensions_reason_without_pygobject(tmp_path):
    pytest.importorskip("msal_extensions")
    try:
        import gi  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("PyGObject is installed here; libsecret would be tried for real")
    result = token_cache._msal_extensions_persistence(tmp_path / "t.bin")
    assert isinstance(result, str)
    assert "gi" in result


def _secret_service_or_skip():
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        pytest.skip("DBUS_SESSION_BUS_ADDRESS is unset: no Secret Service to test against")
    from keyring.backends import SecretService

    backend = SecretService.Keyring()
    try:
        if backend.priority <= 0:
            raise RuntimeError("priority 0")
        backend.get_password(KEYRING_SERVICE, "probe")
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable here"
        pytest.skip(f"Secret Service not usable ({type(exc).__name__}: {exc})")
    return backend


@pytest.mark.keyring
def test_real_secret_service_encrypts_the_cache(tmp_path, use_keyring):
    backend = use_keyring(_secret_service_or_skip())
    path = tmp_path / "tokens.bin"
    try:
        handle = open_token_cache(path, allow_plaintext=False)
        assert handle.encrypted
        assert handle.description == "keyring (SecretService) + AES"
        add_tokens(handle.cache)
        assert ACCESS_TOKEN.encode() not in path.read_bytes()
        assert backend.get_password(KEYRING_SERVICE, keyring_key_name(path))
        assert access_tokens(open_token_cache(path, allow_plaintext=False).cache) == [ACCESS_TOKEN]
    finally:
        with contextlib.suppress(keyring.errors.PasswordDeleteError):
            backend.delete_password(KEYRING_SERVICE, keyring_key_name(path))


@pytest.mark.keyring
def test_default_keyring_resolves_to_the_secret_service():
    _secret_service_or_skip()
    backend = secure_keyring()
    assert backend is not None
    assert token_cache._backend_label(backend) == "SecretService"
