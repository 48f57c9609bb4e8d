"""Who holds each budget line: ``<FY>/managers.csv``, or the ``manager`` and ``manager_email`` columns of
``budget_book.csv`` (one of the two), checked like every input."""

from __future__ import annotations

import re

import pandas as pd

from finlib.config import DataSet
from finlib.core.parsed import ROW
from finlib.core.period import FinancialYear
from finlib.errors import Problems, shown
from finlib.inputs import catalogue
from finlib.inputs.period import read_kind

_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")
EMAIL_EXPECTED = "an email address such as name@council.gov.uk, or blank"


def read_managers(data: DataSet, year: FinancialYear, book: pd.DataFrame, problems: Problems) -> pd.DataFrame | None:
    """Each line's manager and email (index line_id, in the book's order: manager, email, file, row), from
    ``managers.csv`` or the budget book; ``None`` when neither names any manager or they have problems.

    ``book`` is the parsed budget book.  Every line must have a manager, and one manager one email.
    """
    period = year.periods()[0]
    path = catalogue.MANAGERS.candidates(data, period)[0]
    book_path = catalogue.BUDGET_BOOK.candidates(data, period)[0]
    in_book = "manager" in book.columns and bool(book["manager"].ne("").any())
    with problems.watch() as watch:
        if path.is_file():
            frame = read_kind(catalogue.MANAGERS, path, problems)
            if frame is None:
                return None
            if in_book:
                problems.at(path).add(
                    found=f"managers named both here and in {shown(book_path)}'s manager column",
                    expected="the managers in one of the two places",
                )
            for row, line_id in frame["line_id"].items():
                if line_id and line_id not in book.index:
                    problems.at(path).add(
                        row=int(str(row)), column="line_id", found=line_id, expected="a line_id of budget_book.csv"
                    )
            source, email = frame.reset_index().set_index("line_id"), "email"
            where = path
        elif in_book:
            columns = book.reindex(columns=["manager", "manager_email", ROW]).fillna("")
            source, email, where = columns, "manager_email", book_path
        else:
            return None
        at = problems.at(where)
        records = [
            (line_id, str(name).strip(), str(address).strip(), int(row))
            for line_id, name, address, row in zip(
                source.index, source["manager"], source[email], source[ROW], strict=True
            )
        ]
        for _, _, address, row in records:
            if address and not _EMAIL.match(address):
                at.add(row=row, column=email, found=address, expected=EMAIL_EXPECTED)
        first: dict[str, tuple[str, int]] = {}
        lines = set(book.index)
        for line_id, name, address, row in records:
            if not name or line_id not in lines:
                continue
            seen = first.setdefault(name.casefold(), (address, row))
            if address and seen[0] and address.casefold() != seen[0].casefold():
                at.add(
                    row=row,
                    column=email,
                    found=address,
                    expected=f"{seen[0]}, {name}'s address on row {seen[1]}: one address for each manager",
                )
        held = source["manager"].astype(str).str.strip().reindex(book.index).fillna("")
        for line_id in held.index[held.eq("")]:
            if where == path:
                at.add(found=f"no row for line {line_id}", expected="a manager for every line of budget_book.csv")
            else:
                at.add(
                    row=int(book.loc[line_id, ROW]),
                    column="manager",
                    found="",
                    expected="the line's budget manager: every line needs one when any line has one",
                )
    if not watch.clean:
        return None
    emails = source[email].astype(str).str.strip().reindex(book.index)
    rows = source[ROW].reindex(book.index)
    return pd.DataFrame(
        {"manager": held, "email": emails, "file": shown(where), "row": rows.astype(int)}, index=book.index
    )
