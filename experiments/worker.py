"""What runs on a worker: one model run, from a self-contained task dict, to a result dict.

The function :func:`execute_run` is the only code the executors ship to their workers (local
processes or Dask workers, on this machine or another). It needs only the ``abm`` package: the
task carries every parameter, the schedule, the seed and the metrics, so workers read no files.

Test hooks (for the test suite only; never set them in real work):

``EXPERIMENTS_TEST_CRASH``
    Comma-separated run ids. The first attempt of each such run kills its worker process with
    ``os._exit(17)`` (as an out-of-memory kill would); later attempts run normally. "First" is
    remembered by a marker file in ``<results>/.testhook/``, so it holds across processes.
``EXPERIMENTS_TEST_FAIL``
    Comma-separated run ids that raise an exception on every attempt.
``EXPERIMENTS_TEST_DELAY``
    Seconds to sleep in every run (to make a sweep slow enough to be killed in the middle).
``EXPERIMENTS_TEST_HANG``
    Comma-separated run ids that never return (sleep for an hour): the time limit must end them.
``EXPERIMENTS_TEST_STUCK``
    Like ``EXPERIMENTS_TEST_HANG`` but with SIGALRM blocked, as code stuck in a C extension would be:
    only killing the worker process ends it.

Time limit: a task's ``timeout`` (seconds) is enforced here in two ways: the model checks the clock
after every quarter (works on every executor), and where this code runs in a process's main thread
(serial executor, local worker processes) a SIGALRM interrupts code that never reaches the next
quarter. The process executor also kills a worker that overruns the limit by more than a grace period.
"""

from __future__ import annotations

import contextlib
import math
import os
import signal
import socket
import threading
import time
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from experiments.provenance import source_hash


class RunTimeout(BaseException):
    """A run overran its time limit."""


@contextlib.contextmanager
def _alarm(seconds: float | None) -> Iterator[None]:
    """Raise RunTimeout after ``seconds`` via SIGALRM (only in a main thread on Unix; else do nothing)."""
    usable = (
        seconds
        and math.isfinite(seconds)
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    def fire(signum: int, frame: Any) -> None:
        raise RunTimeout(f"the run overran its time limit of {seconds:g} s (execution.timeout)")

    old = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _hook_ids(name: str) -> set[str]:
    return {s.strip() for s in os.environ.get(name, "").split(",") if s.strip()}


def _test_hooks(task: dict[str, Any]) -> None:
    run_id = task["run_id"]
    delay = os.environ.get("EXPERIMENTS_TEST_DELAY")
    if delay:
        time.sleep(float(delay))
    if run_id in _hook_ids("EXPERIMENTS_TEST_HANG"):
        time.sleep(3600)
    if run_id in _hook_ids("EXPERIMENTS_TEST_STUCK"):
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(3600)
    if run_id in _hook_ids("EXPERIMENTS_TEST_CRASH"):
        marker_dir = Path(task["hook_dir"])
        marker_dir.mkdir(parents=True, exist_ok=True)
        marker = marker_dir / f"crashed-{run_id}"
        if not marker.exists():
            marker.write_text("crashed once\n")
            os._exit(17)
    if run_id in _hook_ids("EXPERIMENTS_TEST_FAIL"):
        raise RuntimeError(f"test hook EXPERIMENTS_TEST_FAIL: run {run_id} fails on purpose")


def _reduce(values: Any, agg: str) -> float:
    if agg == "last":
        return float(values.iloc[-1])
    if agg == "first":
        return float(values.iloc[0])
    if agg == "change":
        return float(values.iloc[-1] - values.iloc[0])
    return float(getattr(values, agg)())


def execute_run(task: dict[str, Any]) -> dict[str, Any]:
    """Run one model and reduce its yearly table to the requested metrics.

    Args:
        task: A task from the runner: run_id, run_index, point, scenario, replication, seed, years,
            params, schedule, summary [(column, agg, name)], series [columns], attempt, provenance.

    Returns:
        ``{"ok": True, "summary": {...}, "series": {...}}`` or ``{"ok": False, "error": traceback}``.
        Exceptions in the model are caught and returned; only a dying process escapes.
    """
    started = time.perf_counter()
    limit = task.get("timeout")
    try:
        with _alarm(limit):
            _test_hooks(task)
            import abm
            from abm import InnovationModel

            t0 = time.perf_counter()

            def check_clock(step: int) -> None:
                if limit and time.perf_counter() - started > limit:
                    raise RunTimeout(
                        f"the run overran its time limit of {limit:g} s (execution.timeout) after {step} quarters"
                    )

            model = InnovationModel(seed=task["seed"], schedule=task["schedule"], **task["params"])
            model.run(years=task["years"], progress=check_clock)
            yearly = model.yearly()
            model_seconds = time.perf_counter() - t0
        row: dict[str, Any] = {
            k: task[k]
            for k in ("run_id", "run_index", "point", "scenario", "replication", "seed", "years", "task_hash")
        }
        row.update(task["param_columns"])
        for column, agg, name in task["summary"]:
            row[name] = _reduce(yearly[column], agg)
        series = {
            "run_id": [task["run_id"]] * len(yearly),
            "run_index": [task["run_index"]] * len(yearly),
            "point": [task["point"]] * len(yearly),
            "scenario": [task["scenario"]] * len(yearly),
            "replication": [task["replication"]] * len(yearly),
            "year": [int(y) for y in yearly["year"]],
        }
        for column in task["series"]:
            series[column] = [float(v) for v in yearly[column]]
        series["spec_hash"] = [task["spec_hash"]] * len(yearly)
        series["source_hash"] = [source_hash()] * len(yearly)
        row.update(
            {
                "status": "done",
                "attempts": task["attempt"],
                "params_json": task["params_json"],
                "schedule_json": task["schedule_json"],
                "abm_version": abm.__version__,
                "source_hash": source_hash(),
                "git_commit": task["git_commit"],
                "spec_hash": task["spec_hash"],
                "worker": f"{socket.gethostname()}:{os.getpid()}",
                "model_seconds": model_seconds,
                "run_seconds": time.perf_counter() - started,
                "finished_at": time.time(),
            }
        )
        return {"ok": True, "summary": row, "series": series if task["series"] else None}
    except RunTimeout:
        return {
            "ok": False,
            "timeout": True,
            "error": traceback.format_exc(),
            "worker": f"{socket.gethostname()}:{os.getpid()}",
        }
    except Exception:
        return {"ok": False, "error": traceback.format_exc(), "worker": f"{socket.gethostname()}:{os.getpid()}"}
