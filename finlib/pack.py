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
_dirty = False  # the kernel has run a notebook since it was started or cleared


def _start_worker(fresh_kernels: bool) -> None:
    """Start this worker's kernel.

    An asynchronous kernel manager, as nbclient expects: with it nbclient notices a kernel that dies
    and enforces cell time limits.  Its methods run in jupyter_core's event loop for this thread,
    the same loop papermill's nbclient uses.
    """
    global _kernel
    if not fresh_kernels:
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        _kernel = AsyncKernelManager(kernel_name=KERNEL)
        run_sync(_kernel.start_kernel)(extra_arguments=["--HistoryManager.enabled=False"])
        mp_util.Finalize(None, _stop_kernel, exitpriority=10)


def _kernel_call(method: str, **kwargs: Any) -> Any:
    from jupyter_core.utils import run_sync

    return run_sync(getattr(_kernel, method))(**kwargs)


def _stop_kernel() -> None:
    if _kernel is not None and _kernel.has_kernel:
        _kernel_call("shutdown_kernel", now=True)


async def _reset_namespace() -> None:
    """Run ``%reset -f`` in this worker's kernel and wait for its reply."""
    client = _kernel.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=60)
        msg_id = client.execute("%reset -f", silent=True, store_history=False)
        reply = await client.get_shell_msg(timeout=60)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = await client.get_shell_msg(timeout=60)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"%reset failed: {reply['content']}")
    finally:
        client.stop_channels()


def _clear_namespace() -> None:
    from jupyter_core.utils import run_sync

    run_sync(_reset_namespace)()


def _kernel_for_job() -> dict[str, Any]:
    """Engine arguments for the next notebook: this worker's kernel with a clear namespace.

    A kernel that cannot be cleared is restarted (a restarted kernel is clean); should that fail
    too, the notebook gets a fresh kernel of its own.
    """
    global _dirty
    if _kernel is None:
        return {}
    try:
        if not _kernel_call("is_alive"):
            _kernel_call("restart_kernel", now=True)
        elif _dirty:
            _clear_namespace()
    except Exception:
        try:
            _kernel_call("restart_kernel", now=True)
        except Exception:
            return {}
    _dirty = True
    return {"km": _kernel}


def _after_failure() -> None:
    global _dirty
    if _kernel is not None:
        try:
            _kernel_call("restart_kernel", now=True)
            _dirty = False
        except Exception:
            _dirty = True


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
    try:
        engine: dict[str, Any] = {"shutdown_kernel": "immediate", **_kernel_for_job()}
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
        _after_failure()
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
            try:
                outcome = future.result()
            except Exception as error:  # the worker itself died: the report failed, the others go on
                outcome = Outcome(futures[future], None, None, 0.0, f"the worker process failed: {error!r}")
            outcomes.append(outcome)
            bar.set_postfix_str(outcome.job.name + ("" if outcome.ok else " FAILED"), refresh=False)
            bar.update()
    order = {job.name: i for i, job in enumerate(jobs)}
    return PackResult(sorted(outcomes, key=lambda o: order[o.job.name]))
