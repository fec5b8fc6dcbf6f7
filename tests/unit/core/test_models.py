"""Tests for core.models: guest e-mail and source derivation."""

from __future__ import annotations

import pytest

from ztna_desktop.core.models import GuestUser, Identity, email_from_guest_upn


def _guest(**kw) -> GuestUser:
    base = {
        "id": "1",
        "display_name": "Alice",
        "mail": None,
        "user_principal_name": "alice_fabrikam.com#EXT#@contoso.onmicrosoft.com",
        "user_type": "Guest",
        "account_enabled": True,
    }
    base.update(kw)
    return GuestUser(**base)


@pytest.mark.parametrize(
    ("upn", "email"),
    [
        ("alice_fabrikam.com#EXT#@contoso.onmicrosoft.com", "alice@fabrikam.com"),
        ("first_last_gmail.com#EXT#@contoso.onmicrosoft.com", "first_last@gmail.com"),
        ("bob@contoso.com", "bob@contoso.com"),
        ("weird#EXT#@contoso.onmicrosoft.com", "weird#EXT#@contoso.onmicrosoft.com"),
    ],
)
def test_email_from_guest_upn(upn, email):
    assert email_from_guest_upn(upn) == email


def test_email_prefers_mail_then_other_mails_then_upn():
    assert _guest(mail="a@x.com", other_mails=("b@y.com",)).email == "a@x.com"
    assert _guest(other_mails=("b@y.com",)).email == "b@y.com"
    assert _guest().email == "alice@fabrikam.com"


@pytest.mark.parametrize(
    ("issuer", "label"),
    [
        ("ExternalAzureAD", "Microsoft Entra (other organisation)"),
        ("google.com", "Google"),
        ("MicrosoftAccount", "Microsoft account"),
        ("mail", "Email one-time passcode"),
        ("idp.partner.example", "idp.partner.example"),
    ],
)
def test_source_from_federated_identity(issuer, label):
    guest = _guest(
        identities=(
            Identity("userPrincipalName", "contoso.onmicrosoft.com", "x"),
            Identity("federated", issuer, "x"),
        )
    )
    assert guest.source == label


def test_source_of_unredeemed_guest_falls_back_to_domain_then_state():
    assert _guest(mail="a@gmail.com", external_user_state="PendingAcceptance").source == "Google"
    assert (
        _guest(mail="a@fabrikam.com", external_user_state="PendingAcceptance").source
        == "Invited (not redeemed)"
    )
    assert _guest(mail="a@fabrikam.com", external_user_state="Accepted").source == "External"


def test_members_are_from_this_organisation():
    assert _guest(user_type="Member").source == "This organisation"
    assert not _guest(user_type="Member").is_guest
