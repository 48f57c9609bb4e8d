"""Writing output files safely: each file appears whole or not at all."""

from __future__ import annotations

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
    """Write ``content`` to ``path`` through a temporary file renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it private; a report is for reading
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
