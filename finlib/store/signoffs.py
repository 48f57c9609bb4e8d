"""The Corporate Directors' sign-offs of a period: ``<data>/<FY>/<YYYY-MM>/signoffs.json``.

Written only by ``finlib signoff``, as canonical JSON (keys sorted, indented by 2, a final newline),
under a temporary name and then renamed, so that a reader never sees half a file::

    {
      "period": "2017-07",
      "signoffs": {
        "Strategic & Corporate Services": {
          "by": "Pat Green",
          "digests": {"adjustments": "…", "budget_book": "…", "forecasts": "…"},
          "note": "",
          "signed_at": "2017-08-14T09:30:00+00:00"
        }
      }
    }

Signing a directorate again replaces its entry.  A sign-off is checked against the inputs by
:mod:`finlib.core.signoff`; this module only reads and writes the file, checking it field by field.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from finlib.config import DataSet
from finlib.core import signoff
from finlib.core.period import Period
from finlib.core.signoff import SignOff, Status
from finlib.core.stage import Monitoring
from finlib.errors import InputError, Problem, UsageError, shown

SIGNOFFS = "signoffs.json"
AS_SIGNED = "signoffs.json as finlib signoff writes it (correct it, or remove it and sign off again)"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_RECORD = ("by", "digests", "note", "signed_at")


def path(data: DataSet, period: Period) -> Path:
    return data.period_dir(period) / SIGNOFFS


class _Bad(ValueError):
    pass


def _text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise _Bad(f"{what} is {value!r}, not text")
    return value


def record_json(entry: SignOff) -> dict[str, Any]:
    """A sign-off as JSON (without its directorate, which is its key), as signoffs.json and manifests hold it."""
    return {
        "by": entry.by,
        "digests": dict(sorted(entry.digests.items())),
        "note": entry.note,
        "signed_at": entry.signed_at,
    }


def parse_record(directorate: str, value: object, where: str) -> SignOff:
    """One sign-off's JSON value, checked field by field; raises ``ValueError`` saying what is wrong."""
    if not isinstance(value, dict):
        raise _Bad(f"{where} is {value!r}, not a mapping")
    unknown = sorted(set(value) - set(_RECORD), key=str)
    if unknown:
        raise _Bad(f"{where}: unknown field {unknown[0]!r}")
    for name in ("by", "digests", "signed_at"):
        if name not in value:
            raise _Bad(f"{where}: no field {name!r}")
    by = _text(value["by"], f"{where}.by")
    if not by.strip():
        raise _Bad(f"{where}.by is blank")
    signed_at = _text(value["signed_at"], f"{where}.signed_at")
    digests = value["digests"]
    if not isinstance(digests, dict):
        raise _Bad(f"{where}.digests is {digests!r}, not a mapping")
    for role, digest in digests.items():
        if not isinstance(digest, str) or not _SHA256.match(digest):
            raise _Bad(f"{where}.digests.{role} is {digest!r}, not a SHA-256 (64 hexadecimal digits)")
    note = _text(value.get("note", ""), f"{where}.note")
    return SignOff(directorate, by, signed_at, {str(r): str(d) for r, d in sorted(digests.items())}, note)


def records_json(signoffs: Mapping[str, SignOff]) -> dict[str, Any]:
    return {directorate: record_json(entry) for directorate, entry in sorted(signoffs.items())}


def parse_records(value: object, where: str) -> dict[str, SignOff]:
    if not isinstance(value, dict):
        raise _Bad(f"{where} is {value!r}, not a mapping")
    return {str(d): parse_record(str(d), entry, f"{where}.{d}") for d, entry in value.items()}


def to_json(period: Period, signoffs: Mapping[str, SignOff]) -> str:
    """The canonical text of a period's signoffs.json."""
    doc = {"period": str(period), "signoffs": records_json(signoffs)}
    return json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def parse(period: Period, value: object) -> dict[str, SignOff]:
    """A signoffs.json value for ``period``, checked; raises ``ValueError`` saying what is wrong."""
    if not isinstance(value, dict):
        raise _Bad(f"the file is {value!r}, not a mapping")
    unknown = sorted(set(value) - {"period", "signoffs"}, key=str)
    if unknown:
        raise _Bad(f"unknown field {unknown[0]!r}")
    if value.get("period") != str(period):
        raise _Bad(f"period is {value.get('period')!r}, not {str(period)!r} (the period of its folder)")
    return parse_records(value.get("signoffs", {}), "signoffs")


def read_signoffs(data: DataSet, period: Period) -> dict[str, SignOff]:
    """A period's sign-offs by directorate (no file: none).  A damaged file is an input problem naming it."""
    file = path(data, period)
    if not file.is_file():
        return {}
    try:
        return parse(period, json.loads(file.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError([Problem(shown(file), found=f"unreadable JSON ({exc})", expected=AS_SIGNED)]) from exc
    except ValueError as exc:
        raise InputError([Problem(shown(file), found=str(exc), expected=AS_SIGNED)]) from exc


def write_signoffs(data: DataSet, period: Period, signoffs: Mapping[str, SignOff]) -> Path:
    """Write a period's sign-offs: under a temporary name in the same folder, then renamed into place."""
    file = path(data, period)
    handle, temporary = tempfile.mkstemp(prefix=f".{SIGNOFFS}.", dir=file.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(to_json(period, signoffs).encode("utf-8"))
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, file)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
    return file


def unknown_directorate(directorate: str, known: list[str]) -> UsageError:
    import difflib

    close = difflib.get_close_matches(directorate, known, n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    listed = "; ".join(known) or "none"
    return UsageError(
        f"--directorate {directorate!r} is not a directorate of the budget book{hint}; nothing was written. "
        f"The directorates to sign off are: {listed}"
    )


def sign_off(
    data: DataSet,
    monitoring: Monitoring,
    directorate: str,
    by: str,
    note: str | None = None,
    clock: signoff.Clock = signoff.utc_now,
) -> tuple[Path, list[Status]]:
    """Record ``by``'s sign-off of ``directorate`` as its inputs are now (``monitoring``: the period as
    checked), replacing any earlier one; return the file and every directorate's status after it."""
    if not by.strip():
        raise UsageError("--by needs the name of the Corporate Director signing off")
    contents = monitoring.signoff_digests
    if directorate not in contents:
        raise unknown_directorate(directorate, list(contents))
    period = monitoring.period
    existing = read_signoffs(data, period)  # a damaged file is refused before anything is written
    entry = signoff.sign(contents, directorate, by, note or "", clock)
    signed = {**existing, directorate: entry}
    return write_signoffs(data, period, signed), signoff.statuses(contents, signed)


def statuses(data: DataSet, monitoring: Monitoring) -> list[Status]:
    """Every directorate's sign-off status for a period as checked (``monitoring``), in budget book order."""
    return signoff.statuses(monitoring.signoff_digests, read_signoffs(data, monitoring.period))
