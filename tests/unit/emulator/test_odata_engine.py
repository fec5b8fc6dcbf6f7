"""The OData engine with a made-up collection: it knows nothing about users."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest

from ztna_desktop.emulator import odata
from ztna_desktop.emulator.graph_errors import GraphError
from ztna_desktop.emulator.odata_schema import ENUM_OPS, STRING_OPS, EntitySet, Prop

BASE = "https://example.test/v1.0"


@dataclass
class Gadget:
    id: str
    name: str
    kind: str


GADGETS = EntitySet(
    name="gadgets",
    type_name="microsoft.graph.gadget",
    resource="Gadget",
    props=[
        Prop("id", lambda g: g.id, default=True, filter_ops=ENUM_OPS),
        Prop("name", lambda g: g.name, default=True, filter_ops=STRING_OPS, search=True),
        Prop("kind", lambda g: g.kind, filter_ops=ENUM_OPS),
    ],
)
RECORDS = [Gadget(f"{i:04d}", f"Gadget {i}", "big" if i % 3 == 0 else "small") for i in range(50)]
CURSORS = odata.Cursors(b"k" * 16)


def run(args, headers=None, path=None):
    query = odata.parse_query(GADGETS, list(args.items()), headers or {}, CURSORS)
    return query, odata.page(GADGETS, query, RECORDS, BASE, CURSORS, path=path)


def follow(link):
    query = {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}
    return run(query, path=urlsplit(link).path.removeprefix("/v1.0"))[1]


def test_defaults_select_filter_and_pages():
    _, body = run({"$filter": "kind eq 'big'", "$top": "7"})
    assert body["@odata.context"] == f"{BASE}/$metadata#gadgets"
    assert set(body["value"][0]) == {"id", "name"}
    seen = [g["id"] for g in body["value"]]
    while "@odata.nextLink" in body:
        body = follow(body["@odata.nextLink"])
        seen += [g["id"] for g in body["value"]]
    assert seen == [g.id for g in RECORDS if g.kind == "big"]


def test_next_link_uses_the_given_path():
    _, body = run({"$top": "10"}, path="/shelves/7/gadgets")
    assert body["@odata.nextLink"].startswith(f"{BASE}/shelves/7/gadgets?$top=10&$skiptoken=")


def test_count_and_search_with_advanced_headers():
    headers = {"ConsistencyLevel": "eventual"}
    _, body = run({"$count": "true", "$search": '"name:gadget 4"', "$top": "3"}, headers)
    assert body["@odata.count"] == 11  # Gadget 4, 40..49
    assert [g["name"] for g in body["value"]] == ["Gadget 4", "Gadget 40", "Gadget 41"]


def test_rules_come_from_the_schema():
    with pytest.raises(GraphError) as caught:
        run({"$filter": "startswith(kind,'b')"})
    assert caught.value.message == (
        "Unsupported or invalid query filter clause specified for property 'kind' "
        "of resource 'Gadget'."
    )
    with pytest.raises(GraphError) as caught:
        run({"$search": '"kind:big"'}, {"ConsistencyLevel": "eventual"})
    assert caught.value.code == "Request_UnsupportedQuery"
