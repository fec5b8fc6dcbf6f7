"""The MSAL token cache on disk, encrypted by the OS wherever the OS can.

Order of preference:

1. msal-extensions' own encrypted persistence: DPAPI (Windows), Keychain (macOS),
   libsecret (Linux, needs PyGObject and a Secret Service).
2. Linux without PyGObject: a random Fernet key held in the OS keyring (Secret
   Service through ``keyring``, which talks D-Bus without PyGObject) encrypts the
   cache file. The file is written atomically with mode 0600.
3. A plain 0600 file, only when the caller allows it (the person agreed);
   otherwise ``PlaintextCacheNotAllowed``.

Every variant is wrapped in msal-extensions' ``PersistedTokenCache`` so several
processes share one cache under its file lock.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import keyring
import keyring.backend
import keyring.errors
import msal
from cryptography.fernet import Fernet, InvalidToken
from msal_extensions import PersistedTokenCache
from msal_extensions.persistence import BasePersistence, PersistenceNotFound

from ztna_desktop.core.errors import AuthError

log = logging.getLogger(__name__)

KEYRING_SERVICE = "ztna-desktop"

# Keyring backends that store nothing or store it readable by anyone with the file.
_INSECURE_BACKEND_MODULES = ("keyring.backends.fail", "keyring.backends.null")


class PlaintextCacheNotAllowed(AuthError):
    """No OS encryption is available and the person has not agreed to a plain file."""


@dataclass(frozen=True)
class TokenCacheHandle:
    """An opened token cache and how it is protected."""

    cache: msal.SerializableTokenCache
    encrypted: bool
    description: str  # "libsecret", "keyring (SecretService) + AES", "plain file" ...
    path: Path


def keyring_key_name(path: Path) -> str:
    """The keyring entry name that holds the key for the cache file at ``path``."""
    return f"token-cache-key:{path}"


class _AtomicFilePersistence(BasePersistence):
    """A cache file replaced atomically, mode 0600, optionally Fernet-encrypted.

    Content that cannot be decrypted or read (another key, a plain file left from
    before, a torn copy) counts as "no cache": the person signs in again and the
    next save replaces it.
    """

    def __init__(self, location: Path, fernet: Fernet | None) -> None:
        self._location = location
        self._fernet = fernet
        self.is_encrypted = fernet is not None
        location.parent.mkdir(parents=True, exist_ok=True, mode=0o700)

    def save(self, content: str) -> None:
        data = content.encode("utf-8")
        if self._fernet is not None:
            data = self._fernet.encrypt(data)
        fd, tmp = tempfile.mkstemp(dir=self._location.parent, prefix=".tokens-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:  # mkstemp creates it 0600
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self._location)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    def load(self) -> str:
        try:
            data = self._location.read_bytes()
        except FileNotFoundError:
            raise PersistenceNotFound(location=str(self._location)) from None
        if self._fernet is not None:
            try:
                data = self._fernet.decrypt(data)
            except InvalidToken:
                log.warning("Token cache %s cannot be decrypted; starting empty", self._location)
                raise PersistenceNotFound(location=str(self._location)) from None
        text = data.decode("utf-8", errors="replace")
        if not text.lstrip().startswith("{"):
            log.warning("Token cache %s is not a plain cache; starting empty", self._location)
            raise PersistenceNotFound(location=str(self._location))
        return text

    def time_last_modified(self) -> float:
        try:
            return self._location.stat().st_mtime
        except FileNotFoundError:
            raise PersistenceNotFound(location=str(self._location)) from None

    def get_location(self) -> str:
        return str(self._location)


def _backend_label(backend: keyring.backend.KeyringBackend) -> str:
    cls = type(backend)
    if cls.__name__ == "Keyring":  # keyring.backends.SecretService.Keyring -> SecretService
        return cls.__module__.rsplit(".", 1)[-1]
    return cls.__name__


def is_secure_backend(backend: keyring.backend.KeyringBackend) -> bool:
    """False for backends that do not encrypt: fail, null, keyrings.alt Plaintext*."""
    cls = type(backend)
    if cls.__module__.startswith(_INSECURE_BACKEND_MODULES):
        return False
    return not (cls.__module__.startswith("keyrings.alt") and "Plaintext" in cls.__name__)


def secure_keyring() -> keyring.backend.KeyringBackend | None:
    """The highest-priority keyring backend that really encrypts, or None."""
    current = keyring.get_keyring()
    candidates = getattr(current, "backends", None)  # ChainerBackend
    chain = list(candidates) if candidates is not None else [current]
    for backend in chain:
        if is_secure_backend(backend):
            return backend
    return None


def _keyring_fernet(path: Path) -> tuple[Fernet, str] | str:
    """Return (Fernet, backend label) with the key held in a secure keyring, else why not."""
    backend = secure_keyring()
    if backend is None:
        return f"no encrypting keyring backend ({keyring.get_keyring().__class__.__module__})"
    name = keyring_key_name(path)
    try:
        key = backend.get_password(KEYRING_SERVICE, name)
        if not key:
            key = Fernet.generate_key().decode("ascii")
            backend.set_password(KEYRING_SERVICE, name, key)
            if backend.get_password(KEYRING_SERVICE, name) != key:
                return f"keyring {_backend_label(backend)} did not keep the key"
        return Fernet(key.encode("ascii")), _backend_label(backend)
    except (keyring.errors.KeyringError, ValueError) as exc:
        return f"keyring {_backend_label(backend)} failed: {exc}"
    except Exception as exc:  # noqa: BLE001 - D-Bus/jeepney errors vary; fall back calmly
        return f"keyring {_backend_label(backend)} failed: {type(exc).__name__}: {exc}"


def _msal_extensions_persistence(path: Path) -> tuple[BasePersistence, str] | str:
    """msal-extensions' OS-encrypted persistence, or why it is unavailable."""
    from msal_extensions import build_encrypted_persistence

    try:
        persistence = build_encrypted_persistence(str(path))
    except Exception as exc:  # noqa: BLE001 - ImportError (no gi), RuntimeError (no bus) ...
        return f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc) else ''}"
    if sys.platform.startswith("win"):
        return persistence, "DPAPI"
    if sys.platform == "darwin":
        return persistence, "Keychain"
    return persistence, "libsecret"


#: Seam for tests: the first choice. Returns a persistence + label, or a reason string.
try_os_encryption: Callable[[Path], tuple[BasePersistence, str] | str] = (
    _msal_extensions_persistence
)


def open_token_cache(path: Path, *, allow_plaintext: bool) -> TokenCacheHandle:
    """Open (or create) the persisted token cache at ``path``.

    Raises:
        PlaintextCacheNotAllowed: no OS encryption works and ``allow_plaintext`` is False.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    reasons: list[str] = []

    first = try_os_encryption(path)
    if isinstance(first, str):
        reasons.append(first)
    else:
        persistence, label = first
        log.info("Token cache: %s (%s)", path, label)
        return TokenCacheHandle(PersistedTokenCache(persistence), True, label, path)

    if not sys.platform.startswith(("win", "darwin")):
        keyed = _keyring_fernet(path)
        if isinstance(keyed, str):
            reasons.append(keyed)
        else:
            fernet, backend = keyed
            label = f"keyring ({backend}) + AES"
            log.info("Token cache: %s (%s)", path, label)
            persistence = _AtomicFilePersistence(path, fernet)
            return TokenCacheHandle(PersistedTokenCache(persistence), True, label, path)

    why = "; ".join(reasons)
    if not allow_plaintext:
        raise PlaintextCacheNotAllowed(
            "No OS encryption is available for the sign-in token cache, so it would be "
            f"stored in plain text at {path}. Start the desktop keyring (e.g. GNOME Keyring) "
            f"or allow a plain-text cache in the settings. Details: {why}"
        )
    log.warning("Token cache is NOT encrypted: %s (%s)", path, why)
    persistence = _AtomicFilePersistence(path, None)
    return TokenCacheHandle(PersistedTokenCache(persistence), False, "plain file", path)
