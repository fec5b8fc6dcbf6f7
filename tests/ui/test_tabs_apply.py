"""Tabs.apply_data (one view per event-loop turn) ends as set_data does; chunked sort orders."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest

from tests.ui.directory_fakes import NOW, small_directory
from ztna_desktop.ui.models import prepared
from ztna_desktop.ui.models.prepared import sort_order
from ztna_desktop.ui.models.table_model import Column
from ztna_desktop.ui.tabs import Tabs
from ztna_desktop.ui.view_data import build_view_data


def data_for(**kwargs):
    kwargs.setdefault("fetched_at", {p: NOW for p in ("users", "groups", "apps", "mfa")})
    kwargs.setdefault("owned", frozenset({"g-inner"}))
    return build_view_data(small_directory(), now=NOW, **kwargs)


def make_tabs(qtbot):
    widget = Tabs()
    qtbot.addWidget(widget)
    return widget


def state(tabs):
    """What every tab shows: table contents, completer, chart, freshness texts."""
    tables = {
        t.objectName() or str(i): [
            [t.proxy.index(r, c).data() for c in range(t.proxy.columnCount())]
            for r in range(t.proxy.rowCount())
        ]
        for i, t in enumerate(sorted(tabs.tables(), key=lambda t: t.objectName()))
    }
    return (
        tables,
        tabs.access.completions.stringList(),
        tabs.mfa.trust_label.text(),
        [view.freshness.text() for view in tabs.views.values()],
    )


def test_apply_data_reaches_the_same_state_as_set_data_one_view_per_turn(qtbot):
    data = data_for()
    at_once, stepwise = make_tabs(qtbot), make_tabs(qtbot)
    at_once.set_data(data)
    done = []
    stepwise.apply_data(data, lambda: done.append(state(stepwise)))
    assert stepwise.applying()
    assert stepwise.guests.table.proxy.rowCount() == len(data.guests.rows)  # at once
    assert stepwise.groups.table.proxy.rowCount() == 0  # the others follow
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    assert not stepwise.applying()
    assert done == [state(at_once)]
    assert all(state(at_once)[:2])  # the comparison is over filled tables and completer


def test_a_new_apply_finishes_the_pending_one_and_clear_drops_it(qtbot):
    tabs = make_tabs(qtbot)
    first, second = data_for(), data_for(from_cache=True)
    calls = []
    tabs.apply_data(first, lambda: calls.append("first"))
    tabs.apply_data(second, lambda: calls.append("second"))
    assert calls == ["first"]  # finished synchronously before the second started
    qtbot.waitUntil(lambda: calls == ["first", "second"], timeout=5000)
    assert tabs.data is second
    tabs.apply_data(first, lambda: calls.append("dropped"))
    tabs.clear()
    qtbot.wait(50)  # a pending step would run within a few turns
    assert calls == ["first", "second"]
    assert not tabs.applying()


@dataclass
class Item:
    name: str


@pytest.mark.parametrize("n", [0, 5, 3 * 17 + 2])
def test_chunked_sort_order_is_the_stable_sort(monkeypatch, n):
    monkeypatch.setattr(prepared, "SORT_CHUNK", 17)
    rng = random.Random(n)
    rows = [Item(rng.choice(["b", "A", "a", "c", "B"])) for _ in range(n)]
    column = Column("Name", lambda r: r.name)
    expected = sorted(range(n), key=lambda i: rows[i].name.casefold())
    assert sort_order(column, rows) == expected


def test_the_proxy_fast_path_answers_as_the_model_does(qtbot):
    tabs = make_tabs(qtbot)
    tabs.set_data(data_for())
    table = tabs.guests.table
    proxy, model = table.proxy, table.model_
    for row in range(proxy.rowCount()):
        for column in range(proxy.columnCount()):
            source = proxy.mapToSource(proxy.index(row, column))
            for role in range(0, 300):
                assert proxy.index(row, column).data(role) == model.data(source, role)
    assert model.cell(proxy.rowCount() + 5, 0, 0) is None
