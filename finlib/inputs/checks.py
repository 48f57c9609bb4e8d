"""Checks across the files of a period, one function per rule.

Each check takes what was read (:class:`Read`: every file's text frame and path) and the problems
collected so far, and adds its own.  A check runs only on frames that have the columns it needs: a
file that could not be read already has its problem listed, and checking its rows would add noise.
:mod:`finlib.inputs.catalogue` says which checks belong to which file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from finlib.config import slug
from finlib.core.kinds import About
from finlib.core.membership import isin
from finlib.core.period import FinancialYear, is_financial_year
from finlib.errors import Problems, shown
from finlib.inputs.tables import row_number
from finlib.money import is_amount, parse_amount


@dataclass
class Read:
    """A period's files as read: each role's text frame (``None`` when absent or unreadable) and path."""

    year: FinancialYear
    paths: dict[str, Path]
    frames: dict[str, pd.DataFrame | None] = field(default_factory=dict)

    def frame(self, role: str, *columns: str) -> pd.DataFrame | None:
        """The role's frame when it was read and holds ``columns``; else ``None``."""
        frame = self.frames.get(role)
        if frame is None or not set(columns) <= set(frame.columns):
            return None
        return frame

    def book(self, *columns: str) -> pd.DataFrame | None:
        """The budget book when it was read, holds ``columns`` and has lines: other files are checked
        against it only then (an empty book is a problem of its own, not one for every other row)."""
        book = self.frame("budget_book", *columns)
        return book if book is not None and len(book) else None

    def present(self, role: str) -> bool:
        return role in self.paths and self.paths[role].is_file()

    def name(self, role: str) -> str:
        return shown(self.paths[role])


Check = Callable[[Read, Problems], None]


def _book(read: Read) -> pd.DataFrame | None:
    """The budget book as read, when it can be checked against (line_id, heading and tag present)."""
    return read.book("line_id", "heading", "tag")


def _lines_known(role: str, expected: str, column: str = "line_id") -> Check:
    def check(read: Read, problems: Problems) -> None:
        book, frame = _book(read), read.frame(role, column)
        if book is None or frame is None:
            return
        cells = frame[column]
        unknown = cells.ne("").to_numpy(dtype=bool) & ~isin(cells, book["line_id"].unique().tolist())
        at = problems.at(read.paths[role])
        for row, line_id in cells[unknown].items():
            at.add(row=row_number(row), column=column, found=line_id, expected=expected)

    check.__doc__ = f"Every {column} of {role} is a line of the budget book (or blank where it may be)."
    return check


forecast_lines_known = _lines_known("forecasts", "a line_id of the budget book")
adjustment_lines_known = _lines_known("adjustments", "a line_id of the budget book")
roll_forward_lines_known = _lines_known("roll_forwards", "blank or a line_id of the budget book")
virement_sources_known = _lines_known(
    "virements", "blank (new funding) or a line_id of the budget book", "from_line_id"
)
virement_targets_known = _lines_known("virements", "blank (a reduction) or a line_id of the budget book", "to_line_id")


def virements_have_sides(read: Read, problems: Problems) -> None:
    """A budget change comes from a line, goes to a line, or both; never from a line to itself."""
    frame = read.frame("virements", "from_line_id", "to_line_id")
    if frame is None:
        return
    at = problems.at(read.paths["virements"])
    for row, source, target in zip(frame.index, frame["from_line_id"], frame["to_line_id"], strict=True):
        if not source and not target:
            at.add(
                row=row_number(row),
                column="from_line_id",
                found="both from_line_id and to_line_id blank",
                expected="the line the budget comes from, the line it goes to, or both",
            )
        elif source == target:
            at.add(
                row=row_number(row),
                column="to_line_id",
                found=f"{target}, the line it comes from",
                expected="another line than from_line_id (a virement moves budget between two lines)",
            )


def budget_book_has_lines(read: Read, problems: Problems) -> None:
    """A budget book holds at least one line: a header alone is not a year's budget."""
    book = read.frame("budget_book")
    if book is not None and not len(book):
        problems.at(read.paths["budget_book"]).add(
            row=2, found="a header and no lines", expected="the year's budget lines, one row each"
        )


def directorates_named_apart(read: Read, problems: Problems) -> None:
    """Each directorate's name gives its files a name of their own: two names that differ only in case or
    punctuation (``Alpha & Beta``, ``Alpha-Beta``) would write one table over the other."""
    book = read.frame("budget_book", "directorate")
    if book is None:
        return
    at = problems.at(read.paths["budget_book"])
    first: dict[str, str] = {}
    for row, name in book["directorate"].drop_duplicates().items():  # each name once, at its first row
        if not name:
            continue
        key = slug(name)
        if not key:
            at.add(
                row=row_number(row),
                column="directorate",
                found=name,
                expected="a directorate name with a letter or digit, to name its files by",
            )
        elif first.setdefault(key, name) != name:
            at.add(
                row=row_number(row),
                column="directorate",
                found=name,
                expected=(
                    f"a name of its own: its files would be named {key}, as those of the directorate "
                    f"{first[key]!r} are (names differ in letters or digits, not only in case or punctuation)"
                ),
            )


def directorates_have_public_lines(read: Read, problems: Problems) -> None:
    """Each directorate has a line that is not restricted: a public report names every directorate it
    shows, and one made only of exempt lines would be named with nothing but exempt figures."""
    book = read.frame("budget_book", "directorate", "restricted")
    if book is None:
        return
    exempt = book["restricted"].str.strip().str.lower().eq("true")
    public = set(book.loc[~exempt, "directorate"].unique().tolist())
    at = problems.at(read.paths["budget_book"])
    for name in ordered_directorates(book.loc[exempt]):
        if name not in public:
            row = book.index[book["directorate"].eq(name)][0]
            at.add(
                row=row_number(row),
                column="restricted",
                found=f"true on every line of the directorate {name}",
                expected=(
                    "at least one unrestricted line in each directorate: a public report names each "
                    "directorate it shows (put exempt lines in a directorate that has public ones)"
                ),
            )


def original_budgets_complete(read: Read, problems: Problems) -> None:
    """The budget book's original_budget is given for every line or for none."""
    book = read.frame("budget_book", "line_id", "original_budget")
    if book is None:
        return
    given = book["original_budget"].ne("")
    if given.all() or not given.any():
        return
    at = problems.at(read.paths["budget_book"])
    for row, line_id in book.loc[~given, "line_id"].items():
        at.add(
            row=row_number(row),
            column="original_budget",
            found=f"blank for {line_id}",
            expected="the line's original budget: the column is given for every line or for none",
        )


def every_line_forecast(read: Read, problems: Problems) -> None:
    """Every budget line has a row in forecasts.csv."""
    book, frame = _book(read), read.frame("forecasts", "line_id")
    if book is None or frame is None:
        return
    at = problems.at(read.paths["forecasts"])
    missing = book[~isin(book["line_id"], frame["line_id"].unique().tolist()) & book["line_id"].ne("")]
    for book_row, line_id in missing["line_id"].items():
        at.add(
            column="line_id",
            found=f"no row for {line_id}",
            expected=f"one row for every budget line (budget_book.csv row {book_row})",
        )


def revenue_subjects_known(read: Read, problems: Problems) -> None:
    """A variance or movement explanation's subject is a heading or a tag of this year."""
    book, frame = _book(read), read.frame("explanations", "subject", "about")
    if book is None or frame is None:
        return
    subjects = set(book["heading"].unique().tolist()) | (set(book["tag"].unique().tolist()) - {""})
    revenue = frame[frame["about"].str.lower().isin((About.VARIANCE, About.MOVEMENT))]
    named = revenue["subject"]
    at = problems.at(read.paths["explanations"])
    for row, subject in named[named.ne("").to_numpy(dtype=bool) & ~isin(named, subjects)].items():
        at.add(
            row=row_number(row), column="subject", found=subject, expected="a Budget Book Heading or tag of this year"
        )


def subjects_given(read: Read, problems: Problems) -> None:
    """A variance, movement or capital explanation names its subject; the finance director's words
    (``summary``, ``authority``) name a directorate of the budget book, or nothing (the whole authority)."""
    frame = read.frame("explanations", "subject", "about")
    if frame is None:
        return
    book = read.book("directorate")
    directorates = ordered_directorates(book) if book is not None else None
    at = problems.at(read.paths["explanations"])
    for row, subject, about in zip(
        frame.index, frame["subject"].tolist(), frame["about"].str.lower().tolist(), strict=True
    ):
        if about in (About.SUMMARY, About.AUTHORITY):
            if subject and directorates is not None and subject not in directorates:
                at.add(
                    row=row_number(row),
                    column="subject",
                    found=subject,
                    expected="blank (the whole authority) or a directorate of budget_book.csv: "
                    + "; ".join(directorates),
                )
        elif about in (About.VARIANCE, About.MOVEMENT, About.CAPITAL) and not subject:
            at.add(
                row=row_number(row),
                column="subject",
                found="",
                expected="a heading, a tag or a capital scheme_id (the cell is blank)",
            )


def ordered_directorates(book: pd.DataFrame) -> list[str]:
    return [d for d in book["directorate"].unique().tolist() if d]


def scheme_ids(read: Read) -> set[str] | None:
    """The scheme_ids of the year's capital programme as read; ``None`` when there is no programme."""
    programme = read.frames.get("capital_programme")
    if programme is None:
        return None
    if "scheme_id" not in programme.columns:
        return set()
    return set(programme["scheme_id"]) - {""}


def capital_subjects_known(read: Read, problems: Problems) -> None:
    """A capital explanation's subject is a scheme_id of the capital programme."""
    book, frame = _book(read), read.frame("explanations", "subject", "about")
    if book is None or frame is None:
        return
    schemes = scheme_ids(read)
    if schemes is None and read.present("capital_programme"):
        return  # the programme could not be read (its problem is listed): no subjects known
    capital = frame[frame["about"].str.lower().eq(About.CAPITAL)]
    at = problems.at(read.paths["explanations"])
    expected = (
        "a scheme_id of capital_programme.csv"
        if schemes is not None
        else "a scheme_id of capital_programme.csv (this year has no capital programme)"
    )
    for row, subject in capital["subject"].items():
        if subject and subject not in (schemes or set()):
            at.add(row=row_number(row), column="subject", found=subject, expected=expected)


# ---------------------------------------------------------------------------
# Capital


def one_row_per_scheme_year(role: str) -> Check:
    def check(read: Read, problems: Problems) -> None:
        frame = read.frame(role, "scheme_id", "year")
        if frame is None or (role != "capital_programme" and _programme_years(read) is None):
            return
        keyed = frame[frame["scheme_id"].ne("") & frame["year"].ne("")]
        repeated = keyed[keyed.duplicated(["scheme_id", "year"], keep=False)]
        at = problems.at(read.paths[role])
        for row, scheme_id, scheme_year in zip(repeated.index, repeated["scheme_id"], repeated["year"], strict=True):
            same = repeated[repeated["scheme_id"].eq(scheme_id) & repeated["year"].eq(scheme_year)]
            others = ", ".join(str(row_number(r)) for r in same.index if r != row)
            at.add(
                row=row_number(row),
                column="year",
                found=scheme_year,
                expected=f"one row per scheme and year ({scheme_id} {scheme_year} is also on row {others})",
            )

    check.__doc__ = f"One row per scheme and year in {role}."
    return check


def same_per_scheme(column: str) -> Check:
    def check(read: Read, problems: Problems) -> None:
        programme = read.frame("capital_programme", "scheme_id", column)
        if programme is None:
            return
        at = problems.at(read.paths["capital_programme"])
        first: dict[str, tuple[int, str]] = {}
        for row, scheme_id, value in zip(programme.index, programme["scheme_id"], programme[column], strict=True):
            if not scheme_id:
                continue
            compared = value.lower() if column == "restricted" else value
            if scheme_id not in first:
                first[scheme_id] = (row_number(row), compared)
                continue
            first_row, first_value = first[scheme_id]
            if compared != first_value:
                at.add(
                    row=row_number(row),
                    column=column,
                    found=value,
                    expected=f"{first_value!r} as on row {first_row}: one {column} for every row of {scheme_id}",
                )

    check.__doc__ = f"Every row of a scheme_id gives the same {column} as its first row."
    return check


def capital_directorates_known(read: Read, problems: Problems) -> None:
    """A scheme's directorate is a directorate of the budget book."""
    book = read.book("directorate")
    programme = read.frame("capital_programme", "directorate")
    if book is None or programme is None:
        return
    known = list(dict.fromkeys(d for d in book["directorate"] if d))
    at = problems.at(read.paths["capital_programme"])
    for row, directorate in programme["directorate"].items():
        if directorate and directorate not in known:
            at.add(
                row=row_number(row),
                column="directorate",
                found=directorate,
                expected="a directorate of budget_book.csv: " + "; ".join(known),
            )


def needs_programme(role: str) -> Check:
    def check(read: Read, problems: Problems) -> None:
        if read.frames.get(role) is not None and not read.present("capital_programme"):
            problems.at(read.paths[role]).add(
                found=f"{read.paths[role].name} but no capital programme",
                expected=f"{read.name('capital_programme')} listing the year's capital schemes",
            )

    check.__doc__ = f"{role} needs a capital programme."
    return check


def _programme_years(read: Read) -> dict[str, set[str]] | None:
    """Each scheme's years in the programme; ``None`` when the programme cannot be checked against."""
    programme = read.frame("capital_programme", "scheme_id", "year")
    if programme is None:
        return None
    years: dict[str, set[str]] = {}
    for scheme_id, scheme_year in zip(programme["scheme_id"], programme["year"], strict=True):
        if scheme_id and is_financial_year(scheme_year):
            years.setdefault(scheme_id, set()).add(scheme_year)
    return years


def forecast_schemes_known(read: Read, problems: Problems) -> None:
    """A capital forecast is of a scheme of the programme, in one of its years, this year or later."""
    years, forecasts = _programme_years(read), read.frame("capital_forecasts", "scheme_id", "year")
    if years is None or forecasts is None:
        return
    at = problems.at(read.paths["capital_forecasts"])
    this_year = str(read.year)
    for row, scheme_id, scheme_year in zip(forecasts.index, forecasts["scheme_id"], forecasts["year"], strict=True):
        if not scheme_id:
            continue
        if scheme_id not in years:
            at.add(
                row=row_number(row),
                column="scheme_id",
                found=scheme_id,
                expected="a scheme_id of capital_programme.csv",
            )
        elif is_financial_year(scheme_year) and scheme_year not in years[scheme_id]:
            at.add(
                row=row_number(row),
                column="year",
                found=scheme_year,
                expected=f"a year of {scheme_id} in capital_programme.csv: " + ", ".join(sorted(years[scheme_id])),
            )
        elif is_financial_year(scheme_year) and scheme_year < this_year:
            at.add(
                row=row_number(row),
                column="year",
                found=scheme_year,
                expected=f"the current financial year {this_year} or a later one",
            )


def funding_for_real_variances(read: Read, problems: Problems) -> None:
    """Funding is stated only for a scheme and year with a real variance."""
    years = _programme_years(read)
    funding = read.frame("capital_funding", "scheme_id", "year")
    if years is None or funding is None:
        return
    if read.frames.get("capital_forecasts") is None and read.present("capital_forecasts"):
        return  # its problem is listed already
    real: set[tuple[str, str]] = set()  # scheme-years with a real variance
    unsure: set[tuple[str, str]] = set()  # scheme-years whose real variance could not be read
    forecasts = read.frame("capital_forecasts", "scheme_id", "year", "real_variance")
    if forecasts is not None:
        for scheme_id, scheme_year, text in zip(
            forecasts["scheme_id"], forecasts["year"], forecasts["real_variance"], strict=True
        ):
            if not is_amount(text) and text != "":
                unsure.add((scheme_id, scheme_year))
            elif text != "" and parse_amount(text) != 0:
                real.add((scheme_id, scheme_year))
    at = problems.at(read.paths["capital_funding"])
    for row, scheme_id, scheme_year in zip(funding.index, funding["scheme_id"], funding["year"], strict=True):
        key = (scheme_id, scheme_year)
        if not scheme_id or not is_financial_year(scheme_year) or key in real or key in unsure:
            continue
        if scheme_id not in years:
            at.add(
                row=row_number(row),
                column="scheme_id",
                found=scheme_id,
                expected="a scheme_id of capital_programme.csv with a real variance in capital_forecasts.csv",
            )
        else:
            at.add(
                row=row_number(row),
                column="year",
                found=scheme_year,
                expected=f"a year in which {scheme_id} has a real variance in capital_forecasts.csv",
            )
