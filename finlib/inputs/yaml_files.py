"""Reading a YAML settings file of the data set: UTF-8, safe loading (YAML 1.2 scalars, no anchors or
aliases), a mapping at the top, every problem named."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from finlib.errors import FileProblems
from finlib.inputs.encoding import decode_utf8
from finlib.inputs.tables import shorten

#: The tags whose YAML 1.1 forms (octal, sexagesimal, ``yes``/``no``) are replaced by YAML 1.2's.
_YAML11_NUMBERS = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}


class AliasRefused(yaml.YAMLError):
    """An anchor (``&name``) or alias (``*name``): a settings file never needs one, and aliases nested in
    aliases expand without bound."""

    def __init__(self, mark: object, text: str):
        super().__init__(text)
        line = getattr(mark, "line", None)
        self.row = line + 1 if isinstance(line, int) else None
        self.text = text


class Loader(yaml.SafeLoader):
    """PyYAML's safe loader with YAML 1.2 core schema scalars and no anchors or aliases.

    Only ``true``/``false`` are booleans (not ``yes``, ``no``, ``on``, ``off``); a number is decimal
    (``050000`` and ``1:40`` stay text, never YAML 1.1's octal or sexagesimal); an anchor or alias is
    refused at once.
    """

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:  # type: ignore[override]
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent):
            raise AliasRefused(event.start_mark, f"*{event.anchor}")
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise AliasRefused(event.start_mark, f"&{anchor}")
        return super().compose_node(parent, index)  # type: ignore[no-any-return]


Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _YAML11_NUMBERS]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), None)
Loader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789"))
Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:\.[0-9]+|(?:0|[1-9][0-9]*)(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$"),
    list("-+.0123456789"),
)


def _clean(text: str) -> str:
    """A message of the YAML reader with any lone surrogate written as its escape."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _lone_surrogate(value: object, key: str = "") -> tuple[str, str] | None:
    """The key (``labels.total``) and the first lone surrogate of a text, or a key, anywhere in a document."""
    if isinstance(value, str):
        return next(((key, c) for c in value if "\ud800" <= c <= "\udfff"), None)
    items: list[tuple[object, object]] = []
    if isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, list):
        items = list(enumerate(value))
    for name, inner in items:
        where = _clean(f"{key}.{name}" if key else str(name))
        found = _lone_surrogate(name, key) if isinstance(name, str) else None
        found = found or _lone_surrogate(inner, where)
        if found is not None:
            return found
    return None


def load_mapping(path: Path, at: FileProblems, expected: str) -> dict[Any, Any] | None:
    """The mapping a YAML file holds; ``None`` (with a problem recorded) when it cannot be read as one.

    ``expected`` says what the file should hold, for the message when it holds something else.
    """
    text = decode_utf8(path.read_bytes(), at, "UTF-8 text")
    if text is None:
        return None
    try:
        doc = yaml.load(text, Loader=Loader)  # a SafeLoader: YAML 1.2 scalars, no anchors or aliases
    except AliasRefused as exc:
        at.add(row=exc.row, found=f"an anchor or alias ({exc.text})", expected="YAML without anchors or aliases")
        return None
    except yaml.YAMLError as exc:
        at.add(found=_clean(str(exc).splitlines()[0]), expected="valid YAML")
        return None
    if doc is None:
        at.add(found="an empty file", expected=expected)
        return None
    surrogate = _lone_surrogate(doc)
    if surrogate is not None:
        key, char = surrogate
        at.add(column=key or None, found=f"a lone surrogate, U+{ord(char):04X}", expected="text of real characters")
        return None
    if not isinstance(doc, dict):
        found = f"{'text' if isinstance(doc, str) else type(doc).__name__}, not settings: {shorten(str(doc), 60)}"
        at.add(found=found, expected=expected)
        return None
    return doc


def text_list(value: object) -> tuple[str, ...] | None:
    """A list of non-blank texts (a single text counts as a list of one); ``None`` for anything else."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        return None
    return tuple(v.strip() for v in value)
