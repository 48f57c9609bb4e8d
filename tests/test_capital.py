"""Capital monitoring: inputs checked, forecast = budget + real + rephasing, what the report lists."""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finlib.cli import main
from finlib.config import DataSet
from finlib.core import capital
from finlib.core.capital import CapitalItem, CapitalPosition, Funding, capital_position, listed_items
from finlib.core.commentary import capital_paragraphs, explanation_lookup, warning_text
from finlib.core.kinds import RowKind
from finlib.core.parsed import PeriodInputs
from finlib.core.period import FinancialYear, Period
from finlib.core.records import Records
from finlib.core.settings import Settings, Thresholds
from finlib.errors import InputError
from finlib.inputs import catalogue, load_period
from finlib.money import MILLIONS
from tests.conftest import REFERENCE, SAMPLE, write_tree


def paragraphs(items: list[CapitalItem], inputs: PeriodInputs | None = None) -> list[str]:
    """The capital commentary of some listed items, with the period's explanations."""
    return capital_paragraphs(items, explanation_lookup(inputs.explanations) if inputs else {})


PROGRAMME = "2017-18/capital_programme.csv"
FORECASTS = "2017-18/2017-07/capital_forecasts.csv"
FUNDING = "2017-18/2017-07/capital_funding.csv"
EXPLANATIONS = "2017-18/2017-07/explanations.csv"
SACS = "Strategic & Corporate Services"

# A capital programme for the tiny authority of conftest (directorates Alpha Services, Beta & Gamma).
CAPITAL = {
    PROGRAMME: (
        "scheme_id,scheme,directorate,year,budget\n"
        "P1,Depot,Alpha Services,2017-18,1000000.00\n"  # row 2
        "P1,Depot,Alpha Services,2018-19,500000.00\n"  # row 3
        "P2,Library roof,Beta & Gamma,2017-18,200000.00\n"  # row 4
        "P2,Library roof,Beta & Gamma,2018-19,0\n"  # row 5
    ),
    FORECASTS: (
        "scheme_id,year,real_variance,rephasing_variance\n"
        "P1,2017-18,30000.00,-100000.00\n"  # row 2
        "P1,2018-19,,100000.00\n"  # row 3
        "P2,2017-18,(5000.00),\n"  # row 4
    ),
    FUNDING: "scheme_id,year,source,amount\nP1,2017-18,capital receipts,30000.00\n",
    EXPLANATIONS: "subject,about,text\nRoads,variance,more potholes\nP1,capital,depot works cost more\n",
}


@pytest.fixture
def tiny_capital(tiny: DataSet) -> DataSet:
    return write_tree(tiny.root, CAPITAL)


def replaced(name: str, old: str, new: str) -> dict[str, str | None]:
    text = CAPITAL[name]
    assert old in text, f"{old!r} not in {name}"
    return {name: text.replace(old, new, 1)}


# ---------------------------------------------------------------------------
# Inputs

# (case, changes to the tiny capital data, expected problems as (file end, row, column, text in message))
CASES = [
    (
        "missing column",
        replaced(PROGRAMME, "year,budget", "year,cash_limit"),
        [("capital_programme.csv", 1, "budget", "no such column")],
    ),
    (
        "missing column in forecasts",
        replaced(FORECASTS, "rephasing_variance", "slippage"),
        [("capital_forecasts.csv", 1, "rephasing_variance", "no such column")],
    ),
    (
        "bad amount",
        replaced(FORECASTS, "P1,2017-18,30000.00", "P1,2017-18,3O.00"),
        [("capital_forecasts.csv", 2, "real_variance", "found '3O.00'; expected an amount in pounds")],
    ),
    (
        "bad funding amount",
        replaced(FUNDING, "receipts,30000.00", "receipts,£30.001"),
        [("capital_funding.csv", 2, "amount", "'£30.001'")],
    ),
    (
        "year not YYYY-YY",
        replaced(PROGRAMME, "Beta & Gamma,2017-18", "Beta & Gamma,2017/18"),
        [("capital_programme.csv", 4, "year", "found '2017/18'; expected a financial year written YYYY-YY")],
    ),
    (
        "not a real financial year",
        replaced(FORECASTS, "P2,2017-18", "P2,2017-19"),
        [("capital_forecasts.csv", 4, "year", "found '2017-19'; expected a financial year")],
    ),
    (
        "duplicate scheme-year in the programme",
        replaced(PROGRAMME, "Alpha Services,2018-19", "Alpha Services,2017-18"),
        [
            ("capital_programme.csv", 2, "year", "one row per scheme and year (P1 2017-18 is also on row 3)"),
            ("capital_programme.csv", 3, "year", "one row per scheme and year (P1 2017-18 is also on row 2)"),
        ],
    ),
    (
        "duplicate scheme-year in the forecasts",
        replaced(FORECASTS, "P1,2018-19", "P1,2017-18"),
        [("capital_forecasts.csv", 3, "year", "one row per scheme and year")],
    ),
    (
        "variance for an unknown scheme",
        replaced(FORECASTS, "P2,2017-18", "P9,2017-18"),
        [("capital_forecasts.csv", 4, "scheme_id", "found 'P9'; expected a scheme_id of capital_programme.csv")],
    ),
    (
        "variance for a year outside the scheme's programme",
        replaced(FORECASTS, "P2,2017-18", "P2,2019-20"),
        [("capital_forecasts.csv", 4, "year", "found '2019-20'; expected a year of P2 in capital_programme.csv")],
    ),
    (
        "variance for a year before the current one",
        {
            **replaced(FORECASTS, "P2,2017-18", "P2,2016-17"),
            PROGRAMME: CAPITAL[PROGRAMME] + "P2,Library roof,Beta & Gamma,2016-17,10.00\n",
        },
        [("capital_forecasts.csv", 4, "year", "the current financial year 2017-18 or a later one")],
    ),
    (
        "funding for a year with no real variance",
        replaced(FUNDING, "P1,2017-18", "P1,2018-19"),
        [("capital_funding.csv", 2, "year", "found '2018-19'; expected a year in which P1 has a real variance")],
    ),
    (
        "funding for a scheme with no real variance",
        {FUNDING: CAPITAL[FUNDING] + "P2,2018-19,revenue,1.00\n"},
        [("capital_funding.csv", 3, "year", "a year in which P2 has a real variance")],
    ),
    (
        "funding for an unknown scheme",
        replaced(FUNDING, "P1,2017-18", "P7,2017-18"),
        [("capital_funding.csv", 2, "scheme_id", "found 'P7'")],
    ),
    (
        "negative budget",
        replaced(PROGRAMME, "2017-18,1000000.00", "2017-18,(1000.00)"),
        [("capital_programme.csv", 2, "budget", "found '(1000.00)'; expected a budget of zero or more")],
    ),
    (
        "unknown directorate",
        replaced(PROGRAMME, "P2,Library roof,Beta & Gamma,2017-18", "P2,Library roof,Delta,2017-18"),
        [("capital_programme.csv", 4, "directorate", "found 'Delta'; expected a directorate of budget_book.csv")],
    ),
    (
        "scheme_id with different names",
        replaced(PROGRAMME, "P1,Depot,Alpha Services,2018-19", "P1,Depot extension,Alpha Services,2018-19"),
        [("capital_programme.csv", 3, "scheme", "found 'Depot extension'; expected 'Depot' as on row 2")],
    ),
    (
        "scheme_id with different directorates",
        replaced(PROGRAMME, "Beta & Gamma,2018-19", "Alpha Services,2018-19"),
        [("capital_programme.csv", 5, "directorate", "expected 'Beta & Gamma' as on row 4")],
    ),
    (
        "capital explanation of an unknown scheme",
        replaced(EXPLANATIONS, "P1,capital", "Depot,capital"),
        [("explanations.csv", 3, "subject", "found 'Depot'; expected a scheme_id of capital_programme.csv")],
    ),
    (
        "forecasts and funding without a programme",
        {PROGRAMME: None},
        [
            ("capital_forecasts.csv", None, None, "but no capital programme"),
            ("capital_funding.csv", None, None, "but no capital programme"),
            ("explanations.csv", 3, "subject", "this year has no capital programme"),
        ],
    ),
]


@pytest.mark.parametrize(("case", "changes", "expected"), CASES, ids=[c[0] for c in CASES])
def test_each_capital_problem_is_named(
    tiny_capital: DataSet,
    case: str,
    changes: dict[str, str | None],
    expected: list[tuple[str, int | None, str | None, str]],
) -> None:
    write_tree(tiny_capital.root, changes)
    with pytest.raises(InputError) as raised:
        load_period(tiny_capital, "2017-07")
    problems = raised.value.problems
    for file_end, row, column, text in expected:
        matching = [
            p for p in problems if p.file.endswith(file_end) and p.row == row and p.column == column and text in str(p)
        ]
        assert matching, f"no problem {file_end} row {row} column {column} with {text!r} in:\n{raised.value}"


def test_capital_problems_are_listed_with_the_revenue_ones(tiny_capital: DataSet) -> None:
    forecasts = "2017-18/2017-07/forecasts.csv"
    text = (tiny_capital.root / forecasts).read_text().replace("A3,500.00", "A3,lots")
    write_tree(tiny_capital.root, {forecasts: text, **replaced(PROGRAMME, "2018-19,500000.00", "2018-19,-500.00")})
    write_tree(tiny_capital.root, replaced(FUNDING, "P1,2017-18", "P2,2018-19"))
    with pytest.raises(InputError) as raised:
        load_period(tiny_capital, "2017-07")
    message = str(raised.value)
    assert "forecasts.csv, row 4, column net_budget: found 'lots'" in message
    assert "capital_programme.csv, row 3, column budget: found '-500.00'" in message
    assert "capital_funding.csv, row 2, column year: found '2018-19'" in message
    assert message.splitlines()[0] == "3 problems in the inputs; nothing was written."


def test_capital_inputs_are_parsed_to_pence(tiny_capital: DataSet) -> None:
    inputs = load_period(tiny_capital, "2017-07")
    assert inputs.capital_programme is not None and inputs.capital_forecasts is not None
    assert list(inputs.capital_programme["budget"]) == [100_000_000, 50_000_000, 20_000_000, 0]
    assert str(inputs.capital_programme["budget"].dtype) == "Int64"
    assert list(inputs.capital_forecasts["real_variance"]) == [3_000_000, 0, -500_000]  # blank is nil
    assert list(inputs.capital_forecasts["rephasing_variance"]) == [-10_000_000, 10_000_000, 0]
    assert list(inputs.capital_programme["_row"]) == [2, 3, 4, 5]
    assert {"capital_programme", "capital_forecasts", "capital_funding"} <= set(inputs.files)


def test_capital_files_are_optional(tiny: DataSet) -> None:
    inputs = load_period(tiny, "2017-07")
    assert inputs.capital_programme is None and inputs.capital_forecasts is None
    assert inputs.capital_funding.frame.empty
    assert capital_position(inputs) is None
    write_tree(tiny.root, {PROGRAMME: CAPITAL[PROGRAMME]})
    cap = capital_position(load_period(tiny, "2017-07"))
    assert cap is not None
    assert (cap.schemes["forecast"] == cap.schemes["budget"]).all()
    assert paragraphs(listed_items(cap, "Alpha Services", Thresholds())) == [
        "There are currently no forecast variances to cash limit."
    ]


# ---------------------------------------------------------------------------
# Computation on the tiny authority


def test_tiny_position(tiny_capital: DataSet) -> None:
    inputs = load_period(tiny_capital, "2017-07")
    cap = capital_position(inputs)
    assert cap is not None
    assert cap.year == FinancialYear(2017)
    assert cap.directorates == ("Alpha Services", "Beta & Gamma")
    rows = cap.schemes
    assert list(rows["forecast"]) == [93_000_000, 60_000_000, 19_500_000, 0]
    assert capital.capital_budget(cap) == 120_000_000
    assert capital.capital_budget(cap, "Alpha Services") == 100_000_000
    assert capital.programme_total(cap) == 170_000_000
    summary = capital.summary_table(cap, "Alpha Services")
    assert list(summary["year"]) == ["2017-18", "2018-19", "Total"]
    assert list(summary["rephasing"]) == [-10_000_000, 10_000_000, 0]
    table = capital.authority_capital_table(cap).set_index("directorate")
    assert table.loc["Total", "real"] == 2_500_000
    assert table.loc["Beta & Gamma", "forecast"] == 19_500_000
    assert table.loc["Total", "programme_total"] == 170_000_000
    assert cap.warnings == ()
    low = Thresholds(capital_real=10_000_00, capital_rephasing=50_000_00)
    (item,) = listed_items(cap, "Alpha Services", low)
    assert paragraphs([item], inputs) == [
        "Depot: +£0.030m real variance in 2017-18, proposed to be funded from capital receipts £0.030m; "
        "−£0.100m rephasing in 2017-18. Depot works cost more."
    ]
    assert item.variances[0].funding == (Funding("capital receipts", 3_000_000, approved=False),)


@pytest.mark.parametrize(
    ("approved", "words"),
    [
        ("true", "funded from"),
        ("TRUE", "funded from"),
        ("false", "proposed to be funded from"),
        ("", "proposed to be funded from"),
    ],
)
def test_funding_is_proposed_until_approved(tiny_capital: DataSet, approved: str, words: str) -> None:
    write_tree(
        tiny_capital.root,
        {FUNDING: f"scheme_id,year,source,amount,approved\nP1,2017-18,capital receipts,30000.00,{approved}\n"},
    )
    inputs = load_period(tiny_capital, "2017-07")
    cap = capital_position(inputs)
    assert cap is not None
    low = Thresholds(capital_real=10_000_00, capital_rephasing=50_000_00)
    (item,) = listed_items(cap, "Alpha Services", low)
    assert paragraphs([item], inputs)[0].startswith(f"Depot: +£0.030m real variance in 2017-18, {words} capital")
    assert item.variances[0].funding == (Funding("capital receipts", 3_000_000, approved=words == "funded from"),)


def test_funding_partly_approved_says_which_part_is_proposed(tiny_capital: DataSet) -> None:
    write_tree(
        tiny_capital.root,
        {
            FUNDING: "scheme_id,year,source,amount,approved\n"
            "P1,2017-18,capital receipts,20000.00,true\n"
            "P1,2017-18,grant,10000.00,\n"
        },
    )
    inputs = load_period(tiny_capital, "2017-07")
    cap = capital_position(inputs)
    assert cap is not None
    (item,) = listed_items(cap, "Alpha Services", Thresholds(capital_real=10_000_00, capital_rephasing=50_000_00))
    assert paragraphs([item], inputs)[0].startswith(
        "Depot: +£0.030m real variance in 2017-18, funded from capital receipts £0.020m, "
        "and proposed to be funded from grant £0.010m; "
    )


def test_approved_must_be_true_or_false(tiny_capital: DataSet) -> None:
    write_tree(
        tiny_capital.root,
        {FUNDING: "scheme_id,year,source,amount,approved\nP1,2017-18,capital receipts,30000.00,yes\n"},
    )
    with pytest.raises(InputError) as raised:
        load_period(tiny_capital, "2017-07")
    message = str(raised.value)
    assert "capital_funding.csv, row 2, column approved" in message and "'yes'" in message


def test_warnings_are_returned_not_raised(tiny_capital: DataSet) -> None:
    write_tree(tiny_capital.root, replaced(FORECASTS, "P1,2018-19,,100000.00", "P1,2018-19,,60000.00"))
    write_tree(tiny_capital.root, replaced(FUNDING, "receipts,30000.00", "receipts,25000.00"))
    cap = capital_position(load_period(tiny_capital, "2017-07"))
    assert cap is not None
    slipped, unfunded = cap.warnings
    assert (slipped.kind, slipped.scheme_id, slipped.amount, slipped.year) == (
        "rephasing",
        "P1",
        -4_000_000,
        "2017-18 to 2018-19",
    )
    assert "Depot: rephasing nets to −£40,000.00 across 2017-18 to 2018-19, not to nil" in warning_text(slipped)
    assert (unfunded.kind, unfunded.year, unfunded.amount, unfunded.funded) == (
        "funding",
        "2017-18",
        3_000_000,
        2_500_000,
    )
    text = warning_text(unfunded)
    assert "real variance of +£30,000.00 in 2017-18, but its stated funding adds up to +£25,000.00" in text
    assert capital.warnings(cap, "Beta & Gamma") == []


# ---------------------------------------------------------------------------
# The sample against the published July 2017 S&CS capital variances


@pytest.fixture(scope="module")
def july() -> tuple[PeriodInputs, CapitalPosition]:
    inputs = load_period(SAMPLE, "2017-07")
    cap = capital_position(inputs)
    assert cap is not None
    return inputs, cap


def reference_items() -> list[tuple[str, str, str, str, list[tuple[str, str]]]]:
    with open(REFERENCE / "capital_sacs_2017_07.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    items = []
    for row in rows:
        if row["variance_type"] == "funding":
            continue
        funding = [
            (r["funding_source"], r["funding_gbpm"])
            for r in rows
            if r["variance_type"] == "funding" and (r["scheme"], r["year"]) == (row["scheme"], row["year"])
        ]
        if row["funding_source"]:
            funding.append((row["funding_source"], row["funding_gbpm"]))
        items.append((row["scheme"], row["year"], row["variance_type"], row["variance_gbpm"], funding))
    return items


def test_sacs_items_match_the_published_report(july: tuple[PeriodInputs, CapitalPosition]) -> None:
    inputs, cap = july
    produced = [
        (
            item.scheme,
            v.years,
            v.kind,
            MILLIONS.text(v.amount),
            [(f.source, MILLIONS.text(f.amount)) for f in v.funding],
        )
        for item in listed_items(cap, SACS, inputs.settings.thresholds)
        for v in item.variances
    ]
    assert produced == reference_items()


def test_sacs_budget_and_new_resources(july: tuple[PeriodInputs, CapitalPosition]) -> None:
    _, cap = july
    assert capital.capital_budget(cap, SACS) == 21_446_000_00
    assert MILLIONS.text(capital.capital_budget(cap, SACS)) == "21.446"
    sacs = capital.summary_table(cap, SACS).set_index("year")
    assert MILLIONS.text(sacs.loc["2017-18", "real"]) == "1.859"  # as the report says
    assert cap.warnings == ()


def test_sacs_paragraphs_in_the_published_style(july: tuple[PeriodInputs, CapitalPosition]) -> None:
    inputs, cap = july
    texts = paragraphs(listed_items(cap, SACS, inputs.settings.thresholds), inputs)
    assert len(texts) == 4
    assert texts[0].startswith(
        "New Ways of Working (NWoW): +£2.127m real variance in 2017-18, funded from Modernisation of Assets "
        "£0.483m, capital receipts £1.500m, external funding £0.084m and Salix funding £0.060m; +£0.510m real "
        "variance in 2018-19 to 2019-20, proposed to be funded from Modernisation of Assets £0.510m. Increased "
        "construction costs"
    )
    assert texts[1].startswith(
        "Modernisation of Assets: −£0.483m real variance in 2017-18; −£0.510m real variance in 2018-19 to 2019-20."
    )
    assert texts[3] == (
        "Dover Discovery Centre: −£4.006m rephasing in 2017-18. "
        "Design and procurement only this year; construction due to start April 2018."
    )


def test_every_directorate_has_a_programme_and_the_filter_shows(july: tuple[PeriodInputs, CapitalPosition]) -> None:
    inputs, cap = july
    book = [d for d in dict.fromkeys(inputs.budget_book["directorate"]) if d != "Financing Items"]
    assert list(cap.directorates) == book
    years = {d: set(cap.schemes.loc[cap.schemes["directorate"] == d, "year"]) for d in book}
    assert all(y == {"2017-18", "2018-19", "2019-20"} for y in years.values())
    listed = {d: listed_items(cap, d, inputs.settings.thresholds) for d in book}
    assert all(listed.values()), "every directorate lists something in the sample"
    explained = explanation_lookup(inputs.explanations)
    assert any((item.scheme_id, "capital") in explained for d in book if d != SACS for item in listed[d])
    current = cap.schemes[cap.schemes["year"] == "2017-18"]
    small_real = current[(current["real"] != 0) & (current["real"].abs() <= 100_000_00)]
    small_rephasing = current[(current["rephasing"] != 0) & (current["rephasing"].abs() <= 1_000_000_00)]
    assert not small_real.empty and not small_rephasing.empty
    for frame in (small_real, small_rephasing):
        for scheme_id in frame["scheme_id"]:
            assert all(i.scheme_id != scheme_id for items in listed.values() for i in items)


def test_may_has_the_programme_without_variances() -> None:
    cap = capital_position(load_period(SAMPLE, "2017-05"))
    assert cap is not None
    assert (cap.schemes["real"] == 0).all() and (cap.schemes["rephasing"] == 0).all()


# ---------------------------------------------------------------------------
# capital.csv


def test_tables_writes_capital_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tables", "--data", str(SAMPLE), "--period", "2017-07", "--out", str(tmp_path)]) == 0
    with open(tmp_path / "capital.csv", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
    assert reader.fieldnames == ["scheme", "year", "budget", "forecast", "real", "rephasing"]
    assert len(rows) == 54
    dover = {r["year"]: r for r in rows if r["scheme"] == "Dover Discovery Centre"}
    assert dover["2017-18"] == {
        "scheme": "Dover Discovery Centre",
        "year": "2017-18",
        "budget": "4.506",
        "forecast": "0.500",
        "real": "0.000",
        "rephasing": "-4.006",
    }
    assert dover["2018-19"]["forecast"] == "10.006"
    nwow = [r for r in rows if r["scheme"] == "New Ways of Working (NWoW)"]
    assert [r["year"] for r in nwow] == ["2017-18", "2018-19", "2019-20"]
    assert [r["real"] for r in nwow] == ["2.127", "0.300", "0.210"]
    assert rows[0]["scheme"] == "Basic Need - new school places"  # programme order


def test_no_capital_csv_without_a_programme(tiny: DataSet, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["tables", "--data", str(tiny.root), "--period", "2017-07", "--out", str(out)]) == 0
    assert (out / "authority.csv").is_file()
    assert not (out / "capital.csv").exists()


# ---------------------------------------------------------------------------
# Properties on random programmes

YEARS = ["2017-18", "2018-19", "2019-20", "2020-21"]
DIRECTORATES = ["Alpha", "Beta", "Gamma"]
budgets = st.integers(min_value=0, max_value=10**11)
variances = st.one_of(st.just(0), st.integers(min_value=-(10**10), max_value=10**10))


def inputs_for(
    programme: Sequence[Mapping[str, object]],
    forecasts: Sequence[Mapping[str, object]],
    funding: Sequence[Mapping[str, object]] | None = None,
) -> PeriodInputs:
    def frame(records: Sequence[Mapping[str, object]], columns: list[str], amounts: list[str]) -> pd.DataFrame:
        table = pd.DataFrame(records, columns=columns)
        for column in amounts:
            table[column] = pd.array([int(v) for v in table[column]], dtype="Int64")
        return table

    book = pd.DataFrame({"directorate": DIRECTORATES}, index=pd.Index(["L1", "L2", "L3"], name="line_id"))
    funded = frame(funding or [], ["scheme_id", "year", "source", "amount", "approved"], ["amount"])
    funded["approved"] = funded["approved"].fillna(False).astype(bool)
    return PeriodInputs(
        period=Period(2017, 7),
        settings=Settings(),
        budget_book=book,
        forecasts=pd.DataFrame(),
        adjustments=Records(catalogue.ADJUSTMENTS.parsed(None), catalogue.ADJUSTMENTS.exempt),
        roll_forwards=None,
        explanations=Records(catalogue.EXPLANATIONS.parsed(None), catalogue.EXPLANATIONS.exempt),
        capital_programme=frame(
            programme, ["scheme_id", "scheme", "directorate", "year", "budget", "restricted"], ["budget"]
        ),
        capital_forecasts=frame(
            forecasts,
            ["scheme_id", "year", "real_variance", "rephasing_variance"],
            ["real_variance", "rephasing_variance"],
        ),
        capital_funding=Records(funded, catalogue.CAPITAL_FUNDING.exempt),
    )


@st.composite
def positions(draw: st.DrawFn) -> CapitalPosition:
    programme: list[dict[str, object]] = []
    forecasts: list[dict[str, object]] = []
    for i in range(draw(st.integers(min_value=1, max_value=8))):
        directorate = draw(st.sampled_from(DIRECTORATES))
        years = draw(st.lists(st.sampled_from(YEARS), min_size=1, max_size=4, unique=True))
        for year in years:
            programme.append(
                {
                    "scheme_id": f"S{i}",
                    "scheme": f"Scheme {i}",
                    "directorate": directorate,
                    "year": year,
                    "budget": draw(budgets),
                    "restricted": False,
                }
            )
            if draw(st.booleans()):
                forecasts.append(
                    {
                        "scheme_id": f"S{i}",
                        "year": year,
                        "real_variance": draw(variances),
                        "rephasing_variance": draw(variances),
                    }
                )
    cap = capital_position(inputs_for(programme, forecasts))
    assert cap is not None
    return cap


def forecast_identity(table: pd.DataFrame) -> bool:
    return bool((table["forecast"] == table["budget"] + table["real"] + table["rephasing"]).all())


@settings(max_examples=60, deadline=None)
@given(positions())
def test_forecast_is_budget_plus_real_plus_rephasing_on_every_row(cap: CapitalPosition) -> None:
    assert forecast_identity(cap.schemes)
    assert forecast_identity(capital.authority_capital_table(cap))
    assert forecast_identity(capital.scheme_table(cap))
    for directorate in [None, *cap.directorates]:
        assert forecast_identity(capital.summary_table(cap, directorate))


@settings(max_examples=60, deadline=None)
@given(positions())
def test_directorate_and_authority_totals_add_up(cap: CapitalPosition) -> None:
    table = capital.authority_capital_table(cap)
    lines, total = table[table["kind"] == "line"], table[table["kind"] == "total"].iloc[0]
    assert list(lines["directorate"]) == list(cap.directorates)
    for column in [*capital.AMOUNTS, "programme_total"]:
        assert total[column] == lines[column].sum()
    assert total["budget"] == capital.capital_budget(cap)
    assert total["programme_total"] == capital.programme_total(cap) == cap.schemes["budget"].sum()
    authority = capital.summary_table(cap)
    for directorate in cap.directorates:
        summary = capital.summary_table(cap, directorate)
        row = lines.set_index("directorate").loc[directorate]
        assert row["budget"] == capital.capital_budget(cap, directorate)
        assert row["programme_total"] == capital.programme_total(cap, directorate) == summary["budget"].iloc[-1]
    for table in [authority, *(capital.summary_table(cap, d) for d in cap.directorates)]:
        for column in capital.AMOUNTS:
            assert table[column].iloc[-1] == table[column].iloc[:-1].sum()
    for column in capital.AMOUNTS:
        by_directorate = sum(capital.summary_table(cap, d)[column].iloc[-1] for d in cap.directorates)
        assert authority[column].iloc[-1] == by_directorate == cap.schemes[column].sum()


@settings(max_examples=80, deadline=None)
@given(
    threshold=st.integers(min_value=0, max_value=10**9),
    sign=st.sampled_from([1, -1]),
    over=st.sampled_from([0, 1]),
    kind=st.sampled_from(["real", "rephasing"]),
)
def test_thresholds_are_strictly_over(threshold: int, sign: int, over: int, kind: str) -> None:
    amount = sign * (threshold + over)
    programme = [
        {"scheme_id": "S", "scheme": "S", "directorate": "Alpha", "year": y, "budget": 10**12, "restricted": False}
        for y in ("2017-18", "2018-19", "2019-20")
    ]
    if kind == "real":
        forecasts = [
            {"scheme_id": "S", "year": "2017-18", "real_variance": amount, "rephasing_variance": 0},
            {"scheme_id": "S", "year": "2018-19", "real_variance": amount + sign, "rephasing_variance": 0},
            {"scheme_id": "S", "year": "2019-20", "real_variance": -sign, "rephasing_variance": 0},
        ]
    else:
        forecasts = [
            {"scheme_id": "S", "year": "2017-18", "real_variance": 0, "rephasing_variance": amount},
            {"scheme_id": "S", "year": "2018-19", "real_variance": 0, "rephasing_variance": -amount},
        ]
    cap = capital_position(inputs_for(programme, forecasts))
    assert cap is not None
    thresholds = replace(Thresholds(), capital_real=threshold, capital_rephasing=threshold)
    items = listed_items(cap, "Alpha", thresholds)
    listed = [(v.kind, v.years, v.amount) for item in items for v in item.variances]
    if kind == "real":
        # the later years are summed: (amount + sign) − sign = amount, labelled as a range
        expected = [("real", "2017-18", amount), ("real", "2018-19 to 2019-20", amount)] if over else []
    else:
        expected = [("rephasing", "2017-18", amount)] if over else []  # its 2018-19 counterpart is not listed
    assert listed == expected
    assert cap.warnings == ()


# ---------------------------------------------------------------------------
# Each rule's edges (cases found by mutation testing: make mutate)

EDGES = {
    PROGRAMME: (
        "scheme_id,scheme,directorate,year,budget,restricted\n"
        "Z9,Zebra crossing,Beta & Gamma,2017-18,100000.00,\n"  # programme order: Z9, then A1, then M5
        "Z9,Zebra crossing,Beta & Gamma,2018-19,100000.00,\n"
        "A1,Archive,Alpha Services,2017-18,900000.00,true\n"  # a scheme of one year
        "M5,Museum,Alpha Services,2018-19,400000.00,\n"  # a scheme that starts next year
        "M5,Museum,Alpha Services,2019-20,400000.00,\n"
    ),
    FORECASTS: (
        "scheme_id,year,real_variance,rephasing_variance\n"
        "Z9,2017-18,,-200000.00\n"  # slips without a counterpart: a rephasing warning
        "A1,2017-18,250000.00,\n"
        "M5,2018-19,150000.00,\n"
    ),
    FUNDING: "scheme_id,year,source,amount\nA1,2017-18,grant,200000.00\nM5,2018-19,receipts,150000.00\n",
    EXPLANATIONS: "subject,about,text\n",
}


@pytest.fixture
def edges(tiny: DataSet) -> CapitalPosition:
    cap = capital_position(load_period(write_tree(tiny.root, EDGES), "2017-07"))
    assert cap is not None
    return cap


def test_amounts_are_nullable_pence(edges: CapitalPosition) -> None:
    assert {str(edges.schemes[c].dtype) for c in capital.AMOUNTS} == {"Int64"}
    assert str(edges.funding.frame["amount"].dtype) == "Int64"
    for table in (capital.summary_table(edges), capital.authority_capital_table(edges)):
        assert {str(table[c].dtype) for c in capital.AMOUNTS} == {"Int64"}
    assert str(capital.authority_capital_table(edges)["programme_total"].dtype) == "Int64"


def test_warnings_follow_the_programme_and_name_their_scheme(edges: CapitalPosition) -> None:
    slipped, unfunded = edges.warnings
    assert (slipped.kind, slipped.scheme_id, slipped.scheme, slipped.directorate) == (
        "rephasing", "Z9", "Zebra crossing", "Beta & Gamma"
    )  # fmt: skip
    assert (unfunded.kind, unfunded.scheme_id, unfunded.scheme, unfunded.directorate, unfunded.year) == (
        "funding", "A1", "Archive", "Alpha Services", "2017-18"
    )  # fmt: skip
    assert (unfunded.amount, unfunded.funded) == (250_000_00, 200_000_00)
    assert capital.warnings(edges, "Alpha Services") == [unfunded]
    assert capital.warnings(edges, "Beta & Gamma") == [slipped]
    assert capital.warnings(edges) == [slipped, unfunded]


def test_listed_items_carry_their_scheme_directorate_and_restriction(edges: CapitalPosition) -> None:
    low = Thresholds(capital_real=100_000_00, capital_rephasing=100_000_00)
    zebra, archive, museum = capital.listed_items(edges, None, low)
    assert (zebra.scheme_id, zebra.scheme, zebra.directorate, zebra.restricted) == (
        "Z9", "Zebra crossing", "Beta & Gamma", False
    )  # fmt: skip
    assert (archive.scheme, archive.directorate, archive.restricted) == ("Archive", "Alpha Services", True)
    assert archive.variances[0].funding == (Funding("grant", 200_000_00),)
    assert [(v.kind, v.years, v.amount) for v in museum.variances] == [("real", "2018-19", 150_000_00)]
    assert museum.variances[0].funding == (Funding("receipts", 150_000_00),)


def test_years_of_a_directorate_and_spans(edges: CapitalPosition) -> None:
    assert capital.programme_years(edges, "Alpha Services") == ["2017-18", "2018-19", "2019-20"]
    assert capital.programme_years(edges, "Beta & Gamma") == ["2017-18", "2018-19"]
    assert capital.year_span(["2018-19"]) == "2018-19"
    assert capital.year_span(["2019-20", "2017-18", "2018-19"]) == "2017-18 to 2019-20"


def test_the_tables_rows_and_kinds(edges: CapitalPosition) -> None:
    summary = capital.summary_table(edges, "Alpha Services")
    assert list(summary.columns) == ["year", "kind", *capital.AMOUNTS]
    assert list(zip(summary["year"], summary["kind"], strict=True)) == [
        ("2017-18", "line"), ("2018-19", "line"), ("2019-20", "line"), ("Total", "total")
    ]  # fmt: skip
    schemes = capital.scheme_table(edges)
    assert list(schemes.columns) == ["scheme", "year", "budget", "forecast", "real", "rephasing", "kind"]
    assert set(schemes["kind"]) == {"line"} and list(schemes.index) == list(range(len(schemes)))
    assert list(schemes["scheme"]) == ["Zebra crossing", "Zebra crossing", "Archive", "Museum", "Museum"]


def test_the_workbooks_capital_table_groups_schemes_by_directorate_with_totals(tiny_capital: DataSet) -> None:
    cap = capital_position(load_period(tiny_capital, "2017-07"))
    assert cap is not None
    table = capital.scheme_table_by_directorate(cap)
    rows = [tuple(r) for r in table[["directorate", "scheme", "year", "kind"]].itertuples(index=False)]
    assert rows == [
        ("Alpha Services", "Depot", "2017-18", RowKind.LINE),
        ("Alpha Services", "Depot", "2018-19", RowKind.LINE),
        ("Alpha Services", "Total Alpha Services", "", RowKind.SUBTOTAL),
        ("Beta & Gamma", "Library roof", "2017-18", RowKind.LINE),
        ("Beta & Gamma", "Library roof", "2018-19", RowKind.LINE),
        ("Beta & Gamma", "Total Beta & Gamma", "", RowKind.SUBTOTAL),
        ("", "Total", "", RowKind.TOTAL),
    ]
    # budget, forecast, real, rephasing in pence: CAPITAL above, worked by hand
    figures = [
        tuple(int(v) for v in r) for r in table[["budget", "forecast", "real", "rephasing"]].itertuples(index=False)
    ]
    assert figures == [
        (100_000_000, 93_000_000, 3_000_000, -10_000_000),
        (50_000_000, 60_000_000, 0, 10_000_000),
        (150_000_000, 153_000_000, 3_000_000, 0),
        (20_000_000, 19_500_000, -500_000, 0),
        (0, 0, 0, 0),
        (20_000_000, 19_500_000, -500_000, 0),
        (170_000_000, 172_500_000, 2_500_000, 0),
    ]
