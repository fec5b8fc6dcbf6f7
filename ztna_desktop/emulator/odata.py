"""The one OData engine every collection uses: $select, $filter, $search, $top, $count, paging.

Handlers give it an EntitySet (the schema), the stored records sorted by id, the
request's query arguments and headers; it answers the body dict (or the count),
raising GraphError with Graph's codes and messages for what Graph refuses.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import hmac
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from werkzeug.datastructures import Headers

from ztna_desktop.emulator import odata_filter as flt
from ztna_desktop.emulator import odata_search
from ztna_desktop.emulator.graph_errors import (
    GraphError,
    bad_request,
    operator_needs_advanced,
    unsupported_clause,
    unsupported_query,
)
from ztna_desktop.emulator.odata_schema import ADVANCED_OPERATORS, EntitySet, Prop

HeaderSource = Headers | Mapping[str, str]
DEFAULT_PAGE = 100
MAX_PAGE = 999
KNOWN_OPTIONS = {"$select", "$filter", "$top", "$count", "$search", "$skiptoken", "$orderby"}


@dataclass
class Query:
    """A parsed, validated request on one collection."""

    select: list[Prop]
    explicit_select: bool
    filter: flt.Node | None
    search: odata_search.Search | None
    orderby: tuple[Prop, bool] | None  # (prop, descending)
    top: int
    want_count: bool
    advanced: bool
    cursor: dict[str, Any] | None
    params: list[tuple[str, str]]  # the request's query, for nextLink


def is_advanced(args: Mapping[str, str], headers: HeaderSource) -> bool:
    header = (headers.get("ConsistencyLevel") or "").strip().lower() == "eventual"
    return header and (args.get("$count") or "").lower() == "true"


def has_eventual_header(headers: HeaderSource) -> bool:
    return (headers.get("ConsistencyLevel") or "").strip().lower() == "eventual"


class Cursors:
    """Opaque, tamper-evident $skiptoken values (stateless: the cursor travels in the link)."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def encode(self, cursor: dict[str, Any]) -> str:
        raw = json.dumps(cursor, separators=(",", ":")).encode()
        tag = hmac.new(self._secret, raw, hashlib.sha256).digest()[:9]
        return "RFNwdA" + base64.urlsafe_b64encode(tag + raw).rstrip(b"=").decode()

    def decode(self, token: str) -> dict[str, Any]:
        try:
            if not token.startswith("RFNwdA"):
                raise ValueError(token)
            blob = token[6:]
            data = base64.urlsafe_b64decode(blob + "=" * (-len(blob) % 4))
            tag, raw = data[:9], data[9:]
            if not hmac.compare_digest(
                tag, hmac.new(self._secret, raw, hashlib.sha256).digest()[:9]
            ):
                raise ValueError(token)
            cursor: dict[str, Any] = json.loads(raw)
            return cursor
        except ValueError:
            raise bad_request(
                "The specified page token value has expired or is invalid.",
                "Directory_ExpiredPageToken",
            ) from None


def parse_select(eset: EntitySet, value: str | None) -> tuple[list[Prop], bool]:
    if not value:
        return eset.defaults, False
    chosen: list[Prop] = []
    for name in (n.strip() for n in value.split(",")):
        prop = eset.prop(name)
        if prop is None:
            raise GraphError(
                400,
                "BadRequest",
                "Parsing OData Select and Expand failed: Could not find a property named "
                f"'{name}' on type '{eset.type_name}'.",
            )
        if prop not in chosen:
            chosen.append(prop)
    return chosen, True


def _filter_op_name(node: flt.Node) -> str | None:
    if isinstance(node, flt.Compare | flt.Function):
        return node.op if isinstance(node, flt.Compare) else node.name
    if isinstance(node, flt.In):
        return "in"
    if isinstance(node, flt.Not):
        return "not"
    return None


def _check_literal(prop_edm: str, literal: flt.Literal, op: str) -> None:
    if literal.edm == "Null" or prop_edm in ("", literal.edm):
        return
    kinds = {"eq": "Equal", "ne": "NotEqual", "gt": "GreaterThan", "ge": "GreaterThanOrEqual"}
    kinds |= {"lt": "LessThan", "le": "LessThanOrEqual", "in": "In"}
    raise GraphError(
        400,
        "BadRequest",
        "A binary operator with incompatible types was detected. Found operand types "
        f"'Edm.{prop_edm}' and 'Edm.{literal.edm}' for operator kind '{kinds.get(op, op)}'.",
    )


def bind_filter(eset: EntitySet, node: flt.Node, advanced: bool) -> flt.Node:
    """Check a parsed filter against the schema and the advanced-query gate.

    Returns the node with property names made canonical.
    """
    for sub, _ in flt.walk(node):
        op = _filter_op_name(sub)
        if op in ADVANCED_OPERATORS and not advanced:
            raise operator_needs_advanced(ADVANCED_OPERATORS[op])
    used: set[str] = set()
    bound = _bind(eset, node, None, used)
    exclusive = used & eset.exclusive_filters
    if exclusive and len(used) > 1:
        other = sorted(used - exclusive)[0] if used - exclusive else sorted(used)[0]
        raise unsupported_clause(other, eset.resource)
    return bound


def _resolve(
    eset: EntitySet, path: flt.Path, lam: flt.Path | None, op: str
) -> tuple[flt.Path, str]:
    """Canonical path and its edm type; unsupported clause error if op is not allowed there."""
    if path.var is not None:
        assert lam is not None
        coll = eset.prop(lam.parts[0])
        assert coll is not None
        key = "/".join(path.parts)
        rule = coll.sub.get(key)
        if rule is None or op not in rule[1]:
            raise unsupported_clause(coll.name, eset.resource)
        return path, rule[0]
    prop = eset.prop(path.parts[0])
    if prop is None:
        raise GraphError(
            400,
            "BadRequest",
            f"Could not find a property named '{path.parts[0]}' on type '{eset.type_name}'.",
        )
    if len(path.parts) == 1:
        if op not in prop.filter_ops:
            raise unsupported_clause(prop.name, eset.resource)
        return flt.Path((prop.name,)), prop.edm
    key = "/".join(path.parts[1:])
    for name, (edm, allowed) in prop.sub.items():
        if name.lower() == key.lower():
            if op not in allowed:
                raise unsupported_clause(f"{prop.name}/{name}", eset.resource)
            return flt.Path((prop.name, *name.split("/"))), edm
    raise unsupported_clause(prop.name, eset.resource)


def _bind(eset: EntitySet, node: flt.Node, lam: flt.Path | None, used: set[str]) -> flt.Node:
    if isinstance(node, flt.BoolOp):
        return flt.BoolOp(
            node.op, _bind(eset, node.left, lam, used), _bind(eset, node.right, lam, used)
        )
    if isinstance(node, flt.Not):
        return flt.Not(_bind(eset, node.body, lam, used))
    if isinstance(node, flt.Any_):
        coll, _ = _resolve(eset, node.path, lam, "any")
        used.add(coll.parts[0])
        return flt.Any_(coll, node.var, _bind(eset, node.body, node.path, used))
    if isinstance(node, flt.Compare):
        path, edm = _resolve(eset, node.path, lam, node.op)
        _check_literal(edm, node.literal, node.op)
        result: flt.Node = flt.Compare(node.op, path, node.literal)
    elif isinstance(node, flt.In):
        path, edm = _resolve(eset, node.path, lam, "in")
        for literal in node.literals:
            _check_literal(edm, literal, "in")
        result = flt.In(path, node.literals)
    else:
        assert isinstance(node, flt.Function)
        path, edm = _resolve(eset, node.path, lam, node.name)
        if node.literal.edm != "String":
            raise bad_request(f"Invalid filter clause: {node.name} expects a string.", "BadRequest")
        result = flt.Function(node.name, path, node.literal)
    if path.var is None:
        used.add("/".join(path.parts))
    return result


def parse_query(
    eset: EntitySet,
    args: Sequence[tuple[str, str]],
    headers: HeaderSource,
    cursors: Cursors,
) -> Query:
    """Validate the query options of a collection request."""
    single = {k.lower() if k.startswith("$") else k: v for k, v in args}
    for key in single:
        if key.startswith("$") and key not in KNOWN_OPTIONS:
            raise bad_request(f"The query parameter '{key}' is not supported.")
    advanced = is_advanced(single, headers)
    select, explicit = parse_select(eset, single.get("$select"))
    node = None
    if single.get("$filter"):
        node = bind_filter(eset, flt.parse(single["$filter"]), advanced)
    search = None
    if "$search" in single:
        if not has_eventual_header(headers):
            raise unsupported_query(odata_search.NEEDS_HEADER)
        search = odata_search.parse(eset, single["$search"])
    orderby = _parse_orderby(eset, single.get("$orderby"), node is not None, advanced)
    top = _parse_top(single.get("$top"))
    for prop in select:
        top = min(top, eset.page_caps.get(prop.name, top))
    cursor = cursors.decode(single["$skiptoken"]) if single.get("$skiptoken") else None
    return Query(
        select=select,
        explicit_select=explicit,
        filter=node,
        search=search,
        orderby=orderby,
        top=top,
        want_count=advanced,
        advanced=advanced,
        cursor=cursor,
        params=[(k, v) for k, v in args if k.lower() != "$skiptoken"],
    )


def count_query(
    eset: EntitySet,
    args: Sequence[tuple[str, str]],
    headers: HeaderSource,
    cursors: Cursors,
) -> Query:
    """The query behind a ``/$count`` segment.

    Graph answers it only with ``ConsistencyLevel: eventual``, and then it is itself
    an advanced query (``ne``, ``endsWith`` allowed), as if ``$count=true`` were given.
    """
    if not has_eventual_header(headers):
        raise bad_request("$count is not currently supported.")
    kept = [(k, v) for k, v in args if k.lower() != "$count"]
    return parse_query(eset, [*kept, ("$count", "true")], headers, cursors)


def _parse_top(value: str | None) -> int:
    if value is None:
        return DEFAULT_PAGE
    try:
        top = int(value)
    except ValueError:
        raise bad_request(f"Invalid page size specified: '{value}'.") from None
    if not 1 <= top <= MAX_PAGE:
        raise bad_request(
            f"Invalid page size specified: '{value}'. Must be between 1 and {MAX_PAGE} inclusive."
        )
    return top


def _parse_orderby(
    eset: EntitySet, value: str | None, filtered: bool, advanced: bool
) -> tuple[Prop, bool] | None:
    if not value:
        return None
    name, _, direction = value.strip().partition(" ")
    prop = eset.prop(name)
    if prop is None or direction.strip().lower() not in ("", "asc", "desc"):
        raise unsupported_query("Sorting not supported for current query.")
    if (filtered or not prop.orderby) and not advanced:
        raise unsupported_query("Sorting not supported for current query.")
    return prop, direction.strip().lower() == "desc"


def matches(eset: EntitySet, query: Query, record: Any) -> bool:
    if query.filter is not None and not flt.evaluate(query.filter, record, eset.get):
        return False
    return query.search is None or odata_search.matches(query.search, record)


def count(eset: EntitySet, query: Query, records: Sequence[Any]) -> int:
    return sum(1 for r in records if matches(eset, query, r))


def render(query: Query, record: Any) -> dict[str, Any]:
    out = {}
    for prop in query.select:
        value = prop.get(record)
        if value is not None or not prop.omit_null:
            out[prop.name] = value
    return out


def context_url(base: str, eset: EntitySet, query: Query, entity: bool = False) -> str:
    names = f"({','.join(p.name for p in query.select)})" if query.explicit_select else ""
    return f"{base}/$metadata#{eset.name}{names}{'/$entity' if entity else ''}"


def page(
    eset: EntitySet,
    query: Query,
    records: Sequence[Any],
    base: str,
    cursors: Cursors,
    key: Callable[[Any], Any] | None = None,
    path: str | None = None,
    renderer: Callable[[Any], dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """One page of a collection.

    Args:
        records: the whole collection, sorted by ``key`` (default: the ``.id`` attribute).
        base: the Graph base URL (``https://host:port/v1.0``).
        path: the collection's path under ``base`` for nextLink (default ``/<eset.name>``),
            e.g. ``/groups/<id>/members``.
        renderer: turns a record into its JSON object (default: the selected properties);
            polymorphic collections (directoryObjects) pass their own.
    """
    key = key or (lambda r: r.id)
    body: dict[str, Any] = {"@odata.context": context_url(base, eset, query)}
    if query.want_count and query.cursor is None:
        body["@odata.count"] = count(eset, query, records)
    found: list[Any] = []
    more = False
    if query.orderby is None:
        start = bisect.bisect_right(records, query.cursor["k"], key=key) if query.cursor else 0
        for record in records[start:] if start else records:
            if matches(eset, query, record):
                if len(found) == query.top:
                    more = True
                    break
                found.append(record)
        next_cursor = {"k": key(found[-1])} if more else None
    else:
        prop, desc = query.orderby
        hits = [r for r in records if matches(eset, query, r)]
        hits.sort(key=lambda r: (prop.get(r) is None, str(prop.get(r) or "").casefold()))
        if desc:
            hits.reverse()
        offset = int(query.cursor.get("o", 0)) if query.cursor else 0
        found = hits[offset : offset + query.top]
        more = offset + query.top < len(hits)
        next_cursor = {"o": offset + query.top} if more else None
    body["value"] = [renderer(r) if renderer else render(query, r) for r in found]
    if next_cursor is not None:
        params = [*query.params, ("$skiptoken", cursors.encode(next_cursor))]
        body["@odata.nextLink"] = f"{base}{path or '/' + eset.name}?" + urlencode(
            params, quote_via=quote, safe="$,'()/:"
        )
    return body
