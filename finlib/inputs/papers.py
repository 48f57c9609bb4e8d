"""Reading ``papers.yaml``: the words of each paper that are not figures, with sensible defaults.

```yaml
defaults:                       # every paper's, unless it says otherwise
  from: Corporate Director of Finance
  classification: Unrestricted
  author: {name: …, title: …, phone: …, email: …}
  director: {name: …, title: …, phone: …, email: …}
  background: [Budget Book 2017-18]
cabinet:
  to: Cabinet
  meetings: {"2017-07": 2017-09-18}
  recommendations: [note the forecast revenue and capital budget monitoring position for 2017-18]
  outturn_recommendations: [note the provisional outturn for 2017-18]   # the outturn paper's, instead
committees:
  policy-and-resources:
    meetings: {"2017-07": 2017-09-15}
```
No file: every paper takes the defaults (no meeting date, no named contacts).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from finlib.config import DataSet
from finlib.core.period import FinancialYear, Period, is_period
from finlib.core.settings import Contact, Papers, PaperWords
from finlib.errors import FileProblems, Problems
from finlib.inputs import catalogue
from finlib.inputs.yaml_files import load_mapping, text_list

WORDS = {"from": "from_", "to": "to", "subject": "subject", "classification": "classification",
         "meetings": "meetings", "recommendations": "recommendations", "background": "background",
         "outturn_recommendations": "outturn_recommendations",
         "author": "author", "director": "director"}  # fmt: skip
CONTACT = ("name", "title", "phone", "email")


def read_papers(data: DataSet, problems: Problems, year: FinancialYear | None = None) -> Papers:
    """The papers' words of a data set (of ``year``: its own ``<FY>/papers.yaml`` when it has one); the
    defaults where there is no ``papers.yaml``."""
    path = catalogue.PAPERS.folder(data, Period(2000, 4)) / catalogue.PAPERS.name  # at the root, whatever the period
    if year is not None and (own := catalogue.YEAR_PAPERS.candidates(data, year.periods()[0])[0]).is_file():
        path = own
    if not path.is_file():
        return Papers()
    at = problems.at(path)
    doc = load_mapping(path, at, "a mapping with defaults, cabinet and committees")
    if doc is None:
        return Papers()
    for key in sorted(set(doc) - {"defaults", "cabinet", "committees"}, key=str):
        at.add(column=str(key), found="an unknown setting", expected="defaults, cabinet or committees")
    defaults = _words(doc.get("defaults"), PaperWords(), "defaults", at)
    cabinet = _words(doc.get("cabinet"), defaults, "cabinet", at)
    committees: dict[str, PaperWords] = {}
    entries = doc.get("committees") or {}
    if not isinstance(entries, dict):
        at.add(column="committees", found=repr(entries), expected="a mapping: committee key → its paper's words")
        entries = {}
    for key, entry in entries.items():
        committees[str(key)] = _words(entry, defaults, f"committees.{key}", at)
    return Papers(defaults, cabinet, committees)


def _words(entry: object, base: PaperWords, where: str, at: FileProblems) -> PaperWords:
    if entry is None:
        return base
    if not isinstance(entry, dict):
        at.add(column=where, found=repr(entry), expected=", ".join(WORDS))
        return base
    values: dict[str, Any] = {}
    for key, value in entry.items():
        name = WORDS.get(str(key))
        column = f"{where}.{key}"
        if name is None:
            at.add(column=column, found="an unknown setting", expected=", ".join(WORDS))
        elif name in ("author", "director"):
            contact = _contact(value, column, at)
            if contact is not None:
                values[name] = contact
        elif name == "meetings":
            values[name] = _meetings(value, column, at)
        elif name in ("recommendations", "background", "outturn_recommendations"):
            texts = text_list(value)
            if texts is None:
                at.add(column=column, found=repr(value), expected="a list of texts")
            else:
                values[name] = texts
        elif not isinstance(value, str) or not value.strip():
            at.add(column=column, found=repr(value), expected="non-blank text")
        else:
            values[name] = value.strip()
    known = {f.name for f in fields(PaperWords)}
    assert set(values) <= known
    return replace(base, **values)


def _contact(value: object, column: str, at: FileProblems) -> Contact | None:
    if not isinstance(value, dict) or not isinstance(value.get("name"), str) or not value["name"].strip():
        at.add(column=column, found=repr(value), expected="name, and optionally title, phone and email")
        return None
    for key in sorted(set(value) - set(CONTACT), key=str):
        at.add(column=f"{column}.{key}", found="an unknown setting", expected=", ".join(CONTACT))
    texts = {key: str(value.get(key) or "").strip() for key in CONTACT}
    return Contact(**texts)


def _meetings(value: object, column: str, at: FileProblems) -> dict[str, str]:
    if not isinstance(value, dict):
        at.add(column=column, found=repr(value), expected='a mapping: period → date of meeting ("2017-07": 2017-09-15)')
        return {}
    meetings: dict[str, str] = {}
    for period, day in value.items():
        text = day.isoformat() if isinstance(day, dt.date) else str(day)
        try:
            dt.date.fromisoformat(text)
        except ValueError:
            at.add(column=f"{column}.{period}", found=text, expected="a date written YYYY-MM-DD")
            continue
        if not is_period(str(period)):
            at.add(column=f"{column}.{period}", found=str(period), expected="a period written YYYY-MM")
            continue
        meetings[str(period)] = text
    return meetings


def load_papers(data: DataSet | str | Path) -> Papers:
    """The papers' words of a data set; raises :class:`~finlib.errors.InputError` listing every problem."""
    problems = Problems()
    papers = read_papers(DataSet.at(data), problems)
    problems.raise_if_any()
    return papers
