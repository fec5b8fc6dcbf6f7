"""GET /users/{id}/authentication/methods and /me/authentication/methods (reference §7.2).

No query options. Each item carries its ``@odata.type``; phone methods have Graph's fixed
ids per phone type. Hardware OATH tokens are not listed in v1.0 (the report still names
them). Works without Entra ID P1; needs UserAuthenticationMethod.Read.All and an
authentication-methods role for other users (UserAuthenticationMethod.Read for oneself).
"""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Request

from ztna_desktop.emulator.graph_errors import bad_request, denied, not_found
from ztna_desktop.emulator.permissions import Principal
from ztna_desktop.emulator.seed import UserRecord, derived_guid, iso
from ztna_desktop.emulator.seed_mfa import phone_number
from ztna_desktop.emulator.state import State

PHONE_IDS = {
    "mobile": "3179e48a-750b-4051-897c-87b9720928f7",
    "alternateMobile": "b6332ec1-7057-4abe-9331-3d72feddfe41",
    "office": "e37fc753-ff3b-4958-9484-eaa9425c82bc",
}
PASSWORD_ID = "28c10230-6103-485e-b985-444c60001490"
EMAIL_ID = "3ddfcfc8-9383-446f-83cc-3ab9be4be18f"
PHONE_KINDS = {
    "mobilePhone": "mobile",
    "alternateMobilePhone": "alternateMobile",
    "officePhone": "office",
}
READ_OTHERS = ("UserAuthenticationMethod.Read.All", "UserAuthenticationMethod.ReadWrite.All")
T = "#microsoft.graph."


def methods_of(user: UserRecord, registered: tuple[str, ...]) -> list[dict[str, Any]]:
    """The per-user method objects behind a user's registered methods."""
    created = iso(user.state_change or user.created)
    out: list[dict[str, Any]] = []

    def add(kind: str, salt: str, **props: Any) -> None:
        out.append(
            {
                "@odata.type": T + kind,
                "id": derived_guid(user.id, salt),
                "createdDateTime": created,
                **props,
            }
        )

    if user.user_type == "Member":
        out.append(
            {
                "@odata.type": T + "passwordAuthenticationMethod",
                "id": PASSWORD_ID,
                "password": None,
                "createdDateTime": iso(user.created),
            }
        )
    methods = set(registered)
    authenticator = methods & {"microsoftAuthenticatorPush", "microsoftAuthenticatorPasswordless"}
    if authenticator:
        add(
            "microsoftAuthenticatorAuthenticationMethod",
            "authenticator",
            displayName="iPhone 15" if int(user.id[0], 16) % 2 else "Pixel 8",
            deviceTag="SoftwareTokenActivated",
            phoneAppVersion="6.2409.6310",
        )
    elif "softwareOneTimePasscode" in methods:
        add("softwareOathAuthenticationMethod", "oath", secretKey=None)
    if "fido2SecurityKey" in methods:
        add(
            "fido2AuthenticationMethod",
            "fido2",
            displayName="YubiKey 5 NFC",
            aaGuid="cb69481e-8ff7-4039-93ec-0a2729a154a8",
            model="YubiKey 5 Series",
            attestationCertificates=["dbe793efdf1945e2df25d93653a1e8a3268a9075"],
            attestationLevel="attested",
        )
    if "windowsHelloForBusiness" in methods:
        add(
            "windowsHelloForBusinessAuthenticationMethod",
            "whfb",
            displayName=f"LAPTOP-{user.id[:6].upper()}",
            keyStrength="normal",
        )
    for registered_name, phone_type in PHONE_KINDS.items():
        if registered_name in methods:
            out.append(
                {
                    "@odata.type": T + "phoneAuthenticationMethod",
                    "id": PHONE_IDS[phone_type],
                    "phoneNumber": phone_number(user, phone_type),
                    "phoneType": phone_type,
                    "smsSignInState": "notEnabled" if phone_type == "mobile" else "notSupported",
                }
            )
    if "email" in methods:
        out.append(
            {"@odata.type": T + "emailAuthenticationMethod", "id": EMAIL_ID,
             "emailAddress": user.mail}
        )  # fmt: skip
    return out


def _answer(state: State, request: Request, user: UserRecord) -> dict[str, Any]:
    if any(k.startswith("$") for k in request.args):
        raise bad_request("This request does not support OData query parameters.")
    reg = state.world.registration_by_id.get(user.id)
    return {
        "@odata.context": f"{state.graph_base}/$metadata#users('{user.id}')/authentication/methods",
        "value": methods_of(user, reg.methods if reg else ()),
    }


def user_methods(state: State, request: Request, principal: Principal, key: str) -> dict[str, Any]:
    if not principal.has_any(*READ_OTHERS):
        raise denied()
    user = state.tenant.by_id.get(key.lower()) or state.tenant.by_upn.get(key.lower())
    if user is None:
        raise not_found(key)
    return _answer(state, request, user)


def my_methods(state: State, request: Request, principal: Principal) -> dict[str, Any]:
    if principal.is_app:
        raise bad_request("/me request is only valid with delegated authentication flow.")
    if not principal.has_any("UserAuthenticationMethod.Read", *READ_OTHERS):
        raise denied()
    return _answer(state, request, state.tenant.by_id[principal.oid or ""])
