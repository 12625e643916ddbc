"""Process pools whose workers stop with the process that started them.

A ``concurrent.futures.ProcessPoolExecutor`` worker outlives its parent when the parent is killed: it
goes on with the evaluations already queued to it, using a core for nothing (a stopped calibration
left two such workers running for 33 minutes). The pools here give every worker a guard thread that
ends it within a second of its parent's death (any signal, SIGKILL included), and a stop that cancels
what is pending and ends the workers at once when the parent is leaving on an error or a signal.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any

#: How often a worker checks that its parent is alive (seconds).
GUARD_SECONDS = 1.0


def _guard(parent: int) -> None:
    """Pool initializer: a daemon thread that ends this worker when its parent is gone (re-parented)."""

    def watch() -> None:
        while True:
            time.sleep(GUARD_SECONDS)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="orphan-guard", daemon=True).start()


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A ``ProcessPoolExecutor`` of ``workers`` processes, each ending when this process ends."""
    return ProcessPoolExecutor(max_workers=workers, initializer=_guard, initargs=(os.getpid(),))


def stop_pool(pool: ProcessPoolExecutor | None, *, now: bool = False) -> None:
    """Shut a pool down: wait for its work, or with ``now`` cancel what is pending and end its workers."""
    if pool is None:
        return
    if not now:
        pool.shutdown()
        return
    procs = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in procs:
        if proc.is_alive():
            proc.terminate()
    for proc in procs:
        proc.join(timeout=5)


def exit_on_sigterm() -> None:
    """Make SIGTERM leave through ``SystemExit`` (status 143), so ``finally`` blocks stop the pools."""

    def leave(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, leave)


def leaving_on_error() -> bool:
    """True inside a ``finally`` block entered by an exception (an error, Ctrl-C or SIGTERM)."""
    return sys.exc_info()[0] is not None
