"""The HTML pages of the sign-in endpoints (account picker, form_post, device login, errors)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape

from ztna_desktop.emulator.seed import TENANT_NAME

_STYLE = (
    "body{font-family:Segoe UI,Helvetica,Arial,sans-serif;max-width:28em;margin:3em auto;"
    "color:#1b1b1b}button{display:block;width:100%;margin:.4em 0;padding:.7em;font-size:1em;"
    "text-align:left;border:1px solid #8c8c8c;background:#fff;cursor:pointer}"
    "button:hover{background:#f2f2f2}input[type=text]{font-size:1.2em;padding:.4em;width:100%}"
    ".muted{color:#616161;font-size:.9em}"
)


def _page(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body><h2>{escape(title)}</h2>{body}</body></html>"
    )


def _hidden(fields: Mapping[str, str]) -> str:
    return "".join(
        f'<input type="hidden" name="{escape(k)}" value="{escape(v)}"/>' for k, v in fields.items()
    )


def account_picker(
    action: str, fields: Mapping[str, str], personas: Iterable[tuple[str, str]]
) -> str:
    """ONE form posting the authorize request back, one submit button per persona."""
    buttons = "".join(
        f'<button type="submit" name="persona" value="{escape(name)}">{escape(label)}</button>'
        for name, label in personas
    )
    return _page(
        "Pick an account",
        f'<p class="muted">{escape(TENANT_NAME)} - emulated Microsoft Entra ID</p>'
        f'<form method="post" action="{escape(action)}">{_hidden(fields)}{buttons}</form>',
    )


def form_post(redirect_uri: str, fields: Mapping[str, str]) -> str:
    """The answer Entra sends for response_mode=form_post: a self-submitting form."""
    return (
        "<!DOCTYPE html><html><head><title>Working...</title></head><body>"
        f'<form method="post" name="hiddenform" action="{escape(redirect_uri)}">{_hidden(fields)}'
        "<noscript><p>Script is disabled. Click Submit to continue.</p>"
        '<input type="submit" value="Submit"/></noscript></form>'
        "<script>window.setTimeout(function(){document.forms[0].submit()},0);</script>"
        "</body></html>"
    )


def device_login(action: str, personas: Iterable[tuple[str, str]], message: str = "") -> str:
    buttons = "".join(
        f'<button type="submit" name="persona" value="{escape(name)}">'
        f"Approve as {escape(label)}</button>"
        for name, label in personas
    )
    note = f"<p><strong>{escape(message)}</strong></p>" if message else ""
    return _page(
        "Enter code",
        f"{note}<p>Enter the code displayed on your app or device.</p>"
        f'<form method="post" action="{escape(action)}">'
        '<input type="text" name="user_code" placeholder="Code" autofocus/>'
        f'{buttons}<button type="submit" name="decline" value="1">Decline</button></form>',
    )


def message(title: str, text: str) -> str:
    return _page(title, f"<p>{escape(text)}</p>")
