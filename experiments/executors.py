"""Executors: serial, local processes, Dask distributed. All run :func:`experiments.worker.execute_run`.

Each executor takes a list of tasks and a ``report(task, outcome)`` callback. The callback stores
the outcome and returns True when the task should be tried again; the executor then runs it again
with ``attempt`` increased. Only the run whose worker died is charged an attempt.

Time limit (``timeout`` seconds per run): every executor passes it to the worker, which ends an
overrunning run itself (see experiments/worker.py); the process executor also kills and replaces a
worker that is still busy ``grace_seconds(timeout)`` after the limit (a hang in C code).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import os
import time
from collections import deque
from collections.abc import Callable
from multiprocessing.connection import wait
from typing import Any

from experiments.worker import execute_run

Report = Callable[[dict[str, Any], dict[str, Any]], bool]


def default_workers() -> int:
    """All cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _again(task: dict[str, Any]) -> dict[str, Any]:
    return {**task, "attempt": task["attempt"] + 1}


def grace_seconds(timeout: float) -> float:
    """How long past its time limit a local worker may stay busy before it is killed."""
    return min(max(2.0, 0.1 * timeout), 60.0)


def _timeout_outcome(task: dict[str, Any], how: str) -> dict[str, Any]:
    return {
        "ok": False,
        "timeout": True,
        "crash": True,
        "error": f"run {task['run_id']} overran its time limit of {task.get('timeout')} s (execution.timeout): {how}",
    }


def run_serial(tasks: list[dict[str, Any]], report: Report, **_: Any) -> dict[str, Any]:
    """Run every task in this process, one after the other (a crash here ends the runner)."""
    queue = deque(tasks)
    while queue:
        task = queue.popleft()
        if report(task, execute_run(task)):
            queue.append(_again(task))
    return {"executor": "serial", "workers": 1}


# --- local processes ---------------------------------------------------------------------------------
_STARTED = {"started": True}
STARTUP_SECONDS = 300.0  # a worker process that has not started its task by then counts as hung


def _worker_main(conn: Any) -> None:
    """Loop of a local worker process: receive a task, send back its outcome; stop on None or EOF."""
    import signal

    import abm  # noqa: F401 - import the model once, before the first task

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C goes to the runner, which stops its workers

    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        conn.send(_STARTED)  # the time limit counts from here, not from a slow worker start-up
        conn.send(execute_run(task))


class _Slot:
    """One worker process and the task it holds."""

    def __init__(self, ctx: Any):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child,), daemon=True)
        self.proc.start()
        child.close()
        self.task: dict[str, Any] | None = None
        self.deadline = float("inf")

    def give(self, task: dict[str, Any]) -> None:
        self.task = task
        self._limit(STARTUP_SECONDS)
        self.conn.send(task)

    def _limit(self, extra: float) -> None:
        limit = self.task.get("timeout") if self.task else None
        self.deadline = time.monotonic() + limit + grace_seconds(limit) + extra if limit else float("inf")

    def started(self) -> None:
        """The worker began the task: its time limit runs from now."""
        self._limit(0.0)

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.send(None)
        self.proc.join(timeout=5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        self.conn.close()


def run_processes(tasks: list[dict[str, Any]], report: Report, *, workers: int = 0, **_: Any) -> dict[str, Any]:
    """Run tasks on a pool of local worker processes (spawned; one task per worker at a time).

    A worker that dies (os._exit, out-of-memory kill, segfault) is replaced; only the run it held
    is charged an attempt. The pool is our own rather than ProcessPoolExecutor, whose every pending
    future fails with BrokenProcessPool when one worker dies. A worker still busy past its run's
    time limit plus a grace period is killed and replaced; the run is recorded as timed out.
    """
    n = workers or default_workers()
    ctx = mp.get_context("spawn")
    queue = deque(tasks)
    slots = [_Slot(ctx) for _ in range(min(n, max(1, len(tasks))))]
    deaths = kills = 0
    try:
        while queue or any(s.task is not None for s in slots):
            for s in slots:
                if s.task is None and queue:
                    s.give(queue.popleft())
            busy = [s for s in slots if s.task is not None]
            wait_for = max(0.0, min(s.deadline for s in busy) - time.monotonic())
            ready = set(
                wait(
                    [s.conn for s in busy] + [s.proc.sentinel for s in busy],
                    timeout=None if wait_for == float("inf") else wait_for,
                )
            )
            now = time.monotonic()
            for i, s in enumerate(slots):
                if s.task is None:
                    continue
                if s.conn not in ready and s.proc.sentinel not in ready:
                    if now >= s.deadline:  # hung past the limit: kill, replace, record the timeout
                        task = s.task
                        s.proc.kill()
                        s.task = None
                        s.stop()
                        slots[i] = _Slot(ctx)
                        kills += 1
                        if report(task, _timeout_outcome(task, "its worker did not stop and was killed")):
                            queue.append(_again(task))
                    continue
                task, outcome = s.task, None
                if s.conn.poll():
                    try:
                        outcome = s.conn.recv()
                    except (EOFError, OSError):
                        outcome = None
                    if outcome == _STARTED:
                        s.started()
                        continue
                if outcome is None:
                    s.proc.join(timeout=5)
                    outcome = {
                        "ok": False,
                        "crash": True,
                        "error": f"worker process {s.proc.pid} died (exit code {s.proc.exitcode}) "
                        f"while running {task['run_id']}",
                    }
                    deaths += 1
                    s.task = None
                    s.stop()
                    slots[i] = _Slot(ctx)
                else:
                    s.task = None
                if report(task, outcome):
                    queue.append(_again(task))
    finally:
        for s in slots:
            s.stop()
    return {"executor": "process", "workers": len(slots), "worker_deaths": deaths, "workers_killed_by_timeout": kills}


# --- Dask ----------------------------------------------------------------------------------------
def run_dask(
    tasks: list[dict[str, Any]], report: Report, *, workers: int = 0, address: str = "", max_attempts: int = 3, **_: Any
) -> dict[str, Any]:
    """Run tasks on Dask distributed: a LocalCluster, or the scheduler at ``address``.

    Dask itself reruns a task whose worker died, on another worker; after ``max_attempts`` deaths
    (the scheduler's ``allowed-failures``, set for a LocalCluster) the run is recorded as failed.
    How often each run was lost because its worker died (while running it or holding it in its queue)
    is asked from the scheduler (the task's ``suspicious`` count) and recorded; the number of deaths
    is counted from the scheduler's worker-removal events.
    The time limit is enforced by the worker code itself (checked every quarter).
    """
    import dask
    from distributed import Client, LocalCluster, as_completed
    from distributed.scheduler import KilledWorker

    def suspicious(keys: list[str], dask_scheduler: Any = None) -> dict[str, int]:
        # defined here so that it is pickled by value: the scheduler need not import this package
        return {k: int(dask_scheduler.tasks[k].suspicious) for k in keys if k in dask_scheduler.tasks}

    cluster = None
    if address:
        try:
            client = Client(address, timeout=15)
        except (OSError, TimeoutError) as err:
            from experiments.spec import InputError

            raise InputError(
                f"address = {address!r}: cannot connect to a Dask scheduler ({err}); "
                "allowed: the address of a running scheduler, e.g. tcp://10.0.0.5:8786"
            ) from None
    else:
        with dask.config.set({"distributed.scheduler.allowed-failures": max_attempts - 1}):
            cluster = LocalCluster(
                n_workers=workers or default_workers(),
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
        client = Client(cluster)
    by_key: dict[str, dict[str, Any]] = {}

    def submit(task: dict[str, Any]) -> Any:
        key = f"run-{task['run_id']}-a{task['attempt']}-{task['task_hash']}"
        by_key[key] = task
        return client.submit(execute_run, task, key=key, pure=False)

    lost = 0
    t_start = time.time()
    try:
        n_workers = len(client.scheduler_info().get("workers", {}))
        ac = as_completed([submit(t) for t in tasks])
        for fut in ac:
            task = by_key.pop(fut.key)
            try:
                outcome = fut.result()
            except KilledWorker as err:
                outcome = {
                    "ok": False,
                    "crash": True,
                    "final": True,
                    "error": f"Dask: the workers running {task['run_id']} died too often: {err}",
                }
            except Exception as err:
                outcome = {"ok": False, "crash": True, "error": f"Dask: {type(err).__name__}: {err}"}
            try:
                died = client.run_on_scheduler(suspicious, [fut.key]).get(fut.key, 0)
            except Exception:  # an old scheduler: the count is unknown, not zero
                died = 0
            lost += died
            outcome = {**outcome, "worker_deaths": died}
            fut.release()
            if report(task, outcome):
                ac.add(submit(_again(task)))
        deaths = _unexpected_worker_removals(client, t_start)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return {
        "executor": "dask",
        "workers": n_workers,
        "address": address or "LocalCluster",
        "worker_deaths": deaths,
        "runs_lost_to_worker_deaths": lost,
    }


def _unexpected_worker_removals(client: Any, since: float) -> int:
    """Workers the scheduler lost without being asked to (deaths) since ``since`` (-1 if unknown)."""
    try:
        events = client.get_events("all")
    except Exception:
        return -1
    return sum(
        1
        for t, msg in events
        if t >= since and isinstance(msg, dict) and msg.get("action") == "remove-worker" and not msg.get("expected")
    )


EXECUTORS = {"serial": run_serial, "process": run_processes, "dask": run_dask}
