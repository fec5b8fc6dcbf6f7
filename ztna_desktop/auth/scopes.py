"""Graph delegated scopes the app asks for, least privilege first."""

from __future__ import annotations

from collections.abc import Iterable

from ztna_desktop.config import Config

#: What the guests view needs now. No write scope is ever requested at sign-in;
#: features that write ask for their scope incrementally when first used.
SIGN_IN_SCOPES: tuple[str, ...] = ("User.Read", "User.Read.All")

#: MSAL adds these itself and raises ValueError when a caller passes them.
RESERVED_SCOPES = frozenset({"openid", "profile", "offline_access"})


def qualified(config: Config, scopes: Iterable[str] = SIGN_IN_SCOPES) -> list[str]:
    """Qualify bare Graph scopes with the configured Graph resource.

    ``User.Read`` becomes ``https://graph.microsoft.com/User.Read`` (or the sovereign
    cloud's or the emulator's origin); already qualified scopes pass through as they
    are. Reserved OpenID scopes are dropped because MSAL refuses them.
    """
    out: list[str] = []
    for scope in scopes:
        if scope in RESERVED_SCOPES:
            continue
        full = scope if "://" in scope else config.graph_scope(scope)
        if full not in out:
            out.append(full)
    return out
