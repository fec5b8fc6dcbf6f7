"""HTTP sessions with one TLS policy for every client (Graph, MSAL, Sophos).

requests lets ``REQUESTS_CA_BUNDLE``/``CURL_CA_BUNDLE`` silently replace
``Session.verify`` (psf/requests#3829). A company sets those for its TLS-inspecting
proxy, so we keep them, and add our own extra CA (the emulator's, or one the
organisation configures) on top: the session verifies against a bundle made of
the environment's (or certifi's) roots plus the extra CA. Proxies from the
environment stay in force, except for loopback hosts. Verification is never off.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import certifi
import requests
from requests.adapters import HTTPAdapter

from ztna_desktop import __version__

USER_AGENT = f"ztna-desktop/{__version__}"
DEFAULT_TIMEOUT = (10.0, 60.0)  # (connect, read) seconds


def _is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def combined_bundle(extra_ca: str, environ: Mapping[str, str] | None = None) -> str:
    """Return a CA file holding the environment's roots (or certifi's) plus ``extra_ca``.

    The file lives in the temp dir, named by a hash of its content, so each
    process writes it at most once and concurrent writers agree.
    """
    env = os.environ if environ is None else environ
    base = env.get("REQUESTS_CA_BUNDLE") or env.get("CURL_CA_BUNDLE") or certifi.where()
    content = Path(base).read_bytes() if Path(base).is_file() else b""
    content += b"\n" + Path(extra_ca).read_bytes()
    digest = hashlib.sha256(content).hexdigest()[:16]
    target = Path(tempfile.gettempdir(), f"ztna-desktop-ca-{digest}.pem")
    if not target.exists():
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".pem")
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
        os.replace(tmp, target)
    return str(target)


class TimeoutAdapter(HTTPAdapter):
    """Give every request a timeout unless the caller chose one."""

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = DEFAULT_TIMEOUT
        return super().send(request, **kwargs)


class Session(requests.Session):
    """A requests Session whose CA bundle the environment cannot override."""

    def __init__(self, extra_ca: str = "") -> None:
        super().__init__()
        self.headers["User-Agent"] = USER_AGENT
        self._bundle = combined_bundle(extra_ca) if extra_ca else None
        if self._bundle:
            self.verify = self._bundle
        adapter = TimeoutAdapter(pool_connections=4, pool_maxsize=8)
        self.mount("https://", adapter)
        self.mount("http://", adapter)

    def merge_environment_settings(  # type: ignore[override]
        self, url: str, proxies: Any, stream: Any, verify: Any, cert: Any
    ) -> Any:
        settings = super().merge_environment_settings(url, proxies, stream, verify, cert)
        if self._bundle:
            # The environment's bundle (if any) is already inside ours; keep ours.
            settings["verify"] = self._bundle
        if settings.get("verify") is False:
            raise ValueError("TLS verification cannot be turned off")
        if _is_loopback(url):
            settings["proxies"] = {}
        return settings


def make_session(extra_ca: str = "") -> Session:
    """One Session per thread; ``extra_ca`` is the config's ``[tls] ca_file``."""
    return Session(extra_ca)
