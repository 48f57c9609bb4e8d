"""Progress of long work, shown the same way everywhere: a bar on a terminal, one plain line an item in a
log (so that logs hold no control characters), nothing when asked to be quiet."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any


class Progress:
    """Counts items done: ``with Progress(6, "Reports", "report") as bar: ... bar.done("cabinet")``."""

    def __init__(self, total: int, desc: str, unit: str, enabled: bool = True):
        self.total = total
        self.unit = unit
        self.enabled = enabled
        self.terminal = enabled and sys.stderr.isatty()
        self.count = 0
        self._bar: Any = None
        self._desc = desc

    def __enter__(self) -> Progress:
        from tqdm import tqdm

        from finlib.terminal import unfiltered

        self._bar = tqdm(
            total=self.total,
            desc=self._desc,
            unit=self.unit,
            disable=not self.terminal,
            mininterval=0,
            file=unfiltered(sys.stderr),  # the bar's own control characters, under the escaping of the data's
        )
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._bar is not None:
            self._bar.close()

    def done(self, name: str, failed: bool = False) -> None:
        """One more item finished: ``report 2 of 6 done: policy-and-resources`` (with `` FAILED``)."""
        self.count += 1
        state = " FAILED" if failed else ""
        if self.terminal:
            from finlib.terminal import printable

            self._bar.set_postfix_str(printable(name) + state, refresh=False)
            self._bar.update()
        elif self.enabled:
            print(f"{self.unit} {self.count} of {self.total} done: {name}{state}", file=sys.stderr)
