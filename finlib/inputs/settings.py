"""Reading ``authority.yaml``: the authority's name, thresholds (pounds), labels and default forecast method."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, replace
from pathlib import Path
from typing import Any, TypeVar

import yaml

from finlib.core.settings import FORECAST_METHODS, LABEL_PLACEHOLDER, Labels, Settings, Thresholds
from finlib.errors import FileProblems, Problems
from finlib.inputs.tables import shorten
from finlib.money import parse_amount

T = TypeVar("T", Thresholds, Labels)
KNOWN = ("name", "thresholds", "labels", "forecast_method")


def read_settings(path: Path, problems: Problems) -> Settings:
    """The settings of ``authority.yaml``; the defaults (with problems recorded) where it is wrong."""
    at = problems.at(path)
    if not path.is_file():
        at.add(found="no such file", expected="authority.yaml with the authority's name")
        return Settings()
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        at.add(row=line, found=f"byte 0x{raw[exc.start]:02x}", expected="UTF-8 text")
        return Settings()
    try:
        doc = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        at.add(found=str(exc).splitlines()[0], expected="valid YAML")
        return Settings()
    if not isinstance(doc, dict):
        found = f"{'text' if isinstance(doc, str) else type(doc).__name__}, not settings: {shorten(str(doc), 60)}"
        at.add(found=found, expected="a mapping with name, thresholds, labels ('key: value' lines)")
        return Settings()
    settings = Settings()
    for key in sorted(set(doc) - set(KNOWN), key=str):
        at.add(column=str(key), found="an unknown setting", expected="name, thresholds, labels or forecast_method")
    if "forecast_method" in doc:
        method = doc["forecast_method"]
        if method not in FORECAST_METHODS:
            expected = "the default forecast method, one of: " + ", ".join(FORECAST_METHODS)
            at.add(column="forecast_method", found=repr(method), expected=expected)
        else:
            settings = replace(settings, forecast_method=method)
    if "name" in doc:
        if not isinstance(doc["name"], str) or not doc["name"].strip():
            at.add(column="name", found=repr(doc["name"]), expected="the authority's name")
        else:
            settings = replace(settings, name=doc["name"].strip())
    thresholds = _section(doc, "thresholds", Thresholds(), at, _threshold)
    labels = _section(doc, "labels", Labels(), at, _label)
    return replace(settings, thresholds=thresholds, labels=labels)


def _threshold(value: object) -> int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        if value < 0:
            raise ValueError
        return value * 100
    pence = parse_amount(str(value))
    if pence < 0:
        raise ValueError
    return pence


def _label(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError
    try:
        value.format(**{LABEL_PLACEHOLDER: ""})  # the one placeholder a label may hold (subtotal)
    except (KeyError, IndexError, ValueError) as exc:
        raise ValueError from exc
    return value


def _section(doc: dict[Any, Any], key: str, default: T, at: FileProblems, convert: Callable[[object], object]) -> T:
    section = doc.get(key) or {}
    if not isinstance(section, dict):
        at.add(column=key, found=repr(section), expected="a mapping")
        return default
    known = {f.name for f in fields(default)}
    values: dict[str, Any] = {}
    for item, value in section.items():
        where = f"{key}.{item}"
        if item not in known:
            at.add(column=where, found="an unknown setting", expected=", ".join(sorted(known)))
            continue
        try:
            values[str(item)] = convert(value)
        except ValueError:
            expected = "a non-negative amount in pounds"
            if key != "thresholds":
                expected = "non-blank text; {directorate} the only placeholder"
            at.add(column=where, found=str(value), expected=expected)
    return replace(default, **values)
