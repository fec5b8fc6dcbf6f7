"""The $filter parser and evaluator on their own (no HTTP)."""

from __future__ import annotations

import pytest

from ztna_desktop.emulator import odata_filter as flt
from ztna_desktop.emulator.graph_errors import GraphError


def get(entity, parts):
    value = entity
    for part in parts:
        value = value.get(part) if isinstance(value, dict) else None
    return value


ALICE = {
    "displayName": "Alice Smith",
    "mail": "alice@fabrikam.com",
    "userType": "Guest",
    "accountEnabled": True,
    "externalUserState": None,
    "createdDateTime": "2025-03-01T10:00:00Z",
    "identities": [
        {"signInType": "userPrincipalName", "issuer": "contoso.onmicrosoft.com"},
        {"signInType": "federated", "issuer": "ExternalAzureAD"},
    ],
    "otherMails": ["alice@fabrikam.com"],
}


def matches(text, entity=ALICE):
    return flt.evaluate(flt.parse(text), entity, get)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("userType eq 'Guest'", True),
        ("userType eq 'guest'", True),  # directory string comparisons ignore case
        ("userType ne 'Guest'", False),
        ("accountEnabled eq true", True),
        ("accountEnabled eq false", False),
        ("externalUserState eq null", True),
        ("externalUserState ne null", False),
        ("startswith(displayName,'ali')", True),
        ("startsWith(displayName, 'Bob')", False),
        ("endswith(mail,'@fabrikam.com')", True),
        ("userType in ('Member', 'Guest')", True),
        ("userType in ('Member')", False),
        ("not(userType eq 'Member')", True),
        ("not userType eq 'Guest'", False),
        ("userType eq 'Guest' and accountEnabled eq false", False),
        ("userType eq 'Member' or accountEnabled eq true", True),
        ("(userType eq 'Member' or userType eq 'Guest') and startswith(mail,'a')", True),
        ("userType eq 'Member' or (userType eq 'Guest' and accountEnabled eq false)", False),
        ("createdDateTime ge 2025-01-01T00:00:00Z", True),
        ("createdDateTime le 2025-01-01", False),
        ("createdDateTime ge 2025-03-01T11:00:00+01:00", True),  # same instant
        ("identities/any(i:i/issuer eq 'ExternalAzureAD')", True),
        ("identities/any(i:i/issuer eq 'google.com')", False),
        ("identities/any(x:x/issuer eq 'externalazuread' and x/signInType eq 'federated')", True),
        ("otherMails/any(m:m eq 'alice@fabrikam.com')", True),
        ("otherMails/any(m:startswith(m, 'bob'))", False),
        ("displayName eq 'O''Brien'", False),
    ],
)
def test_evaluates_like_graph(text, expected):
    assert matches(text) is expected


def test_quoted_quote_is_unescaped():
    node = flt.parse("displayName eq 'O''Brien'")
    assert isinstance(node, flt.Compare)
    assert node.literal.value == "O'Brien"
    assert matches("displayName eq 'o''brien'", {"displayName": "O'Brien"})


def test_and_binds_tighter_than_or():
    node = flt.parse("a eq 1 or b eq 2 and c eq 3")
    assert isinstance(node, flt.BoolOp)
    assert node.op == "or"
    assert isinstance(node.right, flt.BoolOp)
    assert node.right.op == "and"


def test_walk_sees_lambda_bodies():
    node = flt.parse("identities/any(i:i/issuer eq 'mail') and not(userType eq 'x')")
    kinds = [type(n).__name__ for n, _ in flt.walk(node)]
    assert kinds == ["BoolOp", "Any_", "Compare", "Not", "Compare"]
    inside = [lam for n, lam in flt.walk(node) if isinstance(n, flt.Compare)]
    assert inside[0] == flt.Path(("identities",))
    assert inside[1] is None


@pytest.mark.parametrize(
    "text",
    [
        "userType eq",
        "userType 'Guest'",
        "userType eq 'Guest",
        "(userType eq 'Guest'",
        "userType eq 'Guest')",
        "userType like 'G%'",
        "startswith(displayName)",
        "userType eq 'a' and",
        "createdDateTime ge 2025-13-45",
        "userType eq Guest",
        "#",
    ],
)
def test_syntax_errors_are_graph_400s(text):
    with pytest.raises(GraphError) as caught:
        flt.parse(text)
    assert caught.value.status == 400
    assert caught.value.code == "BadRequest"
    assert caught.value.message.startswith("Invalid filter clause")


def test_datetime_literals_are_normalized_to_utc():
    assert flt.normalize_datetime("2025-01-01T02:00:00+02:00") == "2025-01-01T00:00:00Z"
    assert flt.normalize_datetime("2025-01-01") == "2025-01-01T00:00:00Z"
    assert flt.normalize_datetime("2025-01-01T00:00:00.123Z") == "2025-01-01T00:00:00Z"
