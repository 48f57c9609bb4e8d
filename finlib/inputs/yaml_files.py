"""Reading a YAML settings file of the data set: UTF-8, safe loading, a mapping at the top, every problem named."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from finlib.errors import FileProblems
from finlib.inputs.encoding import decode_utf8
from finlib.inputs.tables import shorten


def load_mapping(path: Path, at: FileProblems, expected: str) -> dict[Any, Any] | None:
    """The mapping a YAML file holds; ``None`` (with a problem recorded) when it cannot be read as one.

    ``expected`` says what the file should hold, for the message when it holds something else.
    """
    text = decode_utf8(path.read_bytes(), at, "UTF-8 text")
    if text is None:
        return None
    try:
        doc = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        at.add(found=str(exc).splitlines()[0], expected="valid YAML")
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
