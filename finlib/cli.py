"""The ``finlib`` command: a thin layer over functions a notebook or a test can call too.

Exit status: 0 done; 1 a report or notebook failed, or ``verify`` found a change; 2 bad input or usage.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from finlib.config import DEFAULT_DATA, DataSet
from finlib.core.period import Period
from finlib.errors import FinlibError, InputError, PublishError, UsageError, shown
from finlib.targets import check_target
from finlib.terminal import printable_output

if TYPE_CHECKING:
    from finlib.monitoring import Monitoring
    from finlib.report import Report

OK, FAILED, BAD_INPUT = 0, 1, 2


def monitor(data: DataSet, period: Period, last_reported: Period | None) -> Monitoring:
    """:func:`finlib.monitoring.monitor`, imported when a command first needs it, so that pandas loads
    after ``finlib report`` has started its workers rather than before."""
    from finlib.monitoring import monitor as compute

    return compute(data, period, last_reported)


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
    publish.add_argument(
        "--reason", help="why: the published position is superseded, or published without every sign-off"
    )
    publish.add_argument(
        "--without-signoff",
        action="store_true",
        help="publish although directorates are not signed off, with --reason (kept in the manifest and the record)",
    )
    publish.add_argument(
        "--allow-missing-explanations",
        metavar="REASON",
        help="publish although explanations are missing, saying why (kept in the manifest and the record)",
    )
    signoff_parser = commands.add_parser(
        "signoff", help="record a Corporate Director's sign-off of a directorate's position after adjustments"
    )
    _common(signoff_parser)
    signoff_parser.add_argument("--directorate", required=True, help="the directorate, as the budget book names it")
    signoff_parser.add_argument("--by", required=True, metavar="NAME", help="the Corporate Director signing off")
    signoff_parser.add_argument("--note", metavar="TEXT", help="a note kept with the sign-off")
    verify_parser = commands.add_parser("verify", help="re-check a published period against its manifests")
    verify_parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="the data set folder (default: %(default)s)"
    )
    checked = verify_parser.add_mutually_exclusive_group(required=True)
    checked.add_argument("--period", help="the published period, YYYY-MM, with the periods it compares with")
    checked.add_argument("--all", action="store_true", help="every published period of the data set")
    verify_parser.add_argument(
        "--fingerprint", metavar="HEX", help="a fingerprint copied from a paper: which version of --period it is"
    )
    report = commands.add_parser("report", help="execute the notebooks and render the HTML pack")
    _common(report)
    _restricted(report)
    report.add_argument("--out", type=Path, required=True, help="folder to write the reports into")
    report.add_argument("--committee", help="produce only this committee's extract (a key of the committees file)")
    report.add_argument("--workers", type=int, help="notebooks run at once (default: the number of cores)")
    report.add_argument("--fresh-kernels", action="store_true", help="start a new kernel for every notebook")
    report.add_argument("--pdf", action="store_true", help="also write each report as a tagged A4 PDF (needs Chromium)")
    site_parser = commands.add_parser("site", help="write a browsable archive of every published period")
    site_parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="the data set folder (default: %(default)s)"
    )
    site_parser.add_argument("--out", type=Path, required=True, help="folder to write the site into")
    site_parser.add_argument(
        "--pdf", action="store_true", help="also write each paper as a tagged A4 PDF (needs Chromium)"
    )
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
    _returns_parsers(commands)
    return parser


def _returns_parsers(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    returns_parser = commands.add_parser("returns", help="budget managers' forecast returns: issue, collect, status")
    steps = returns_parser.add_subparsers(dest="step", required=True, parser_class=_Parser)

    def period_options(parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--data", type=Path, default=DEFAULT_DATA, help="the data set folder (default: %(default)s)"
        )
        parser.add_argument("--period", required=True, help="the monitoring period, YYYY-MM")

    issue = steps.add_parser("issue", help="write one .xlsx return per budget manager")
    period_options(issue)
    issue.add_argument("--out", type=Path, required=True, help="folder to write the returns into")
    issue.add_argument(
        "--enter",
        choices=("outturn", "variance"),
        default="outturn",
        help="what managers enter: the forecast outturn (default) or the variance against the budget",
    )
    for name, text in (
        ("collect", "check every returned workbook and write the period's forecasts.csv and explanations.csv"),
        ("status", "which returns are in, missing, invalid, unchanged or to challenge"),
    ):
        step = steps.add_parser(name, help=text)
        period_options(step)
        step.add_argument("folder", type=Path, help="the folder holding the returned workbooks")
        step.add_argument(
            "--without",
            action="append",
            default=[],
            metavar="MANAGER",
            help="leave this manager's return out: their lines keep the forecast last reported (repeatable)",
        )
        if name == "collect":
            step.add_argument("--reason", help="why the returns named by --without are left out")
            step.add_argument(
                "--replace",
                action="store_true",
                help="replace forecasts.csv or explanations.csv made by hand (a copy is kept in replaced/)",
            )


def returns_command(args: argparse.Namespace) -> int:
    from finlib import returns
    from finlib.render.returns import status_summary

    data, period = DataSet(args.data), _period(args)
    if args.step == "issue":
        check_target(args.out, data, folder=True)
        written = returns.issue(data, period, args.out, args.enter)
        print(f"{period}: wrote {len(written)} returns and {returns.ISSUED} to {shown(args.out)}")
        return OK
    if args.step == "status":
        statuses, paths = returns.status(data, period, args.folder, args.without)
        width = max((len(s.manager) for s in statuses), default=7)
        for s in statuses:
            detail = f"{s.file}, {s.detail}" if s.detail and s.file else s.detail
            notes = [n for n in ("unchanged" if s.unchanged else "", _challenged(s.challenged), detail) if n]
            print(f"  {s.manager:<{width}}  {s.state:<8}  {'; '.join(notes)}".rstrip())
        print(status_summary(period, statuses))
        print("Written: " + ", ".join(shown(p) for p in paths))
        return OK
    collected = returns.collect(data, period, args.folder, args.without, args.reason, args.replace, quiet=False)
    if collected.unchanged:
        print(f"{period}: the period's files are already as collected from {collected.returned} returns")
    else:
        listed = ", ".join(shown(p) for p in collected.written)
        print(f"{period}: collected {collected.returned} returns into {listed}")
    for manager, reason in collected.left_out.items():
        print(f"  left out: {manager} ({reason}): their lines keep the forecast last reported")
    for path in collected.replaced:
        print(f"  the file made by hand is kept as {shown(path)}")
    return OK


def _challenged(lines: tuple[str, ...]) -> str:
    return f"to challenge: {', '.join(lines)}" if lines else ""


def _period(args: argparse.Namespace) -> Period:
    return Period.parse(args.period)


def _last(args: argparse.Namespace) -> Period | None:
    return Period.parse(args.last_reported, "--last-reported") if args.last_reported else None


def report(args: argparse.Namespace) -> int:
    """Run the monthly pack; print each report written, what the business partner should look at, failures."""
    from finlib import pack

    check_target(args.out, args.data, folder=True)
    run = pack.monthly_pack(
        args.data,
        _period(args),
        args.out,
        last_reported=_last(args),
        committee=args.committee,
        restricted=args.restricted,
        workers=args.workers,
        fresh_kernels=args.fresh_kernels,
        exporters=pack.WITH_PDF if args.pdf else pack.DEFAULT,
    )
    for note in run.notes:
        print(note)
    for outcome in run.result.outcomes:
        if outcome.ok:
            written = ", ".join(shown(path) for path in outcome.written.values())
            print(f"{outcome.job.name}: {written} ({outcome.seconds:.1f} s)")
    if run.unassigned:
        print(
            f"{len(run.unassigned)} heading(s) in no committee's remit (listed in {shown(run.working)}):",
            file=sys.stderr,
        )
        for heading in run.unassigned:
            print(f"  {heading}", file=sys.stderr)
    if run.missing:
        print(f"{len(run.missing)} explanation(s) needed (listed in {shown(run.working)}):", file=sys.stderr)
        for item in run.missing:
            print(f"  {item.described()}", file=sys.stderr)
    if run.unnamed:
        print(
            f"{run.unnamed} more explanation(s) or capital warning(s) concern exempt items: "
            "run with --restricted to see them",
            file=sys.stderr,
        )
    for warning in run.capital_warnings:
        print(f"capital warning: {warning}", file=sys.stderr)
    for outcome in run.failed:
        record = f"; executed notebook kept as {shown(outcome.record)}" if outcome.record else ""
        print(f"finlib: report {outcome.job.name} failed at {outcome.error}{record}", file=sys.stderr)
    if run.failed and all(outcome.cannot_write for outcome in run.failed):
        return BAD_INPUT  # nothing wrong with a report: the output folder cannot take it
    return FAILED if run.failed else OK


def _report_model(args: argparse.Namespace) -> Report:
    """The period's report model, public unless ``--restricted``."""
    from finlib.report import build_report

    return build_report(monitor(DataSet(args.data), _period(args), _last(args)), restricted=args.restricted)


def scenario(args: argparse.Namespace) -> int:
    """Print the what-if table of a scenario file; with --out, write it as CSV and HTML too."""
    from finlib.explorer import gather_scenario
    from finlib.render.explorer_html import scenario_page
    from finlib.render.scenario import scenario_lines, write_scenario

    data = DataSet(args.data)
    if args.out:
        check_target(args.out, data, folder=True)
    monitoring = monitor(data, _period(args), _last(args))
    view = gather_scenario(data, monitoring, args.scenario)
    assert view is not None
    print("\n".join(scenario_lines(view)))
    if args.out:
        written = write_scenario(view, args.out, scenario_page(view, monitoring.settings.name))
        print(f"{args.period}: wrote {', '.join(shown(path) for path in written)}")
    return OK


def export(args: argparse.Namespace) -> int:
    """Write the period's tables to one workbook: Authority, a sheet per directorate, Capital.

    The public version (exempt items as one row) unless ``--restricted``, as ``finlib tables``; the
    officers' workbook is named ``<name>.restricted.xlsx`` (unless its name already says so).
    """
    from finlib.render.files import restricted_name
    from finlib.render.xlsx import write_xlsx

    target = restricted_name(args.xlsx) if args.restricted else args.xlsx
    check_target(target, args.data, folder=False, option="--xlsx")
    path = write_xlsx(_report_model(args), target)
    print(f"{args.period}: wrote {shown(path)}")
    return OK


def tables(args: argparse.Namespace) -> int:
    from finlib.render.csv import write_tables

    check_target(args.out, args.data, folder=True)
    written = write_tables(_report_model(args), args.out)
    print(f"{args.period}: wrote {len(written)} tables to {shown(args.out)}")
    return OK


def validate(args: argparse.Namespace) -> int:
    from finlib.monitoring import validate as check

    result = check(DataSet(args.data), _period(args), _last(args))
    print(f"{args.period}: inputs are valid ({len(result.position.lines)} budget lines).")
    return OK


def publish(args: argparse.Namespace) -> int:
    from finlib.monitoring import publish as freeze

    folder = freeze(
        DataSet(args.data),
        _period(args),
        _last(args),
        args.supersede,
        args.reason,
        args.allow_missing_explanations,
        args.without_signoff,
    )
    print(f"{args.period}: published as {shown(folder)}")
    return OK


def signoff(args: argparse.Namespace) -> int:
    """Record a sign-off; say where, and which directorates are still to sign off before publishing."""
    from finlib.monitoring import sign_off
    from finlib.store.published import described

    path, found = sign_off(DataSet(args.data), _period(args), args.directorate, args.by, args.note, _last(args))
    print(f"{args.period}: {args.directorate} signed off by {args.by.strip()}, recorded in {shown(path)}")
    waiting = [status for status in found if not status.signed]
    if not waiting:
        print(f"{args.period}: every directorate is signed off; it can be published (finlib publish).")
        return OK
    print(f"{args.period}: {len(waiting)} directorate(s) still to sign off before publishing:")
    for status in waiting:
        print(f"  {described(status)}")  # void: names the roles changed
    return OK


def verify(args: argparse.Namespace) -> int:
    """Re-check a published period (or ``--all``): every finding (file, what changed) and exit 1, or what
    was checked and 0; ``--fingerprint`` says which version a paper's fingerprint is, or exit 1."""
    from finlib import store
    from finlib.store.verify import check_fingerprint, verify_all

    data = DataSet(args.data)
    if args.fingerprint is not None and args.period is None:
        raise UsageError("--fingerprint names a version of --period: give --period YYYY-MM with it")
    period = _period(args) if args.period is not None else None
    what = str(period) if period is not None else "published/"
    findings = store.verify(data, period) if period is not None else verify_all(data)
    if findings:
        count = len(findings)
        print(f"{what}: {count} file{'s' if count != 1 else ''} changed since publication:")
        for finding in findings:
            print(f"  {finding}")
        return FAILED
    if period is None:
        periods = [p for year in store.published_years(data) for p in store.published_periods(data, year)]
        print(f"published/: verified: {len(periods)} periods, their versions, the chain and the record, as published.")
        return OK
    record = store.manifest(data, period)
    listed = ", ".join(f"v{v}" for v in store.versions(data, period))
    print(
        f"{period}: verified: the position files of {listed}, the chain back to the year's first report, and "
        f"the {len(record.inputs)} input files of v{record.version} are as published."
    )
    if args.fingerprint is None:
        return OK
    found = check_fingerprint(data, period, args.fingerprint)
    if found is None:
        print(f"{period}: no published version has the fingerprint {args.fingerprint.strip()!r}: not this record")
        return FAILED
    version, now = found
    state = "the current version" if now else "superseded since"
    print(f"{period}: the fingerprint is version {version}'s, {state}.")
    return OK


def site(args: argparse.Namespace) -> int:
    """Write the archive of every published period; say how many files changed."""
    from finlib.site import build_site

    check_target(args.out, args.data, folder=True)
    run = build_site(args.data, args.out, pdf=args.pdf)
    years = sorted({str(p.financial_year) for p in run.periods})
    print(
        f"{len(run.periods)} published period(s) of {', '.join(years)}: wrote {len(run.written)} file(s) in "
        f"{shown(args.out)}, {run.unchanged} already up to date; start at {shown(args.out / 'index.html')}"
    )
    return OK


COMMANDS = {
    "validate": validate,
    "tables": tables,
    "publish": publish,
    "signoff": signoff,
    "verify": verify,
    "report": report,
    "scenario": scenario,
    "export": export,
    "site": site,
    "returns": returns_command,
}


def _stop(signal_number: int, frame: object) -> None:
    """SIGTERM: leave as Ctrl-C does, through every clean-up (a report run stops its workers and kernels)."""
    raise SystemExit(128 + signal_number)


def run(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    main_thread = threading.current_thread() is threading.main_thread()  # only there can a handler be set
    previous = signal.signal(signal.SIGTERM, _stop) if main_thread else None
    try:
        return COMMANDS[args.command](args)
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous or signal.SIG_DFL)


def main(argv: list[str] | None = None) -> int:
    """The command line: what it prints never holds a control character of the data (:mod:`finlib.terminal`)."""
    if argv is None:  # run as the command, in a process of its own
        _without_data_synthesis()
    with printable_output():
        return _main(sys.argv[1:] if argv is None else argv)


def _without_data_synthesis() -> None:
    """pandera imports Hypothesis, when it is installed (the dev extras), on its first check, to offer data
    synthesis that no command uses: 0.12 s of every command.  A command's process never imports it."""
    if "hypothesis" not in sys.modules:
        sys.modules["hypothesis"] = None  # type: ignore[assignment]


def _main(argv: list[str]) -> int:
    try:
        return run(argv)
    except InputError as error:
        print(error, file=sys.stderr)
        return BAD_INPUT
    except (UsageError, PublishError) as error:
        print(f"finlib: {error}", file=sys.stderr)
        return BAD_INPUT
    except FinlibError as error:
        print(f"finlib: {error}", file=sys.stderr)
        return FAILED
    except OSError as error:  # a read-only or full disk, a permission refused, a file in the way
        said = described_os_error(error)
        print(f"finlib: cannot write there: {said}; nothing was left under its name", file=sys.stderr)
        return BAD_INPUT


def described_os_error(error: OSError) -> str:
    """An operating system's refusal in words: the path, then why (``No space left on device``)."""
    why = error.strerror or str(error)
    paths = [shown(p) for p in (error.filename, error.filename2) if p is not None]
    return f"{' → '.join(paths)}: {why}" if paths else why


if __name__ == "__main__":
    sys.exit(main())
