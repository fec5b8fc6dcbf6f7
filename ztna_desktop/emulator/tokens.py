"""Tokens the emulator issues and checks: JWTs (HS256, per-run key) and one-time grants."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field

import jwt

RESERVED_SCOPES = frozenset({"openid", "profile", "offline_access", "email"})


@dataclass
class AuthCode:
    """An authorization code waiting to be redeemed once."""

    client_id: str
    redirect_uri: str
    scopes: list[str]
    persona: str
    nonce: str | None
    challenge: str | None
    challenge_method: str | None
    expires: float


@dataclass
class DeviceCode:
    """A device-flow grant: pending until someone approves (or declines) its user code."""

    device_code: str
    user_code: str
    client_id: str
    scopes: list[str]
    expires: float
    persona: str | None = None
    declined: bool = False
    redeemed: bool = False


@dataclass
class Grant:
    """What a refresh token stands for."""

    client_id: str
    scopes: list[str]
    persona: str


@dataclass
class TokenStore:
    """Codes, device codes and refresh tokens of one run; thread-safe."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    codes: dict[str, AuthCode] = field(default_factory=dict)
    devices: dict[str, DeviceCode] = field(default_factory=dict)
    refresh: dict[str, Grant] = field(default_factory=dict)

    def add_code(self, code: AuthCode) -> str:
        value = secrets.token_urlsafe(32)
        with self.lock:
            self.codes[value] = code
        return value

    def take_code(self, value: str) -> AuthCode | None:
        with self.lock:
            code = self.codes.pop(value, None)
        if code is None or code.expires < time.time():
            return None
        return code

    def add_device(self, client_id: str, scopes: list[str], lifetime: int) -> DeviceCode:
        alphabet = "BCDFGHJKLMNPQRSTVWXZ23456789"
        user_code = "".join(secrets.choice(alphabet) for _ in range(9))
        grant = DeviceCode(
            device_code=secrets.token_urlsafe(48),
            user_code=user_code,
            client_id=client_id,
            scopes=scopes,
            expires=time.time() + lifetime,
        )
        with self.lock:
            self.devices[grant.device_code] = grant
        return grant

    def device_by_user_code(self, user_code: str) -> DeviceCode | None:
        wanted = user_code.strip().upper().replace("-", "")
        with self.lock:
            for grant in self.devices.values():
                if grant.user_code == wanted and not grant.redeemed:
                    return grant
        return None

    def add_refresh(self, grant: Grant) -> str:
        value = "emu_rt." + secrets.token_urlsafe(48)
        with self.lock:
            self.refresh[value] = grant
        return value

    def get_refresh(self, value: str) -> Grant | None:
        with self.lock:
            return self.refresh.get(value)


class Signer:
    """Signs and checks the run's JWTs."""

    def __init__(self) -> None:
        self._key = secrets.token_bytes(32)

    def encode(self, claims: dict[str, object]) -> str:
        return jwt.encode(claims, self._key, algorithm="HS256", headers={"kid": "emulator"})

    def decode(self, token: str, audience: str) -> dict[str, object]:
        """Return the claims; raise jwt.InvalidTokenError when bad, expired or not for us."""
        claims: dict[str, object] = jwt.decode(
            token,
            self._key,
            algorithms=["HS256"],
            audience=audience,
            options={"require": ["exp", "aud", "tid"]},
        )
        return claims


def pkce_matches(verifier: str, challenge: str, method: str | None) -> bool:
    if (method or "plain").upper() == "S256":
        digest = hashlib.sha256(verifier.encode("ascii")).digest()
        computed = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    else:
        computed = verifier
    return secrets.compare_digest(computed, challenge)


def client_info(oid: str, tid: str) -> str:
    raw = json.dumps({"uid": oid, "utid": tid}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def new_guid() -> str:
    return str(uuid.uuid4())
