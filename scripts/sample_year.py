"""Write the sample's 2016-17 year (April to March on the 2016-17 structure, several periods published,
the outturn) and the start of 2017-18 that depends on it (original budgets, May's budget changes), then
publish the sample's periods again in order, each once every directorate is signed off.

    python scripts/sample_year.py [--data data/sample]

Deterministic: the same bytes every time (seeded; publication times fixed).  The figures are invented
(see data/sample/README.md); they follow the 2016-17 ledger, whose actuals are the outturn.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import shutil
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from finlib import monitoring, store  # noqa: E402
from finlib.config import DataSet  # noqa: E402
from finlib.core.period import FinancialYear, Period  # noqa: E402
from finlib.money import parse_amount, pounds  # noqa: E402
from finlib.report import build_report  # noqa: E402

SEED = 201617
YEAR = FinancialYear(2016)
NEXT = FinancialYear(2017)
SCS = "Strategic & Corporate Services"

# The 2016-17 headings of S&CS (ten; 2017-18 has eight), and the line each 2017-18 S&CS line's cost
# centres belonged to in 2016-17.
SCS_LINES = [
    ("SCS-CC-01", "Contact Centre, Digital Web Services & Gateways"),
    ("SCS-LD-01", "Local Democracy"),
    ("SCS-FP-01", "Finance & Procurement"),
    ("SCS-EOD-01", "Engagement, Organisation Design & Development (HR, Comms & Engagement)"),
    ("SCS-GL-01", "Governance & Law"),
    ("SCS-SPR-01", "Strategy, Policy, Relationships & Corporate Assurance"),
    ("SCS-BI-01", "Business Intelligence"),
    ("SCS-PIS-01", "Property & Infrastructure Support"),
    ("SCS-MGT-01", "S&CS Management & Directorate Support Services"),
    ("SCS-INF-01", "Infrastructure (ICT & Property Services) & Business Services Centre"),
]
SCS_CENTRES = {
    "CC10065": "SCS-FP-01",
    "CC10067": "SCS-GL-01",
    "CC10068": "SCS-SPR-01",
    "CC10072": "SCS-PIS-01",
    "CC10073": "SCS-BI-01",
    "CC10074": "SCS-INF-01",
    "CC10075": "SCS-INF-01",
}

# The outturn variance of some lines (pounds); the others' follow from the ledger and the seed.
OUTTURN_VARIANCE = {
    "CYPE-ASY-01": 420_318.64,
    "CYPE-EYP-03": 612_904.10,
    "CYPE-EYP-07": -231_407.55,
    "CYPE-SCS-01": 1_486_220.09,
    "ASCH-ADU-03": 934_118.27,
    "ASCH-ADU-04": 702_551.80,
    "GET-03": -388_120.44,
    "GET-05": -352_664.03,
    "SCS-BI-01": -182_045.26,
    "SCS-LD-01": -94_880.71,
    "SCS-EOD-01": -128_330.50,
    "FIN-02": -1_204_771.35,
    "FIN-01": -2_350_506.18,
}

# Budget changes of 2016-17: (month, from, to, pounds, reason, approved by, date).
CHANGES = [
    ("2016-06", "SCS-BI-01", "SCS-SPR-01", 120_000.00, "Performance analysts moved into the Strategy team",
     "Corporate Director, Strategic & Corporate Services", "2016-06-14"),
    ("2016-06", "GET-01", "GET-02", 250_000.00, "Bus subsidy review savings reinvested in concessionary fares",
     "Cabinet", "2016-06-20"),
    ("2016-09", "ASCH-ADU-01", "ASCH-ADU-04", 1_200_000.00,
     "Care packages moved from residential to community settings", "Cabinet", "2016-09-19"),
    ("2016-10", "", "GET-06", 180_000.00, "Flood defence grant from the Environment Agency",
     "Corporate Director of Finance", "2016-10-07"),
    ("2016-12", "", "CYPE-ASY-01", 3_500_000.00, "Home Office grant for unaccompanied asylum seeking children",
     "Cabinet", "2016-12-12"),
    ("2017-02", "SCS-MGT-01", "", 150_000.00, "Directorate support savings taken a year early", "Cabinet",
     "2017-02-13"),
    ("2017-02", "FIN-03", "SCS-INF-01", 400_000.00, "Reserve drawn down for the data centre move", "Cabinet",
     "2017-02-13"),
]  # fmt: skip

# Corporate Director adjustments: line → (reason, pounds by month from September; nil at the outturn).
ADJUSTMENTS = {
    "ASCH-ADU-03": ("Management action plan: reviews of nursing placements", "Corporate Director, ASCH",
                    [-1_500_000, -1_500_000, -1_200_000, -1_000_000, -800_000, -600_000]),
    "CYPE-EYP-03": ("Home to school transport routes re-tendered", "Corporate Director, CYPE",
                    [-600_000, -600_000, -500_000, -400_000, -300_000, -200_000]),
}  # fmt: skip

# Roll forward requirements reported during the year (September on), and the outturn's requests.
ROLL_FORWARDS = [("committed", 511_000.00, "Grant-funded projects committed for 2017-18"),
                 ("re-phased", 300_000.00, "Libraries refurbishment programme")]  # fmt: skip
REQUESTS = [
    ("committed", 200_000.00, "Community Learning: courses contracted for the 2017 autumn term", "CYPE-EYP-07", ""),
    ("re-phased", 300_000.00, "Libraries: refurbishment programme slipped into 2017-18", "GET-05", ""),
    ("re-phased", 150_000.00, "Business Intelligence: data warehouse contract moved into 2017-18", "SCS-BI-01",
     "SCS-INF-01"),
    ("bids", 75_000.50, "Local Democracy: member grants awarded but not yet paid", "SCS-LD-01", ""),
]  # fmt: skip

# May 2017-18's budget changes (the first report of 2017-18 reconciles with the original budget).
MAY_CHANGES = [
    ("SCS-FIN-01", "SCS-SC-01", 85_000.00, "Commissioning support moved from Finance",
     "Corporate Director, Strategic & Corporate Services", "2017-05-10"),
    ("", "CYPE-EYP-03", 210_000.00, "Extended rights to free travel grant, Department for Education",
     "Corporate Director of Finance", "2017-04-28"),
    ("ASCH-ADU-02", "ASCH-ADU-05", 400_000.00, "Home care capacity commissioned in place of residential beds",
     "Cabinet", "2017-05-15"),
]  # fmt: skip

PUBLISHED = ["2016-06", "2016-08", "2016-09", "2016-11", "2017-01", "2017-03"]
PUBLISHED_AT = {
    "2016-06": "2016-07-21T10:00:00+00:00",
    "2016-08": "2016-09-22T10:00:00+00:00",
    "2016-09": "2016-10-20T10:00:00+00:00",
    "2016-11": "2016-12-15T10:00:00+00:00",
    "2017-01": "2017-02-23T10:00:00+00:00",
    "2017-03": "2017-05-25T10:00:00+00:00",
    "2017-05": "2026-11-22T06:09:56+00:00",  # the sample's May 2017-18, as first published
}
#: The Corporate Directors who sign off each directorate's position before a period is published (invented
#: names, as in papers.yaml); they sign an hour before it is published.
DIRECTORS = {
    "Children, Young People & Education": "Morgan Reid",
    "Adult Social Care & Health": "Priya Shah",
    "Growth, Environment & Transport": "Tom Ellis",
    "Strategic & Corporate Services": "Ruth Okafor",
}
SIGNED_BEFORE = dt.timedelta(hours=1)
SEPTEMBER_AFTER_ADJUSTMENTS = 8_335_212_47  # pence: the published £8.335m (excluding schools)

POSITIVE = [
    "Demand is running above the level the budget assumed",
    "More placements than budgeted, at higher average costs",
    "Costs of external providers have risen faster than inflation",
    "Savings planned for the year are taking longer to deliver",
]
NEGATIVE = [
    "Vacancies held while the service is restructured",
    "Lower demand than the budget assumed",
    "Contract savings secured earlier than planned",
    "Income above the budgeted level",
]
MOVEMENT = [
    "The forecast has been revised as the year's activity becomes clearer",
    "Updated activity data changed the forecast since the last report",
]
MOVEMENT_AT_OUTTURN = [
    "The final accounts settled costs that the last report had estimated",
    "Year-end accruals and income received in the last quarter changed the position",
]
HEADING_MAP = [
    ("Finance & Procurement", "Finance", ""),
    ("Governance & Law", "Other Support to Front Line Services", ""),
    ("Strategy, Policy, Relationships & Corporate Assurance", "Strategic Commissioning", "0.75"),
    ("Strategy, Policy, Relationships & Corporate Assurance", "Other Support to Front Line Services", "0.25"),
    ("Business Intelligence", "Infrastructure (ICT & Property Services) & Business Services Centre", ""),
    ("Property & Infrastructure Support", "Infrastructure (ICT & Property Services) & Business Services Centre", ""),
]
PAPERS_2016 = """\
# The words of the 2016-17 papers (read instead of the data set's papers.yaml for that year). The names,
# telephone numbers and e-mail addresses are invented, as in the data set's papers.yaml.
defaults:
  from: Corporate Director of Finance
  classification: Unrestricted
  author:
    name: Jo Bloggs
    title: Finance Business Partner
    phone: 01632 960 101
    email: jo.bloggs@example.org
  director:
    name: Sam Smith
    title: Corporate Director of Finance
    phone: 01632 960 102
    email: sam.smith@example.org
  background:
    - The Budget Book 2016-17, approved by the County Council in February 2016
    - The revenue budget monitoring reports to Cabinet, 2016-17
cabinet:
  to: Cabinet
  meetings:
    "2016-06": 2016-07-18
    "2016-08": 2016-09-19
    "2016-09": 2016-10-17
    "2016-11": 2016-12-12
    "2017-01": 2017-02-13
    "2017-03": 2017-06-19
committees:
  policy-and-resources:
    author:
      name: Alex Jones
      title: Finance Business Partner, Strategic & Corporate Services
      phone: 01632 960 103
      email: alex.jones@example.org
"""


def pence(pounds_: float) -> int:
    return int(round(pounds_ * 100))


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def money(value: int) -> str:
    return pounds(value)


def book_2016(book_2017: list[dict[str, str]]) -> list[dict[str, str]]:
    """2017-18's budget book on the 2016-17 structure: the same lines, but S&CS's ten headings."""
    rows = [dict(r, original_budget="") for r in book_2017 if r["directorate"] != SCS]
    at = next(i for i, r in enumerate(book_2017) if r["directorate"] == SCS)
    scs = [
        {"line_id": i, "directorate": SCS, "division": "", "heading": h, "kind": "service", "tag": "",
         "restricted": "", "original_budget": ""}
        for i, h in SCS_LINES
    ]  # fmt: skip
    return rows[:at] + scs + rows[at:]


def centres_2016(centres_2017: list[dict[str, str]]) -> list[dict[str, str]]:
    out = []
    for row in centres_2017:
        line = SCS_CENTRES.get(row["cost_centre"], row["line_id"])
        out.append({"cost_centre": row["cost_centre"], "line_id": line, "description": row["description"]})
    return out


def actuals(ledger: Path, centre_line: dict[str, str]) -> dict[str, dict[str, int]]:
    """line → period → pence, from the year's ledger (unmapped cost centres left out)."""
    found: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in read(ledger):
        line = centre_line.get(row["cost_centre"])
        if line:
            found[line][row["period"]] += parse_amount(row["amount"])
    return found


def budgets_by_month(final: dict[str, int], periods: list[Period]) -> dict[str, dict[str, int]]:
    """Each line's net budget in each period: the final budget less the changes approved after it."""
    out: dict[str, dict[str, int]] = {}
    for period in periods:
        budget = dict(final)
        for month, source, target, amount, *_ in CHANGES:
            if Period.parse(month) > period:
                if source:
                    budget[source] += pence(amount)
                if target:
                    budget[target] -= pence(amount)
        out[str(period)] = budget
    return out


def explanations_for(data: DataSet, period: str, rng: random.Random, outturn: bool = False) -> None:
    """Words for every explanation the commentary rules call for (invented, in the business partners' style)."""
    report = build_report(monitoring.monitor(data, period), restricted=True)
    rows = []
    for missing in report.missing:
        about = str(missing.about)
        if about == "movement":
            text = rng.choice(MOVEMENT_AT_OUTTURN if outturn else MOVEMENT)
        else:
            text = rng.choice(POSITIVE if (missing.amount or 0) > 0 else NEGATIVE)
        rows.append([missing.subject, about, text])
    if rows:
        write(data.period_dir(Period.parse(period)) / "explanations.csv", ["subject", "about", "text"], rows)


def publish(data: DataSet, period: str) -> None:
    """Every directorate signed off by its Corporate Director, then the period published."""
    moment = dt.datetime.fromisoformat(PUBLISHED_AT[period])
    checked = monitoring.monitor(data, period)
    for directorate in checked.signoff_digests:
        store.sign_off(data, checked, directorate, DIRECTORS[directorate], clock=lambda: moment - SIGNED_BEFORE)
    store.publish(data, checked, now=moment)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "sample")
    args = parser.parse_args(argv)
    data = DataSet(args.data)
    rng = random.Random(SEED)
    year_dir, next_dir = data.year_dir(YEAR), data.year_dir(NEXT)
    for child in sorted(year_dir.iterdir()):
        if child.is_dir():
            shutil.rmtree(child)
    shutil.rmtree(data.root / "published", ignore_errors=True)

    book17 = read(next_dir / "budget_book.csv")
    book = book_2016(book17)
    columns = ["line_id", "directorate", "division", "heading", "kind", "tag", "restricted"]
    write(year_dir / "budget_book.csv", [*columns, "original_budget"], [])  # rewritten below with budgets
    centres = centres_2016(read(next_dir / "cost_centres.csv"))
    write(year_dir / "cost_centres.csv", ["cost_centre", "line_id", "description"],
          [[c["cost_centre"], c["line_id"], c["description"]] for c in centres])  # fmt: skip
    spent = actuals(year_dir / "ledger.csv", {c["cost_centre"]: c["line_id"] for c in centres})

    lines = [r["line_id"] for r in book]
    kinds = {r["line_id"]: r["kind"] for r in book}
    outturn = {line: sum(spent[line].values()) for line in lines}
    variance = {}
    for line in lines:
        if line in OUTTURN_VARIANCE:
            variance[line] = pence(OUTTURN_VARIANCE[line])
        elif kinds[line] == "schools":
            variance[line] = round(abs(outturn[line]) * rng.uniform(-0.002, 0.002))
        else:
            variance[line] = round(abs(outturn[line]) * max(-0.015, min(0.015, rng.gauss(0, 0.006))))
    final = {line: outturn[line] - variance[line] for line in lines}
    periods = YEAR.periods()
    budgets = budgets_by_month(final, periods)
    original = budgets_by_month(final, [Period(2016, 3)])["2016-03"]  # before every change of the year

    # The managers' forecast error: largest early in the year, gone at the outturn.
    error = {line: round(abs(outturn[line]) * rng.gauss(0.004, 0.01)) for line in lines if kinds[line] != "schools"}
    error["CYPE-SCS-01"] += 2_400_000_00
    error["ASCH-ADU-03"] += 1_700_000_00
    error["GET-03"] += 650_000_00

    def forecast_variance(period: Period) -> dict[str, int]:
        m = period.month_of_year
        left = (max(0, 12 - m) / 11) ** 2
        out = {}
        for line in lines:
            wobble = round(error.get(line, 0) * left * (1 + rng.uniform(-0.08, 0.08)))
            out[line] = outturn[line] + wobble - budgets[str(period)][line]
        return out

    september = Period(2016, 9)
    by_period = {str(p): forecast_variance(p) for p in periods[:-1]}
    # September after adjustments is the published £8.335m excluding schools: the rest lands on one line
    sep = by_period[str(september)]
    sep_total = sum(v for line, v in sep.items() if kinds[line] != "schools")
    sep_total += sum(pence(amounts[0]) for _, _, amounts in ADJUSTMENTS.values())
    correction = SEPTEMBER_AFTER_ADJUSTMENTS - sep_total
    sep["CYPE-SCS-02"] += correction

    write(year_dir / "budget_book.csv", [*columns, "original_budget"],
          [[r[c] for c in columns] + [money(original[r["line_id"]])] for r in book])  # fmt: skip
    (year_dir / "papers.yaml").write_text(PAPERS_2016, encoding="utf-8")
    write(next_dir / "heading_map.csv", ["from_heading", "to_heading", "share"], [list(r) for r in HEADING_MAP])

    for period in periods:
        folder = data.period_dir(period)
        key = str(period)
        budget = budgets[key]
        if period == periods[-1]:
            (folder / "period.yaml").parent.mkdir(parents=True, exist_ok=True)
            (folder / "period.yaml").write_text("kind: outturn\n", encoding="utf-8")
            write(folder / "forecasts.csv", ["line_id", "net_budget", "net_forecast_outturn"],
                  [[line, money(budget[line]), money(outturn[line])] for line in lines])  # fmt: skip
            write(folder / "roll_forwards.csv", ["category", "amount", "description", "line_id", "to_line_id"],
                  [[c, money(pence(a)), d, line, to] for c, a, d, line, to in REQUESTS])  # fmt: skip
        else:
            write(folder / "forecasts.csv", ["line_id", "net_budget", "net_forecast_variance"],
                  [[line, money(budget[line]), money(by_period[key][line])] for line in lines])  # fmt: skip
            index = period.month_of_year - september.month_of_year
            if index >= 0:
                write(folder / "adjustments.csv", ["line_id", "amount", "reason", "author", "date"],
                      [[line, money(pence(amounts[index])), reason, author, f"{period}-20"]
                       for line, (reason, author, amounts) in ADJUSTMENTS.items()])  # fmt: skip
                write(folder / "roll_forwards.csv", ["category", "amount", "description", "line_id"],
                      [[c, money(pence(a)), d, ""] for c, a, d in ROLL_FORWARDS])  # fmt: skip
        changes = [c for c in CHANGES if c[0] == key]
        if changes:
            write(folder / "virements.csv", ["from_line_id", "to_line_id", "amount", "reason", "approved_by", "date"],
                  [[s, t, money(pence(a)), r, by, d] for _, s, t, a, r, by, d in changes])  # fmt: skip

    for period in PUBLISHED:
        explanations_for(data, period, rng, outturn=period == str(periods[-1]))
        publish(data, period)

    # 2017-18: May's budgets are the original budget, the roll forwards carried and May's changes.
    may = Period(2017, 5)
    may_budget = {r["line_id"]: parse_amount(r["net_budget"]) for r in read(data.period_dir(may) / "forecasts.csv")}
    start = dict(may_budget)
    for _, amount, _, line, to in REQUESTS:
        start[to or line] -= pence(amount)
    for source, target, amount, *_ in MAY_CHANGES:
        if source:
            start[source] += pence(amount)
        if target:
            start[target] -= pence(amount)
    columns17 = ["line_id", "directorate", "division", "heading", "kind", "tag", "restricted"]
    write(next_dir / "budget_book.csv", [*columns17, "original_budget"],
          [[r[c] for c in columns17] + [money(start[r["line_id"]])] for r in book17])  # fmt: skip
    write(data.period_dir(may) / "virements.csv",
          ["from_line_id", "to_line_id", "amount", "reason", "approved_by", "date"],
          [[s, t, money(pence(a)), r, by, d] for s, t, a, r, by, d in MAY_CHANGES])  # fmt: skip
    publish(data, "2017-05")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
