"""The access check's report for one guest, as HTML (pure: Directory in, text out)."""

from __future__ import annotations

import html
from datetime import datetime

from ztna_desktop.core.access import Verdict, app_access_for, explain, groups_of
from ztna_desktop.core.mfa import preferred_method_label
from ztna_desktop.ui.explain import sign_ins_unavailable
from ztna_desktop.ui.models.guest_columns import invitation_state, local_date
from ztna_desktop.ui.view_data import ViewData, pending_days
from ztna_desktop.ui.views.common import group_name

_E = html.escape
GOOD = "#107c10"
BAD = "#a4262c"


def _stamp(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value else "\u2014"


def verdict_for(data: ViewData, user_id: str) -> Verdict:
    return explain(data.directory, user_id, now=data.now)


def _section(title: str, body: str) -> str:
    return f"<h3 style='margin-bottom:2px'>{_E(title)}</h3>{body}"


def _rows(pairs: list[tuple[str, str]]) -> str:
    cells = "".join(
        f"<tr><td style='color:#555;padding-right:14px'>{_E(k)}</td><td>{v}</td></tr>"
        for k, v in pairs
    )
    return f"<table cellspacing='0' cellpadding='2'>{cells}</table>"


def _account(data: ViewData, user_id: str) -> str:
    user = data.directory.users[user_id]
    state = invitation_state(user)
    days = pending_days(user, data.now)
    if days is not None:
        state += f" (for {days} days)"
    sign_ins = data.directory.sign_ins
    if sign_ins is None:
        why = sign_ins_unavailable(data.errors.get("sign_ins"))
        last = f"<i>not available: {_E(why)}</i>"
    else:
        entry = sign_ins.get(user_id)
        last = _stamp(entry.latest) if entry and entry.latest else "Never"
    enabled = (
        f"<span style='color:{GOOD}'>Yes</span>"
        if user.account_enabled
        else f"<span style='color:{BAD}'><b>No</b></span>"
    )
    return _rows(
        [
            ("Email", _E(user.email)),
            ("User principal name", _E(user.user_principal_name)),
            ("Invitation", _E(state)),
            ("State changed", _E(_stamp(user.external_user_state_changed))),
            ("Invited / created", _E(local_date(user.created))),
            ("Account enabled", enabled),
            ("Source", _E(user.source)),
            ("Last sign-in", last if sign_ins is None else _E(last)),
        ]
    )


def _groups(data: ViewData, user_id: str) -> str:
    directory = data.directory
    paths = groups_of(user_id, data.parents)
    if not paths:
        return "<p>Not in any group.</p>"
    items = []
    for path in sorted(
        paths.values(), key=lambda p: (len(p.via), group_name(directory, p.group_id).casefold())
    ):
        name = _E(group_name(directory, path.group_id))
        if path.direct:
            items.append(f"<li><b>{name}</b> (direct)</li>")
        else:
            via = " \u203a ".join(_E(group_name(directory, g)) for g in path.via)
            items.append(f"<li>{name} <span style='color:#555'>via {via}</span></li>")
    return f"<ul style='margin-top:0'>{''.join(items)}</ul>"


def _apps(data: ViewData, user_id: str) -> str:
    directory = data.directory
    access = app_access_for(directory, user_id, groups_of(user_id, data.parents))
    if not access:
        return "<p>Not assigned to any application that requires assignment.</p>"
    items = []
    for a in access:
        name = _E(a.app.display_name) + (" (the ZTNA gateway)" if a.app.is_ztna_gateway else "")
        if a.through_group is None:
            how = "assigned directly"
        else:
            how = f"through group {_E(group_name(directory, a.through_group))}"
        if a.effective:
            items.append(
                f"<li><b>{name}</b>: <span style='color:{GOOD}'>can sign in</span>, {how}</li>"
            )
        else:
            items.append(
                f"<li>{name}: <span style='color:{BAD}'><b>no access</b></span>, {how} only "
                "through a nested group (Entra does not pass assignments through nesting)</li>"
            )
    return f"<ul style='margin-top:0'>{''.join(items)}</ul>"


def _mfa(data: ViewData, user_id: str) -> str:
    directory = data.directory
    pairs: list[tuple[str, str]] = []
    if directory.mfa is None:
        error = data.errors.get("mfa")
        pairs.append(("Methods", f"<i>not available{': ' + _E(str(error)) if error else ''}</i>"))
    else:
        reg = directory.mfa.get(user_id)
        if reg is None or not reg.methods:
            pairs.append(("Methods", f"<span style='color:{BAD}'>none registered</span>"))
        else:
            names = ", ".join(sorted(m.value for m in reg.methods))
            pairs.append(("Methods", _E(names)))
        preferred = reg.preferred if reg is not None else None
        pairs.append(("Preferred", _E(preferred_method_label(preferred))))
    home = directory.home_tenants.get(user_id)
    if home is None:
        pairs.append(("Home tenant", "not an Entra tenant (or not known)"))
    else:
        trust = directory.mfa_trust_for(home)
        partner = directory.mfa_trust_partners.get(home)
        name = partner.name if partner and partner.name else home
        trusted = trust is not None and trust.is_mfa_accepted
        source = "partner setting" if partner else "default setting"
        word = (
            f"<span style='color:{GOOD}'>trusted</span>"
            if trusted
            else f"<span style='color:{BAD}'>not trusted</span>"
        )
        pairs.append(("Home tenant", _E(name)))
        pairs.append(("MFA done at home", f"{word} ({source})"))
    return _rows(pairs)


def report_html(data: ViewData, user_id: str) -> str:
    """Account, groups, app access and MFA of one guest."""
    parts = [
        _section("Account", _account(data, user_id)),
        _section("Groups", _groups(data, user_id)),
        _section("Application access", _apps(data, user_id)),
        _section("MFA", _mfa(data, user_id)),
        # The sync issue adds "ZTNA groups" here: the guest's Sophos Central user groups
        # and whether each is in sync with its Entra group.
    ]
    return "".join(parts)
