"""Reading ``<FY>/heading_map.csv``: where each of last year's Budget Book Headings went this year."""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal
from fractions import Fraction

from finlib.config import DataSet
from finlib.core.period import FinancialYear
from finlib.core.restate import Mapped
from finlib.errors import Problems, shown
from finlib.inputs import catalogue
from finlib.inputs.tables import row_number


def read_heading_map(
    data: DataSet, year: FinancialYear, last: Collection[str], this: Collection[str], problems: Problems
) -> list[Mapped]:
    """The map from ``last`` year's headings to ``this`` year's; every problem named with file, row and
    column.  A heading of last year that this year's book also has needs no row; any other needs rows
    whose shares add up to exactly one (a single row's share may be left blank)."""
    from finlib.inputs.period import read_kind

    path = data.year_dir(year) / catalogue.HEADING_MAP.name
    frame = read_kind(catalogue.HEADING_MAP, path, problems) if path.is_file() else None
    at = problems.at(path)
    rows: list[Mapped] = []
    shares: dict[str, list[tuple[int, str]]] = {}
    if frame is not None:
        for row, source, target, share in zip(
            frame.index, frame["from_heading"], frame["to_heading"], frame["share"], strict=True
        ):
            if source not in last:
                at.add(
                    row=row_number(row),
                    column="from_heading",
                    found=source,
                    expected=f"a heading of {year.previous}'s budget book",
                )
            if target not in this:
                at.add(
                    row=row_number(row),
                    column="to_heading",
                    found=target,
                    expected=f"a heading of {year}'s budget book",
                )
            shares.setdefault(source, []).append((row_number(row), share))
        for source, given in shares.items():
            if len(given) > 1 and any(share == "" for _, share in given):
                at.add(
                    row=given[0][0],
                    column="share",
                    found="blank",
                    expected=f"a share for each row of {source}, adding to 1",
                )
                continue
            values = [Fraction(Decimal(share or "1")) for _, share in given]
            if sum(values, Fraction(0)) != 1:
                total = sum((Decimal(share or "1") for _, share in given), Decimal(0))
                at.add(
                    row=given[0][0],
                    column="share",
                    found=f"shares of {source} adding to {total}",
                    expected="shares adding to exactly 1",
                )
                continue
            rows.extend(
                Mapped(source, target, value)
                for (_, _), target, value in zip(
                    given, frame.loc[frame["from_heading"] == source, "to_heading"], values, strict=True
                )
            )
    for heading in last:
        if heading not in this and heading not in shares:
            at.add(
                found=f"no row for {heading}" if path.is_file() else "no such file",
                expected=f"a row saying where {year.previous}'s heading {heading!r} went in {year} ({shown(path)})",
            )
    return rows
