"""A small APL inflater for tests: evaluates the document's data binding the way a device
would, for the subset of APL the skill's document uses, and checks what comes out.

No APL renderer runs here, so this is the next best thing: every `${...}` expression is
parsed and evaluated against a real data source, every `when` decides, every `data`
array inflates its item, and each component's bound values are checked for the type a
device needs (text, colour, dimension, graphic name). Anything outside the subset fails
loudly, so the document cannot quietly grow past what is tested.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

_TOKEN = re.compile(
    r"\s*(?:(?P<number>\d+(?:\.\d+)?)|(?P<string>'[^']*'|\"[^\"]*\")"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<op>==|!=|<=|>=|&&|\|\||[?:<>+\-*/!().\[\]]))"
)
_BINDING = re.compile(r"\$\{(.*?)\}")
HEX_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
DIMENSION = re.compile(r"^\d+(\.\d+)?(dp|vw|vh|%)$")
COMPONENTS = {"Frame", "Container", "Text", "VectorGraphic", "TouchWrapper"}


class AplError(AssertionError):
    """The document or its data do not inflate as a device would need."""


def tokens(text: str) -> list[str]:
    found, position = [], 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            if text[position:].strip():
                raise AplError(f"cannot read expression at {text[position:]!r}")
            break
        found.append(match.group(match.lastgroup or "op"))
        position = match.end()
    return found


class _Parser:
    """Recursive descent over APL's JavaScript-like expressions (the subset used)."""

    def __init__(self, text: str, scope: dict) -> None:
        self.items = tokens(text)
        self.at = 0
        self.scope = scope

    def peek(self) -> str | None:
        return self.items[self.at] if self.at < len(self.items) else None

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        if token is None or (expected is not None and token != expected):
            raise AplError(f"expected {expected!r}, found {token!r}")
        self.at += 1
        return token

    def parse(self) -> object:
        value = self.ternary()
        if self.peek() is not None:
            raise AplError(f"unexpected {self.peek()!r}")
        return value

    def ternary(self) -> object:
        condition = self.binary(0)
        if self.peek() != "?":
            return condition
        self.take("?")
        yes = self.ternary()
        self.take(":")
        no = self.ternary()
        return yes if condition else no

    LEVELS: tuple[dict[str, Callable[[object, object], object]], ...] = (
        {"||": lambda a, b: a or b},
        {"&&": lambda a, b: a and b},
        {"==": lambda a, b: a == b, "!=": lambda a, b: a != b},
        {
            "<": lambda a, b: a < b,  # type: ignore[operator]
            ">": lambda a, b: a > b,  # type: ignore[operator]
            "<=": lambda a, b: a <= b,  # type: ignore[operator]
            ">=": lambda a, b: a >= b,  # type: ignore[operator]
        },
        {"+": lambda a, b: a + b, "-": lambda a, b: a - b},  # type: ignore[operator]
        {"*": lambda a, b: a * b, "/": lambda a, b: a / b},  # type: ignore[operator]
    )

    def binary(self, level: int) -> object:
        if level == len(self.LEVELS):
            return self.unary()
        value = self.binary(level + 1)
        while self.peek() in self.LEVELS[level]:
            operator = self.LEVELS[level][self.take()]
            value = operator(value, self.binary(level + 1))
        return value

    def unary(self) -> object:
        if self.peek() == "!":
            self.take()
            return not self.unary()
        if self.peek() == "-":
            self.take()
            return -self.unary()  # type: ignore[operator]
        return self.postfix(self.primary())

    def primary(self) -> object:
        token = self.take()
        if token == "(":
            value = self.ternary()
            self.take(")")
            return value
        if token[0] in "'\"":
            return token[1:-1]
        if token[0].isdigit():
            return float(token) if "." in token else int(token)
        if token in ("true", "false"):
            return token == "true"
        if token not in self.scope:
            raise AplError(f"{token!r} is not bound here")
        return self.scope[token]

    def postfix(self, value: object) -> object:
        while self.peek() in (".", "["):
            if self.take() == ".":
                value = member(value, self.take())
            else:
                index = self.ternary()
                self.take("]")
                if not isinstance(value, list) or not isinstance(index, int):
                    raise AplError(f"cannot index {value!r} with {index!r}")
                value = value[index] if 0 <= index < len(value) else None
        return value


def member(value: object, name: str) -> object:
    if name == "length" and isinstance(value, list | str):
        return len(value)
    if not isinstance(value, dict) or name not in value:
        raise AplError(f"no {name!r} in {value!r}")
    return value[name]


def evaluate(value: object, scope: dict) -> object:
    """A property's value with its bindings: one whole `${...}` keeps its type."""
    if isinstance(value, list):
        return [evaluate(item, scope) for item in value]
    if isinstance(value, dict):
        return {key: evaluate(item, scope) for key, item in value.items()}
    if not isinstance(value, str) or "${" not in value:
        return value
    whole = _BINDING.fullmatch(value)
    if whole:
        return _Parser(whole.group(1), scope).parse()
    return _BINDING.sub(lambda match: str(_Parser(match.group(1), scope).parse()), value)


@dataclass
class Inflated:
    """One component as a device would build it: its type and evaluated properties."""

    type: str
    props: dict
    scope: dict


def inflate(component: dict, scope: dict) -> Iterator[Inflated]:
    """The component and its children, skipping what `when` leaves out."""
    if "when" in component and not evaluate(component["when"], scope):
        return
    if component.get("type") not in COMPONENTS:
        raise AplError(f"component type {component.get('type')!r} is not in the tested subset")
    scope = dict(scope)
    for variable in component.get("bind", []):
        scope.setdefault(variable["name"], evaluate(variable["value"], scope))
    props = {
        key: evaluate(value, scope)
        for key, value in component.items()
        if key not in ("item", "items", "data", "onMount", "bind")
    }
    yield Inflated(component["type"], props, scope)
    children = component.get("items") or ([component["item"]] if "item" in component else [])
    if "data" in component:
        data = evaluate(component["data"], scope)
        if not isinstance(data, list):
            raise AplError(f"data is not an array: {data!r}")
        for element in data:
            for child in children:
                yield from inflate(child, {**scope, "data": element})
        return
    for child in children:
        yield from inflate(child, scope)
