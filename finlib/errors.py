"""The exceptions finlib raises, rooted at :class:`FinlibError`, and the collector of input problems."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
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
    sheet: str | None = None  # a workbook's sheet and cell (``B12``), for problems of a returned workbook
    cell: str | None = None

    def __str__(self) -> str:
        return f"{', '.join([self.file, *self._where()])}: {self._what()}"

    def at(self) -> str:
        """The problem without its file: ``sheet Forecast, cell M5: found …; expected …``."""
        where = ", ".join(self._where())
        return f"{where}: {self._what()}" if where else self._what()

    def _where(self) -> list[str]:
        named = (("sheet", self.sheet), ("cell", self.cell), ("row", self.row), ("column", self.column))
        return [f"{word} {value}" for word, value in named if value is not None]

    def _what(self) -> str:
        found = f"found {self.found!r}; " if self.found is not None else ""
        return f"{found}expected {self.expected}"


class InputError(FinlibError):
    """The inputs have problems; every one of them is listed, nothing was written."""

    def __init__(self, problems: Iterable[Problem]):
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


class FileProblems:
    """The problems of one file: ``at.add(row=4, column="net_budget", found="1.2.3", expected=...)``."""

    def __init__(self, problems: Problems, name: str):
        self._problems = problems
        self.name = name

    def add(
        self,
        *,
        row: int | None = None,
        column: str | None = None,
        found: str | None = None,
        expected: str,
        sheet: str | None = None,
        cell: str | None = None,
    ) -> None:
        self._problems.append(
            Problem(self.name, row=row, column=column, found=found, expected=expected, sheet=sheet, cell=cell)
        )


class Watch:
    """Whether any problem was found while a ``with problems.watch()`` block ran."""

    def __init__(self, problems: Problems):
        self._problems = problems
        self._start = len(problems)

    @property
    def clean(self) -> bool:
        return len(self._problems) == self._start


class Problems:
    """Problems collected from every file, raised together once everything has been checked.

    ``problems.at(path)`` reports problems of one file; ``with problems.watch() as watch:`` tells
    whether a step found any (``watch.clean``); :meth:`raise_if_any` raises :class:`InputError`.
    """

    def __init__(self, found: Iterable[Problem] = ()):
        self._found: list[Problem] = list(found)

    def append(self, problem: Problem) -> None:
        self._found.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        self._found.extend(problems)

    def at(self, path: Path | str) -> FileProblems:
        return FileProblems(self, path if isinstance(path, str) else shown(path))

    def watch(self) -> _WatchContext:
        return _WatchContext(self)

    def raise_if_any(self) -> None:
        if self._found:
            raise InputError(self._found)

    def __len__(self) -> int:
        return len(self._found)

    def __bool__(self) -> bool:
        return bool(self._found)

    def __iter__(self) -> Iterator[Problem]:
        return iter(list(self._found))


class _WatchContext:
    def __init__(self, problems: Problems):
        self._problems = problems

    def __enter__(self) -> Watch:
        return Watch(self._problems)

    def __exit__(self, *exc: object) -> None:
        return None
