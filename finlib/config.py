"""Paths: where a data set keeps its folders, and where the project keeps its notebooks.

Every folder finlib reads or writes is built here (the files inside a data set's folders are named by
:mod:`finlib.inputs.catalogue`), so notebooks, the CLI and tests never assemble paths themselves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from finlib.core.period import FinancialYear, Period

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = Path("data/sample")
NOTEBOOKS = PROJECT_ROOT / "notebooks"
#: Where the explorer's Export button writes, under the project root, when no folder is given.
EXPLORER_EXPORTS = Path("reports/explorer")


def is_project(folder: Path) -> bool:
    """Whether a folder is finlib's project: it holds ``pyproject.toml`` and the ``finlib`` package."""
    return (folder / "pyproject.toml").is_file() and (folder / "finlib").is_dir()


def project_root(start: Path | None = None) -> Path:
    """The project's root folder: the one holding ``pyproject.toml`` and ``finlib``.

    The checkout this package runs from (an editable install) when it is one; otherwise the nearest
    project folder at or above ``start`` (the working folder by default); otherwise ``start`` itself.
    A notebook's kernel starts in the notebook's own folder (``notebooks/``), so the notebooks read
    their relative paths from here rather than from the kernel's working folder.
    """
    if is_project(PROJECT_ROOT):
        return PROJECT_ROOT
    here = (start or Path.cwd()).resolve()
    return next((folder for folder in (here, *here.parents) if is_project(folder)), here)


def from_project(path: Path | str, root: Path | None = None) -> Path:
    """A path as a notebook parameter gives it: an absolute one as it is, a relative one from the project
    root (``data/sample`` → ``<root>/data/sample``, whatever the working folder)."""
    given = Path(path).expanduser()
    return given if given.is_absolute() else (root or project_root()) / given


def slug(name: str) -> str:
    """A name as used in file names: ``Strategic & Corporate Services`` → ``strategic-corporate-services``."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


@dataclass(frozen=True)
class DataSet:
    """The folder of one data set (``data/sample`` by default) and the folders inside it."""

    root: Path = DEFAULT_DATA

    @classmethod
    def at(cls, data: DataSet | Path | str) -> DataSet:
        """A data set given as a folder or as a :class:`DataSet`."""
        return data if isinstance(data, DataSet) else cls(Path(data))

    @property
    def authority_file(self) -> Path:
        return self.root / "authority.yaml"

    def year_dir(self, year: FinancialYear) -> Path:
        return self.root / str(year)

    def period_dir(self, period: Period) -> Path:
        return self.year_dir(period.financial_year) / str(period)

    @property
    def scenarios_dir(self) -> Path:
        return self.root / "scenarios"

    def scenario(self, name: str | Path) -> Path:
        """A scenario file by name (``what-if`` → ``<root>/scenarios/what-if.csv``) or, with a suffix or
        a folder in it, by path (``my/what-if.csv``)."""
        given = Path(name)
        return given if given.suffix or len(given.parts) > 1 else self.scenarios_dir / f"{given.name}.csv"

    def journal(self, year: FinancialYear) -> Path:
        """The hledger journal equivalent to the year's ledger (written by the sample generator)."""
        return self.year_dir(year) / "ledger.journal"

    @property
    def published_dir(self) -> Path:
        return self.root / "published"

    def published_year(self, year: FinancialYear) -> Path:
        return self.published_dir / str(year)

    def published_period(self, period: Period) -> Path:
        return self.published_year(period.financial_year) / str(period)
