"""What the commands print: never a control character of the data, raw.

A name, label or reason read from a data set may hold an escape sequence (``ESC [ 2 J`` clears the
screen, others retitle the window or hide what follows), a carriage return that writes over the start of
a line, or a right-to-left override that shows a line in another order than it is read.  Everything the
commands print goes through :class:`Printable`, which writes each such character as its escape
(``\\x1b``, ``\\r``, ``\\u202e``).  Line breaks and tabs stay as they are: the commands' own layout.  The
progress bar, which draws with control characters of its own, writes to the stream underneath.
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Iterator
from typing import IO, Any

#: C0 controls but tab and line feed, DEL, C1 controls, and the marks that reorder text on screen.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with every control character written as its escape."""
    return CONTROL.sub(_escape, text)


class Printable:
    """A text stream that writes to ``stream`` what it is given, control characters escaped."""

    def __init__(self, stream: IO[str]):
        self.unfiltered = stream

    def write(self, text: str) -> int:
        self.unfiltered.write(printable(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:  # flush, isatty, fileno, encoding...: the stream's own
        return getattr(self.unfiltered, name)


def unfiltered(stream: Any) -> Any:
    """The stream underneath a :class:`Printable` (what a progress bar draws on); any other as it is."""
    return stream.unfiltered if isinstance(stream, Printable) else stream


@contextlib.contextmanager
def printable_output() -> Iterator[None]:
    """Standard output and standard error as :class:`Printable` streams, for the duration."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = Printable(unfiltered(out)), Printable(unfiltered(err))  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err
