"""Reading a data set's committees: which Cabinet Committees receive an extract, and what each one covers.

``<root>/committees.yaml`` holds them; a year whose remits differ (remits change with the municipal year)
has its own ``<root>/<FY>/committees.yaml``, read instead.  No file: the pack is the Cabinet report alone.
A remit names whole directorates, divisions (``Directorate - Division``) and Budget Book Headings; each
name must be one of that year's budget book, or the problem names the file, the committee and the name.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pandas as pd

from finlib.config import DataSet
from finlib.core.kinds import LineKind
from finlib.core.period import FinancialYear, Period
from finlib.core.revenue import division_label, ordered
from finlib.core.settings import Committee
from finlib.errors import FileProblems, Problems, UsageError, shown
from finlib.inputs import catalogue
from finlib.inputs.yaml_files import load_mapping, text_list

KEY = re.compile(r"^[a-z0-9][a-z0-9-]*$")
FIELDS = ("name", "directorates", "divisions", "headings", "authority_summary")
REMIT = ("directorates", "divisions", "headings")


def committees_file(data: DataSet, year: FinancialYear) -> Path | None:
    """The committees file that applies to a year: its own, else the data set's; ``None`` when neither exists."""
    first = year.periods()[0]
    for kind in (catalogue.YEAR_COMMITTEES, catalogue.COMMITTEES):
        path = kind.candidates(data, first)[0]
        if path.is_file():
            return path
    return None


def names_of(lines: pd.DataFrame) -> dict[str, list[str]]:
    """What a remit may name in a year: its directorates, divisions and headings (of service lines)."""
    service = lines[lines["kind"] == LineKind.SERVICE]
    labels = [division_label(str(d), str(v)) for d, v in zip(service["directorate"], service["division"], strict=True)]
    return {
        "directorates": ordered(service["directorate"]),
        "divisions": [label for label in ordered(labels) if " - " in label],
        "headings": ordered(service["heading"]),
    }


def read_committees(
    data: DataSet, year: FinancialYear, lines: pd.DataFrame, problems: Problems, only: str | None = None
) -> dict[str, Committee]:
    """The committees of a year, each remit checked against its budget book (``lines``: a position's lines
    or the budget book).  With ``only``, that committee alone is read and checked, however the others stand.
    """
    path = committees_file(data, year)
    if path is None:
        if only is not None:
            raise UsageError(f"--committee {only}: {shown(data.root)} has no committees.yaml")
        return {}
    at = problems.at(path)
    doc = load_mapping(path, at, "a mapping 'committees:' with one entry per committee")
    if doc is None:
        return {}
    entries = doc.get("committees")
    unknown = sorted(set(doc) - {"committees"}, key=str)
    for key in unknown:
        at.add(column=str(key), found="an unknown setting", expected="committees")
    if not isinstance(entries, dict) or not entries:
        at.add(column="committees", found=repr(entries), expected="a mapping with one entry per committee")
        return {}
    if only is not None:
        if only not in entries:
            raise UsageError(f"unknown committee {only!r}; {shown(path)} has: {', '.join(map(str, entries))}")
        entries = {only: entries[only]}
    known = names_of(lines)
    committees = {}
    for key, entry in entries.items():
        committee = _committee(str(key), entry, known, year, at)
        if committee is not None:
            committees[committee.key] = committee
    return committees


def _committee(
    key: str, entry: object, known: dict[str, list[str]], year: FinancialYear, at: FileProblems
) -> Committee | None:
    where = f"committees.{key}"
    if not KEY.match(key):
        at.add(column=where, found=key, expected="a key of lower-case letters, digits and hyphens (it names files)")
        return None
    if not isinstance(entry, dict):
        at.add(column=where, found=repr(entry), expected="name, directorates, divisions, headings, authority_summary")
        return None
    for extra in sorted(set(entry) - set(FIELDS), key=str):
        at.add(column=f"{where}.{extra}", found="an unknown setting", expected=", ".join(FIELDS))
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        at.add(column=f"{where}.name", found=repr(name), expected="the committee's name")
        name = key
    remit: dict[str, tuple[str, ...]] = {}
    for field in REMIT:
        values = text_list(entry.get(field) or [])
        if values is None:
            at.add(column=f"{where}.{field}", found=repr(entry.get(field)), expected=f"a list of {field}")
            values = ()
        for value in values:
            if value not in known[field]:
                at.add(
                    column=f"{where}.{field}",
                    found=value,
                    expected=f"for the {name.strip()}, one of the {field} of the {year} budget book"
                    + _choices(value, known[field]),
                )
        remit[field] = values
    if not any(remit.values()):
        at.add(column=where, found="no remit", expected="directorates, divisions or headings the committee covers")
    summary = entry.get("authority_summary", False)
    if not isinstance(summary, bool):
        at.add(column=f"{where}.authority_summary", found=repr(summary), expected="true or false")
        summary = False
    return Committee(key, name.strip(), remit["directorates"], remit["divisions"], remit["headings"], summary)


#: Up to this many names are listed in a message; beyond it, only the closest.
LISTED = 12


def _choices(value: str, names: list[str]) -> str:
    """The end of a message for a name that is not one of ``names``: the closest one, else all of them
    (when there are few), else how many there are."""
    close = difflib.get_close_matches(value, names, n=1, cutoff=0.75)
    if close:
        return f" (did you mean {close[0]!r}?)"
    if not names:
        return ": it has none"
    if len(names) <= LISTED:
        return ": " + "; ".join(names)
    return f" (it has {len(names)}; none is close to this)"


def load_committees(data: DataSet | Path | str, period: Period | str, only: str | None = None) -> dict[str, Committee]:
    """The committees of a period's year, checked against its budget book; raises
    :class:`~finlib.errors.InputError` listing every problem."""
    from finlib.inputs.analysis import read_budget_book

    data, period = DataSet.at(data), Period.parse(period)
    problems = Problems()
    book = read_budget_book(data, period.financial_year, problems)
    problems.raise_if_any()
    assert book is not None
    committees = read_committees(data, period.financial_year, book, problems, only)
    problems.raise_if_any()
    return committees
