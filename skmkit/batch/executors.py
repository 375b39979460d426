"""Where a batch's units run: warm kernels, and the two executors (local, dask).

A unit's cost is mostly kernel start and imports. A :class:`WarmKernel` is one
running ipykernel with skmkit, pandas and matplotlib imported once; papermill
executes each unit's notebook on it (``km=``: nbclient reuses a running kernel
it does not own and leaves it running). Between units its namespace is reset
(``InteractiveShell.reset(new_session=True)``, the ``%reset -f`` that also
restarts the execution counter, so cell numbers match a fresh kernel), figures
are closed and matplotlib's rcParams restored; it is recycled every ``recycle``
units, and restarted after it dies or times out.

Executors map a picklable function over tasks and yield ``(task, result)`` as
units finish: :class:`LocalExecutor` (a process pool; the default) and
:class:`DaskExecutor` (a ``distributed`` cluster; optional import).
"""
from __future__ import annotations

import os
import threading
import time
from concurrent.futures import FIRST_COMPLETED, wait

from ..errors import ParameterError

__all__ = ["WarmKernel", "kernel_for_thread", "shutdown_kernels", "LocalExecutor", "DaskExecutor", "EXECUTORS"]

#: Run once in a new kernel: the imports every report needs (skmkit/kernelside.py: not this package,
#: whose import brings nbconvert and the exporters into every kernel).
WARMUP = "import skmkit.kernelside as _x; _x.kernel_warmup(); del _x"
#: Run between units (not stored in history, so execution counts restart at 1).
RESET = "import skmkit.kernelside as _x; _x.kernel_reset({cwd!r}, {banner_cache!r})  # the reset also forgets _x"


def _kernel_manager_class():
    from jupyter_client.manager import AsyncKernelManager

    class _TrackingKernelManager(AsyncKernelManager):
        """Remembers the clients it hands out, so their sockets can be closed after each unit.

        nbclient leaves a client's channels open when it does not own the
        kernel manager; without this, each unit leaks a dozen file descriptors.
        """

        def client(self, **kwargs):
            kc = super().client(**kwargs)
            self._issued.append(kc)
            return kc

    return _TrackingKernelManager


class WarmKernel:
    """One long-lived ipykernel for many units (see the module docstring)."""

    def __init__(self, kernel_name: str = "python3", recycle: int = 25, startup_timeout: float = 60):
        self.kernel_name = kernel_name
        self.recycle = max(1, int(recycle))
        self.startup_timeout = startup_timeout
        self.km = None
        self._control = None
        self.used = 0
        self.starts = 0

    # -- lifecycle -------------------------------------------------------------
    def start(self, cwd: str | None = None) -> None:
        from jupyter_core.utils import run_sync

        import uuid

        # IPC sockets (no TCP ports to collide between parallel kernels), at an
        # absolute path: a relative one would resolve in the kernel's own cwd.
        if _IPC:
            ip = os.path.join(_ipc_dir(), f"k-{uuid.uuid4().hex[:12]}")
            km = _kernel_manager_class()(kernel_name=self.kernel_name, transport="ipc", ip=ip)
        else:  # Windows has no Unix sockets: TCP on loopback, ports chosen by the kernel manager
            km = _kernel_manager_class()(kernel_name=self.kernel_name, transport="tcp", ip="127.0.0.1")
        km._issued = []
        run_sync(km.start_kernel)(extra_arguments=["--HistoryManager.hist_file=:memory:"],
                                  cwd=cwd or os.getcwd())
        self.km, self.used = km, 0
        self.starts += 1
        self._run(WARMUP, timeout=self.startup_timeout)

    def shutdown(self) -> None:
        from jupyter_core.utils import run_sync

        km, self.km = self.km, None
        control, self._control = self._control, None
        if control is not None:
            try:
                control.stop_channels()
            except Exception:
                pass
        if km is None:
            return
        self._close_clients(km)
        try:
            run_sync(km.shutdown_kernel)(now=True)
        except Exception:  # already dead: nothing to clean but its files
            try:
                km.cleanup_resources()
            except Exception:
                pass

    def restart(self, cwd=None) -> None:
        self.shutdown()
        self.start(cwd)

    def alive(self) -> bool:
        from jupyter_core.utils import run_sync

        return self.km is not None and bool(run_sync(self.km.is_alive)())

    def kill(self) -> None:
        """Kill the kernel process (timeout watchdog); nbclient then reports a dead kernel."""
        from jupyter_core.utils import run_sync

        if self.km is not None:
            try:
                run_sync(self.km.interrupt_kernel)()
                time.sleep(0.2)
                run_sync(self.km.kill_kernel)()
            except Exception:
                pass

    # -- per unit ----------------------------------------------------------------
    def prepare(self, cwd: str, banner_cache: str | None = None) -> None:
        """Make the kernel ready for the next unit: start, recycle or reset it (see :func:`kernel_reset`)."""
        if self.km is None or self.used >= self.recycle or not self.alive():
            self.restart(cwd)
        self._run(RESET.format(cwd=str(cwd), banner_cache=banner_cache), timeout=60)

    def finished(self) -> None:
        """After a unit: count it and close the clients papermill opened."""
        self.used += 1
        if self.km is not None:
            self._close_clients(self.km)

    # -- helpers -------------------------------------------------------------------
    @staticmethod
    def _close_clients(km) -> None:
        issued, km._issued = list(km._issued), []
        for kc in issued:
            try:
                kc.stop_channels()
            except Exception:
                pass

    def _run(self, code: str, timeout: float) -> None:
        """Run setup code on the kernel through its own long-lived client (ready-checked once)."""
        from jupyter_core.utils import run_sync

        async def go():
            if self._control is None:
                from jupyter_client.session import Session

                # Its own session id: clients of one session share a socket identity, and the
                # kernel would route this client's replies to papermill's newer client.
                session = Session(key=self.km.session.key, signature_scheme=self.km.session.signature_scheme)
                kc = self.km.client(session=session)
                self.km._issued.remove(kc)  # lives as long as the kernel, not one unit
                kc.start_channels()
                await kc.wait_for_ready(timeout=timeout)
                self._control = kc
            reply = await self._control.execute_interactive(code, store_history=False, timeout=timeout,
                                                            output_hook=lambda msg: None)
            content = reply["content"]
            if content.get("status") != "ok":
                raise RuntimeError(f"kernel setup failed: {content.get('ename')}: {content.get('evalue')}")

        run_sync(go)()


_local = threading.local()
_all_kernels: list[WarmKernel] = []
_lock = threading.Lock()
_ipc: list[str] = []
#: Unix sockets for the kernels' channels where the system has them (not Windows).
_IPC = os.name == "posix"


def start_method() -> str:
    """The worker processes' start method: ``SKMKIT_START_METHOD``, else forkserver where the system has it
    (Linux, macOS), else spawn (Windows)."""
    import multiprocessing as mp

    wanted = os.environ.get("SKMKIT_START_METHOD", "").strip()
    available = mp.get_all_start_methods()
    if wanted:
        if wanted not in available:
            raise ParameterError(f"SKMKIT_START_METHOD '{wanted}' tidak tersedia di sistem ini. Perbaikan: pakai "
                                 f"salah satu dari {', '.join(available)}.")
        return wanted
    return "forkserver" if "forkserver" in available else "spawn"


def _ipc_dir() -> str:
    """This process's folder for kernel sockets (removed with its kernels, even after a crash)."""
    import tempfile

    with _lock:
        if not _ipc:
            _ipc.append(tempfile.mkdtemp(prefix="skmkit-kernels-"))
        return _ipc[0]


def kernel_for_thread(recycle: int = 25) -> WarmKernel:
    """This thread's warm kernel (created on first use; one per worker thread)."""
    k = getattr(_local, "kernel", None)
    if k is None:
        k = WarmKernel(recycle=recycle)
        _local.kernel = k
        with _lock:
            if not _all_kernels:
                _register_cleanup()
            _all_kernels.append(k)
    k.recycle = max(1, int(recycle))
    return k


def shutdown_kernels() -> None:
    """Shut down every warm kernel of this process."""
    with _lock:
        kernels = list(_all_kernels)
        _all_kernels.clear()
    for k in kernels:
        k.shutdown()
    if _ipc:
        import shutil

        shutil.rmtree(_ipc.pop(), ignore_errors=True)


def _register_cleanup() -> None:
    import atexit
    from multiprocessing import util

    atexit.register(shutdown_kernels)
    util.Finalize(None, shutdown_kernels, exitpriority=10)  # pool workers skip atexit


# -- executors ---------------------------------------------------------------------------
def _watch_parent(driver: int) -> None:
    """(Pool worker.) Exit when the driver is gone, taking the warm kernel along.

    A killed driver does not stop its pool's workers (they are the forkserver's
    children and wait on a queue forever), so each worker watches it.
    """
    parent = os.getppid()

    import psutil  # portable (os.kill(pid, 0) would terminate the process on Windows)

    def gone() -> bool:
        if os.getppid() != parent:
            return True
        try:  # killed but not yet reaped by its own parent: a zombie is gone too
            return psutil.Process(driver).status() == psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            return True
        except psutil.Error:
            return False

    def loop():
        while not gone():
            time.sleep(0.5)
        shutdown_kernels()
        os._exit(1)

    threading.Thread(target=loop, name="skmkit-driver-watch", daemon=True).start()


def _worker_init(parent: int, cwd: str, warm: bool, recycle: int) -> None:
    import gc

    _watch_parent(parent)
    if warm:  # start the kernel now, while the driver is still queuing units
        try:
            kernel_for_thread(recycle).start(cwd)
        except Exception:  # the first unit will retry and report the cause
            pass
    gc.freeze()  # the imported libraries are never garbage: keep them out of every collection


class LocalExecutor:
    """A pool of worker processes on this machine (default: one per core)."""

    name = "local"

    def __init__(self, jobs: int | None = None, *, cwd: str = ".", warm: bool = True, recycle: int = 25,
                 scheduler=None):
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        self.jobs = max(1, int(jobs or os.cpu_count() or 1))
        ctx = mp.get_context(start_method())
        if ctx.get_start_method() == "forkserver":
            # the worker's whole kit, once in the fork server: report.py leaves the exporters to first use
            ctx.set_forkserver_preload(["skmkit.batch", "skmkit.exporters", "skmkit.word"])
        self._new_pool = lambda: ProcessPoolExecutor(max_workers=self.jobs, mp_context=ctx, initializer=_worker_init,
                                                     initargs=(os.getpid(), str(cwd), warm, recycle))
        self.pool = self._new_pool()
        self._warming = []

    def start(self, units: int) -> None:
        """Start worker processes (and their warm kernels) for ``units`` units to run, at most ``jobs``.

        The batch calls it for each unit it plans to run, so that the workers
        import the kit and start their kernels while the driver is still
        preparing the other units, and no more workers start than units run.
        A no-op call per worker makes the pool start each process (it starts
        one per call while none is idle).
        """
        for _ in range(min(self.jobs, units) - len(self._warming)):
            self._warming.append(self.pool.submit(int))

    def run(self, fn, tasks):
        """Yield ``(task, result_or_exception)`` as each finishes.

        A worker process that dies (a crash in a PDF library, the OOM killer)
        breaks the whole pool. The units that were in the workers' hands (the
        earliest unfinished ones) are then run again one at a time in a new
        pool, so a second crash names its own unit (reported failed); the
        rest go on in parallel.
        """
        from concurrent.futures.process import BrokenProcessPool

        todo = list(tasks)
        # Once the started workers are idle the pool hands them units before it starts another (Python 3.9+);
        # a unit queued while they still warm up would start one more worker than units run.
        wait(self._warming)
        while todo:
            pending = {self.pool.submit(fn, t): n for n, t in enumerate(todo)}
            unfinished = []
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                if unfinished:  # the pool is broken: the rest fails at once; keep what finished
                    done, _ = wait(pending)
                for fut in done:
                    n = pending.pop(fut)
                    try:
                        res = fut.result()
                    except BrokenProcessPool:
                        unfinished.append(n)
                        continue
                    except Exception as exc:  # a bug in the worker: reported for this unit only
                        res = exc
                    yield todo[n], res
            if not unfinished:
                return
            unfinished.sort()
            suspects = [todo[n] for n in unfinished[:self.jobs + 1]]
            rest = [todo[n] for n in unfinished[self.jobs + 1:]]
            self._renew()
            for task in suspects:  # one at a time: a crash now is this unit's own
                try:
                    res = self.pool.submit(fn, task).result()
                except BrokenProcessPool as exc:
                    self._renew()
                    res = exc
                except Exception as exc:
                    res = exc
                yield task, res
            todo = rest

    def _renew(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = self._new_pool()

    def close(self, cancel: bool = False) -> None:
        if cancel:
            for p in list(getattr(self.pool, "_processes", {}).values()):
                try:
                    p.terminate()
                except Exception:
                    pass
        self.pool.shutdown(wait=not cancel, cancel_futures=cancel)


class DaskExecutor:
    """Units on a Dask ``distributed`` cluster (workers need skmkit and the data paths)."""

    name = "dask"

    def __init__(self, jobs=None, *, scheduler=None, cwd=".", warm=True, recycle=25):
        try:
            from distributed import Client
        except ImportError:
            raise ParameterError("executor dask butuh paket 'distributed'. "
                                 "Perbaikan: pip install 'skmkit[cluster]'.") from None
        if not scheduler:
            raise ParameterError("executor dask butuh --scheduler ALAMAT (mis. tcp://10.0.0.5:8786).")
        self.client = scheduler if isinstance(scheduler, Client) else Client(scheduler)
        self._own = not isinstance(scheduler, Client)

    def run(self, fn, tasks):
        from distributed import as_completed

        tasks = list(tasks)
        futures = self.client.map(fn, tasks, pure=False)
        index = {f.key: t for f, t in zip(futures, tasks)}
        queue = as_completed(futures)
        del futures  # as_completed holds each future until it is yielded; then only `fut` below
        for fut in queue:
            task = index.pop(fut.key)
            try:
                res = fut.result()
            except Exception as exc:
                res = exc
            # Collected: the scheduler may forget it. A result still wanted by the client is computed
            # again when the worker holding it dies ("lost already computed task(s), which will be
            # recomputed elsewhere"): a unit already rendered would be rendered twice, writing its
            # files again and taking the restarted worker's time.
            fut.release()
            del fut
            yield task, res

    def start(self, units: int) -> None:
        """Nothing to start: the cluster's workers are running already (a worker thread starts its
        kernel with its first unit)."""

    def close(self, cancel: bool = False) -> None:
        if self._own:
            self.client.close()


#: The executors ``skmkit batch --executor`` knows.
EXECUTORS = {"local": LocalExecutor, "dask": DaskExecutor}
