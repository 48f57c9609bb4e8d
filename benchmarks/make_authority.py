"""A large synthetic authority in the data contract's format, for measuring how finlib's cost grows.

``python benchmarks/make_authority.py --out build/authority --lines 10000 --directorates 30`` writes a
data set with ``--lines`` budget lines spread over ``--directorates`` directorates (three divisions each,
ten lines a heading), one Cabinet Committee per directorate (so the pack has directorates + 1 reports),
a May and a July period with forecasts, Corporate Director adjustments, roll forwards and an explanation
for every heading, and ``authority.yaml`` with the sample's settings.  The same arguments always give the
same files, byte for byte (a seeded generator, amounts in whole pence).
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import shutil
from pathlib import Path

YEAR = "2017-18"
PERIODS = ("2017-05", "2017-07")
LINES_PER_HEADING = 10
DIVISIONS = ("North", "South", "Central")
SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample"


def pounds(pence: int) -> str:
    sign, pence = ("-", -pence) if pence < 0 else ("", pence)
    return f"{sign}{pence // 100}.{pence % 100:02d}"


def table(header: list[str], rows: list[list[str]]) -> str:
    text = io.StringIO(newline="")
    csv.writer(text, lineterminator="\n").writerows([header, *rows])
    return text.getvalue()


def directorate_name(number: int) -> str:
    return f"Directorate {number:03d}"


def committee_key(number: int) -> str:
    return f"committee-{number:03d}"


def authority(lines: int, directorates: int, seed: int = 2017) -> dict[str, str]:
    """The files of the data set: path below the root → text."""
    if directorates < 1 or lines < directorates + 2:
        raise SystemExit("need at least one directorate and two lines more than directorates")
    rng = random.Random(seed)
    service = lines - 2  # one financing line, one schools line
    book: list[list[str]] = []
    headings: dict[str, str] = {}  # heading → directorate
    for d in range(1, directorates + 1):
        size = service // directorates + (1 if d <= service % directorates else 0)
        for within in range(size):
            division = DIVISIONS[within * len(DIVISIONS) // size]
            heading = f"Service {d:03d}-{within // LINES_PER_HEADING + 1:03d}"
            headings[heading] = directorate_name(d)
            line_id = f"D{d:03d}-{within + 1:05d}"
            book.append([line_id, directorate_name(d), division, heading, "service", "", "", ""])
    book.append(["FIN-00001", "Financing Items", "", "Capital Financing Costs", "financing", "", "", ""])
    book.append(["SCH-00001", directorate_name(1), "", "Schools' Delegated Budgets", "schools", "", "", ""])
    budgets = {row[0]: rng.randrange(-2_000_000_00, 20_000_000_00) for row in book}
    budgets["SCH-00001"] = 0
    files = {
        "authority.yaml": (SAMPLE / "authority.yaml")
        .read_text(encoding="utf-8")
        .replace("Kent County Council", "Synthetic County Council"),
        f"{YEAR}/budget_book.csv": table(
            ["line_id", "directorate", "division", "heading", "kind", "tag", "restricted", "original_budget"],
            [[*row[:7], pounds(budgets[row[0]])] for row in book],
        ),
        "committees.yaml": committees(directorates),
    }
    for index, period in enumerate(PERIODS):
        forecasts, adjustments = [], []
        for row in book:
            line_id = row[0]
            spread = max(abs(budgets[line_id]) // 20, 1_000_00)
            variance = rng.randrange(-spread, spread) if rng.random() < 0.3 else 0
            forecasts.append([line_id, pounds(budgets[line_id]), pounds(variance + index * rng.randrange(0, 1_000_00))])
            if rng.random() < 0.01:
                amount = -rng.randrange(0, max(abs(variance), 1))
                adjustments.append([line_id, pounds(amount), "Management action", "Corporate Director", f"{period}-20"])
        files[f"{YEAR}/{period}/forecasts.csv"] = table(["line_id", "net_budget", "net_forecast_variance"], forecasts)
        files[f"{YEAR}/{period}/adjustments.csv"] = table(
            ["line_id", "amount", "reason", "author", "date"], adjustments
        )
        files[f"{YEAR}/{period}/roll_forwards.csv"] = table(
            ["category", "amount", "description", "line_id"],
            [["committed", pounds(rng.randrange(0, 5_000_000_00)), "Grants carried forward", ""]],
        )
        files[f"{YEAR}/{period}/explanations.csv"] = table(
            ["subject", "about", "text"],
            [
                [heading, about, f"the {about} of {heading}, explained"]
                for heading in headings
                for about in ("variance", "movement")
            ],
        )
    return files


def committees(directorates: int) -> str:
    lines = ["committees:"]
    for d in range(1, directorates + 1):
        lines += [
            f"  {committee_key(d)}:",
            f"    name: {directorate_name(d)} Cabinet Committee",
            "    directorates:",
            f"      - {directorate_name(d)}",
        ]
        if d == 1:
            lines.append("    authority_summary: true")
    return "\n".join(lines) + "\n"


def write(out: Path, lines: int, directorates: int, seed: int = 2017) -> Path:
    """Write the data set into ``out`` (replaced if it exists)."""
    if out.exists():
        shutil.rmtree(out)
    for name, text in authority(lines, directorates, seed).items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--directorates", type=int, default=30)
    parser.add_argument("--seed", type=int, default=2017)
    args = parser.parse_args()
    write(args.out, args.lines, args.directorates, args.seed)
    print(f"{args.out}: {args.lines:,} lines, {args.directorates} directorates, periods {', '.join(PERIODS)}")


if __name__ == "__main__":
    main()
