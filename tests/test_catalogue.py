"""The catalogue of input files: every kind declared once, each with an exempt-items rule that holds.

The leak test is driven by the catalogue alone: for every kind of period input it plants tell-tale text
in every free-text column of rows about an exempt item (or of every row, for a file that is never
published), builds every public output, and finds none of it; the officers' version shows what the
rule allows it to.  A new kind of file is covered the moment it is declared.
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from pathlib import Path
from typing import Any, cast

import pandas as pd
import pytest

from finlib.config import DataSet
from finlib.core.budget import change_kind, changes_frame, line_changes, reconcile
from finlib.core.kinds import PeriodKind
from finlib.core.parsed import PeriodInputs
from finlib.core.records import Records, Refers, Treatment
from finlib.core.stage import Monitoring, stage
from finlib.inputs import catalogue, load_period
from finlib.inputs.catalogue import FileKind, Scope
from finlib.inputs.schemas import FINANCIAL_YEAR_EXPECTED
from finlib.money import AMOUNT_EXPECTED
from finlib.render import html
from finlib.render.csv import table_csv, table_files
from finlib.render.xlsx import xlsx_bytes
from finlib.report import build_report
from finlib.report.model import Report
from tests.conftest import write_tree
from tests.test_exempt import EXEMPT_TINY, leaks

#: Keys of exempt items in EXEMPT_TINY, by what a file's key column holds (Hush Tag: the tag of the exempt line
#: HUSH1, which is the whole of its heading, so its explanation is the one the officers read).
EXEMPT_KEYS = {Refers.LINE: "HUSH1", Refers.SCHEME: "CLANDESTINE", Refers.SUBJECT: "Hush Tag"}
#: Columns of an exempt line or scheme that its public row still shows (it is "Exempt items" of its directorate).
KEPT = {"directorate", "year"}


def free_text_columns(kind: FileKind) -> list[str]:
    """The columns of a file that hold free text (names, reasons, descriptions): not amounts, dates,
    financial years or words from a closed list."""
    assert kind.schema is not None
    found = []
    for name, column in kind.schema.columns.items():
        errors = [str(check.error or "") for check in column.checks]
        closed = any(
            e.startswith(("one of:", AMOUNT_EXPECTED, "a date written", FINANCIAL_YEAR_EXPECTED)) for e in errors
        )
        if not closed:
            found.append(name)
    return found


#: Columns that name a line, a scheme or a subject of the budget book in some input file.
ITEM_COLUMNS = {"line_id", "from_line_id", "to_line_id", "scheme_id", "heading", "subject", "tag", "division"}


def test_every_kind_must_declare_its_exempt_rule() -> None:
    exempt = next(f for f in dataclasses.fields(FileKind) if f.name == "exempt")
    assert exempt.default is dataclasses.MISSING and exempt.default_factory is dataclasses.MISSING
    assert len({kind.role for kind in catalogue.KINDS}) == len(catalogue.KINDS)
    for kind in catalogue.KINDS:
        rule = kind.exempt
        assert rule.why, f"{kind.role}: say why its rule is enough"
        if rule.treatment == Treatment.SETTINGS:  # the authority's own words, about no line or scheme
            assert rule.key is None and rule.refers is None and kind.schema is None, kind.role
        elif rule.treatment == Treatment.UNKEYED:  # a table of its own, naming no line or scheme
            assert rule.key is None and rule.refers is None and kind.schema is not None, kind.role
            assert not set(kind.schema.columns) & ITEM_COLUMNS, kind.role
        elif rule.treatment != Treatment.UNPUBLISHED:
            assert rule.key and rule.refers, kind.role
            assert kind.schema is not None and rule.key in kind.schema.columns, kind.role
        if rule.treatment == Treatment.HIDE_TEXT:
            assert set(rule.text) <= set(kind.schema.columns), kind.role  # type: ignore[union-attr]
            # the directorate stays shown: an exempt item's figures are its directorate's Exempt items
            shown = set(free_text_columns(kind)) - set(rule.keys) - KEPT
            assert set(rule.text) >= shown, f"{kind.role}: text left shown"
        if rule.treatment == Treatment.FIGURES:
            assert free_text_columns(kind) == [rule.key], f"{kind.role}: figures only, but it holds text"


def test_every_period_input_reaches_the_domain_under_its_role() -> None:
    fields = {f.name for f in dataclasses.fields(PeriodInputs)}
    for kind in catalogue.PERIOD_KINDS:
        # authority.yaml becomes the settings, a period's period.yaml its kind
        assert kind.role in fields or kind.role in ("authority", "period_settings"), f"{kind.role} is never parsed"


def test_every_file_a_period_may_hold_is_listed_for_verify(tiny: DataSet) -> None:
    from finlib.core.period import Period

    listed = {p.name for paths in catalogue.possible_inputs(tiny, Period(2017, 7)).values() for p in paths}
    for kind in catalogue.PERIOD_KINDS:
        assert set(kind.names) <= listed
    assert all(kind.scope != Scope.SCENARIOS for kind in catalogue.PERIOD_KINDS)


def tell_tale(kind: FileKind, column: str) -> str:
    return f"LEAK-{kind.role}-{column}"


def planted(inputs: PeriodInputs, kind: FileKind) -> tuple[PeriodInputs, list[str]]:
    """The inputs with tell-tales in a kind's rows about an exempt item (every row, for an unpublished
    file); returns them and the tell-tales."""
    value = getattr(inputs, kind.role)
    frame = value.frame if isinstance(value, Records) else value
    rule = kind.exempt
    if frame is None or frame.empty or rule.treatment == Treatment.FIGURES:  # figures hold no text to plant
        return inputs, []
    columns = [c for c in free_text_columns(kind) if c in frame.columns and c != rule.key and c not in KEPT]
    frame = frame.copy()
    key_column = rule.key if rule.key in frame.columns else None
    if rule.treatment == Treatment.UNPUBLISHED:
        rows = pd.Series(True, index=frame.index)
    elif rule.treatment == Treatment.MARKS:
        keys = frame.index if key_column is None else frame[key_column]
        rows = pd.Series(keys == EXEMPT_KEYS[rule.refers], index=frame.index)  # type: ignore[index]
    elif key_column is not None and bool((frame[key_column] == EXEMPT_KEYS[cast(Refers, rule.refers)]).any()):
        rows = pd.Series(frame[key_column] == EXEMPT_KEYS[cast(Refers, rule.refers)], index=frame.index)
    else:  # a new row about an exempt item, copied from the first
        extra = frame.iloc[[0]].copy()
        extra.index = [frame.index.max() + 1] if frame.index.dtype.kind in "iu" else ["EXTRA"]
        assert key_column is not None
        extra[key_column] = EXEMPT_KEYS[rule.refers]  # type: ignore[index]
        frame = pd.concat([frame, extra])
        rows = pd.Series(False, index=frame.index)
        rows.iloc[-1] = True
    texts = []
    for column in columns:
        frame.loc[rows, column] = tell_tale(kind, column)
        texts.append(tell_tale(kind, column))
    new: Any = value.replace_frame(frame) if isinstance(value, Records) else frame
    return dataclasses.replace(inputs, **{kind.role: new}), texts


def public_outputs(report: Report) -> str:
    """Everything a public run writes, as text: every report part (charts decoded), every CSV file, the
    working files and every part of the workbook."""
    parts = [*html.fragments(report)]
    parts += list(table_files(report, Path("out")).values())
    parts += [table_csv(report.missing_table), table_csv(report.warnings_table)]
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes(report))) as archive:
        parts += [archive.read(name).decode("utf-8", "replace") for name in archive.namelist()]
    return "\n".join(parts)


# files whose text only some reports print: budget changes, and the roll forward requests of an outturn
WITH_CHANGES = {
    **EXEMPT_TINY,
    "2017-18/2017-07/virements.csv": (
        "from_line_id,to_line_id,amount,reason,approved_by,date\n"
        "A1,A2,5000,Roads teams merged,Cabinet,2017-06-19\n"
        "HUSH1,A3,1000,Settlement budget released,Cabinet,2017-06-19\n"
        ",B1,2500,Library grant,Director A,2017-07-03\n"
    ),
    "2017-18/2017-07/roll_forwards.csv": (
        "category,amount,description,line_id\ncommitted,1000,Road resurfacing contract let,A1\n"
        "bids,2000,Settlement appeal costs,HUSH1\n"
    ),
}


@pytest.fixture(scope="module")
def exempt_inputs(tmp_path_factory: pytest.TempPathFactory) -> PeriodInputs:
    return load_period(write_tree(tmp_path_factory.mktemp("exempt") / "tiny", WITH_CHANGES), "2017-07")


def staged(inputs: PeriodInputs) -> Monitoring:
    """The position stage with the period's virements reconciled (each line's base is its budget less its
    changes) and read as an outturn, so that every report part that prints a file's text is built."""
    budget = None
    if inputs.virements is not None and len(inputs.virements):
        frame = inputs.virements.frame
        sides = zip(frame["from_line_id"], frame["to_line_id"], strict=True)
        frame = frame.assign(period=str(inputs.period), change=[change_kind(a, b).value for a, b in sides])
        changes = inputs.virements.replace_frame(changes_frame([frame]))
        now = inputs.forecasts["net_budget"]
        budget = reconcile(now - line_changes(changes.frame, now.index), changes, now, None)
    return dataclasses.replace(stage(inputs, budget=budget), kind=PeriodKind.OUTTURN)


@pytest.mark.parametrize("kind", [k for k in catalogue.PERIOD_KINDS if k.schema is not None], ids=lambda k: k.role)
def test_no_kind_of_file_reaches_a_public_output_unmasked(exempt_inputs: PeriodInputs, kind: FileKind) -> None:
    inputs, texts = planted(exempt_inputs, kind)
    public = public_outputs(build_report(staged(inputs)))
    officers = public_outputs(build_report(staged(inputs), restricted=True))
    assert not leaks(public), f"{kind.role}: {leaks(public)}"
    for text in texts:
        assert text not in public, f"{kind.role}: {text} in a public output"
    if kind.exempt.treatment in (Treatment.MARKS, Treatment.HIDE_TEXT, Treatment.DROP_ROWS) and texts:
        assert any(text in officers for text in texts), f"{kind.role}: nothing planted reached even the officers"
