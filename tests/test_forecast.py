"""Forecast methods side by side, flags, forecast history and accuracy (hand-computed small cases)."""

from __future__ import annotations

from pathlib import Path

import pytest

from finlib import explorer, inputs, store
from finlib.config import DataSet
from finlib.core import forecast
from finlib.core.period import FinancialYear, Period
from finlib.core.settings import Settings, Thresholds
from finlib.errors import InputError, Problems, UsageError
from finlib.inputs import ledger
from finlib.monitoring import monitor
from finlib.report.explorer import LedgerView
from tests.conftest import SAMPLE, TINY, write_tree
from tests.factories import sign_off_every_directorate
from tests.test_ledger import LEDGER, METHODS, TINY_LEDGER

AUTHORITY = (
    "name: Tiny Council\nforecast_method: profiled\n"
    "thresholds:\n  variance_commentary: 100000\n  forecast_challenge: 50\n"
)
CHOICES = "line_id,method\nA1,run-rate\nS1,Budget\n"


@pytest.fixture
def tiny(tmp_path: Path) -> DataSet:
    return write_tree(tmp_path / "tiny", {**TINY, **TINY_LEDGER, "authority.yaml": AUTHORITY, METHODS: CHOICES})


@pytest.mark.parametrize(
    ("ytd", "months", "expected"),
    [(40000, 4, 120000), (16667, 4, 50001), (1, 8, 2), (-1, 8, -2), (7, 12, 7), (100, 7, 171)],
)
def test_run_rate_scales_the_year_to_date_to_twelve_months(ytd: int, months: int, expected: int) -> None:
    assert forecast.run_rate(ytd, months) == expected


@pytest.mark.parametrize(
    ("ytd", "last_ytd", "last_outturn", "expected"),
    [
        (40000, 30000, 120000, 160000),
        (70000, 60000, 200000, 233333),  # 233,333.33p to the penny
        (-100, -50, -300, -600),  # an income line keeps its sign
        (5, 2, 3, 8),  # 7.5p rounds half away from zero
        (100, 0, 300, None),  # nothing spent by this month last year: no profile
        (100, 50, 0, None),
        (100, -50, 300, None),  # last year's year to date of the other sign: no profile
    ],
)
def test_profiled_spreads_the_year_to_date_by_last_years_profile(
    ytd: int, last_ytd: int, last_outturn: int, expected: int | None
) -> None:
    assert forecast.profiled(ytd, last_ytd, last_outturn) == expected


YEAR = FinancialYear(2017)


def methods_for(data: DataSet) -> forecast.Methods:
    monitoring = monitor(data, "2017-07")
    problems = Problems()
    choices = inputs.read_forecast_methods(data, YEAR, monitoring.position.lines, problems)
    assert not problems
    return forecast.compare_methods(
        monitoring.position,
        ledger.load_actuals(data, "2017-07"),
        ledger.load_previous(data, YEAR),
        monitoring.settings,
        choices,
    )


def test_every_method_side_by_side(tiny: DataSet) -> None:
    methods = methods_for(tiny)
    lines = methods.lines
    assert methods.months == 4 and methods.threshold == 5000 and methods.default == "profiled"
    columns = ["ytd", "budget", "run_rate", "profiled", "manager", "method", "chosen", "profile"]
    expected = {
        "A1": [40000, 100000, 120000, 160000, 101234, "run-rate", 120000, "last year"],
        "A2": [70000, 200000, 210000, 233333, 199499, "profiled", 233333, "last year"],
        "A3": [16667, 50000, 50001, 50001, 50005, "profiled", 50001, "even"],
        "B1": [-10000, -30000, -30000, -30000, -29750, "profiled", -30000, "even"],
        "B2": [0, 0, 0, 0, 6000, "profiled", 0, "even"],
        "F1": [3, 70000, 9, 9, 67951, "profiled", 9, "even"],
        "S1": [0, 0, 0, 0, 800, "budget", 0, "even"],
    }
    for line_id, values in expected.items():
        assert list(lines.loc[line_id, columns]) == values, line_id


def test_flags_where_the_return_departs_from_every_method(tiny: DataSet) -> None:
    methods = methods_for(tiny)
    lines = methods.lines
    assert list(lines.loc[["A1", "A3", "B1", "B2"], "nearest"]) == ["budget", "run-rate", "budget", "budget"]
    assert list(lines.loc[["A1", "A3", "B1", "B2"], "departure"]) == [1234, 4, 250, 6000]
    assert list(methods.flagged.index) == ["B2"]  # 60.00 from every method, over the 50.00 threshold


def test_variances_and_roll_ups(tiny: DataSet) -> None:
    methods = methods_for(tiny)
    variances = forecast.variances(methods)
    assert variances.at["A1", "run_rate"] == 20000 and variances.at["A1", "manager"] == 1234
    assert (variances["budget"] == 0).all()
    table = forecast.authority_methods(methods, Settings().labels)
    total = table[table["kind"] == "grand_total"].iloc[0]
    for column in ["net_budget", "ytd", *forecast.OUTTURNS, "chosen"]:
        assert total[column] == methods.lines[column].sum()
    directorate = forecast.directorate_methods(methods, "Alpha Services")
    assert directorate.iloc[-1]["run_rate"] == 120000 + 210000 + 50001


def test_sample_ytd_is_plausible_against_the_july_forecasts() -> None:
    monitoring = monitor(SAMPLE, "2017-07")
    problems = Problems()
    choices = inputs.read_forecast_methods(DataSet(SAMPLE), YEAR, monitoring.position.lines, problems)
    actuals = ledger.load_actuals(SAMPLE, "2017-07")
    methods = forecast.compare_methods(
        monitoring.position, actuals, ledger.load_previous(SAMPLE, YEAR), monitoring.settings, choices
    )
    lines = methods.lines
    assert set(methods.flagged.index) == {"CYPE-ASY-01", "GET-03", "ASCH-ADU-04", "SCS-EOD-01"}
    steady = lines[~lines.index.isin(methods.flagged.index)]
    assert ((steady["profiled"] - steady["manager"]).abs() <= 100_000_00).all()
    share = int(lines["ytd"].sum()) / int(lines["manager"].sum())
    assert 0.28 < share < 0.38  # four months of twelve
    assert (lines.loc[["SCH-01", "FIN-03"], "method"] == "budget").all() and lines.at["FIN-01", "method"] == "return"


def test_forecast_method_settings_are_checked(tmp_path: Path) -> None:
    data = write_tree(
        tmp_path / "tiny",
        {
            **TINY,
            "authority.yaml": "name: T\nforecast_method: guess\n",
            METHODS: "line_id,method\nA1,run-rate\nZ9,trend\n",
        },
    )
    problems = Problems()
    inputs.read_settings(data.authority_file, problems)
    inputs.read_forecast_methods(data, YEAR, inputs.read_budget_book(data, YEAR, Problems()), problems)
    found = {(Path(p.file).name, p.row, p.column, p.found) for p in problems}
    assert found == {
        ("authority.yaml", None, "forecast_method", "'guess'"),
        ("forecast_methods.csv", 3, "method", "trend"),
        ("forecast_methods.csv", 3, "line_id", "Z9"),
    }
    assert Settings().forecast_method == "return" and Thresholds().forecast_challenge == 100_000_00


# ---------------------------------------------------------------------------
# History and accuracy


def publish(data: DataSet, *periods: str) -> None:
    for period in periods:
        sign_off_every_directorate(data, period)
        store.publish(data, monitor(data, period))


def test_history_of_each_lines_forecast_variance(tiny: DataSet) -> None:
    publish(tiny, "2017-05")
    july = monitor(tiny, "2017-07")
    positions = [*explorer.published_positions(tiny, YEAR, before=july.period), (july.period, july.position)]
    table = forecast.history(positions)
    assert list(table.loc["A1", ["2017-05", "2017-07", "change"]]) == [1000, 1234, 234]
    assert list(table.loc["B2", ["2017-05", "2017-07", "change"]]) == [5000, 6000, 1000]


FULL_YEAR = "period,cost_centre,account,amount\n" + "".join(
    f"{2017 + (m < 4)}-{m:02d},C1,5001,100\n{2017 + (m < 4)}-{m:02d},C3,5001,150\n" for m in (*range(4, 13), 1, 2, 3)
)


def test_accuracy_for_a_completed_year(tiny: DataSet) -> None:
    write_tree(tiny.root, {LEDGER: FULL_YEAR})
    publish(tiny, "2017-05", "2017-07")
    result = explorer.load_accuracy(tiny, YEAR)
    assert result is not None and result.periods == [Period(2017, 5), Period(2017, 7)]
    errors = result.errors.set_index(["line_id", "period"])
    assert errors.at[("A1", "2017-05"), "error"] == 101000 - 120000
    assert errors.at[("A1", "2017-07"), "error"] == 101234 - 120000
    assert errors.at[("A2", "2017-07"), "outturn"] == 180000
    by_line = result.by_line
    assert list(by_line.index[:2]) == ["F1", "A3"]  # least accurate first
    assert by_line.at["A1", "mean_abs_error"] == 18883 and by_line.at["A1", "worst"] == -19000
    assert by_line.at["A2", "mean_abs_error"] == 19500  # 19,499.5p rounds half away from zero
    may = result.by_month.set_index("period").loc["2017-05"]
    assert (may["month"], may["forecast"], may["outturn"], may["error"]) == (2, 394300, 300000, 94300)
    assert may["abs_error"] == 19000 + 19500 + 50000 + 29900 + 5000 + 68000 + 700


def test_accuracy_needs_a_completed_published_year(tiny: DataSet) -> None:
    assert explorer.load_accuracy(tiny, YEAR) is None  # nothing published
    publish(tiny, "2017-05")
    with pytest.raises(UsageError, match="2017-18 is not complete: its ledger runs to 2017-07"):
        explorer.load_accuracy(tiny, YEAR)


def ledger_view(data: DataSet, period: str, directorate: str | None = None) -> LedgerView | None:
    return explorer.gather_ledger(data, monitor(data, period), directorate, None)


def test_ledger_view_for_the_explorer(tiny: DataSet) -> None:
    view = ledger_view(tiny, "2017-07", directorate="Alpha Services")
    assert view is not None
    assert list(view.methods.frame["heading"]) == ["Roads", "Parks", "Total AS"]
    assert [c.heading for c in view.history.columns[1:]] == ["Jul 2017", "Change"]
    assert view.accuracy_note is not None and view.accuracy_by_line is None
    whole = ledger_view(tiny, "2017-07")
    assert whole is not None and whole.method_lines is not None
    assert list(whole.method_lines.frame["line_id"]) == ["B2"]
    write_tree(tiny.root, {LEDGER: None})
    assert ledger_view(tiny, "2017-07") is None
    write_tree(tiny.root, {METHODS: "line_id,method\nA1,sideways\n", LEDGER: TINY_LEDGER[LEDGER]})
    with pytest.raises(InputError, match=r"forecast_methods\.csv, row 2, column method"):
        ledger_view(tiny, "2017-07")


def test_accuracy_by_line_attaches_each_error_to_its_own_line_whatever_the_order_of_the_ids() -> None:
    """Line ids not in sorted order (as in any real budget book): each line keeps its own errors."""
    import pandas as pd

    from finlib.core.revenue import STRUCTURE

    errors = {"Z9": [-300, -100], "A1": [10, 30], "M5": [5000, -7000]}  # per period: 2017-05, 2017-07
    rows = []
    for line_id, (may, july) in errors.items():
        for period, error in (("2017-05", may), ("2017-07", july)):
            rows.append(
                {
                    "line_id": line_id,
                    **dict.fromkeys(STRUCTURE, ""),
                    "period": period,
                    "month": 2,
                    "forecast": 0,
                    "outturn": 0,
                    "error": error,
                }
            )
    frame = pd.DataFrame(rows)
    frame["error"] = frame["error"].astype("Int64")
    table = forecast.accuracy_by_line(frame)
    assert list(table.index) == ["M5", "Z9", "A1"]  # least accurate first
    assert table.at["Z9", "mean_abs_error"] == 200 and table.at["Z9", "worst"] == -300
    assert table.at["A1", "mean_abs_error"] == 20 and table.at["A1", "worst"] == 30
    assert table.at["M5", "mean_abs_error"] == 6000 and table.at["M5", "worst"] == -7000
    assert list(table.loc["Z9", ["2017-05", "2017-07"]]) == [-300, -100]


def test_a_forecast_settles_from_the_first_report_after_its_last_miss() -> None:
    import pandas as pd

    from finlib.core.forecast import settling
    from finlib.core.period import Period
    from finlib.core.revenue import Position

    def position(month: int, revised: int) -> Position:
        lines = pd.DataFrame(
            {"directorate": ["D"], "kind": ["service"], "net_budget": [1000], "revised_net_variance": [revised]},
            index=pd.Index(["L1"], name="line_id"),
        )
        return Position(Period(2016, month), lines, None)

    history = [(Period(2016, m), position(m, r)) for m, r in ((6, 400), (8, 50), (9, -150), (11, 90), (1, -100))]
    found = settling(history, position(3, 0), 100)
    assert [(s.directorate, s.errors, s.settled) for s in found] == [("D", (400, 50, -150, 90, -100), 3)]
    assert settling(history[:3], position(3, 0), 100)[0].settled is None
