"""The private folders a run makes in the temporary folder, and the sweep of those a killed run left.

A run removes its folders as it ends, on Ctrl-C and on SIGTERM too; only a run killed outright
(``kill -9``, a power cut) leaves them.  Each is named with the process that made it, so the next run
can tell a folder whose process is gone from one still in use.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

#: The private folders of a run in the temporary folder, each named with the process that made it.
HANDOFF, KERNELS = "finlib-handoff-", "finlib-kernels-"


def sweep_leftovers() -> list[Path]:
    """Remove what runs killed outright (``kill -9``, a power cut) left in the temporary folder: this
    user's hand-off and kernel folders whose process is gone.  The folders removed."""
    removed = []
    for prefix in (HANDOFF, KERNELS):
        for folder in Path(tempfile.gettempdir()).glob(f"{prefix}*"):
            pid = folder.name[len(prefix) :].split("-")[0]
            try:
                if not pid.isdigit() or folder.is_symlink() or folder.stat().st_uid != os.getuid():
                    continue
                os.kill(int(pid), 0)  # the process that made it is still running
            except ProcessLookupError:
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
            except OSError:  # gone already, or another user's process
                continue
    return removed
