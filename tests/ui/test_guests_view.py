"""The Guests tab: search, counts, empty states, sorting, header state."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.fakes import guest, guests
from ztna_desktop.ui.models.table_model import ROW_ROLE
from ztna_desktop.ui.views.guests_view import (
    LOADING_TEXT,
    NO_GUESTS_TEXT,
    SIGNED_OUT_TEXT,
    GuestsView,
    count_text,
)


def make_view(qtbot, rows=None) -> GuestsView:
    view = GuestsView()
    qtbot.addWidget(view)
    view.set_signed_in(True)
    view.set_guests(guests(250) if rows is None else rows)
    return view


def test_count_text():
    assert count_text(250, 250) == "250 guests"
    assert count_text(1, 1) == "1 guest"
    assert count_text(12, 250) == "12 of 250 shown"


def test_search_narrows_rows_by_name(qtbot):
    view = make_view(qtbot)
    assert view.count_label.text() == "250 guests"
    qtbot.keyClicks(view.search_edit, "guest 001")
    qtbot.waitUntil(lambda: view.shown_count() == 10)  # Guest 0010 .. Guest 0019
    assert view.count_label.text() == "10 of 250 shown"


def test_search_matches_email_and_upn_case_insensitively(qtbot):
    rows = [
        guest(1, display_name="Ann Lee", mail="ANN@Northwind.example"),
        guest(
            2,
            display_name="Bob Roe",
            mail=None,
            other_mails=(),
            user_principal_name="bob_tailspin.example#EXT#@contoso.onmicrosoft.com",
        ),
        guest(3, display_name="Cy Doe", mail="cy@contoso.example"),
    ]
    view = make_view(qtbot, rows)
    view.search_edit.setText("northwind")
    assert view.shown_count() == 1
    view.search_edit.setText("TAILSPIN.EXAMPLE#EXT#")
    assert view.shown_count() == 1
    assert view.table.model().index(0, 0).data(ROW_ROLE).user.display_name == "Bob Roe"
    view.search_edit.clear()
    assert view.shown_count() == 3


def test_search_ignores_columns_other_than_name_email_upn(qtbot):
    rows = [guest(4, identities=()), guest(8)]  # guest 8 signs in with Google
    view = make_view(qtbot, rows)
    assert view.model.data(view.model.index(1, 2)) == "Google"
    view.search_edit.setText("google")
    assert view.shown_count() == 0
    assert view.count_label.text() == "0 of 2 shown"


def test_ctrl_f_focus(qtbot):
    view = make_view(qtbot)
    view.show()
    qtbot.waitExposed(view)
    view.table.setFocus()
    view.focus_search()
    qtbot.waitUntil(view.search_edit.hasFocus)


def test_empty_states(qtbot):
    view = GuestsView()
    qtbot.addWidget(view)
    assert view.stack.currentWidget() is view.empty_page
    assert view.sign_in_button.isVisibleTo(view)
    assert view.empty_label.text() == SIGNED_OUT_TEXT
    assert view.count_label.text() == ""
    view.set_signed_in(True)
    view.set_loading(True)
    assert view.empty_label.text() == LOADING_TEXT
    assert not view.sign_in_button.isVisibleTo(view)
    assert view.progress_strip.isVisibleTo(view)
    view.set_loading(False)
    view.set_guests([])
    assert view.empty_label.text() == NO_GUESTS_TEXT
    assert view.count_label.text() == "0 guests"
    view.set_guests(guests(2))
    assert view.stack.currentWidget() is view.table
    view.set_signed_in(False)
    assert view.model.rowCount() == 0
    assert view.empty_label.text() == SIGNED_OUT_TEXT


def test_progress_is_busy_until_total_known(qtbot):
    view = make_view(qtbot)
    view.set_loading(True)
    assert view.progress_bar.maximum() == 0
    view.set_progress(0, None, "Reading users")
    assert view.progress_bar.maximum() == 0
    assert view.progress_label.text() == "Reading users"
    view.set_progress(500, 1200, "Read 500 users")
    assert (view.progress_bar.value(), view.progress_bar.maximum()) == (500, 1200)


def test_cancel_button_emits(qtbot):
    view = make_view(qtbot)
    view.set_loading(True)
    with qtbot.waitSignal(view.cancel_requested, timeout=1000):
        qtbot.mouseClick(view.cancel_button, Qt.MouseButton.LeftButton)


def test_sort_by_date_uses_sort_role(qtbot):
    rows = [guest(3), guest(1), guest(2, created=None)]
    view = make_view(qtbot, rows)
    view.table.sortByColumn(4, Qt.SortOrder.DescendingOrder)
    proxy = view.table.model()
    order = [proxy.index(r, 0).data() for r in range(3)]
    assert order == ["Guest 0003", "Guest 0001", "Guest 0002"]


def test_header_state_round_trip(qtbot):
    view = make_view(qtbot)
    header = view.table.horizontalHeader()
    header.resizeSection(1, 333)
    header.moveSection(2, 0)
    view.table.sortByColumn(4, Qt.SortOrder.DescendingOrder)
    state = view.header_state()

    other = make_view(qtbot)
    assert other.restore_header_state(state)
    h2 = other.table.horizontalHeader()
    assert h2.sectionSize(1) == 333
    assert h2.logicalIndex(0) == 2
    assert (h2.sortIndicatorSection(), h2.sortIndicatorOrder()) == (4, Qt.SortOrder.DescendingOrder)
    first = other.table.model().index(0, 0).data()
    assert first == "Guest 0250"  # newest first


def test_default_widths_are_not_content_sized(qtbot):
    view = make_view(qtbot)
    header = view.table.horizontalHeader()
    assert all(
        header.sectionResizeMode(c) != header.ResizeMode.ResizeToContents
        for c in range(header.count())
    )
    assert header.sectionSize(1) > header.sectionSize(5)
