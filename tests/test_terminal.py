"""What the commands print: control characters of the data escaped, everything else as it is."""

from __future__ import annotations

import io
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from finlib.pack.progress import Progress
from finlib.terminal import CONTROL, Printable, printable, printable_output


@given(st.text())
def test_nothing_printable_holds_a_control_character(text: str) -> None:
    shown = printable(text)
    assert CONTROL.search(shown) is None
    assert shown.count("\n") == text.count("\n") and shown.count("\t") == text.count("\t")


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cf"))))
def test_text_without_controls_is_printed_as_it_is(text: str) -> None:
    assert printable(text) == text


def test_each_control_is_written_as_its_escape() -> None:
    assert (
        printable("a\x1b[2Jb\rc\x00d\x7f\x85\u202e\u2066e\n\tf")
        == "a\\x1b[2Jb\\x0dc\\x00d\\x7f\\x85\\u202e\\u2066e\n\tf"
    )


def test_the_streams_are_escaped_for_the_command_and_restored_after() -> None:
    before = sys.stderr
    with printable_output():
        assert isinstance(sys.stderr, Printable)
        print("name\x1b[31m", file=sys.stderr)
    assert sys.stderr is before


def test_a_progress_bar_draws_on_the_stream_underneath(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = io.StringIO()
    terminal.isatty = lambda: True  # type: ignore[method-assign]
    monkeypatch.setattr(sys, "stderr", Printable(terminal))
    with Progress(2, "Reports", "report") as bar:
        bar.done("cabinet\x1b[2J")
    drawn = terminal.getvalue()
    assert "\r" in drawn, "the bar's own carriage returns reach the terminal"
    assert "cabinet\\x1b[2J" in drawn and "\x1b[2J" not in drawn, "the name in it is escaped"
