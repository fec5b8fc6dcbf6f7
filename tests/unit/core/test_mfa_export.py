"""Tests for the MFA method mapping and the CSV export."""

from __future__ import annotations

import csv
import io

import pytest

from ztna_desktop.core.export import neutralise, to_csv
from ztna_desktop.core.mfa import (
    MfaMethod,
    methods_from_report,
    methods_from_user_methods,
    preferred_method_label,
)


def test_report_values_map_to_the_seven_methods():
    got = methods_from_report(
        ["microsoftAuthenticatorPush", "hardwareOneTimePasscode", "mobilePhone", "email"]
    )
    assert got == {
        MfaMethod.AUTHENTICATOR,
        MfaMethod.OATH_HARDWARE,
        MfaMethod.SMS,
        MfaMethod.VOICE,
    }
    assert methods_from_report(["officePhone"]) == {MfaMethod.VOICE}
    assert methods_from_report(["fido2", "passKeySynced"]) == {MfaMethod.FIDO2}
    assert methods_from_report(["email", "password"]) == frozenset()


def test_per_user_methods_map_phones_by_type():
    items = [
        {"@odata.type": "#microsoft.graph.phoneAuthenticationMethod", "phoneType": "office"},
        {"@odata.type": "#microsoft.graph.softwareOathAuthenticationMethod"},
        {"@odata.type": "#microsoft.graph.passwordAuthenticationMethod"},
    ]
    assert methods_from_user_methods(items) == {MfaMethod.VOICE, MfaMethod.OATH_SOFTWARE}
    mobile = [{"@odata.type": "#microsoft.graph.phoneAuthenticationMethod", "phoneType": "mobile"}]
    assert methods_from_user_methods(mobile) == {MfaMethod.VOICE, MfaMethod.SMS}


def test_preferred_method_label():
    assert preferred_method_label("push") == "Microsoft Authenticator (push)"
    assert preferred_method_label(None) == "None"
    assert preferred_method_label("futureMethod") == "futureMethod"


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+SUM(A1)", "'+SUM(A1)"),
        ("-2", "'-2"),
        ("@cmd", "'@cmd"),
        ("\t=x", "'\t=x"),
        ("alice@example.com", "alice@example.com"),
        ("", ""),
    ],
)
def test_neutralise(cell, safe):
    assert neutralise(cell) == safe


def test_to_csv_quotes_and_neutralises():
    text = to_csv(["Name", "Email"], [['=HYPERLINK("x")', "a,b@x.com"], ["Bob", "b@y.com"]])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["Name", "Email"], ['\'=HYPERLINK("x")', "a,b@x.com"], ["Bob", "b@y.com"]]
