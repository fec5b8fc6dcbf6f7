"""OData ``$filter``: tokenizer, parser to a small AST, and evaluation.

The grammar is the subset Graph's directory accepts: ``eq ne gt ge lt le in``,
``startswith/endswith(path, 'x')``, ``and or not``, parentheses, string / bool /
null / number / datetime literals and ``coll/any(v: ...)`` lambdas. What a given
collection allows is checked by odata.py against the collection's schema.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ztna_desktop.emulator.graph_errors import GraphError

_TOKEN = re.compile(
    r"""(?P<ws>\s+)
    |(?P<string>'(?:[^']|'')*')
    |(?P<guid>[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(?![\w-]))
    |(?P<datetime>\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?)
    |(?P<number>-?\d+(?:\.\d+)?)
    |(?P<punct>[(),:/])
    |(?P<ident>[A-Za-z_@$][A-Za-z0-9_.]*)""",
    re.VERBOSE,
)
COMPARISONS = frozenset({"eq", "ne", "gt", "ge", "lt", "le"})
FUNCTIONS = {"startswith": "startsWith", "endswith": "endsWith"}
Getter = Callable[[Any, tuple[str, ...]], Any]


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    pos: int


@dataclass(frozen=True)
class Literal:
    """A constant; ``edm`` is String, Boolean, Null, Number, Guid or DateTimeOffset."""

    value: Any
    edm: str


@dataclass(frozen=True)
class Path:
    """A property path, e.g. ``("signInActivity", "lastSignInDateTime")``; ``var`` for lambdas."""

    parts: tuple[str, ...]
    var: str | None = None


@dataclass(frozen=True)
class Compare:
    op: str  # eq ne gt ge lt le
    path: Path
    literal: Literal


@dataclass(frozen=True)
class In:
    path: Path
    literals: tuple[Literal, ...]


@dataclass(frozen=True)
class Function:
    name: str  # startsWith | endsWith
    path: Path
    literal: Literal


@dataclass(frozen=True)
class Any_:
    path: Path  # the collection
    var: str
    body: Node


@dataclass(frozen=True)
class Not:
    body: Node


@dataclass(frozen=True)
class BoolOp:
    op: str  # and | or
    left: Node
    right: Node


Node = Compare | In | Function | Any_ | Not | BoolOp


def syntax_error(text: str, pos: int) -> GraphError:
    return GraphError(
        400, "BadRequest", f"Invalid filter clause: Syntax error at position {pos} in '{text}'."
    )


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match:
            raise syntax_error(text, pos)
        kind = match.lastgroup or ""
        if kind != "ws":
            tokens.append(Token(kind, match.group(), pos))
        pos = match.end()
    return tokens


def normalize_datetime(text: str) -> str:
    """Bring a datetime literal to the emulator's form ``YYYY-MM-DDTHH:MM:SSZ`` (UTC)."""
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0
        self.vars: list[str] = []

    def peek(self, offset: int = 0) -> Token | None:
        j = self.i + offset
        return self.tokens[j] if j < len(self.tokens) else None

    def error(self) -> GraphError:
        token = self.peek()
        return syntax_error(self.text, token.pos if token else len(self.text))

    def take(self, text: str | None = None, kind: str | None = None) -> Token:
        token = self.peek()
        if token is None:
            raise self.error()
        if text is not None and token.text.lower() != text:
            raise self.error()
        if kind is not None and token.kind != kind:
            raise self.error()
        self.i += 1
        return token

    def at_keyword(self, word: str) -> bool:
        token = self.peek()
        return token is not None and token.kind == "ident" and token.text.lower() == word

    def parse(self) -> Node:
        node = self.parse_or()
        if self.peek() is not None:
            raise self.error()
        return node

    def parse_or(self) -> Node:
        node = self.parse_and()
        while self.at_keyword("or"):
            self.i += 1
            node = BoolOp("or", node, self.parse_and())
        return node

    def parse_and(self) -> Node:
        node = self.parse_not()
        while self.at_keyword("and"):
            self.i += 1
            node = BoolOp("and", node, self.parse_not())
        return node

    def parse_not(self) -> Node:
        if self.at_keyword("not"):
            self.i += 1
            return Not(self.parse_not())
        return self.parse_primary()

    def parse_primary(self) -> Node:
        token = self.peek()
        if token is None:
            raise self.error()
        if token.text == "(":
            self.i += 1
            node = self.parse_or()
            self.take(")")
            return node
        nxt = self.peek(1)
        if token.kind == "ident" and token.text.lower() in FUNCTIONS and nxt and nxt.text == "(":
            self.i += 2
            path = self.parse_path()
            self.take(",")
            literal = self.parse_literal()
            self.take(")")
            return Function(FUNCTIONS[token.text.lower()], path, literal)
        path_or_lambda = self.parse_path(allow_lambda=True)
        if isinstance(path_or_lambda, Any_):
            return path_or_lambda
        op = self.take(kind="ident").text.lower()
        if op == "in":
            self.take("(")
            literals = [self.parse_literal()]
            while self.peek() is not None and self.peek().text == ",":  # type: ignore[union-attr]
                self.i += 1
                literals.append(self.parse_literal())
            self.take(")")
            return In(path_or_lambda, tuple(literals))
        if op not in COMPARISONS:
            self.i -= 1
            raise self.error()
        return Compare(op, path_or_lambda, self.parse_literal())

    def parse_path(self, allow_lambda: bool = False) -> Any:
        first = self.take(kind="ident")
        parts = [first.text]
        var = None
        if first.text in self.vars:
            var, parts = first.text, []
        while self.peek() is not None and self.peek().text == "/":  # type: ignore[union-attr]
            self.i += 1
            name = self.take(kind="ident")
            nxt = self.peek()
            if allow_lambda and name.text.lower() == "any" and nxt is not None and nxt.text == "(":
                return self.parse_lambda(Path(tuple(parts), var))
            parts.append(name.text)
        return Path(tuple(parts), var)

    def parse_lambda(self, collection: Path) -> Any_:
        self.take("(")
        var = self.take(kind="ident").text
        self.take(":")
        self.vars.append(var)
        try:
            body = self.parse_or()
        finally:
            self.vars.pop()
        self.take(")")
        return Any_(collection, var, body)

    def parse_literal(self) -> Literal:
        token = self.take()
        if token.kind == "string":
            return Literal(token.text[1:-1].replace("''", "'"), "String")
        if token.kind == "guid":
            return Literal(token.text.lower(), "Guid")
        if token.kind == "datetime":
            try:
                return Literal(normalize_datetime(token.text), "DateTimeOffset")
            except ValueError:
                raise syntax_error(self.text, token.pos) from None
        if token.kind == "number":
            return Literal(float(token.text) if "." in token.text else int(token.text), "Number")
        word = token.text.lower()
        if word in ("true", "false"):
            return Literal(word == "true", "Boolean")
        if word == "null":
            return Literal(None, "Null")
        raise syntax_error(self.text, token.pos)


def parse(text: str) -> Node:
    """Parse a ``$filter`` value; GraphError 400 on a syntax error."""
    return _Parser(text).parse()


def walk(node: Node, lambda_of: Path | None = None) -> Iterator[tuple[Node, Path | None]]:
    """Yield every node with the collection path of the lambda it sits in (or None)."""
    yield node, lambda_of
    if isinstance(node, Not):
        yield from walk(node.body, lambda_of)
    elif isinstance(node, BoolOp):
        yield from walk(node.left, lambda_of)
        yield from walk(node.right, lambda_of)
    elif isinstance(node, Any_):
        yield from walk(node.body, node.path)


def _norm(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value


def _compare(op: str, left: Any, right: Any) -> bool:
    left, right = _norm(left), _norm(right)
    if op == "eq":
        return bool(left == right)
    if op == "ne":
        return bool(left != right)
    if left is None or right is None or type(left) is not type(right):
        return False
    if op == "gt":
        return bool(left > right)
    if op == "ge":
        return bool(left >= right)
    if op == "lt":
        return bool(left < right)
    return bool(left <= right)


def evaluate(node: Node, entity: Any, get: Getter, scope: dict[str, Any] | None = None) -> bool:
    """Does ``entity`` match? ``get(entity, parts)`` reads a (nested) property."""
    scope = scope or {}

    def value(path: Path) -> Any:
        if path.var is not None:
            item = scope[path.var]
            for part in path.parts:
                item = item.get(part) if isinstance(item, dict) else None
            return item
        return get(entity, path.parts)

    if isinstance(node, Compare):
        return _compare(node.op, value(node.path), node.literal.value)
    if isinstance(node, In):
        current = value(node.path)
        return any(_compare("eq", current, lit.value) for lit in node.literals)
    if isinstance(node, Function):
        current, wanted = value(node.path), node.literal.value
        if not isinstance(current, str) or not isinstance(wanted, str):
            return False
        if node.name == "startsWith":
            return current.casefold().startswith(wanted.casefold())
        return current.casefold().endswith(wanted.casefold())
    if isinstance(node, Not):
        return not evaluate(node.body, entity, get, scope)
    if isinstance(node, BoolOp):
        if node.op == "and":
            return evaluate(node.left, entity, get, scope) and evaluate(
                node.right, entity, get, scope
            )
        return evaluate(node.left, entity, get, scope) or evaluate(node.right, entity, get, scope)
    items = value(node.path) or []
    return any(evaluate(node.body, entity, get, {**scope, node.var: item}) for item in items)
