"""Run an experiment crash-safely, resume it, report its status and collect its results.

Layout of a results folder (``results/<spec stem>/`` unless ``--out`` or ``experiment.output``)::

    manifest.json               spec hash, spec text, provenance, one entry per runner session
    spec.toml                   copy of the spec as first run
    plan.parquet                the run table (run_index, run_id, point, scenario, replication, seed, ...)
    runs/summary/<run_id>.parquet   one row per finished run: metrics, parameters, seed, versions
    runs/series/<run_id>.parquet    the run's yearly series (if the spec asks for series)
    runs/failed/<run_id>.json       a run that failed max_attempts times, with every traceback
    summary.parquet, series.parquet written by ``collect``

Every file is written to a temporary name and renamed into place with ``os.replace``, so a killed
runner leaves only whole files; the summary file is written last and marks the run as done.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from experiments.executors import EXECUTORS, default_workers
from experiments.plan import plan, plan_hash
from experiments.spec import Spec, load_spec

#: Columns that differ between identical runs (timing, process, time): drop them to compare tables.
VOLATILE_COLUMNS = ("model_seconds", "run_seconds", "worker", "finished_at", "attempts")


class ExperimentError(RuntimeError):
    """An experiment cannot be run, resumed or collected as asked."""


def git_commit() -> str:
    """The project's git commit (with '+dirty' if abm/ or data/ have uncommitted changes), or 'unknown'."""
    import abm

    root = Path(abm.__file__).resolve().parent.parent
    try:
        head = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True,  # noqa: S607
                              timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--", "abm", "data"],  # noqa: S607
                               capture_output=True, text=True, timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return head + ("+dirty" if dirty else "")


def output_dir(spec: Spec, out: str | os.PathLike[str] | None = None) -> Path:
    """The results folder of a spec."""
    if out:
        return Path(out)
    if spec.output:
        return Path(spec.output)
    return Path("results") / spec.stem


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write bytes to a temporary file beside ``path``, fsync, then rename into place."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def atomic_write_table(path: Path, table: pa.Table) -> None:
    """Write a Parquet file atomically (temporary name, fsync, os.replace)."""
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    atomic_write_bytes(path, sink.getvalue().to_pybytes())


@dataclass
class Store:
    """The files of one results folder."""

    root: Path

    @property
    def summary_dir(self) -> Path:
        """Folder of per-run summary files."""
        return self.root / "runs" / "summary"

    @property
    def series_dir(self) -> Path:
        """Folder of per-run series files."""
        return self.root / "runs" / "series"

    @property
    def failed_dir(self) -> Path:
        """Folder of failure records."""
        return self.root / "runs" / "failed"

    @property
    def manifest_path(self) -> Path:
        """The manifest."""
        return self.root / "manifest.json"

    def make(self) -> None:
        """Create the folders."""
        for d in (self.summary_dir, self.series_dir, self.failed_dir):
            d.mkdir(parents=True, exist_ok=True)

    def done_ids(self) -> set[str]:
        """Run ids with a summary file (finished runs)."""
        if not self.summary_dir.is_dir():
            return set()
        return {p.stem for p in self.summary_dir.glob("*.parquet")}

    def failed(self) -> dict[str, dict[str, Any]]:
        """Failure records by run id."""
        if not self.failed_dir.is_dir():
            return {}
        return {p.stem: json.loads(p.read_text()) for p in sorted(self.failed_dir.glob("*.json"))}

    def manifest(self) -> dict[str, Any] | None:
        """The manifest, or None before the first run."""
        if not self.manifest_path.is_file():
            return None
        return json.loads(self.manifest_path.read_text())

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        """Write the manifest atomically."""
        atomic_write_bytes(self.manifest_path, json.dumps(manifest, indent=2, default=str).encode())

    def plan(self) -> pd.DataFrame:
        """The stored run table."""
        path = self.root / "plan.parquet"
        if not path.is_file():
            raise ExperimentError(f"{self.root}: no plan.parquet; run `python -m experiments run <spec>` first")
        return pd.read_parquet(path)

    def clean_temporary(self) -> int:
        """Delete temporary files left by a killed runner; return how many."""
        n = 0
        for tmp in self.root.rglob(".*.tmp"):
            tmp.unlink(missing_ok=True)
            n += 1
        return n

    def write_result(self, outcome: dict[str, Any]) -> None:
        """Store a finished run: series first, then the summary file that marks it done."""
        run_id = outcome["summary"]["run_id"]
        if outcome.get("series") is not None:
            atomic_write_table(self.series_dir / f"{run_id}.parquet", pa.Table.from_pydict(outcome["series"]))
        atomic_write_table(self.summary_dir / f"{run_id}.parquet", pa.Table.from_pylist([outcome["summary"]]))
        (self.failed_dir / f"{run_id}.json").unlink(missing_ok=True)

    def remove_run(self, run_id: str) -> None:
        """Forget a run's results (used when a changed spec is accepted with --force)."""
        for d, ext in ((self.summary_dir, "parquet"), (self.series_dir, "parquet"), (self.failed_dir, "json")):
            (d / f"{run_id}.{ext}").unlink(missing_ok=True)


class _Lock:
    """An exclusive lock on a results folder: one runner at a time."""

    def __init__(self, root: Path):
        self.path = root / ".lock"
        self.fh: Any = None

    def __enter__(self) -> _Lock:
        self.fh = open(self.path, "w")
        try:
            fcntl.flock(self.fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.fh.close()
            raise ExperimentError(f"{self.path.parent}: another runner is working on this folder") from None
        return self

    def __exit__(self, *exc: Any) -> None:
        fcntl.flock(self.fh, fcntl.LOCK_UN)
        self.fh.close()


@dataclass
class RunSummary:
    """What one call of :func:`run_experiment` did."""

    out: Path
    total: int
    skipped: int
    done: int
    failed: int
    retried: int
    seconds: float
    executor: dict[str, Any] = field(default_factory=dict)

    def text(self) -> str:
        """One line for the terminal."""
        return (f"{self.out}: {self.done} runs done now, {self.skipped} already done, {self.failed} failed, "
                f"{self.retried} retries, {self.total} in the plan; {self.seconds:.1f} s on "
                f"{self.executor.get('executor')} x{self.executor.get('workers')}")


def _tasks(spec: Spec, table: pd.DataFrame, out: Path, spec_hash: str, commit: str) -> dict[str, dict[str, Any]]:
    summary = [(m.column, m.agg, m.name) for m in spec.summary]
    schedules = {s.key: s.schedule for s in spec.scenarios}
    param_cols = [c for c in table.columns if c.startswith("param_")]
    tasks = {}
    for row in table.to_dict("records"):
        tasks[row["run_id"]] = {
            "run_id": row["run_id"], "run_index": int(row["run_index"]), "point": int(row["point"]),
            "scenario": row["scenario"], "replication": int(row["replication"]), "seed": int(row["seed"]),
            "years": int(row["years"]), "task_hash": row["task_hash"],
            "params": json.loads(row["params_json"]), "schedule": schedules[row["scenario"]],
            "params_json": row["params_json"], "schedule_json": row["schedule_json"],
            "param_columns": {c: row[c] for c in param_cols},
            "summary": summary, "series": list(spec.series), "attempt": 1,
            "git_commit": commit, "spec_hash": spec_hash, "hook_dir": str(out / ".testhook"),
        }
    return tasks


def prepare(spec: Spec, out: Path, *, force: bool = False, restart: bool = False) -> tuple[Store, pd.DataFrame, str]:
    """Create or check the results folder: plan, manifest, spec copy. Refuse a changed spec."""
    import shutil

    from abm import __version__

    store = Store(out)
    table = plan(spec)
    spec_hash = plan_hash(spec, table)
    manifest = store.manifest()
    if manifest is not None and manifest.get("spec_hash") != spec_hash:
        if restart:
            shutil.rmtree(out / "runs", ignore_errors=True)
            manifest = None
        elif force:
            keep = dict(zip(table["run_id"], table["task_hash"], strict=True))
            for run_id in sorted(store.done_ids() | set(store.failed())):
                path = store.summary_dir / f"{run_id}.parquet"
                old = pq.read_table(path, columns=["task_hash"]).column(0)[0].as_py() if path.is_file() else None
                if keep.get(run_id) != old:
                    store.remove_run(run_id)
            manifest["spec_hash"] = spec_hash
            manifest.setdefault("spec_changes", []).append({"at": time.time(), "spec_hash": spec_hash})
        else:
            raise ExperimentError(
                f"{out}: the spec (or a scenario or parameter default it uses) changed since these results "
                f"were started (hash {manifest.get('spec_hash', '?')[:12]} -> {spec_hash[:12]}). Use --force to "
                "accept it (finished runs whose inputs are unchanged are kept), --restart to start over, "
                "or --out to write elsewhere."
            )
    store.make()
    if manifest is None:
        manifest = {"experiment": spec.name, "spec_path": str(spec.path), "spec_hash": spec_hash,
                    "created_at": time.time(), "abm_version": __version__, "git_commit": git_commit(),
                    "n_runs": len(table), "spec_text": spec.text, "sessions": []}
    manifest["spec_text"] = spec.text
    manifest["n_runs"] = len(table)
    store.write_manifest(manifest)
    atomic_write_bytes(out / "spec.toml", spec.text.encode())
    atomic_write_table(out / "plan.parquet", pa.Table.from_pandas(table, preserve_index=False))
    return store, table, spec_hash


def run_experiment(spec: Spec | str | os.PathLike[str], *, out: str | os.PathLike[str] | None = None,
                   executor: str | None = None, workers: int | None = None, address: str | None = None,
                   force: bool = False, restart: bool = False, progress: bool = True) -> RunSummary:
    """Run (or resume) an experiment: every run of the plan that has no result yet.

    Args:
        spec: A Spec, or the path or shipped name of a spec.
        out: Results folder (default ``results/<spec stem>``).
        executor: "serial", "process" or "dask" (default: the spec's, else "process").
        workers: Worker count (0 = all cores).
        address: Dask scheduler address ("" = LocalCluster).
        force: Accept a changed spec; keep finished runs whose inputs are unchanged.
        restart: Delete earlier results and start over.
        progress: Show a progress bar (done, failed, remaining, estimated time).

    Returns:
        Counts and timing of this session.
    """
    from tqdm import tqdm

    if not isinstance(spec, Spec):
        spec = load_spec(spec)
    executor = executor or spec.executor
    if executor not in EXECUTORS:
        raise ExperimentError(f"executor {executor!r} is not allowed; allowed: {', '.join(EXECUTORS)}")
    workers = spec.workers if workers is None else workers
    address = spec.address if address is None else address
    root = output_dir(spec, out)
    root.mkdir(parents=True, exist_ok=True)
    started = time.time()
    with _Lock(root):
        store, table, spec_hash = prepare(spec, root, force=force, restart=restart)
        store.clean_temporary()
        commit = git_commit()
        manifest = store.manifest() or {}
        if manifest.get("git_commit") not in (None, commit):
            print(f"warning: results were started at commit {manifest['git_commit']}, now at {commit}")
        done_before = store.done_ids()
        tasks = _tasks(spec, table, root, spec_hash, commit)
        pending = [t for rid, t in tasks.items() if rid not in done_before]
        counts = {"done": 0, "failed": 0, "retried": 0}
        errors: dict[str, list[str]] = {}
        bar = tqdm(total=len(tasks), initial=len(done_before), unit="run", disable=not progress,
                   desc=spec.stem, mininterval=0.5, dynamic_ncols=True)

        def show() -> None:
            remaining = len(tasks) - len(done_before) - counts["done"] - counts["failed"]
            bar.set_postfix(done=len(done_before) + counts["done"], failed=counts["failed"], remaining=remaining,
                            refresh=False)

        def report(task: dict[str, Any], outcome: dict[str, Any]) -> bool:
            if outcome.get("ok"):
                store.write_result(outcome)
                counts["done"] += 1
                errors.pop(task["run_id"], None)
                show()
                bar.update(1)
                return False
            errs = errors.setdefault(task["run_id"], [])
            errs.append(outcome.get("error", "unknown error"))
            if task["attempt"] < spec.max_attempts and not outcome.get("final"):
                counts["retried"] += 1
                return True
            record = {"run_id": task["run_id"], "scenario": task["scenario"], "point": task["point"],
                      "replication": task["replication"], "seed": task["seed"], "attempts": task["attempt"],
                      "errors": errs, "traceback": errs[-1], "failed_at": time.time(), "spec_hash": spec_hash}
            atomic_write_bytes(store.failed_dir / f"{task['run_id']}.json", json.dumps(record, indent=2).encode())
            counts["failed"] += 1
            show()
            bar.update(1)
            return False

        show()
        info = {"executor": executor, "workers": 0}
        try:
            if pending:
                info = EXECUTORS[executor](pending, report, workers=workers or default_workers(), address=address,
                                           max_attempts=spec.max_attempts)
        finally:
            bar.close()
            manifest = store.manifest() or {}
            manifest.setdefault("sessions", []).append({
                "started_at": started, "ended_at": time.time(), "git_commit": commit, **info,
                "done": counts["done"], "failed": counts["failed"], "retried": counts["retried"],
                "skipped": len(done_before)})
            store.write_manifest(manifest)
    return RunSummary(root, len(tasks), len(done_before), counts["done"], counts["failed"], counts["retried"],
                      time.time() - started, info)


def status(spec: Spec | str | os.PathLike[str], *, out: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Counts of a results folder: total, done, failed, remaining, and the failed runs' last errors."""
    if not isinstance(spec, Spec):
        spec = load_spec(spec)
    root = output_dir(spec, out)
    store = Store(root)
    table = plan(spec)
    ids = set(table["run_id"])
    manifest = store.manifest()
    done = store.done_ids() & ids
    failed = {k: v for k, v in store.failed().items() if k in ids and k not in done}
    spec_hash = plan_hash(spec, table)
    return {
        "out": str(root), "total": len(ids), "done": len(done), "failed": len(failed),
        "remaining": len(ids) - len(done) - len(failed), "started": manifest is not None,
        "spec_changed": manifest is not None and manifest.get("spec_hash") != spec_hash,
        "failed_runs": {k: v["traceback"].strip().splitlines()[-1] for k, v in failed.items()},
        "sessions": (manifest or {}).get("sessions", []),
    }


def collect(spec: Spec | str | os.PathLike[str], *, out: str | os.PathLike[str] | None = None,
            write: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One table of every finished run (and one of the yearly series), read with DuckDB.

    Returns:
        (summary, series): summary has one row per finished run, ordered by run_index; series one
        row per run and year (empty if the spec keeps no series).
    """
    import duckdb

    if not isinstance(spec, Spec):
        spec = load_spec(spec)
    root = output_dir(spec, out)
    store = Store(root)
    if not store.done_ids():
        raise ExperimentError(f"{root}: no finished runs yet; run `python -m experiments run {spec.path}`")
    con = duckdb.connect()
    glob = str(store.summary_dir / "*.parquet").replace("'", "''")
    summary = con.execute(f"SELECT * FROM read_parquet('{glob}', union_by_name=true) ORDER BY run_index").df()  # noqa: S608
    series = pd.DataFrame()
    if spec.series and any(store.series_dir.glob("*.parquet")):
        sglob = str(store.series_dir / "*.parquet").replace("'", "''")
        series = con.execute(
            f"SELECT s.* FROM read_parquet('{sglob}', union_by_name=true) s "  # noqa: S608
            f"SEMI JOIN read_parquet('{glob}', union_by_name=true) d ON s.run_id = d.run_id "
            "ORDER BY s.run_index, s.year").df()
    con.close()
    if write:
        atomic_write_table(root / "summary.parquet", pa.Table.from_pandas(summary, preserve_index=False))
        if not series.empty:
            atomic_write_table(root / "series.parquet", pa.Table.from_pandas(series, preserve_index=False))
    return summary, series
