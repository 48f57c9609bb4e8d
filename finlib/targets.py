"""Where a command may write: never over the data set's inputs, never inside its published record.

Every command that writes (``tables``, ``report``, ``export``, ``scenario``, ``site``, ``returns
issue``) checks its target here before anything is computed or written.  Refused, with a
:class:`~finlib.errors.UsageError` naming the path:

- the root of the file system, the data set's own folder or any folder above it;
- anything inside the data set's ``published/`` folder (or the folder itself);
- a folder of the data set that holds its inputs (a year's or a period's folder, ``scenarios/``);
- a file that is one of the data set's files, or that would be read as an input there (the period's
  ``forecasts.xlsx`` beside its ``forecasts.csv``, say).

Paths are compared once symbolic links are followed, so a link does not lead around the check.
"""

from __future__ import annotations

from pathlib import Path

from finlib.config import DataSet
from finlib.core.period import PERIOD_PATTERN, is_financial_year
from finlib.errors import UsageError, shown

ROOT, YEAR, PERIOD, SCENARIOS = "root", "year", "period", "scenarios"  # as the catalogue's scopes
LEDGER_PARTS = "ledger"  # a year's ledger/ folder and everything below it: every file in it is read


def _input_names(scope: str) -> set[str]:
    """The names the catalogue reads as inputs in a folder of ``scope`` (imported only now: it loads pandas,
    which ``finlib report`` loads after its workers have started)."""
    from finlib.inputs.catalogue import KINDS

    return {name for kind in KINDS if kind.scope.value == scope for name in kind.names}


def _input_folder(parts: tuple[str, ...]) -> str | None:
    """Which kind of input folder a folder of the data set is (its path below the root), if any."""
    if not parts:
        return ROOT
    if len(parts) == 1 and parts[0] == SCENARIOS:
        return SCENARIOS
    if len(parts) == 1 and is_financial_year(parts[0]):
        return YEAR
    if len(parts) == 2 and is_financial_year(parts[0]) and PERIOD_PATTERN.fullmatch(parts[1]):
        return PERIOD
    if len(parts) >= 2 and is_financial_year(parts[0]) and parts[1] == LEDGER_PARTS:
        return LEDGER_PARTS
    return None


def check_target(target: Path, data: DataSet | Path | str, *, folder: bool, option: str = "--out") -> Path:
    """``target`` (a folder to write into, or with ``folder=False`` a file to write) when a command may
    write there for the data set ``data``; otherwise a :class:`~finlib.errors.UsageError` naming it."""
    where = Path(target).expanduser().resolve()
    root = DataSet.at(data).root.resolve()
    published = DataSet.at(data).published_dir.resolve()
    said = f"{option} {shown(target)}"

    def refuse(why: str) -> UsageError:
        return UsageError(f"{said}: refused: {why}; nothing was written")

    if where == Path(where.anchor):
        raise refuse("it is the root of the file system")
    if where == published or where.is_relative_to(published):
        raise refuse(f"it is inside the data set's published record ({shown(published)})")
    if where == root or root.is_relative_to(where):
        raise refuse(f"it {'is' if where == root else 'holds'} the data set {shown(root)}")
    if not where.is_relative_to(root):
        return Path(target)
    parts = where.relative_to(root).parts
    if folder:
        if where.is_file():
            raise refuse("it is a file of the data set")
        scope = _input_folder(parts)
        if scope is not None:
            raise refuse(f"it is a folder of the data set's inputs ({shown(where)})")
        return Path(target)
    scope = _input_folder(parts[:-1])
    if where.exists():
        raise refuse("it is a file of the data set")
    if scope is not None and (where.name in _input_names(scope) or scope in (SCENARIOS, LEDGER_PARTS)):
        raise refuse(f"it would be read as an input of the data set ({where.name})")
    return Path(target)
