"""The savings plan (``<FY>/savings.csv``) and a period's forecast of its delivery
(``<FY>/<YYYY-MM>/savings_forecast.csv``), checked like every input.

A period reports savings delivery only when its folder holds ``savings_forecast.csv``; the plan is read
with it (and so a published period without one is unchanged by a plan added later).  The forecast must
have one row for every saving of the plan: a saving with no row is a problem naming it, as a budget line
with no row in ``forecasts.csv`` is.
"""

from __future__ import annotations

import pandas as pd

from finlib.config import DataSet
from finlib.core.parsed import ROW
from finlib.core.period import Period
from finlib.core.savings import SavingsDelivery, savings_delivery
from finlib.errors import Problems, shown
from finlib.inputs import catalogue
from finlib.inputs.checks import ordered_directorates
from finlib.inputs.period import read_kind
from finlib.inputs.tables import amounts, row_number
from finlib.money import exact, is_amount, parse_amount


def _check_plan(frame: pd.DataFrame, book: pd.DataFrame, at_file: str, problems: Problems) -> None:
    at = problems.at(at_file)
    directorates = list(dict.fromkeys(book["directorate"]))
    for row, directorate, amount, line_id in zip(
        frame.index, frame["directorate"], frame["amount"], frame["line_id"], strict=True
    ):
        row = row_number(row)
        if directorate and directorate not in directorates:
            at.add(
                row=row,
                column="directorate",
                found=directorate,
                expected="a directorate of budget_book.csv: " + "; ".join(directorates),
            )
        if is_amount(amount) and parse_amount(amount) >= 0:
            at.add(
                row=row,
                column="amount",
                found=amount,
                expected="a negative amount: a saving reduces the budget, as budgets are signed",
            )
        if not line_id:
            continue
        if line_id not in book.index:
            at.add(row=row, column="line_id", found=line_id, expected="blank or a line_id of budget_book.csv")
        elif directorate in directorates and book.loc[line_id, "directorate"] != directorate:
            at.add(
                row=row,
                column="line_id",
                found=f"{line_id}, a line of {book.loc[line_id, 'directorate']}",
                expected=f"blank or a line of {directorate}, the saving's directorate",
            )


def _check_forecast(forecast: pd.DataFrame, plan: pd.DataFrame, path: str, plan_path: str, problems: Problems) -> None:
    at = problems.at(path)
    planned = dict(zip(plan["saving_id"], plan["amount"], strict=True))
    repeated = set(plan.loc[plan["saving_id"].duplicated(), "saving_id"])  # listed as the plan's problem
    for row, saving_id, text in zip(forecast.index, forecast["saving_id"], forecast["forecast"], strict=True):
        row = row_number(row)
        if not saving_id:
            continue
        if saving_id not in planned:
            at.add(row=row, column="saving_id", found=saving_id, expected=f"a saving_id of {plan_path}")
            continue
        if saving_id in repeated or not (is_amount(text) and is_amount(planned[saving_id])):
            continue
        delivered, amount = parse_amount(text), parse_amount(planned[saving_id])
        if amount >= 0 or delivered == 0:
            continue
        if delivered > 0:
            at.add(
                row=row,
                column="forecast",
                found=text,
                expected=f"nil or negative, as the saving's amount ({exact(amount)}): the pounds it will deliver",
            )
        elif delivered < amount:
            at.add(
                row=row,
                column="forecast",
                found=text,
                expected=f"at most the saving's amount ({exact(amount)}) of {saving_id}: "
                "a saving delivers no more than itself",
            )
    forecast_ids = set(forecast["saving_id"])
    plan_rows = plan.loc[plan["saving_id"].ne("") & ~plan["saving_id"].isin(forecast_ids), "saving_id"]
    for plan_row, saving_id in plan_rows.items():
        at.add(
            column="saving_id",
            found=f"no row for {saving_id}",
            expected=f"one row for every saving of the plan ({shown_name(plan_path)} row {plan_row})",
        )


def shown_name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def read_savings(
    data: DataSet, period: Period, book: pd.DataFrame, problems: Problems, public: bool = True
) -> SavingsDelivery | None:
    """The period's savings delivery; ``None`` when the period has no ``savings_forecast.csv`` or the
    files have problems (added to ``problems``).  ``book`` is the parsed budget book (index line_id);
    ``public``: savings on restricted lines folded into each directorate's Exempt items row.
    """
    forecast_path = catalogue.SAVINGS_FORECAST.candidates(data, period)[0]
    plan_path = catalogue.SAVINGS.candidates(data, period)[0]
    if not forecast_path.is_file():
        return None
    with problems.watch() as watch:
        if not plan_path.is_file():
            problems.at(forecast_path).add(
                found="savings_forecast.csv but no savings plan",
                expected=f"{shown(plan_path)} listing the year's savings",
            )
            return None
        plan = read_kind(catalogue.SAVINGS, plan_path, problems)
        forecast = read_kind(catalogue.SAVINGS_FORECAST, forecast_path, problems)
        if plan is None or forecast is None:
            return None
        _check_plan(plan, book, shown(plan_path), problems)
        _check_forecast(forecast, plan, shown(forecast_path), shown(plan_path), problems)
    if not watch.clean:
        return None
    parsed_plan = plan.reset_index()
    parsed_plan["amount"] = amounts(parsed_plan["amount"])
    parsed_forecast = forecast.reset_index().set_index("saving_id")
    parsed_forecast["forecast"] = amounts(parsed_forecast["forecast"])
    present = set(parsed_plan["directorate"])
    directorates = [d for d in ordered_directorates(book) if d in present]
    restricted = book.index[book["restricted"]]
    delivery = savings_delivery(parsed_plan.drop(columns=[ROW]), parsed_forecast, directorates, restricted)
    return delivery.public() if public else delivery
