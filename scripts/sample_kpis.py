"""The sample's performance dashboards (``make sample-kpis``): ``2017-18/kpis.csv`` and the results of
May and July 2017 (``kpi_results.csv`` in each period's folder).

Strategic & Corporate Services is the dashboard published for July 2017 (``data/reference/kpi_*.csv``):
its indicators, targets, floor standards, ranges and July results as printed.  May's results are not
published; they are chosen so that each published direction of travel comes out (a step of the value's
last printed digit the other way for ``↑`` and ``↓``, the same value for ``↔``, none for ``New``).  The
other three directorates' dashboards are invented, in the same style.  Deterministic: the files are
written the same every time.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "data" / "reference"
YEAR = ROOT / "data" / "sample" / "2017-18"
SACS = "Strategic & Corporate Services"
KPI_COLUMNS = [
    "ref", "indicator", "kind", "directorate", "service_area", "director", "cabinet_member", "delivery_by",
    "unit", "target", "floor", "upper", "lower", "frequency",
]  # fmt: skip
RESULT_COLUMNS = ["ref", "latest", "ytd", "previous_year", "results_to"]
MONTHS = {"June": "2017-06"}

#: Invented dashboards: (directorate, service area, director, cabinet member, ref, indicator, unit,
#: target, floor, July, May, year to date, previous year).
OTHERS = [
    ("Children, Young People & Education", "Early Help", "Stuart Collins", "Roger Gough", "EH01",
     "Percentage of Early Help cases closed with outcomes achieved", "%", "80%", "75%", "82%", "79%", "81%", "78%"),
    ("Children, Young People & Education", "Early Help", "Stuart Collins", "Roger Gough", "EH02",
     "Percentage of Early Help cases re-referred within 3 months", "%", "10%", "15%", "12%", "12%", "11%", "13%"),
    ("Children, Young People & Education", "Specialist Children's Services", "Philip Segurola", "Roger Gough",
     "SCS01", "Percentage of case holding posts filled by permanent qualified social workers", "%", "85%",
     "75%", "73%", "74%", "74%", "78%"),
    ("Children, Young People & Education", "Education", "Keith Abbott", "Roger Gough", "EY01",
     "Percentage of two year olds taking up free early education", "%", "70%", "65%", "71%", "69%", "70%",
     "68%"),
    ("Adult Social Care & Health", "Older People", "Anne Tidmarsh", "Graham Gibbens", "ASC01",
     "Percentage of clients still independent after enablement", "%", "65%", "57%", "66%", "66%", "65%", "63%"),
    ("Adult Social Care & Health", "Older People", "Anne Tidmarsh", "Graham Gibbens", "ASC02",
     "Number of admissions to permanent residential or nursing care per month", "number", "130", "150", "137",
     "141", "138", "152"),
    ("Adult Social Care & Health", "Public Health", "Andrew Scott-Clark", "Peter Oakford", "PH01",
     "Percentage of eligible people offered an NHS Health Check", "%", "100%", "95%", "96%", "97%", "96%",
     "99%"),
    ("Growth, Environment & Transport", "Highways", "Roger Wilkin", "Mike Whiting", "HT01",
     "Percentage of routine potholes repaired within 28 calendar days", "%", "90%", "80%", "93%", "91%", "92%",
     "90%"),
    ("Growth, Environment & Transport", "Waste", "Roger Wilkin", "Mike Whiting", "WM01",
     "Percentage of municipal waste diverted from landfill", "%", "95%", "90%", "98.5%", "98.5%", "98.2%",
     "97.6%"),
    ("Growth, Environment & Transport", "Libraries", "Roger Wilkin", "Mike Hill", "LRA01",
     "Percentage of customers satisfied with the library service", "%", "95%", "90%", "88%", "91%", "89%", "94%"),
]  # fmt: skip
#: (directorate, service area, director, cabinet member, ref, indicator, unit, upper, lower, July, previous year)
OTHER_ACTIVITY = [
    ("Children, Young People & Education", "Specialist Children's Services", "Philip Segurola", "Roger Gough",
     "SCS01b", "Number of children in care (excluding unaccompanied asylum seekers)", "number", "1,500", "1,350",
     "1,411", "1,380"),
    ("Adult Social Care & Health", "Older People", "Anne Tidmarsh", "Graham Gibbens", "ASC01b",
     "Number of clients receiving enablement", "number", "1,050", "900", "1,082", "1,004"),
    ("Growth, Environment & Transport", "Waste", "Roger Wilkin", "Mike Whiting", "WM01b",
     "Municipal waste tonnage collected (000s)", "number", "62.0", "55.0", "58.4", "59.1"),
]  # fmt: skip


def read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def stepped(printed: str, up: bool) -> str:
    """A printed value moved by one unit of its last printed digit, up or down, printed the same way."""
    percent = printed.endswith("%")
    body = printed.removesuffix("%").replace(",", "")
    places = len(body.split(".")[1]) if "." in body else 0
    step = Decimal(1).scaleb(-places)
    value = Decimal(body) + (step if up else -step)
    text = f"{value:,.{places}f}" if "," in printed else f"{value:.{places}f}"
    return text + ("%" if percent else "")


def previous_of(row: dict[str, str]) -> str | None:
    """May's result for a published July result and direction of travel."""
    dot, latest = row["dot"], row["latest"]
    if dot == "New":
        return None
    if dot == "↔":
        return latest
    lower_better = Decimal(row["target"].rstrip("%")) < Decimal(row["floor_standard"].rstrip("%"))
    improved = dot == "↑"
    # improved: May was worse; worse is lower when higher is better
    return stepped(latest, up=improved == lower_better)


def main() -> int:
    kpis: list[list[str]] = []
    july: list[list[str]] = []
    may: list[list[str]] = []
    for row in read(REFERENCE / "kpi_sacs_2017_07.csv"):
        kpis.append([row["ref"], row["indicator"], "kpi", SACS, row["service_area"], row["director"],
                     row["cabinet_member"], row["delivery_by"], "%", row["target"], row["floor_standard"], "", "",
                     ""])  # fmt: skip
        ytd = {"Snapshot data": "snapshot"}.get(row["year_to_date_or_previous_forecast"],
                                                row["year_to_date_or_previous_forecast"])  # fmt: skip
        july.append([row["ref"], row["latest"], ytd, row["previous_year"], MONTHS.get(row["results_to_override"], "")])
        before = previous_of(row)
        if before is not None:
            may.append([row["ref"], before, "", "", ""])
    for row in read(REFERENCE / "kpi_activity_sacs_2017_07.csv"):
        unit = "£000" if "£" in row["indicator"] else "number"
        kpis.append([row["ref"], row["indicator"], "activity", SACS, row["service_area"], row["director"],
                     row["cabinet_member"], row["delivery_by"], unit, "", "", row["expected_upper"],
                     row["expected_lower"], ""])  # fmt: skip
        year_to_date = row["header"].split("|")[2] == "Year to date"
        value = row["value"]
        july.append([row["ref"], "" if year_to_date else value, value if year_to_date else "",
                     row["previous_comparator"], ""])  # fmt: skip
    for d, area, director, member, ref, name, unit, target, floor, latest, before, ytd, last in OTHERS:
        kpis.append([ref, name, "kpi", d, area, director, member, d, unit, target, floor, "", "", ""])
        july.append([ref, latest, ytd, last, ""])
        may.append([ref, before, "", "", ""])
    for d, area, director, member, ref, name, unit, upper, lower, latest, last in OTHER_ACTIVITY:
        kpis.append([ref, name, "activity", d, area, director, member, d, unit, "", "", upper, lower, ""])
        july.append([ref, latest, "", last, ""])
    write(YEAR / "kpis.csv", KPI_COLUMNS, kpis)
    write(YEAR / "2017-07" / "kpi_results.csv", RESULT_COLUMNS, july)
    write(YEAR / "2017-05" / "kpi_results.csv", RESULT_COLUMNS, may)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
