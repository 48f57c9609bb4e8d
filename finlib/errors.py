"""The exceptions finlib raises, rooted at :class:`FinlibError`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class FinlibError(Exception):
    """Base of every error finlib raises on purpose."""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the inputs: where it is, what was found, what was expected."""

    file: str
    row: int | None = None
    column: str | None = None
    found: str | None = None
    expected: str = ""

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        text = ", ".join(where) + ":"
        if self.found is not None:
            text += f" found {self.found!r};"
        return f"{text} expected {self.expected}"


class InputError(FinlibError):
    """The inputs have problems; every one of them is listed, nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=_problem_order)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the inputs; nothing was written."
        super().__init__("\n".join([head, *(f"  {p}" for p in self.problems)]))


def _problem_order(problem: Problem) -> tuple[str, int, str, str]:
    return (problem.file, problem.row or 0, problem.column or "", problem.expected)


class UsageError(FinlibError):
    """A command or notebook was asked for something it cannot do (bad period, unknown parameter...)."""


class PublishError(FinlibError):
    """Publishing would overwrite or contradict what is already published."""


def shown(path: Path | str) -> str:
    """A path as it appears in messages: relative to the working folder when it is below it."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
