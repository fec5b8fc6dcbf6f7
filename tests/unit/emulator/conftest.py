"""Helpers for the emulator's own tests: an HTTPS session trusting its CA, Graph tokens."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from ztna_desktop.emulator import Emulator


def trusting_session(ca_file: str) -> requests.Session:
    """A session that verifies against the emulator's CA even with REQUESTS_CA_BUNDLE set."""
    session = requests.Session()
    session.trust_env = False  # else REQUESTS_CA_BUNDLE replaces verify
    session.verify = ca_file
    return session


@pytest.fixture
def http(emulator: Emulator) -> Iterator[requests.Session]:
    with trusting_session(emulator.info["ca_file"]) as session:
        yield session


class GraphCaller:
    """GET Graph paths on the emulator as a persona with given scopes."""

    def __init__(self, emu: Emulator, session: requests.Session) -> None:
        self.emu, self.session = emu, session
        self.base = emu.info["graph"]

    def token(self, persona: str | None = "admin", scopes: str = "User.Read.All") -> str:
        return self.emu.access_token(persona, scopes)

    def get(
        self,
        path: str,
        params: dict[str, str] | None = None,
        *,
        persona: str | None = "admin",
        scopes: str = "User.Read.All AuditLog.Read.All",
        eventual: bool = False,
        headers: dict[str, str] | None = None,
    ) -> requests.Response:
        hdrs = {"Authorization": f"Bearer {self.token(persona, scopes)}", **(headers or {})}
        if eventual:
            hdrs["ConsistencyLevel"] = "eventual"
        url = path if path.startswith("https://") else f"{self.base}{path}"
        return self.session.get(url, params=params, headers=hdrs, timeout=10)

    def batch(
        self,
        requests_: list[dict[str, object]],
        *,
        persona: str | None = "admin",
        scopes: str = "User.Read.All AuditLog.Read.All",
    ) -> requests.Response:
        """POST /$batch with these sub-requests."""
        hdrs = {"Authorization": f"Bearer {self.token(persona, scopes)}"}
        return self.session.post(
            f"{self.base}/$batch", json={"requests": requests_}, headers=hdrs, timeout=10
        )


ADMIN_SCOPES = (
    "User.Read.All GroupMember.Read.All Application.Read.All AuditLog.Read.All "
    "UserAuthenticationMethod.Read.All Policy.Read.All CrossTenantInformation.ReadBasic.All"
)


@pytest.fixture
def graph(emulator: Emulator, http: requests.Session) -> GraphCaller:
    return GraphCaller(emulator, http)
