"""Appending benchmark rows to BENCHMARKS.md, one table for every benchmark."""

from __future__ import annotations

from pathlib import Path

HEADER = (
    "# Benchmarks\n\nRecorded by `make bench` on the machine it ran on.\n\n"
    "| date | what | cores | finlib | peer | ratio |\n|---|---|---|---|---|---|\n"
)


def append_rows(record: Path, rows: list[str]) -> None:
    """Add table rows (each ``| ... |\\n``) to the record, writing its header first if it is new."""
    if not record.exists():
        record.write_text(HEADER, encoding="utf-8")
    with record.open("a", encoding="utf-8") as handle:
        handle.writelines(rows)
