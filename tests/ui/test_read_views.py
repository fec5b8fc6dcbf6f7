"""The read tabs against a small fake directory: groups, apps, MFA, access check, guest filters."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.ui.directory_fakes import NO_PREMIUM, NOW, ROLE_DENIED, small_directory, without_activity
from ztna_desktop.core.mfa import MfaMethod
from ztna_desktop.ui.explain import P1_REPORT_NOTE, ROLE_MFA
from ztna_desktop.ui.models.app_columns import APP_COLUMNS
from ztna_desktop.ui.models.detail_columns import MEMBER_COLUMNS
from ztna_desktop.ui.models.group_columns import GROUP_COLUMNS
from ztna_desktop.ui.models.mfa_columns import CHECK, MFA_COLUMNS
from ztna_desktop.ui.models.table_model import RowTableModel
from ztna_desktop.ui.tabs import Tabs
from ztna_desktop.ui.view_data import build_view_data, guests_per_group
from ztna_desktop.ui.views.mfa_chart import bar_text


def data_for(directory=None, **kwargs):
    kwargs.setdefault("fetched_at", {p: NOW for p in ("users", "groups", "apps", "mfa")})
    kwargs.setdefault("owned", frozenset({"g-inner"}))
    return build_view_data(directory or small_directory(), now=NOW, **kwargs)


@pytest.fixture
def tabs(qtbot):
    widget = Tabs()
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    return widget


def texts(table, column):
    return [table.proxy.index(r, column).data() for r in range(table.proxy.rowCount())]


@pytest.mark.parametrize(
    ("columns", "rows"),
    [
        (GROUP_COLUMNS, lambda d: d.groups.rows),
        (APP_COLUMNS, lambda d: d.apps.rows),
        (MFA_COLUMNS, lambda d: d.mfa.rows),
    ],
)
def test_new_models_pass_the_model_tester(qtmodeltester, columns, rows):
    model = RowTableModel(columns)
    model.set_rows(rows(data_for()))
    qtmodeltester.check(model, force_py=True)


def test_proxy_passes_the_model_tester(qtmodeltester, tabs):
    tabs.set_data(data_for())
    qtmodeltester.check(tabs.groups.table.proxy, force_py=True)
    tabs.groups.search_edit.setText("partner")
    qtmodeltester.check(tabs.groups.table.proxy, force_py=True)


def test_guests_per_group_counts_nested_guests_once():
    counts = guests_per_group(small_directory())
    assert counts["g-inner"] == {"id-0003", "id-0007"}
    assert counts["g-outer"] == {"id-0001", "id-0002", "id-0003", "id-0007"}  # not member m-1
    assert counts["g-empty"] == frozenset()


def test_groups_tab_filters_and_detail(tabs):
    tabs.set_data(data_for())
    view = tabs.groups
    assert view.count_label.text() == "4 groups"
    assert texts(view.table, 0) == [
        "Helpdesk Team",
        "Partner Engineers",
        "Project Apollo",
        "ZTNA Users",
    ]
    view.guests_box.setChecked(True)
    assert "Helpdesk Team" not in texts(view.table, 0)
    view.security_box.setChecked(True)
    assert texts(view.table, 0) == ["Partner Engineers", "ZTNA Users"]
    view.mine_radio.setChecked(True)
    assert texts(view.table, 0) == ["Partner Engineers"]
    assert view.count_label.text() == "1 of 4 shown"
    view.all_radio.setChecked(True)

    assert view.select_group("g-outer")
    assert view.title_label.text() == "ZTNA Users"
    assert "Nested groups: Partner Engineers" in view.info_label.text()
    assert view.owners_label.text() == "Owners: Member 1"
    members = {r.user.id: r for r in view.members.model_.rows()}
    assert set(members) == {"id-0001", "id-0002", "m-1", "id-0003", "id-0007"}
    assert members["id-0003"].via == ("Partner Engineers",)
    membership = MEMBER_COLUMNS[3].text
    assert membership(members["id-0003"]) == "via Partner Engineers"
    assert membership(members["id-0001"]) == "Direct"
    assert "(4 guests, 2 through nested groups)" in view.members_count.text()
    view.members_guests_box.setChecked(True)
    assert view.members.shown_count() == 4


def test_only_mine_is_disabled_when_ownership_is_unknown(tabs):
    tabs.set_data(data_for(owned=None))
    assert not tabs.groups.mine_radio.isEnabled()
    assert "could not be read" in tabs.groups.mine_radio.toolTip()


def test_selection_survives_a_reload(tabs):
    tabs.set_data(data_for())
    tabs.groups.select_group("g-inner")
    tabs.set_data(data_for())
    assert tabs.groups.table.selected_row().id == "g-inner"
    assert tabs.groups.title_label.text() == "Partner Engineers"


def test_apps_tab_pins_the_gateway_and_splits_effective_from_nested(tabs):
    tabs.set_data(data_for())
    view = tabs.apps
    assert view.gateway_box.isVisibleTo(view)
    assert "the door to Sophos ZTNA" in view.gateway_label.text()
    view.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    first = view.table.proxy.index(0, 0)
    assert first.data().startswith("Sophos ZTNA Gateway")
    assert first.data(Qt.ItemDataRole.FontRole).bold()
    assert not first.data(Qt.ItemDataRole.DecorationRole).isNull()
    assert "Open Wiki" not in texts(view.table, 0)  # needs no assignment: not listed

    assert view.select_app("sp-gw")
    assert {r.principal_name for r in view.assignments.model_.rows()} == {
        "ZTNA Users",
        "Guest 0004",
    }
    can = {r.user.id: r.how for r in view.can.model_.rows()}
    assert can == {
        "id-0001": "Member of group ZTNA Users",
        "id-0002": "Member of group ZTNA Users",
        "id-0004": "Assigned directly",
    }
    cannot = {r.user.id: r.how for r in view.cannot.model_.rows()}
    assert cannot == {
        "id-0003": "In ZTNA Users only via Partner Engineers",
        "id-0007": "In ZTNA Users only via Partner Engineers",
    }
    assert "NO access (2)" in view.cannot_title.text()


def test_mfa_tab_columns_chart_trust_and_filter(tabs):
    data = data_for()
    tabs.set_data(data)
    view = tabs.mfa
    assert not view.explanation.isVisible()
    assert view.explanation.text() == ""
    titles = [c.title for c in MFA_COLUMNS]
    row = next(
        r
        for r in range(view.table.proxy.rowCount())
        if view.table.proxy.index(r, 0).data() == "Guest 0001"
    )
    cells = {titles[c]: view.table.proxy.index(row, c).data() for c in range(len(titles))}
    assert cells["Authenticator"] == cells["SMS"] == cells["Voice call"] == CHECK
    assert cells["FIDO2 key"] == ""
    assert cells["MFA registered"] == "Yes"
    assert cells["Preferred method"] == "Microsoft Authenticator (push)"
    assert cells["Home MFA trusted"] == "Yes"  # Fabrikam's MFA is trusted
    bars = {b.label: b.count for b in view.chart.bars()}
    assert bars[MfaMethod.AUTHENTICATOR.value] == 1
    assert bars[MfaMethod.FIDO2.value] == 1
    assert bars["No MFA"] == 10
    assert "Fabrikam Ltd" in view.trust_label.text()
    assert "Northwind Traders" in view.trust_label.text()
    view.no_mfa_box.setChecked(True)
    assert view.table.shown_count() == 10
    assert view.count_label.text() == "10 of 12 shown"


def test_bar_text():
    assert bar_text(3, 12) == "3 (25%)"
    assert bar_text(1, 1000) == "1 (<1%)"
    assert bar_text(0, 0) == "0"


@pytest.mark.parametrize(
    ("mfa", "error", "expected"),
    [
        (None, ROLE_DENIED, ROLE_MFA),
        ("methods", NO_PREMIUM, P1_REPORT_NOTE),
        (None, None, "MFA registrations have not been read yet."),
    ],
)
def test_mfa_tab_explains_what_is_missing(tabs, mfa, error, expected):
    d = small_directory()
    if mfa is None:
        d.mfa = None
    else:
        d.mfa = {
            k: type(v)(v.user_id, v.methods, v.is_mfa_registered, v.preferred, False)
            for k, v in d.mfa.items()
        }
    tabs.set_data(data_for(d, errors={"mfa": error} if error else {}))
    assert tabs.mfa.explanation.text() == expected
    assert tabs.mfa.no_mfa_box.isEnabled() == (mfa is not None)


def test_access_check_verdicts(tabs):
    tabs.set_data(data_for())
    view = tabs.access
    assert view.show_guest("id-0001")
    assert view.verdict_text().startswith("\u2714 Can sign in to ZTNA through group ZTNA Users")
    assert "107c10" in view.verdict_label.styleSheet()
    html = view.details.toPlainText()
    assert "ZTNA Users (direct)" in html
    assert "Fabrikam Ltd" in html
    assert "trusted" in html
    assert "Microsoft Authenticator" in html

    view.show_guest("id-0007")
    assert "nested group Partner Engineers" in view.verdict_text()
    assert "a4262c" in view.verdict_label.styleSheet()
    details = view.details.toPlainText()
    assert "Partner Engineers (direct)" in details
    assert "ZTNA Users via Partner Engineers" in details
    assert "no access" in details

    view.show_guest("id-0006")  # pending acceptance
    assert "invitation not redeemed" in view.verdict_text()


def test_access_check_search_completion_and_enter(qtbot, tabs):
    tabs.set_data(data_for())
    view = tabs.access
    assert view.completions.rowCount() == 12
    view.search_edit.setText("guest0002@fab")
    view.search_edit.returnPressed.emit()
    assert view.user_id == "id-0002"
    assert view.search_edit.text() == "Guest 0002 <guest0002@fabrikam.com>"
    view.search_edit.setText("nobody here")
    view.search_edit.returnPressed.emit()
    assert view.user_id is None
    assert "No guest matches" in view.name_label.text()


def test_access_check_says_sign_ins_need_p1(tabs):
    d = without_activity(small_directory())
    tabs.set_data(data_for(d, errors={"sign_ins": NO_PREMIUM, "mfa": ROLE_DENIED}))
    tabs.access.show_guest("id-0001")
    text = tabs.access.details.toPlainText()
    assert "Last sign-in" in text
    assert "not available: needs Entra ID P1" in text
    assert "Insufficient privileges" in text


def test_guest_filters(tabs):
    tabs.set_data(data_for())
    view = tabs.guests
    assert view.never_box.isEnabled()
    view.pending_box.setChecked(True)
    assert view.shown_count() == 4  # guests 3, 6, 9, 12
    pending_col = [c.title for c in view.table.columns].index("Pending for")
    assert all(t.endswith("days") for t in texts(view.table, pending_col))
    view.pending_box.setChecked(False)
    view.never_box.setChecked(True)
    assert view.shown_count() == 10  # only guests 1 and 2 ever signed in
    view.never_box.setChecked(False)
    view.stale_spin.setValue(90)
    view.stale_box.setChecked(True)
    # guest 2 signed in 200 days ago; never-signed-in guests invited long before count too
    shown = {view.table.proxy.row_at(r).id for r in range(view.shown_count())}
    assert "id-0002" in shown
    assert "id-0001" not in shown
    view.stale_spin.setValue(365)
    assert "id-0002" not in {view.table.proxy.row_at(r).id for r in range(view.shown_count())}
    view.stale_box.setChecked(False)
    view.disabled_box.setChecked(True)
    assert view.shown_count() == 2  # guests 5 and 10


def test_sign_in_filters_disabled_with_the_reason(tabs):
    tabs.set_data(data_for(without_activity(small_directory()), errors={"sign_ins": NO_PREMIUM}))
    view = tabs.guests
    assert not view.never_box.isEnabled()
    assert not view.stale_box.isEnabled()
    assert "needs Entra ID P1" in view.never_box.toolTip()
    tabs.set_data(data_for(without_activity(small_directory()), errors={"sign_ins": ROLE_DENIED}))
    assert "your role" in view.stale_box.toolTip()


def test_freshness_labels(tabs):
    from datetime import timedelta

    tabs.set_data(data_for(from_cache=True, fetched_at={"users": NOW - timedelta(days=2)}))
    assert tabs.guests.freshness.text() == "From cache, 2 days old"
    assert tabs.mfa.freshness.text() == "Not read yet"
    tabs.set_data(data_for(fetched_at={"users": NOW - timedelta(minutes=3), "groups": NOW}))
    assert tabs.guests.freshness.text() == "Updated 3 min ago"
    assert tabs.groups.freshness.text() == "Updated just now"
