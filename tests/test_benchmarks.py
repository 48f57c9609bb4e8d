"""The benchmarks (`make bench`) keep up with the library they measure: they plan the same pack that
`finlib report` runs (their timings are not taken here; see BENCHMARKS.md)."""

from __future__ import annotations

from benchmarks.pack import jobs
from tests.conftest import SAMPLE, sample_committees


def test_the_pack_benchmark_plans_the_reports_finlib_report_writes() -> None:
    assert [job.name for job in jobs(SAMPLE, "2017-07")] == ["cabinet", *sample_committees()]
