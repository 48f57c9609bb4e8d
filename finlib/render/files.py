"""Writing output files safely: each file appears whole or not at all."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

#: In the name of every file of the officers' version, before its suffix: ``cabinet.restricted.html``.
RESTRICTED_SUFFIX = ".restricted"


def restricted_name(path: Path) -> Path:
    """``path`` named as a file of the officers' version (``2017-07.xlsx`` → ``2017-07.restricted.xlsx``),
    unless its name already says so."""
    if RESTRICTED_SUFFIX in path.suffixes:
        return path
    return path.with_name(f"{path.stem}{RESTRICTED_SUFFIX}{path.suffix}")


def write_atomic(path: Path, content: bytes | str) -> None:
    """Write ``content`` to ``path`` through a temporary file renamed into place.

    Whatever fails (a full disk, a read-only one, a permission refused), nothing is left under
    ``path`` or the temporary name, and the :class:`OSError` raised names ``path``.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    temporary: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        _fill(handle, data)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it private; a report is for reading
        os.replace(temporary, path)
    except OSError as error:
        _remove(temporary)
        raise type(error)(error.errno, error.strerror or str(error), str(path)) from error
    except BaseException:
        _remove(temporary)
        raise


def _remove(temporary: str | None) -> None:
    if temporary is not None:
        with contextlib.suppress(OSError):
            Path(temporary).unlink(missing_ok=True)


def _fill(handle: int, data: bytes) -> None:
    """Write ``data`` to the open file ``handle`` and close it, on disk before it is renamed into place."""
    with os.fdopen(handle, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
