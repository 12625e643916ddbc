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
"""

from __future__ import annotations

import hashlib
import os
import socket
import time
import traceback
from pathlib import Path
from typing import Any

_SOURCE_HASH: list[str] = []


def abm_source_hash() -> str:
    """SHA-256 (first 16 hex digits) of the abm package's Python files as this worker has them."""
    if not _SOURCE_HASH:
        import abm

        root = Path(abm.__file__).resolve().parent
        h = hashlib.sha256()
        for path in sorted(root.rglob("*.py")):
            h.update(str(path.relative_to(root)).encode())
            h.update(path.read_bytes())
        _SOURCE_HASH.append(h.hexdigest()[:16])
    return _SOURCE_HASH[0]


def _hook_ids(name: str) -> set[str]:
    return {s.strip() for s in os.environ.get(name, "").split(",") if s.strip()}


def _test_hooks(task: dict[str, Any]) -> None:
    run_id = task["run_id"]
    delay = os.environ.get("EXPERIMENTS_TEST_DELAY")
    if delay:
        time.sleep(float(delay))
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
    try:
        _test_hooks(task)
        import abm
        from abm import InnovationModel

        t0 = time.perf_counter()
        model = InnovationModel(seed=task["seed"], schedule=task["schedule"], **task["params"])
        model.run(years=task["years"])
        yearly = model.yearly()
        model_seconds = time.perf_counter() - t0
        row: dict[str, Any] = {k: task[k] for k in ("run_id", "run_index", "point", "scenario", "replication",
                                                    "seed", "years", "task_hash")}
        row.update(task["param_columns"])
        for column, agg, name in task["summary"]:
            row[name] = _reduce(yearly[column], agg)
        series = {"run_id": [task["run_id"]] * len(yearly), "run_index": [task["run_index"]] * len(yearly),
                  "point": [task["point"]] * len(yearly), "scenario": [task["scenario"]] * len(yearly),
                  "replication": [task["replication"]] * len(yearly),
                  "year": [int(y) for y in yearly["year"]]}
        for column in task["series"]:
            series[column] = [float(v) for v in yearly[column]]
        row.update({
            "status": "done",
            "attempts": task["attempt"],
            "params_json": task["params_json"],
            "schedule_json": task["schedule_json"],
            "abm_version": abm.__version__,
            "abm_source_hash": abm_source_hash(),
            "git_commit": task["git_commit"],
            "spec_hash": task["spec_hash"],
            "worker": f"{socket.gethostname()}:{os.getpid()}",
            "model_seconds": model_seconds,
            "run_seconds": time.perf_counter() - started,
            "finished_at": time.time(),
        })
        return {"ok": True, "summary": row, "series": series if task["series"] else None}
    except Exception:
        return {"ok": False, "error": traceback.format_exc(), "worker": f"{socket.gethostname()}:{os.getpid()}"}
