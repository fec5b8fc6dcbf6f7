"""RowTableModel and the guest columns."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QModelIndex, Qt

from tests.ui.fakes import guest as _guest
from tests.ui.fakes import guests as _guests
from ztna_desktop.ui.models.guest_columns import (
    GUEST_COLUMNS,
    invitation_state,
    local_date,
    row_search_text,
)
from ztna_desktop.ui.models.rows import GuestRow
from ztna_desktop.ui.models.table_model import FILTER_ROLE, ROW_ROLE, SORT_ROLE, RowTableModel


def guest(n, **changes):
    return GuestRow(_guest(n, **changes))


def guests(count):
    return [GuestRow(g) for g in _guests(count)]


@pytest.fixture
def model(qapp):
    return RowTableModel(GUEST_COLUMNS, row_search_text)


def test_model_passes_qt_model_tester(qtmodeltester, model):
    model.set_rows(guests(30))
    qtmodeltester.check(model, force_py=True)


def test_empty_model_passes_qt_model_tester(qtmodeltester, model):
    qtmodeltester.check(model, force_py=True)


def test_shape_titles_and_roles(model):
    rows = guests(3)
    model.set_rows(rows)
    assert (model.rowCount(), model.columnCount()) == (3, len(GUEST_COLUMNS))
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert titles == [
        "Name",
        "Email",
        "Source",
        "Invitation state",
        "Invited / created",
        "Enabled",
        "Pending for",
        "Last sign-in",
    ]
    first = model.index(0, 0)
    assert model.data(first) == "Guest 0001"
    assert model.data(first, ROW_ROLE) is rows[0]
    assert model.data(first, SORT_ROLE) == "guest 0001"
    assert "guest0001_fabrikam.com#EXT#" in model.data(model.index(0, 3), FILTER_ROLE)
    assert "contoso" in model.data(first, Qt.ItemDataRole.ToolTipRole)
    assert model.data(QModelIndex()) is None
    assert model.rowCount(first) == 0  # a table: no children


def test_set_rows_resets_and_clear_empties(qtbot, model):
    model.set_rows(guests(3))
    with qtbot.waitSignals([model.modelAboutToBeReset, model.modelReset], order="strict"):
        model.set_rows(guests(5))
    assert model.rowCount() == 5
    model.clear()
    assert model.rowCount() == 0


def test_guest_column_texts(model):
    accepted = guest(1, external_user_state="Accepted", account_enabled=True)
    pending = guest(2, external_user_state="PendingAcceptance", account_enabled=False)
    member = guest(3, external_user_state=None, user_type="Member")
    model.set_rows([accepted, pending, member])
    texts = [[model.data(model.index(r, c)) for c in range(6)] for r in range(3)]
    assert texts[0][3] == "Accepted"
    assert texts[0][5] == "Yes"
    assert texts[1][3] == "Pending acceptance"
    assert texts[1][5] == "No"
    assert texts[2][3] == "\u2014"
    assert texts[2][2] == "This organisation"
    assert texts[0][1] == "guest0001@fabrikam.com"


def test_invitation_state_passes_unknown_values_through():
    assert invitation_state(_guest(1, external_user_state="Something")) == "Something"


def test_local_date_uses_local_time_zone(monkeypatch):
    late_utc = datetime(2024, 3, 1, 23, 30, tzinfo=UTC)
    expected = late_utc.astimezone().date().isoformat()
    assert local_date(late_utc) == expected
    assert local_date(None) == "\u2014"


def test_sort_keys_have_one_type_per_column(model):
    model.set_rows([guest(1), guest(2, created=None), guest(3, account_enabled=False)])
    for column in range(model.columnCount()):
        kinds = {type(model.data(model.index(r, column), SORT_ROLE)) for r in range(3)}
        assert len(kinds) == 1, (GUEST_COLUMNS[column].title, kinds)
