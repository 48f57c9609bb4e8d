"""Corporate Director sign-off: ``finlib signoff`` records a directorate's position as parsed; a change to
the directorate's rows of any input voids it, another directorate's change or a file re-saved in another
format does not; ``finlib publish`` refuses while a directorate is not signed off (or void), unless
``--without-signoff --reason``, which the manifest and the papers' publication record keep."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from finlib import monitoring, store
from finlib.cli import main
from finlib.config import DataSet
from finlib.core import signoff
from finlib.core.period import Period
from finlib.core.records import ExemptRule, Refers
from finlib.core.signoff import State
from finlib.errors import InputError, PublishError, UsageError
from finlib.render import html
from finlib.report import build_report
from finlib.store.manifest import parse_manifest
from finlib.store.signoffs import SIGNOFFS
from tests.conftest import TINY, write_tree
from tests.factories import SIGNED_AT, sign_off_every_directorate
from tests.test_inputs import as_workbooks

JULY = Period(2017, 7)
ALPHA, BETA = "Alpha Services", "Beta & Gamma"
FORECASTS = "2017-18/2017-07/forecasts.csv"
ADJUSTMENTS = "2017-18/2017-07/adjustments.csv"
ROLL_FORWARDS = "2017-18/2017-07/roll_forwards.csv"
EXPLANATIONS = "2017-18/2017-07/explanations.csv"
BOOK = "2017-18/budget_book.csv"
AT = dt.datetime(2017, 8, 14, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))  # 09:30 UTC, in BST


def sign(data: DataSet, directorate: str, by: str = "Dana Director", **kwargs: object) -> list[signoff.Status]:
    _, found = monitoring.sign_off(data, "2017-07", directorate, by, clock=lambda: AT, **kwargs)  # type: ignore[arg-type]
    return found


def states(data: DataSet) -> dict[str, tuple[State, tuple[str, ...]]]:
    return {s.directorate: (s.state, s.changed) for s in monitoring.signoff_statuses(data, "2017-07")}


def signoffs_file(data: DataSet) -> Path:
    return data.period_dir(JULY) / SIGNOFFS


def publish(data: DataSet, *extra: str) -> int:
    return main(["publish", "--data", str(data.root), "--period", "2017-07", *extra])


# ---------------------------------------------------------------------------
# Signing off


def test_signing_off_records_who_when_and_the_directorates_rows(
    tiny: DataSet, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["signoff", "--data", str(tiny.root), "--period", "2017-07", "--directorate", ALPHA]
    assert main([*args, "--by", "  Dana Director ", "--note", "Checked with the business partner"]) == 0
    out = capsys.readouterr().out
    assert f"2017-07: {ALPHA} signed off by Dana Director, recorded in" in out
    assert f"1 directorate(s) still to sign off before publishing:\n  {BETA}: not signed off" in out
    text = signoffs_file(tiny).read_text(encoding="utf-8")
    doc = json.loads(text)
    assert text == json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=False) + "\n"  # canonical
    assert doc["period"] == "2017-07" and list(doc["signoffs"]) == [ALPHA]
    entry = doc["signoffs"][ALPHA]
    assert (entry["by"], entry["note"]) == ("Dana Director", "Checked with the business partner")
    assert dt.datetime.fromisoformat(entry["signed_at"]).utcoffset() == dt.timedelta(0)
    # the roles of Alpha's rows: its lines, forecasts, adjustments, the roll forward of A3, the kind of period
    assert set(entry["digests"]) == {"adjustments", "budget_book", "forecasts", "period_settings", "roll_forwards"}
    assert not list(tiny.period_dir(JULY).glob(f".{SIGNOFFS}.*"))  # written under a temporary name, renamed
    assert states(tiny) == {ALPHA: (State.SIGNED, ()), BETA: (State.NOT_SIGNED, ())}


def test_the_time_comes_from_the_clock_given_and_is_kept_in_utc(tiny: DataSet) -> None:
    sign(tiny, ALPHA)
    (entry,) = store.read_signoffs(tiny, JULY).values()
    assert entry.signed_at == "2017-08-14T09:30:00+00:00"


def test_signing_again_replaces_the_directorates_entry(tiny: DataSet, capsys: pytest.CaptureFixture[str]) -> None:
    sign(tiny, ALPHA, "First Director")
    sign(tiny, BETA, "Beta Director")
    write_tree(tiny.root, {FORECASTS: TINY[FORECASTS].replace('A1,"1,000.00",12.34', 'A1,"1,000.00",99.00')})
    assert states(tiny)[ALPHA] == (State.VOID, ("forecasts",))
    found = sign(tiny, ALPHA, "Second Director", note="after the late forecast")
    assert all(s.signed for s in found)
    signed = store.read_signoffs(tiny, JULY)
    assert sorted(signed) == [ALPHA, BETA]
    assert (signed[ALPHA].by, signed[ALPHA].note, signed[BETA].by) == (
        "Second Director",
        "after the late forecast",
        "Beta Director",
    )
    assert main(["signoff", "--data", str(tiny.root), "--period", "2017-07", "--directorate", BETA, "--by", "B"]) == 0
    assert "every directorate is signed off; it can be published" in capsys.readouterr().out


def test_an_unknown_directorate_is_refused_naming_the_known_ones(
    tiny: DataSet, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["signoff", "--data", str(tiny.root), "--period", "2017-07", "--directorate", "Alfa Services"]
    assert main([*args, "--by", "Dana Director"]) == 2
    err = capsys.readouterr().err
    assert "'Alfa Services' is not a directorate of the budget book (did you mean 'Alpha Services'?)" in err
    assert f"The directorates to sign off are: {ALPHA}; {BETA}" in err
    assert not signoffs_file(tiny).exists()


def test_a_blank_name_is_refused(tiny: DataSet, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["signoff", "--data", str(tiny.root), "--period", "2017-07", "--directorate", ALPHA, "--by", " "]
    assert main(args) == 2
    assert "--by needs the name of the Corporate Director" in capsys.readouterr().err
    assert not signoffs_file(tiny).exists()


def test_the_inputs_are_checked_first_and_nothing_is_written(tiny: DataSet, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(tiny.root, {FORECASTS: TINY[FORECASTS].replace("12.34", "12..34")})
    args = ["signoff", "--data", str(tiny.root), "--period", "2017-07", "--directorate", ALPHA, "--by", "D"]
    assert main(args) == 2
    assert "forecasts.csv, row 2, column net_forecast_variance: found '12..34'" in capsys.readouterr().err
    assert not signoffs_file(tiny).exists()


def test_a_damaged_signoffs_file_is_named_and_left_as_it_is(tiny: DataSet, capsys: pytest.CaptureFixture[str]) -> None:
    signoffs_file(tiny).write_text('{"period": "2017-07", "signoffs": {"Alpha Services": {"by": 3}}}\n')
    before = signoffs_file(tiny).read_bytes()
    args = ["signoff", "--data", str(tiny.root), "--period", "2017-07", "--directorate", ALPHA, "--by", "D"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "signoffs.json: found \"signoffs.Alpha Services: no field 'digests'\"" in err
    assert "as finlib signoff writes it" in err
    assert publish(tiny) == 2
    assert "signoffs.json" in capsys.readouterr().err
    assert signoffs_file(tiny).read_bytes() == before
    assert not (tiny.root / "published").exists()


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        '{"period": "2017-05", "signoffs": {}}',
        '{"period": "2017-07", "signoffs": {"Alpha Services": {"by": "D", "signed_at": "x", "digests": {"f": "1"}}}}',
        '{"period": "2017-07", "signoffs": {}, "extra": 1}',
    ],
    ids=["not-json", "another-period", "not-a-digest", "unknown-field"],
)
def test_every_kind_of_damage_is_an_input_problem(tiny: DataSet, text: str) -> None:
    signoffs_file(tiny).write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=r"signoffs\.json"):
        store.read_signoffs(tiny, JULY)


# ---------------------------------------------------------------------------
# What voids a sign-off, and what does not

CHANGES = {
    "an amount of its forecasts": (FORECASTS, "A2,£2000,(5.01)", "A2,£2000,(6.01)", ("forecasts",)),
    "the reason of its adjustment": (ADJUSTMENTS, "More action", "Other action", ("adjustments",)),
    "its roll forward": (
        ROLL_FORWARDS,
        "committed,4.00,Grant carried",
        "committed,5.00,Grant carried",
        ("roll_forwards",),
    ),
    "a heading of its lines": (
        BOOK,
        "A3,Alpha Services,South,Parks,",
        "A3,Alpha Services,South,Gardens,",
        ("budget_book",),
    ),
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_a_change_to_the_directorates_rows_voids_its_signoff_and_only_its(tiny: DataSet, change: str) -> None:
    name, old, new, roles = CHANGES[change]
    sign(tiny, ALPHA)
    sign(tiny, BETA)
    text = (tiny.root / name).read_text(encoding="utf-8")
    assert old in text
    write_tree(tiny.root, {name: text.replace(old, new)})
    assert states(tiny) == {ALPHA: (State.VOID, roles), BETA: (State.SIGNED, ())}


def test_an_explanation_of_its_heading_or_about_the_directorate_voids_it(tiny: DataSet) -> None:
    sign(tiny, ALPHA)
    sign(tiny, BETA)
    write_tree(tiny.root, {EXPLANATIONS: "subject,about,text\nLibraries,variance,More visitors\n"})
    assert states(tiny) == {ALPHA: (State.SIGNED, ()), BETA: (State.VOID, ("explanations",))}
    sign(tiny, BETA)
    summary = "subject,about,text\nLibraries,variance,More visitors\nAlpha Services,summary,Roads held\n"
    write_tree(tiny.root, {EXPLANATIONS: summary})
    assert states(tiny) == {ALPHA: (State.VOID, ("explanations",)), BETA: (State.SIGNED, ())}
    authority = summary + ",authority,The authority's own paragraph\n"  # about no directorate
    sign(tiny, ALPHA)
    write_tree(tiny.root, {EXPLANATIONS: authority})
    assert all(state == State.SIGNED for state, _ in states(tiny).values())


def test_another_directorates_change_or_the_authoritys_leaves_it_standing(tiny: DataSet) -> None:
    sign(tiny, ALPHA)
    write_tree(
        tiny.root,
        {
            FORECASTS: TINY[FORECASTS].replace("B1,-300,2.5", "B1,-300,7.5").replace("F1,700,-20.49", "F1,700,-1"),
            ROLL_FORWARDS: TINY[ROLL_FORWARDS].replace("bids,1.50,Bid,", "bids,9.50,Another bid,"),
        },
    )
    assert states(tiny)[ALPHA] == (State.SIGNED, ())


def test_the_same_figures_in_another_format_leave_it_standing(tiny: DataSet) -> None:
    sign(tiny, ALPHA)
    sign(tiny, BETA)
    reformatted = (
        "  Net_Forecast_Variance , LINE_ID ,net_budget,notes\r\n"
        '12.34,A1,1000,\r\n-5.01,A2,"£2,000.00",\r\n0.05 , A3 ,500,typed again\r\n2.50,B1,(300.00),\r\n'
        "60.00,B2,0.00,\r\n-20.49,F1,700.00,\r\n8.00,S1,0,\r\n"
    )
    adjustments = TINY[ADJUSTMENTS].replace("-2.00", "(2.00)").replace("3.00", "£3")
    write_tree(
        tiny.root, {FORECASTS: reformatted, ADJUSTMENTS: adjustments, "2017-18/2017-07/period.yaml": "kind: monthly\n"}
    )
    assert states(tiny) == {ALPHA: (State.SIGNED, ()), BETA: (State.SIGNED, ())}


def test_a_csv_saved_as_a_workbook_leaves_it_standing(tiny: DataSet) -> None:
    sign_off_every_directorate(tiny, "2017-07")
    as_workbooks(tiny)
    assert all(state == State.SIGNED for state, _ in states(tiny).values())


def test_rows_added_for_the_directorate_void_it(tiny: DataSet) -> None:
    sign(tiny, BETA)
    write_tree(tiny.root, {ADJUSTMENTS: TINY[ADJUSTMENTS] + "B1,-10.00,New action,Director B,2017-08-13\n"})
    assert states(tiny)[BETA] == (State.VOID, ("adjustments",))


def test_digests_are_of_values_not_of_where_a_row_is() -> None:
    rule = ExemptRule.hide_text("line_id", Refers.LINE, "reason")
    frame = pd.DataFrame({"_row": [2, 3], "line_id": ["A1", "B1"], "amount": pd.array([100, 5], dtype="Int64")})
    moved = pd.DataFrame({"_row": [7, 4], "line_id": ["A1", "B1"], "amount": pd.array([100, 6], dtype="Int64")})
    within = signoff.Scope(frozenset({"A1"}), frozenset(), frozenset())
    assert signoff.digests({"x": (frame, rule)}, within) == signoff.digests({"x": (moved, rule)}, within)
    other = signoff.Scope(frozenset({"B1"}), frozenset(), frozenset())
    assert signoff.digests({"x": (frame, rule)}, other) != signoff.digests({"x": (moved, rule)}, other)
    assert signoff.digests({"x": (frame, ExemptRule.settings("none"))}, within) == {}


# ---------------------------------------------------------------------------
# Publishing


def test_publish_refuses_a_directorate_not_signed_off(tiny: DataSet, capsys: pytest.CaptureFixture[str]) -> None:
    sign(tiny, ALPHA)
    assert publish(tiny) == 2
    err = capsys.readouterr().err
    assert "2017-07: 1 directorate is not signed off, or signed off before an input changed; nothing was written" in err
    assert f"  {BETA}: not signed off" in err and ALPHA not in err
    assert 'finlib signoff --period 2017-07 --directorate "DIRECTORATE" --by "NAME"' in err
    assert '--without-signoff --reason "..."' in err
    assert not (tiny.root / "published").exists()


def test_publish_refuses_a_void_signoff_naming_the_file_changed(
    tiny: DataSet, capsys: pytest.CaptureFixture[str]
) -> None:
    sign_off_every_directorate(tiny, "2017-07")
    write_tree(tiny.root, {ADJUSTMENTS: TINY[ADJUSTMENTS].replace("Schools reserve", "Schools reserve drawn")})
    with pytest.raises(PublishError) as refused:
        monitoring.publish(tiny, "2017-07")
    assert f"{ALPHA}: signed off by A Corporate Director (14 August 2017, 10:30 BST), void: its rows of " in str(
        refused.value
    )
    assert "adjustments.csv changed since" in str(refused.value)
    assert BETA not in str(refused.value)
    assert not (tiny.root / "published").exists()


def test_publish_with_every_directorate_signed_off_keeps_the_signoffs(tiny: DataSet) -> None:
    sign_off_every_directorate(tiny, "2017-07")
    signed = store.read_signoffs(tiny, JULY)
    assert publish(tiny) == 0
    record = store.manifest(tiny, JULY)
    assert record.signoffs == signed and record.without_signoff is None
    doc = json.loads((tiny.published_period(JULY) / "v1" / "manifest.json").read_text(encoding="utf-8"))
    assert doc["signoffs"][ALPHA]["signed_at"] == SIGNED_AT.isoformat()
    assert doc["without_signoff"] is None
    assert main(["verify", "--data", str(tiny.root), "--period", "2017-07"]) == 0  # signoffs.json is no input


def test_publish_without_signoff_keeps_the_reason_and_the_directorates(
    tiny: DataSet, capsys: pytest.CaptureFixture[str]
) -> None:
    sign(tiny, ALPHA)
    reason = "Beta's director is away <script>alert(1)</script>"
    assert publish(tiny, "--without-signoff", "--reason", f"  {reason} ") == 0
    record = store.manifest(tiny, JULY)
    assert list(record.signoffs) == [ALPHA]
    assert record.without_signoff == signoff.WithoutSignOff(reason, (BETA,))
    doc = json.loads((tiny.published_period(JULY) / "v1" / "manifest.json").read_text(encoding="utf-8"))
    assert doc["without_signoff"] == {"reason": reason, "directorates": [BETA]}
    assert doc["supersedes"] is None  # --reason says why for --without-signoff here
    # the papers' publication record: each directorate's sign-off, escaped like the rest
    report = build_report(monitoring.monitor(tiny, "2017-07"))
    rows = report.appendix.signoffs.frame[["period", "directorate", "signoff"]].values.tolist()
    assert rows == [
        ["2017-07", ALPHA, "Signed off by Dana Director on 14 August 2017"],
        ["2017-07", BETA, f"Published without sign-off: {reason}"],
    ]
    markup = html.appendix(report)
    assert "<script>" not in markup and "&lt;script&gt;alert(1)&lt;/script&gt;" in markup
    text = BeautifulSoup(markup, "html.parser").get_text()
    assert "Signed off by Dana Director on 14 August 2017" in text
    assert f"Published without sign-off: {reason}" in text


def test_without_signoff_needs_a_reason_and_a_reason_needs_a_use(
    tiny: DataSet, capsys: pytest.CaptureFixture[str]
) -> None:
    assert publish(tiny, "--without-signoff") == 2
    assert "--without-signoff needs --reason TEXT" in capsys.readouterr().err
    assert publish(tiny, "--without-signoff", "--reason", "  ") == 2
    assert "--without-signoff needs --reason TEXT" in capsys.readouterr().err
    assert publish(tiny, "--reason", "no flag") == 2
    assert "--reason says why a position is published with --supersede or --without-signoff" in (
        capsys.readouterr().err
    )
    assert not (tiny.root / "published").exists()
    with pytest.raises(UsageError, match="needs --reason"):
        store.publish(tiny, monitoring.monitor(tiny, "2017-07"), without_signoff=True)


def test_with_every_directorate_signed_off_without_signoff_records_nothing(tiny: DataSet) -> None:
    sign_off_every_directorate(tiny, "2017-07")
    assert publish(tiny, "--without-signoff", "--reason", "just in case") == 0
    assert store.manifest(tiny, JULY).without_signoff is None


def test_a_supersession_is_signed_off_again_after_a_change(tiny: DataSet, capsys: pytest.CaptureFixture[str]) -> None:
    sign_off_every_directorate(tiny, "2017-07")
    assert publish(tiny) == 0
    write_tree(tiny.root, {ADJUSTMENTS: TINY[ADJUSTMENTS] + "B1,-10.00,Late action,Director B,2017-08-20\n"})
    assert publish(tiny, "--supersede", "--reason", "Late adjustment") == 2
    assert f"{BETA}: signed off by" in capsys.readouterr().err
    sign(tiny, BETA, "Beta Director")
    assert publish(tiny, "--supersede", "--reason", "Late adjustment") == 0
    versions = store.history(tiny, JULY)
    assert [m.signoffs[BETA].by for m in versions] == ["A Corporate Director", "Beta Director"]
    assert versions[1].supersedes is not None and versions[1].supersedes.reason == "Late adjustment"


def test_a_manifest_from_before_signoffs_still_reads() -> None:
    doc = {
        "period": "2017-05",
        "version": 1,
        "published_at": "2017-06-20T10:00:00+00:00",
        "finlib_version": "0.1.0",
        "inputs": {},
        "position_sha256": {},
    }
    record = parse_manifest(doc)
    assert record.signoffs == {} and record.without_signoff is None
    with pytest.raises(ValueError, match=r"without_signoff\.directorates"):
        parse_manifest({**doc, "without_signoff": {"reason": "r", "directorates": "all"}})


def test_the_appendix_names_each_directorates_signoff_of_the_period_compared(tiny: DataSet) -> None:
    sign_off_every_directorate(tiny, "2017-05")
    assert main(["publish", "--data", str(tiny.root), "--period", "2017-05"]) == 0
    report = build_report(monitoring.monitor(tiny, "2017-07"))
    table = report.appendix.signoffs
    assert table.caption == "Corporate Directors' sign-off of the published versions"
    assert table.frame[["directorate", "signoff"]].values.tolist() == [
        [ALPHA, "Signed off by A Corporate Director on 14 August 2017"],
        [BETA, "Signed off by A Corporate Director on 14 August 2017"],
    ]
    soup = BeautifulSoup(html.appendix(report), "html.parser")
    assert soup.find("table", id="signoffs") is not None


def test_the_samples_published_periods_were_each_signed_off() -> None:
    from tests.conftest import SAMPLE

    data = DataSet(SAMPLE)
    for year in store.published_years(data):
        for period in store.published_periods(data, year):
            record = store.manifest(data, period)
            assert record.without_signoff is None
            assert sorted(record.signoffs) == sorted(monitoring.monitor(data, period).signoff_digests), period
