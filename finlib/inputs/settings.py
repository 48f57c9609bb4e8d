"""Reading ``authority.yaml``: the authority's name, thresholds (pounds), labels and default forecast method."""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from dataclasses import fields, replace
from pathlib import Path
from typing import Any, TypeVar

from finlib.core.kinds import PeriodKind, values
from finlib.core.period import Period
from finlib.core.settings import FORECAST_METHODS, LABEL_PLACEHOLDER, Labels, Settings, Thresholds
from finlib.errors import FileProblems, Problems
from finlib.inputs.yaml_files import load_mapping
from finlib.money import parse_amount

#: The longest sheet name a workbook may have (Excel's limit).
SHEET_NAME_LIMIT = 31

T = TypeVar("T", Thresholds, Labels)
KNOWN = ("name", "thresholds", "labels", "forecast_method", "short_names", "year_start_last_reported")
YEAR_START = ("blank", "outturn")
LABEL_EXPECTED = "non-blank text; its only placeholder {directorate}, with no attribute, index, format or conversion"


def read_settings(path: Path, problems: Problems) -> Settings:
    """The settings of ``authority.yaml``; the defaults (with problems recorded) where it is wrong."""
    at = problems.at(path)
    if not path.is_file():
        at.add(found="no such file", expected="authority.yaml with the authority's name")
        return Settings()
    doc = load_mapping(path, at, "a mapping with name, thresholds, labels ('key: value' lines)")
    if doc is None:
        return Settings()
    settings = Settings()
    for key in sorted(set(doc) - set(KNOWN), key=str):
        at.add(column=str(key), found="an unknown setting", expected=", ".join(KNOWN))
    if "forecast_method" in doc:
        method = doc["forecast_method"]
        if method not in FORECAST_METHODS:
            expected = "the default forecast method, one of: " + ", ".join(FORECAST_METHODS)
            at.add(column="forecast_method", found=repr(method), expected=expected)
        else:
            settings = replace(settings, forecast_method=method)
    if "year_start_last_reported" in doc:
        start = doc["year_start_last_reported"]
        if start not in YEAR_START:
            expected = "what a year's first report compares with: blank (nothing) or outturn (last year's)"
            at.add(column="year_start_last_reported", found=repr(start), expected=expected)
        else:
            settings = replace(settings, year_start=start)
    if "name" not in doc:
        at.add(column="name", found="no name", expected="the authority's name ('name: ...')")
    else:
        if not isinstance(doc["name"], str) or not doc["name"].strip():
            at.add(column="name", found=repr(doc["name"]), expected="the authority's name")
        else:
            settings = replace(settings, name=doc["name"].strip())
    thresholds = _section(doc, "thresholds", Thresholds(), at, _threshold)
    labels = _section(doc, "labels", Labels(), at, _label)
    return replace(settings, thresholds=thresholds, labels=labels, short_names=_short_names(doc, at))


def _short_names(doc: dict[Any, Any], at: FileProblems) -> dict[str, str]:
    """``short_names``: a directorate → the short name a workbook's sheet takes (31 characters at most)."""
    section = {} if doc.get("short_names") is None else doc["short_names"]
    if not isinstance(section, dict):
        at.add(column="short_names", found=repr(section), expected="a mapping: directorate → short name")
        return {}
    names: dict[str, str] = {}
    for directorate, short in section.items():
        if not isinstance(short, str) or not short.strip() or len(short.strip()) > SHEET_NAME_LIMIT:
            at.add(
                column=f"short_names.{directorate}",
                found=repr(short),
                expected=f"a short name of at most {SHEET_NAME_LIMIT} characters",
            )
            continue
        names[str(directorate)] = short.strip()
    return names


def _threshold(value: object) -> int:
    """Pounds as a whole number or an amount's text; ``050000`` is refused (YAML 1.1 read it as octal)."""
    if isinstance(value, bool) or (isinstance(value, str) and re.match(r"\s*£?0[0-9]", value)):
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
    """A label's text; its only placeholder is ``{directorate}`` written just so: a field with an
    attribute or index (``{directorate.__class__}``), a format (``{directorate:>200000000}``) or a
    conversion (``{directorate!r}``) is refused, and the label is never given to ``str.format``."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError
    try:
        fields = list(string.Formatter().parse(value))
    except ValueError as exc:  # a brace left open or closed alone
        raise ValueError from exc
    for _, name, spec, conversion in fields:
        if name is not None and (name != LABEL_PLACEHOLDER or spec or conversion):
            raise ValueError
    return value


def _section(doc: dict[Any, Any], key: str, default: T, at: FileProblems, convert: Callable[[object], object]) -> T:
    section = {} if doc.get(key) is None else doc[key]
    if not isinstance(section, dict):
        at.add(column=key, found=repr(section), expected="a mapping of settings ('key: value' lines below it)")
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
            expected = "a non-negative amount in pounds, such as 50000 (without a leading zero)"
            if key != "thresholds":
                expected = LABEL_EXPECTED
            at.add(column=where, found=str(value), expected=expected)
    return replace(default, **values)


PERIOD_KEYS = ("kind",)


def read_period_kind(path: Path, period: Period, problems: Problems) -> PeriodKind:
    """What a period's report is, from its ``period.yaml`` (no file: monthly).  Only the last period of
    a financial year (March) can be the outturn."""
    if not path.is_file():
        return PeriodKind.MONTHLY
    at = problems.at(path)
    doc = load_mapping(path, at, "a mapping such as 'kind: outturn'")
    if doc is None:
        return PeriodKind.MONTHLY
    for key in sorted(set(doc) - set(PERIOD_KEYS), key=str):
        at.add(column=str(key), found="an unknown setting", expected=", ".join(PERIOD_KEYS))
    kind = doc.get("kind", PeriodKind.MONTHLY.value)
    if kind not in values(PeriodKind):
        at.add(column="kind", found=repr(kind), expected="one of: " + ", ".join(values(PeriodKind)))
        return PeriodKind.MONTHLY
    if kind == PeriodKind.OUTTURN and period != period.financial_year.last_period:
        last = period.financial_year.last_period
        at.add(
            column="kind",
            found=f"outturn in {period}",
            expected=f"monthly: only the last period of {period.financial_year} ({last}) can be its outturn",
        )
        return PeriodKind.MONTHLY
    return PeriodKind(kind)
