"""Running report notebooks: papermill in a pool of worker processes, each with a warm Jupyter kernel.

Notebooks run in a pool of worker processes (default: one per core).  Each worker keeps one Jupyter
kernel, started (and importing what the notebooks use) as the worker starts, while the caller checks
the inputs; it clears the kernel's namespace (``%reset -f``) before each notebook, so a notebook never
sees another's variables, and replaces a kernel whose notebook failed by a new one.  This saves
starting a kernel and importing pandas and finlib for every notebook.  ``fresh_kernels=True`` starts a
new kernel for every notebook instead.  A worker dies with the process that started it, and a kernel
with its worker (``PR_SET_PDEATHSIG`` on Linux), so nothing of a run outlives it, even killed outright.

Each report is written by every exporter (``<name>.html``…) with the executed notebook beside it
(``<name>.ipynb``, the record of the run).  Files are written under temporary names and renamed into
place, so a report that fails leaves no partial file; its executed notebook is kept as
``<name>.failed.ipynb``, and any older file of the report is removed so that nothing out of date passes
for this run's report.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import functools
import io
import multiprocessing
import os
import pickle
import shutil
import signal
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from multiprocessing import util as mp_util
from pathlib import Path
from typing import TYPE_CHECKING, Any

from finlib.pack.exporters import DEFAULT, Exporter
from finlib.pack.jobs import Job, Outcome, PackResult
from finlib.pack.leftovers import KERNELS
from finlib.render.files import write_atomic

if TYPE_CHECKING:
    from finlib.render.charts import Key
    from finlib.report.model import Bars, Bridge

KERNEL = "python3"
PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent dies
EXECUTION_TIMEOUT = 600  # seconds a cell may run
REPLY_TIMEOUT = 120  # seconds the warm-up or the clearing of a kernel may take


# ---------------------------------------------------------------------------
# Worker processes

_kernel: Any = None  # this worker's kernel manager
_client: Any = None  # its client, connected and ready: every notebook and every clearing uses it
_dirty = False  # the kernel has run a notebook since it was started or cleared
_fresh = False  # every notebook gets a new kernel of its own


def die_with_parent(signal_number: int = signal.SIGTERM) -> None:
    """Ask Linux to send this process ``signal_number`` when its parent dies (``PR_SET_PDEATHSIG``), so
    that nothing of a run outlives the run, even one killed outright; elsewhere, nothing is done."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal_number, 0, 0, 0)
        if os.getppid() == 1:  # the parent died before this process asked
            os.kill(os.getpid(), signal_number)


def _stop_on_signal(signal_number: int, frame: object) -> None:
    """SIGTERM in a worker: kill its kernel, remove its sockets and connection file, and leave at once.

    Nothing here waits on the kernel or on an event loop: the signal may arrive while this worker's loop
    is running a notebook, and a polite shutdown from inside it could wait for ever.
    """
    process = getattr(getattr(_kernel, "provisioner", None), "process", None)
    with contextlib.suppress(Exception):
        if process is not None:
            process.kill()
    with contextlib.suppress(Exception):
        connection_file = getattr(_kernel, "connection_file", "")
        if connection_file:
            Path(connection_file).unlink(missing_ok=True)
    if _private_folder.cache_info().currsize:
        shutil.rmtree(_private_folder(), ignore_errors=True)
    os._exit(128 + signal_number)


def _start_worker(fresh_kernels: bool) -> None:
    """Start this worker's kernel (none yet when every notebook is to get a fresh kernel of its own).

    The worker dies with the process that started it, stopping its kernel; each kernel dies with its
    worker in turn.
    """
    global _fresh
    signal.signal(signal.SIGTERM, _stop_on_signal)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the parent, which stops the workers
    die_with_parent(signal.SIGTERM)
    _fresh = fresh_kernels
    mp_util.Finalize(None, _stop_kernel, exitpriority=10)
    if fresh_kernels:
        _warm_worker()
    else:
        _new_kernel(warm_worker=True)


def _warm_worker() -> None:
    """Load what this worker uses before its first job: the HTML exporter, its templates compiled (by
    exporting an empty notebook).  Without this, a worker's first report pays about a second for it.
    The chart tools load in the kernel, which draws the charts (:func:`draw_share`)."""
    import nbformat

    from finlib.pack.exporters import HTML

    with contextlib.suppress(Exception):  # a warm-up that fails costs only the time it saves
        HTML.export(nbformat.v4.new_notebook(), "", {})  # type: ignore[no-untyped-call]


def _new_kernel(warm_worker: bool = False) -> None:
    """Replace this worker's kernel by a new one, warmed up (and with ``warm_worker``, this worker too:
    :func:`_warm_worker`, while the kernel starts).

    An asynchronous kernel manager, as nbclient expects: with it nbclient notices a kernel that dies
    and enforces cell time limits.  Its methods run in jupyter_core's event loop for this thread, the
    same loop papermill's nbclient uses.  A kernel that failed is replaced rather than restarted: a
    new manager has new ports and a new connection file, so nothing of the old kernel is reused.
    """
    global _kernel, _dirty
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.utils import run_sync

    _stop_kernel()
    # IPC: the kernel talks over sockets in a private folder of this worker, never over TCP in plain text
    sockets = _private_folder() / f"kernel-{uuid.uuid4().hex}"
    _kernel = AsyncKernelManager(kernel_name=KERNEL, transport="ipc", ip=str(sockets))
    start = run_sync(_kernel.start_kernel)
    start(extra_arguments=["--HistoryManager.enabled=False"], preexec_fn=_kernel_dies_with_worker)
    _dirty = False
    if warm_worker:  # while the kernel starts: what this worker itself uses, loaded before its first job
        _warm_worker()
    try:
        _run_in_kernel(WARM_UP)
        _connect()
    except Exception:  # a kernel that cannot warm up is replaced before its first notebook
        _dirty = True


def _connect() -> None:
    """This worker's client of its kernel, connected and found ready once (nbclient would otherwise wait
    for a fresh client to be ready before every notebook: about 0.2 s each)."""
    global _client
    from jupyter_core.utils import run_sync

    client = _kernel.client()
    client.start_channels()
    run_sync(client.wait_for_ready)(timeout=REPLY_TIMEOUT)
    client.allow_stdin = False
    _client = client


def _kernel_dies_with_worker() -> None:
    """Run in a kernel's process before it starts: it is killed when its worker dies."""
    die_with_parent(signal.SIGKILL)


@functools.cache
def _private_folder() -> Path:
    """A folder only this user can read (mode 0700), for this process's kernel sockets; removed at exit."""
    folder = Path(tempfile.mkdtemp(prefix=f"{KERNELS}{os.getpid()}-"))
    mp_util.Finalize(None, shutil.rmtree, args=(folder, True), exitpriority=1)
    atexit.register(shutil.rmtree, folder, True)
    return folder


def _kernel_call(method: str, **kwargs: Any) -> Any:
    from jupyter_core.utils import run_sync

    return run_sync(getattr(_kernel, method))(**kwargs)


def _stop_kernel() -> None:
    global _client
    if _client is not None:
        with contextlib.suppress(Exception):
            _client.stop_channels()
        _client = None
    if _kernel is None:
        return
    try:
        if _kernel.has_kernel:
            _kernel_call("shutdown_kernel", now=True)
    except Exception:  # already gone
        pass


# Imported by each kernel as it starts, while the parent checks the inputs; binds no name.
WARM_UP = (
    "__import__('finlib.notebook'); __import__('finlib.render.html'); "
    "__import__('matplotlib.figure'); __import__('seaborn')"
)


async def _run_silently(code: str) -> None:
    """Run ``code`` in this worker's kernel and wait for its reply.

    The kernel is asked whether it is still alive every second of the wait: one that dies meanwhile
    is a :class:`RuntimeError` at once, not a wait of :data:`REPLY_TIMEOUT` seconds.
    """
    from queue import Empty

    client = _client
    if client is None:  # no kernel is ready yet: a client of its own, for this code alone
        client = _kernel.client()
        client.start_channels(iopub=False, stdin=False, hb=False, control=False)
    try:
        msg_id = client.execute(code, silent=True, store_history=False)
        deadline = time.monotonic() + REPLY_TIMEOUT
        while True:
            try:
                reply = await client.get_shell_msg(timeout=1)
            except Empty:
                if not await _kernel.is_alive():
                    raise RuntimeError(f"the kernel died while running {code!r}") from None
                if time.monotonic() > deadline:
                    raise TimeoutError(f"the kernel did not answer {code!r} in {REPLY_TIMEOUT} s") from None
                continue
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"{code!r} failed in the kernel: {reply['content'].get('evalue')}")
    finally:
        if client is not _client:
            client.stop_channels()


def _run_in_kernel(code: str) -> None:
    from jupyter_core.utils import run_sync

    run_sync(_run_silently)(code)


#: Clears a kernel's namespace between two notebooks: every name the notebook made, its outputs and the
#: output cache, as ``%reset -f`` does, and its inputs too (``In``), which that keeps; but without the
#: full garbage collection IPython runs then, which is nearly all of its cost (0.2 s against 5 ms): the
#: collector still runs as it always does.  The function is defined, run and removed by the reset itself.
CLEAR = """
def _finlib_clear(shell=get_ipython()):
    import gc
    collect = gc.collect
    gc.collect = lambda *args, **kwargs: 0
    try:
        shell.reset(new_session=True)  # the inputs of the notebook before go too (In, _ih)
    finally:
        gc.collect = collect
_finlib_clear()
"""


def _clear_namespace() -> None:
    _run_in_kernel(CLEAR)


def _kernel_for_job() -> dict[str, Any]:
    """Engine arguments for the next notebook: this worker's kernel with a clear namespace.

    A kernel that has died or cannot be cleared is replaced; should that fail too, the notebook
    gets a fresh kernel of its own from papermill.
    """
    global _dirty
    try:
        if _fresh or _kernel is None or not _kernel_call("is_alive"):
            _new_kernel()
        elif _dirty:
            _clear_namespace()
    except Exception:
        try:
            _new_kernel()
        except Exception:
            return {}
    _dirty = True
    return {"km": _kernel}


def _after_failure() -> None:
    """A notebook failed: its kernel may be dead or in any state, so the next one gets a new kernel."""
    if _kernel is not None:
        with contextlib.suppress(Exception):
            _new_kernel()


ENGINE = "finlib-warm"  # papermill's engine by name: nbclient's, with this worker's client of its kernel


@functools.cache
def _register_engine() -> str:
    """Register with papermill an engine that executes a notebook as its nbclient engine does, through this
    worker's ready client when it has one (a client nbclient makes it keeps; one it is given it leaves
    connected)."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines

    class WarmClient(PapermillNotebookClient):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            if _client is not None and kwargs.get("km") is _kernel:
                self.kc = _client

    class WarmEngine(NBClientEngine):  # type: ignore[misc]
        @classmethod
        def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, **kwargs: Any) -> Any:
            import papermill.engines as engines

            before = engines.PapermillNotebookClient
            engines.PapermillNotebookClient = WarmClient
            try:
                return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)
            finally:
                engines.PapermillNotebookClient = before

    papermill_engines.register(ENGINE, WarmEngine)
    return ENGINE


def draw_share(share: bytes) -> bytes:
    """Draw a share of a pack's charts (pickled) in this worker's kernel; the drawn charts, pickled by key.
    Without a warm kernel (``--fresh-kernels``), this worker draws them itself."""
    if _kernel is None or _client is None:
        from finlib.pack.handoff import DataOnly
        from finlib.render.charts import draw_all

        return pickle.dumps(draw_all(DataOnly(io.BytesIO(share)).load()), protocol=pickle.HIGHEST_PROTOCOL)
    name = uuid.uuid4().hex
    given, drawn = _private_folder() / f"charts-{name}.pickle", _private_folder() / f"drawn-{name}.pickle"
    try:
        given.write_bytes(share)
        _run_in_kernel(
            f"__import__('finlib.render.charts', fromlist=['draw_file']).draw_file({str(given)!r}, {str(drawn)!r})"
        )
        return drawn.read_bytes()
    finally:
        given.unlink(missing_ok=True)
        drawn.unlink(missing_ok=True)


def _describe(error: Exception) -> str:
    """Where a notebook failed: the cell (numbered as in the executed notebook kept), its first line, the error."""
    cell = getattr(error, "cell_index", None)
    if cell is not None:
        ename, evalue = getattr(error, "ename", type(error).__name__), getattr(error, "evalue", str(error))
        first_line = next((line for line in str(getattr(error, "source", "")).splitlines() if line.strip()), "")
        return f"cell {cell} of the executed notebook ({first_line.strip()}): {ename}: {evalue}"
    return f"{type(error).__name__}: {error}"


def run_job(job: Job, out: Path, exporters: Sequence[Exporter] = DEFAULT) -> Outcome:
    """Execute one notebook and write it by every exporter; never raises for a failing notebook."""
    import papermill

    started = time.perf_counter()
    targets = {e.name: out / f"{job.name}{e.suffix}" for e in exporters}
    record, failed_record = out / f"{job.name}.ipynb", out / f"{job.name}.failed.ipynb"
    temporary = out / f".{job.name}.{os.getpid()}.running.ipynb"
    try:
        engine: dict[str, Any] = {"shutdown_kernel": "immediate", **_kernel_for_job()}
        notebook = papermill.execute_notebook(
            str(job.notebook),
            str(temporary),
            engine_name=_register_engine(),
            parameters=job.parameters,
            kernel_name=KERNEL,
            progress_bar=False,
            request_save_on_cell_execute=False,
            execution_timeout=EXECUTION_TIMEOUT,
            cwd=str(Path.cwd()),
            **engine,
        )
        done: dict[str, bytes] = {}
        for exporter in exporters:
            done[exporter.name] = exporter.export(notebook, job.title, done)
        for name, content in done.items():
            write_atomic(targets[name], content)
        os.replace(temporary, record)
        failed_record.unlink(missing_ok=True)
        return Outcome(job, targets, record, time.perf_counter() - started)
    except Exception as error:  # a failing report must not stop the others
        _after_failure()
        for target in targets.values():
            target.unlink(missing_ok=True)
        record.unlink(missing_ok=True)
        kept = None
        if isinstance(error, OSError):  # the disk refused: what was written may be cut short, so none is kept
            described = f"cannot write {error.filename or out}: {error.strerror or error}"
            return Outcome(job, {}, None, time.perf_counter() - started, described, cannot_write=True)
        if temporary.exists():
            os.replace(temporary, failed_record)
            kept = failed_record
        return Outcome(job, {}, kept, time.perf_counter() - started, _describe(error))
    finally:
        temporary.unlink(missing_ok=True)


def _ready() -> int:
    return os.getpid()


def import_execution_tools() -> None:
    """Import papermill and nbconvert once, in the parent, so that forked workers inherit them.

    jsonschema (under nbformat) imports ``rfc3987_syntax`` when it is installed, which compiles a
    grammar at import: about a second in every process.  Notebook schemas check no IRI formats, so
    the pack's processes do without it.
    """
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
    import nbconvert  # noqa: F401
    import papermill  # noqa: F401


class Pool:
    """Worker processes with their kernels, started before the jobs are known.

    Used as a context manager: the kernels start (and import what the notebooks use) while the
    caller checks the inputs and builds the report model; then :meth:`run` runs the jobs.
    """

    def __init__(self, workers: int | None = None, fresh_kernels: bool = False):
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.fresh_kernels = fresh_kernels
        self._executor: ProcessPoolExecutor | None = None
        self._started: list[Future[int]] = []
        self._early: dict[Future[Outcome], Job] = {}

    def __enter__(self) -> Pool:
        import_execution_tools()
        context = multiprocessing.get_context("fork")
        self._executor = ProcessPoolExecutor(
            self.workers, mp_context=context, initializer=_start_worker, initargs=(self.fresh_kernels,)
        )
        # start every worker now; each says its process id
        self._started = [self._executor.submit(_ready) for _ in range(self.workers)]
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        if self._executor is None:
            return
        if kind is not None and not issubclass(kind, Exception):  # interrupted: stop the workers now
            self.stop_workers()
            self._executor.shutdown(wait=False, cancel_futures=True)
            return
        self._executor.shutdown(wait=True, cancel_futures=True)

    def draw(self, charts: Sequence[Bars | Bridge]) -> dict[Key, bytes]:
        """Draw ``charts`` in the workers' kernels at once, each a share of about equal work.

        Each share goes to its worker as bytes and is drawn by the worker's kernel, which has the chart
        tools loaded: the worker itself never loads pandas or matplotlib, and holds less memory.
        """
        from finlib.pack.handoff import DataOnly
        from finlib.render.charts import shares

        assert self._executor is not None, "use Pool as a context manager"
        drawn: dict[Key, bytes] = {}
        given = [pickle.dumps(share, protocol=pickle.HIGHEST_PROTOCOL) for share in shares(charts, self.workers)]
        for part in self._executor.map(draw_share, given):
            drawn.update(DataOnly(io.BytesIO(part)).load())
        return drawn

    def stop_workers(self) -> None:
        """Stop every worker process (each stops its kernel), whatever it is doing."""
        pids = {f.result() for f in self._started if f.done() and f.exception() is None}
        pids.update(getattr(self._executor, "_processes", None) or {})  # one worker may have said it twice
        for pid in pids:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGTERM)

    def start(self, jobs: Sequence[Job], out: Path, exporters: Sequence[Exporter] = DEFAULT) -> None:
        """Start ``jobs`` now, ahead of what the caller still prepares (they need nothing of it); the next
        :meth:`run` waits for them and counts their outcomes with its own."""
        assert self._executor is not None, "use Pool as a context manager"
        out.mkdir(parents=True, exist_ok=True)
        self._early.update({self._executor.submit(run_job, job, out, tuple(exporters)): job for job in jobs})

    def run(
        self, jobs: Sequence[Job], out: Path, progress: bool = True, exporters: Sequence[Exporter] = DEFAULT
    ) -> PackResult:
        """Run every job, and collect those :meth:`start` began; report progress (a bar on a terminal, a
        plain line a report otherwise, so that logs hold no control characters); collect every outcome (a
        failure never stops the others).  Outcomes come in the order of ``jobs``, then of the early ones."""
        from finlib.pack.progress import Progress

        assert self._executor is not None, "use Pool as a context manager"
        out.mkdir(parents=True, exist_ok=True)
        outcomes = []
        early, self._early = self._early, {}
        every = [*jobs, *early.values()]
        with Progress(len(every), "Reports", "report", progress) as bar:
            futures = {**early, **{self._executor.submit(run_job, job, out, tuple(exporters)): job for job in jobs}}
            for future in as_completed(futures):
                try:
                    outcome = future.result()
                except Exception as error:  # the worker itself died: the report failed, the others go on
                    outcome = Outcome(futures[future], {}, None, 0.0, f"the worker process failed: {error!r}")
                outcomes.append(outcome)
                bar.done(outcome.job.name, failed=not outcome.ok)
        order = {job.name: i for i, job in enumerate(every)}
        return PackResult(sorted(outcomes, key=lambda o: order[o.job.name]))


def run_pack(
    jobs: Sequence[Job],
    out: Path,
    workers: int | None = None,
    progress: bool = True,
    fresh_kernels: bool = False,
    exporters: Sequence[Exporter] = DEFAULT,
) -> PackResult:
    """Run every job in a pool of worker processes (default: one per core, at most one per job)."""
    with Pool(min(workers or os.cpu_count() or 1, len(jobs)), fresh_kernels) as pool:
        return pool.run(jobs, out, progress, exporters)
