"""The monthly pack: every report notebook executed with papermill and rendered to HTML without code.

Notebooks run in a pool of worker processes (default: one per core).  Each worker keeps one Jupyter
kernel, started when the worker starts, and clears the kernel's namespace (``%reset -f``) before each
notebook, so a notebook never sees another's variables; a kernel whose notebook failed is restarted.
This saves starting a kernel and importing pandas, seaborn and finlib for every notebook.
``fresh_kernels=True`` starts a new kernel for every notebook instead.

Each report is written as ``<name>.html`` with the executed notebook beside it (``<name>.ipynb``, the
record of the run).  Files are written under temporary names and renamed into place, so a report that
fails leaves no partial HTML; its executed notebook is kept as ``<name>.failed.ipynb``, and any older
``<name>.html`` is removed so that nothing out of date passes for this run's report.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from multiprocessing import util as mp_util
from pathlib import Path
from typing import Any

from finlib.config import NOTEBOOKS
from finlib.params import Committee
from finlib.render.files import write_atomic

KERNEL = "python3"
TEMPLATES = Path(__file__).resolve().parent / "templates"
EXECUTION_TIMEOUT = 600  # seconds a cell may run


@dataclass(frozen=True)
class Job:
    """One report to produce: which notebook, with which parameters, written as ``<name>.html``."""

    name: str
    notebook: Path
    parameters: dict[str, Any]
    title: str


@dataclass(frozen=True)
class Outcome:
    job: Job
    html: Path | None
    record: Path | None
    seconds: float
    error: str | None = None  # what failed, with the cell and the error

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class PackResult:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]


def plan(
    data: Path,
    period: str,
    committees: dict[str, Committee],
    last_reported: str | None = None,
    only: str | None = None,
    period_label: str = "",
) -> list[Job]:
    """The Cabinet report and one extract per committee (or just the committee ``only``)."""
    common = {"data": str(Path(data).resolve()), "period": period, "last_reported": last_reported}
    jobs = []
    if only is None:
        jobs.append(Job("cabinet", NOTEBOOKS / "cabinet.ipynb", common, f"Cabinet: budget monitoring {period_label}"))
    for key, committee in committees.items():
        if only is None or key == only:
            title = f"{committee.name}: budget monitoring {period_label}"
            jobs.append(Job(key, NOTEBOOKS / "committee.ipynb", {**common, "committee": key}, title))
    return jobs


# ---------------------------------------------------------------------------
# Worker processes

_kernel: Any = None  # this worker's kernel manager
_fresh = False


def _start_worker(fresh_kernels: bool) -> None:
    global _kernel, _fresh
    _fresh = fresh_kernels
    if not fresh_kernels:
        from jupyter_client.manager import KernelManager

        _kernel = KernelManager(kernel_name=KERNEL)
        _kernel.start_kernel(extra_arguments=["--HistoryManager.enabled=False"])
        mp_util.Finalize(None, _stop_kernel, exitpriority=10)


def _stop_kernel() -> None:
    if _kernel is not None and _kernel.has_kernel:
        _kernel.shutdown_kernel(now=True)


def _clear_namespace() -> None:
    client = _kernel.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)
        client.execute_interactive("%reset -f", store_history=False, timeout=60)
    finally:
        client.stop_channels()


def _describe(error: Exception) -> str:
    """Where a notebook failed: the cell (numbered as in the executed notebook kept), its first line, the error."""
    cell = getattr(error, "cell_index", None)
    if cell is not None:
        ename, evalue = getattr(error, "ename", type(error).__name__), getattr(error, "evalue", str(error))
        first_line = next((line for line in str(getattr(error, "source", "")).splitlines() if line.strip()), "")
        return f"cell {cell} of the executed notebook ({first_line.strip()}): {ename}: {evalue}"
    return f"{type(error).__name__}: {error}"


def run_job(job: Job, out: Path) -> Outcome:
    """Execute one notebook and render it; never raises for a failing notebook."""
    import papermill
    from nbconvert import HTMLExporter

    started = time.perf_counter()
    html_path, record = out / f"{job.name}.html", out / f"{job.name}.ipynb"
    failed_record = out / f"{job.name}.failed.ipynb"
    temporary = out / f".{job.name}.{os.getpid()}.running.ipynb"
    engine: dict[str, Any] = {"shutdown_kernel": "immediate"}
    if _kernel is not None:
        if not _kernel.is_alive():
            _kernel.restart_kernel(now=True)
        _clear_namespace()
        engine["km"] = _kernel
    try:
        notebook = papermill.execute_notebook(
            str(job.notebook),
            str(temporary),
            parameters=job.parameters,
            kernel_name=KERNEL,
            progress_bar=False,
            request_save_on_cell_execute=False,
            execution_timeout=EXECUTION_TIMEOUT,
            cwd=str(Path.cwd()),
            **engine,
        )
        exporter = HTMLExporter(
            template_name="report",
            extra_template_basedirs=[str(TEMPLATES)],
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
        )
        body, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": job.title}})
        write_atomic(html_path, body)
        os.replace(temporary, record)
        failed_record.unlink(missing_ok=True)
        return Outcome(job, html_path, record, time.perf_counter() - started)
    except Exception as error:  # a failing report must not stop the others
        if _kernel is not None:
            _kernel.restart_kernel(now=True)
        html_path.unlink(missing_ok=True)
        record.unlink(missing_ok=True)
        kept = None
        if temporary.exists():
            os.replace(temporary, failed_record)
            kept = failed_record
        return Outcome(job, None, kept, time.perf_counter() - started, _describe(error))
    finally:
        temporary.unlink(missing_ok=True)


def run_pack(
    jobs: list[Job],
    out: Path,
    workers: int | None = None,
    progress: bool = True,
    fresh_kernels: bool = False,
) -> PackResult:
    """Run every job in a pool of worker processes; report progress; collect every outcome."""
    import nbconvert  # noqa: F401  (imported once here, inherited by the forked workers)
    import papermill  # noqa: F401
    from tqdm import tqdm

    out.mkdir(parents=True, exist_ok=True)
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    outcomes = []
    context = multiprocessing.get_context("fork")
    with (
        ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=(fresh_kernels,)) as pool,
        tqdm(total=len(jobs), desc="Reports", unit="report", disable=not progress, mininterval=0) as bar,
    ):
        futures = {pool.submit(run_job, job, out): job for job in jobs}
        for future in as_completed(futures):
            outcome = future.result()
            outcomes.append(outcome)
            bar.set_postfix_str(outcome.job.name + ("" if outcome.ok else " FAILED"), refresh=False)
            bar.update()
    order = {job.name: i for i, job in enumerate(jobs)}
    return PackResult(sorted(outcomes, key=lambda o: order[o.job.name]))
