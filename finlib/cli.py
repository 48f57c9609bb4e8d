"""The ``finlib`` command: a thin layer over functions a notebook or a test can call too.

Exit status: 0 done; 1 a report or notebook failed, or ``verify`` found a change; 2 bad input or usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from finlib.config import DEFAULT_DATA, DataSet
from finlib.errors import FinlibError, InputError, PublishError, UsageError, shown

if TYPE_CHECKING:
    from finlib.monitoring import Monitoring

OK, FAILED, BAD_INPUT = 0, 1, 2


def monitor(*args: Any, **kwargs: Any) -> Monitoring:
    """:func:`finlib.monitoring.monitor`, imported when a command first needs it, so that pandas loads
    after ``finlib report`` has started its workers rather than before."""
    from finlib.monitoring import monitor as compute

    return compute(*args, **kwargs)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        raise UsageError(message)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the data set folder (default: %(default)s)")
    parser.add_argument("--period", required=True, help="the monitoring period, YYYY-MM")
    parser.add_argument("--last-reported", metavar="YYYY-MM", help="compare with this published period instead")


def _restricted(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--restricted",
        action="store_true",
        help="the officers' version, naming exempt items (files marked .restricted); default: the public version",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="finlib", description="Monthly budget monitoring: check, compute, publish, report.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    validate = commands.add_parser("validate", help="check a period's inputs and list every problem")
    _common(validate)
    tables = commands.add_parser("tables", help="write the computed tables as CSV")
    _common(tables)
    _restricted(tables)
    tables.add_argument("--out", type=Path, required=True, help="folder to write into")
    publish = commands.add_parser("publish", help="freeze the period's position under published/")
    _common(publish)
    publish.add_argument("--supersede", action="store_true", help="replace a published position (the old one is kept)")
    publish.add_argument("--reason", help="why the published position is superseded")
    verify_parser = commands.add_parser("verify", help="re-check a published period against its manifests")
    verify_parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="the data set folder (default: %(default)s)"
    )
    verify_parser.add_argument("--period", required=True, help="the published period, YYYY-MM")
    report = commands.add_parser("report", help="execute the notebooks and render the HTML pack")
    _common(report)
    _restricted(report)
    report.add_argument("--out", type=Path, required=True, help="folder to write the reports into")
    report.add_argument("--committee", help="produce only this committee's extract (a key of params/committees.yaml)")
    report.add_argument("--workers", type=int, help="notebooks run at once (default: the number of cores)")
    report.add_argument("--fresh-kernels", action="store_true", help="start a new kernel for every notebook")
    scenario_parser = commands.add_parser("scenario", help="the position under the assumptions of a scenario file")
    _common(scenario_parser)
    scenario_parser.add_argument(
        "--scenario", required=True, metavar="FILE", help="a scenario CSV, or the name of one in DATA/scenarios/"
    )
    scenario_parser.add_argument("--out", type=Path, help="folder to write scenario.csv and scenario.html into")
    export_parser = commands.add_parser("export", help="write the period's tables to one Excel workbook")
    _common(export_parser)
    _restricted(export_parser)
    export_parser.add_argument("--xlsx", type=Path, required=True, metavar="FILE", help="the workbook to write")
    return parser


def report(args: argparse.Namespace) -> int:
    """Check the inputs once, then run every report notebook; a failure does not stop the others."""
    from finlib import pack

    workers = 1 if args.committee else args.workers
    working_dir = args.out / ("working.restricted" if args.restricted else "working")
    with pack.Pool(workers, args.fresh_kernels) as pool:  # kernels start while the inputs are checked
        # imported only now: pandas and pandera load while the workers start their kernels
        from finlib import charts, exempt, store
        from finlib.commentary import period_label
        from finlib.money import prose
        from finlib.params import load_committees
        from finlib.render.csv_tables import write_working
        from finlib.report import build_report

        monitoring = monitor(DataSet(args.data), args.period, args.last_reported)
        committees = load_committees(directorates=monitoring.directorates())
        if args.committee and args.committee not in committees:
            known = ", ".join(committees)
            raise UsageError(f"unknown committee {args.committee!r}; params/committees.yaml has: {known}")
        model = build_report(monitoring, restricted=args.restricted)
        # the officers' model, for what the public working output cannot name
        private = model if args.restricted or not exempt.has_exempt(monitoring) else build_report(monitoring, True)
        prepared = store.save_prepared(
            {"report": model, "charts": charts.draw_report(model)},
            working_dir / f".report-{args.period}.pickle",
        )
        label = period_label(args.period)
        jobs = pack.plan(
            args.data, args.period, committees, args.last_reported, args.committee, label, prepared, args.restricted
        )
        try:
            result = pool.run(jobs, args.out)
        finally:
            prepared.unlink(missing_ok=True)
    # nothing exempt is written beside a public pack: its working output is the public model's
    missing = model.missing
    write_working(model, working_dir)
    for outcome in result.outcomes:
        if outcome.ok:
            print(f"{outcome.job.name}: {shown(outcome.html or '')} ({outcome.seconds:.1f} s)")
    if missing:
        print(f"{len(missing)} explanation(s) needed (listed in {shown(working_dir)}):", file=sys.stderr)
        for item in missing:
            print(f"  {item.directorate} / {item.subject}: {item.about} {prose(item.amount)}", file=sys.stderr)
    unnamed = len(private.missing) - len(missing) + len(private.capital_warnings) - len(model.capital_warnings)
    if unnamed > 0:
        print(
            f"{unnamed} more explanation(s) or capital warning(s) concern exempt items: "
            "run with --restricted to see them",
            file=sys.stderr,
        )
    for warning in model.capital_warnings:
        print(f"capital warning: {warning}", file=sys.stderr)
    for outcome in result.failed:
        record = f"; executed notebook kept as {shown(outcome.record)}" if outcome.record else ""
        print(f"finlib: report {outcome.job.name} failed at {outcome.error}{record}", file=sys.stderr)
    return FAILED if result.failed else OK


def scenario(args: argparse.Namespace) -> int:
    """Print the what-if table of a scenario file; with --out, write it as CSV and HTML too."""
    from finlib.analysis import scenario_view
    from finlib.commentary import period_label
    from finlib.render.analysis_csv import scenario_lines, write_scenario
    from finlib.render.analysis_html import scenario_page

    data = DataSet(args.data)
    monitoring = monitor(data, args.period, args.last_reported)
    result = scenario_view(data, args.period, args.scenario, monitoring=monitoring)
    assert result is not None
    name, label = data.scenario(args.scenario).stem, period_label(args.period)
    print("\n".join(scenario_lines(result, f"What-if {name}, {label}")))
    if args.out:
        page = scenario_page(result, monitoring.inputs.settings.name, label, name)
        written = write_scenario(result, args.out, page)
        print(f"{args.period}: wrote {', '.join(shown(path) for path in written)}")
    return OK


def export(args: argparse.Namespace) -> int:
    """Write the period's tables to one workbook: Authority, a sheet per directorate, Capital.

    The public version (exempt items as one row) unless ``--restricted``, as ``finlib tables``.
    """
    from finlib import exempt
    from finlib.render.xlsx import write_xlsx

    monitoring = monitor(DataSet(args.data), args.period, args.last_reported)
    path = write_xlsx(monitoring if args.restricted else exempt.public(monitoring), args.xlsx)
    print(f"{args.period}: wrote {shown(path)}")
    return OK


def verify(args: argparse.Namespace) -> int:
    """Re-check a published period: every finding (file, what changed) and exit 1, or one line and 0."""
    from finlib import store

    data = DataSet(args.data)
    findings = store.verify(data, args.period)
    if findings:
        count = len(findings)
        print(f"{args.period}: {count} file{'s' if count != 1 else ''} changed since publication:")
        for finding in findings:
            print(f"  {finding}")
        return FAILED
    record = store.manifest(data, args.period)
    listed = ", ".join(f"v{v}" for v in store.versions(data, args.period))
    print(
        f"{args.period}: verified: the position files of {listed} and the {len(record['inputs'])} input files "
        f"of v{record['version']} are as published."
    )
    return OK


def run(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    data = DataSet(args.data)
    if args.command == "validate":
        result = monitor(data, args.period, args.last_reported)
        lines = len(result.inputs.budget_book)
        print(f"{args.period}: inputs are valid ({lines} budget lines).")
        return OK
    if args.command == "tables":
        from finlib import exempt
        from finlib.render.csv_tables import write_tables

        monitoring = monitor(data, args.period, args.last_reported)
        written = write_tables(monitoring if args.restricted else exempt.public(monitoring), args.out)
        print(f"{args.period}: wrote {len(written)} tables to {shown(args.out)}")
        return OK
    if args.command == "publish":
        from finlib import store

        result = monitor(data, args.period, args.last_reported)
        folder = store.publish(data, result.inputs, result.position, args.supersede, args.reason)
        print(f"{args.period}: published as {shown(folder)}")
        return OK
    if args.command == "verify":
        return verify(args)
    if args.command == "report":
        return report(args)
    if args.command == "scenario":
        return scenario(args)
    if args.command == "export":
        return export(args)
    raise UsageError(f"unknown command {args.command}")


def main(argv: list[str] | None = None) -> int:
    try:
        return run(sys.argv[1:] if argv is None else argv)
    except InputError as error:
        print(error, file=sys.stderr)
        return BAD_INPUT
    except (UsageError, PublishError) as error:
        print(f"finlib: {error}", file=sys.stderr)
        return BAD_INPUT
    except FinlibError as error:
        print(f"finlib: {error}", file=sys.stderr)
        return FAILED
    except (FileExistsError, IsADirectoryError, NotADirectoryError, PermissionError) as error:
        print(f"finlib: cannot write there: {error}", file=sys.stderr)
        return BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
