"""Worker processes of the experiment pools stop with the process that started them (experiments.pools)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: A parent that starts a pool of one worker on a long task, prints the worker's pid and waits.
PARENT = """
import os, sys, time
from experiments.pools import exit_on_sigterm, leaving_on_error, process_pool, stop_pool

exit_on_sigterm()
pool = process_pool(1)
try:
    fut = pool.submit(time.sleep, 300)
    while not pool._processes:
        time.sleep(0.05)
    time.sleep(0.5)  # the worker has taken the task
    print(*pool._processes, flush=True)
    fut.result()
finally:
    stop_pool(pool, now=leaving_on_error())
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie child of someone else's is gone for our purpose
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(") ")[-1].startswith("Z"))


def _gone_within(pid: int, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if not _alive(pid):
            return True
        time.sleep(0.1)
    return False


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_pool_workers_end_when_their_parent_is_stopped(sig):
    """SIGTERM: the parent leaves through its finally block, which cancels the work and ends the worker;
    SIGKILL (no finally): the worker's guard sees its parent gone and exits. Without either the worker
    would sleep on for 300 s (a stopped calibration left two such workers running for 33 minutes)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    worker = 0
    try:
        worker = int(parent.stdout.readline().split()[0])
        assert _alive(worker)
        parent.send_signal(sig)
        status = parent.wait(timeout=60)
        assert status == (143 if sig == signal.SIGTERM else -signal.SIGKILL)
        assert _gone_within(worker, 30.0), f"worker {worker} outlived its parent ({sig.name})"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
        if worker and _alive(worker):  # a failed run leaves no process behind
            os.kill(worker, signal.SIGKILL)
