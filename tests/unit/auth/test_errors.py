"""MSAL results and exceptions become readable core.errors."""

from __future__ import annotations

import pytest
import requests

from ztna_desktop.auth.errors import auth_error, first_sentence, from_exception
from ztna_desktop.auth.scopes import SIGN_IN_SCOPES, qualified
from ztna_desktop.config import Config
from ztna_desktop.core.errors import AuthError, InteractionRequired, NetworkError

CONFIG = Config(tenant_id="contoso.onmicrosoft.com", client_id="c1")
ENTRA_TEXT = (
    "AADSTS700016: Application with identifier 'c1' was not found in the directory 'Contoso'.\r\n"
    "Trace ID: 11111111-0000\r\nCorrelation ID: 2222\r\nTimestamp: 2025-01-01 00:00:00Z"
)


def test_first_sentence_drops_trace_lines():
    assert first_sentence(ENTRA_TEXT) == (
        "AADSTS700016: Application with identifier 'c1' was not found in the directory 'Contoso'."
    )


@pytest.mark.parametrize(
    ("error", "kind", "words"),
    [
        ("invalid_client", AuthError, "client id is not known"),
        ("invalid_grant", InteractionRequired, "Sign in again"),
        ("interaction_required", InteractionRequired, "Sign in again"),
        ("authorization_declined", AuthError, "declined"),
        ("expired_token", AuthError, "expired"),
        ("server_error", AuthError, "Sign-in failed"),
    ],
)
def test_auth_error_kinds(error, kind, words):
    err = auth_error({"error": error, "error_description": ENTRA_TEXT}, "Sign-in")
    assert type(err) is kind
    assert err.code == error
    assert words in str(err)
    assert "Trace ID" not in str(err)


def test_connection_and_tls_failures_are_network_errors():
    request = requests.Request("GET", "https://login.example/t/v2.0/x").prepare()
    refused = requests.ConnectionError("refused", request=request)
    mapped = from_exception(refused, CONFIG)
    assert isinstance(mapped, NetworkError)
    assert "login.example" in str(mapped)
    tls = from_exception(requests.exceptions.SSLError("CERTIFICATE_VERIFY_FAILED"), CONFIG)
    assert isinstance(tls, NetworkError)
    assert "certificate" in str(tls).lower()


def _msal_discovery_failure(body: str) -> None:
    """Raise the way msal.authority does: Entra's answer only in the implicit context."""
    try:
        raise ValueError(f"OIDC Discovery failed on https://h/x. HTTP status: 400, Error: {body}")
    except ValueError:
        raise ValueError("Unable to get authority configuration for https://h/x.")  # noqa: B904


def test_unknown_tenant_reads_entra_description_from_the_chain():
    body = '{"error":"invalid_tenant","error_description":"AADSTS90002: Tenant \'x\' not found."}'
    with pytest.raises(ValueError, match="authority") as info:
        _msal_discovery_failure(body)
    mapped = from_exception(info.value, CONFIG)
    assert isinstance(mapped, AuthError)
    assert mapped.code == "invalid_tenant"
    assert "contoso.onmicrosoft.com" in str(mapped)
    assert "AADSTS90002" in str(mapped)


def test_bugs_are_not_mapped():
    assert from_exception(KeyError("sub"), CONFIG) is None
    assert from_exception(ValueError("scope openid is reserved"), CONFIG) is None


def test_scopes_are_qualified_with_the_configured_graph_and_read_only():
    usgov = Config(cloud="usgov")
    assert qualified(usgov)[:2] == [
        "https://graph.microsoft.us/User.Read",
        "https://graph.microsoft.us/User.Read.All",
    ]
    assert qualified(usgov) == [f"https://graph.microsoft.us/{s}" for s in SIGN_IN_SCOPES]
    emulated = Config(graph_url="https://127.0.0.1:8443/v1.0")
    got = qualified(emulated, ["User.Read", "openid", "https://x.example/Other", "User.Read"])
    assert got == ["https://127.0.0.1:8443/User.Read", "https://x.example/Other"]
    assert not [s for s in SIGN_IN_SCOPES if "Write" in s]
    assert "CrossTenantInformation.ReadBasic.All" in SIGN_IN_SCOPES
