"""MFA methods as the Sophos documentation names them, mapped from Graph's two sources.

Graph reports methods twice: the tenant-wide registration report's
``methodsRegistered`` (needs Entra ID P1) and each user's
``/authentication/methods`` (``@odata.type`` per method, phones by ``phoneType``).
Both map onto the seven columns admins see (microsoft-graph.md §7.3).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import Enum


class MfaMethod(Enum):
    """The seven MFA methods, in the order the Sophos documentation lists them."""

    AUTHENTICATOR = "Microsoft Authenticator"
    WINDOWS_HELLO = "Windows Hello for Business"
    OATH_HARDWARE = "OATH hardware token"
    OATH_SOFTWARE = "OATH software token"
    FIDO2 = "FIDO2 security key"
    VOICE = "Voice call"
    SMS = "SMS"


_FROM_REPORT: Mapping[str, tuple[MfaMethod, ...]] = {
    "microsoftAuthenticatorPush": (MfaMethod.AUTHENTICATOR,),
    "microsoftAuthenticatorPasswordless": (MfaMethod.AUTHENTICATOR,),
    "softwareOneTimePasscode": (MfaMethod.OATH_SOFTWARE,),
    "hardwareOneTimePasscode": (MfaMethod.OATH_HARDWARE,),
    "windowsHelloForBusiness": (MfaMethod.WINDOWS_HELLO,),
    "passKeyDeviceBoundWindowsHello": (MfaMethod.WINDOWS_HELLO,),
    "fido2SecurityKey": (MfaMethod.FIDO2,),
    "fido2": (MfaMethod.FIDO2,),
    "passKeyDeviceBound": (MfaMethod.FIDO2,),
    "passKeyDeviceBoundAuthenticator": (MfaMethod.FIDO2,),
    "passKeySynced": (MfaMethod.FIDO2,),
    # A primary mobile number serves both SMS and voice; the others voice only.
    "mobilePhone": (MfaMethod.SMS, MfaMethod.VOICE),
    "alternateMobilePhone": (MfaMethod.VOICE,),
    "officePhone": (MfaMethod.VOICE,),
}

_FROM_TYPE: Mapping[str, tuple[MfaMethod, ...]] = {
    "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod": (MfaMethod.AUTHENTICATOR,),
    "#microsoft.graph.windowsHelloForBusinessAuthenticationMethod": (MfaMethod.WINDOWS_HELLO,),
    "#microsoft.graph.hardwareOathAuthenticationMethod": (MfaMethod.OATH_HARDWARE,),
    "#microsoft.graph.softwareOathAuthenticationMethod": (MfaMethod.OATH_SOFTWARE,),
    "#microsoft.graph.fido2AuthenticationMethod": (MfaMethod.FIDO2,),
}

_PREFERRED: Mapping[str, str] = {
    "push": "Microsoft Authenticator (push)",
    "oath": "OATH code",
    "voiceMobile": "Voice call (mobile)",
    "voiceAlternateMobile": "Voice call (alternate mobile)",
    "voiceOffice": "Voice call (office)",
    "sms": "SMS",
    "none": "None",
}


def methods_from_report(methods_registered: Iterable[str]) -> frozenset[MfaMethod]:
    """Map ``methodsRegistered`` values; e-mail, password and the like are not MFA."""
    return frozenset(m for value in methods_registered for m in _FROM_REPORT.get(value, ()))


def methods_from_user_methods(items: Iterable[Mapping[str, object]]) -> frozenset[MfaMethod]:
    """Map the items of ``/users/{id}/authentication/methods``."""
    found: set[MfaMethod] = set()
    for item in items:
        odata_type = str(item.get("@odata.type", ""))
        if odata_type == "#microsoft.graph.phoneAuthenticationMethod":
            phone_type = item.get("phoneType")
            found.add(MfaMethod.VOICE)
            if phone_type == "mobile":
                found.add(MfaMethod.SMS)
        else:
            found.update(_FROM_TYPE.get(odata_type, ()))
    return frozenset(found)


def preferred_method_label(value: str | None) -> str:
    """Words for ``userPreferredMethodForSecondaryAuthentication`` (unknown values pass through)."""
    if not value:
        return "None"
    return _PREFERRED.get(value, value)
