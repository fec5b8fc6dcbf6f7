"""OData ``$search`` for directory objects: ``"displayName:ann" OR "mail:bob"``, word prefixes."""

from __future__ import annotations

import re
from typing import Any

from ztna_desktop.emulator.graph_errors import GraphError, unsupported_query
from ztna_desktop.emulator.odata_schema import EntitySet, Prop

NEEDS_HEADER = (
    "Request with $search query parameter only works through MSGraph with a special request "
    "header: 'ConsistencyLevel: eventual'"
)
_CLAUSE = re.compile(r'\s*(?:"(?P<clause>[^"]*)"|(?P<op>AND|OR)\b)\s*')
_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+|[^\W\d_]+", re.UNICODE)
Search = list[tuple[str, list[tuple[Prop, list[str]]]]]  # OR-groups of AND-ed clauses


def words(text: str) -> list[str]:
    """Graph-like search tokens: split on spaces, punctuation and camelCase, lower-cased."""
    return [w.lower() for w in _WORDS.findall(text)]


def parse(eset: EntitySet, value: str) -> Search:
    """Parse ``"prop:words" [AND|OR "prop:words"]...`` (OR binds loosest)."""
    groups: list[tuple[str, list[tuple[Prop, list[str]]]]] = [("OR", [])]
    pos, expect_clause = 0, True
    while pos < len(value):
        match = _CLAUSE.match(value, pos)
        if not match or match.end() == pos or (match.group("clause") is None) == expect_clause:
            raise GraphError(
                400,
                "BadRequest",
                f"Syntax error: character '{value[pos]}' is not valid at "
                f"position {pos} in '{value}'.",
            )
        pos = match.end()
        if match.group("op"):
            if match.group("op") == "OR":
                groups.append(("OR", []))
            expect_clause = True
            continue
        expect_clause = False
        prop_name, sep, term = (match.group("clause") or "").partition(":")
        prop = eset.prop(prop_name.strip())
        if not sep or prop is None or not prop.search:
            raise unsupported_query(
                f"Unsupported or invalid search clause specified for property '{prop_name}' "
                f"of resource '{eset.resource}'."
            )
        groups[-1][1].append((prop, words(term)))
    if expect_clause:
        raise GraphError(400, "BadRequest", f"Syntax error: incomplete $search '{value}'.")
    return groups


def matches(groups: Search, record: Any) -> bool:
    """Does the record match any OR-group (all clauses of it)?"""
    for _, clauses in groups:  # OR of AND-groups
        if all(_clause_matches(prop, terms, record) for prop, terms in clauses):
            return True
    return False


def _clause_matches(prop: Prop, terms: list[str], record: Any) -> bool:
    value = prop.get(record)
    if not isinstance(value, str):
        return False
    tokens = words(value)
    return all(any(t.startswith(term) for t in tokens) for term in terms)
