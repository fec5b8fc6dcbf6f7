"""How one entity type looks to the OData engine: properties, defaults, filter and search rules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Operators that are only allowed in an advanced query (ConsistencyLevel + $count=true).
ADVANCED_OPERATORS = {"ne": "ne", "not": "not", "endsWith": "endsWith"}


@dataclass(frozen=True)
class Prop:
    """One property: how to read it from a stored record and what queries may do with it.

    ``filter_ops`` are the operators (eq ne not in startsWith endsWith ge le gt lt any)
    allowed on this property; ne/not/endsWith are further gated by the advanced-query rule.
    ``edm`` is the literal type a filter must compare with (String, Boolean,
    DateTimeOffset, Guid, or "" for complex/collections).
    """

    name: str
    get: Callable[[Any], Any]
    default: bool = False
    edm: str = "String"
    filter_ops: frozenset[str] = frozenset()
    search: bool = False
    orderby: bool = False
    omit_null: bool = False  # left out of the object when null (signInActivity)
    # Sub-properties of a complex or collection property that filters may reach.
    sub: dict[str, tuple[str, frozenset[str]]] = field(default_factory=dict)


def ops(*names: str) -> frozenset[str]:
    return frozenset(names)


STRING_OPS = ops("eq", "ne", "not", "in", "startsWith", "endsWith")
ENUM_OPS = ops("eq", "ne", "not", "in")
DATE_OPS = ops("eq", "ne", "not", "ge", "le", "in")


@dataclass
class EntitySet:
    """A collection's schema: ``users`` of ``microsoft.graph.user`` and so on."""

    name: str  # the URL segment and @odata.context name, e.g. "users"
    type_name: str  # e.g. "microsoft.graph.user"
    resource: str  # name in error messages, e.g. "User"
    props: list[Prop]
    # $filter on these property paths cannot be mixed with other properties.
    exclusive_filters: frozenset[str] = frozenset()
    page_caps: dict[str, int] = field(default_factory=dict)  # selected prop -> max page size
    by_lower: dict[str, Prop] = field(init=False)

    def __post_init__(self) -> None:
        self.by_lower = {p.name.lower(): p for p in self.props}

    def prop(self, name: str) -> Prop | None:
        return self.by_lower.get(name.lower())

    @property
    def defaults(self) -> list[Prop]:
        return [p for p in self.props if p.default]

    def get(self, record: Any, parts: tuple[str, ...]) -> Any:
        """Read ``a/b/c`` from a record (parts already canonical)."""
        prop = self.by_lower[parts[0].lower()]
        value = prop.get(record)
        for part in parts[1:]:
            value = value.get(part) if isinstance(value, dict) else None
        return value
