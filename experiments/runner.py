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

Safety rules: a results folder is created inside the results root (``results/``) unless ``--out``
names one; an existing folder is used only if it is empty or already a results folder; nothing
but the runner's own files (the names above) is ever deleted; results are read from explicit file
names (never a pattern built from a path), and only when their spec and code hashes match.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from experiments.executors import EXECUTORS, default_workers
from experiments.plan import plan, plan_hash
from experiments.provenance import git_commit, source_hash
from experiments.spec import ADDRESS_ALLOWED, LIMITS, InputError, Spec, check_address, load_spec

#: Columns that differ between identical runs (timing, process, time): drop them to compare tables.
VOLATILE_COLUMNS = ("model_seconds", "run_seconds", "worker", "finished_at", "attempts")


#: The default results root; a spec's folder is <root>/<spec file stem> or <root>/<experiment.output>.
RESULTS_ROOT = Path("results")
#: Names the runner writes directly in a results folder: the only ones it ever deletes (--restart).
OWN_FILES = (
    "manifest.json",
    "spec.toml",
    "plan.parquet",
    "summary.parquet",
    "series.parquet",
    "summary.csv",
    "series.csv",
    "advice.csv",
    ".lock",
)
OWN_DIRS = ("runs", "analysis", "report", ".testhook")
_TMP = re.compile(r"^\..+\.\d+\.tmp$")  # atomic_write_bytes' temporary names


class ExperimentError(RuntimeError):
    """An experiment cannot be run, resumed or collected as asked."""


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ExperimentError(
            f"{path}: cannot be read ({err}); it was not written by the runner as it is now: "
            "restore or delete it (or start over with `run --restart`)"
        ) from None
    if not isinstance(data, dict):
        raise ExperimentError(f"{path}: is not a JSON object; restore or delete it (or `run --restart`)")
    return data


def output_dir(
    spec: Spec, out: str | os.PathLike[str] | None = None, root: str | os.PathLike[str] | None = None
) -> Path:
    """The results folder of a spec: ``out`` if given, else inside the results root.

    Args:
        spec: The spec.
        out: A folder named explicitly (on the command line): used as it is.
        root: The results root (default ``results/`` in the current folder).
    """
    if out:
        return Path(out)
    base = Path(root) if root else RESULTS_ROOT
    folder = base / (spec.output or spec.folder_name)
    if base.resolve() not in folder.resolve().parents:  # cannot happen for a valid spec; belt and braces
        raise InputError(f"results folder {folder} would leave the results root {base}")
    return folder


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write bytes to a temporary file beside ``path``, fsync, then rename into place."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


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
        return {p.stem: _read_json(p) for p in sorted(self.failed_dir.glob("*.json"))}

    def manifest(self) -> dict[str, Any] | None:
        """The manifest, or None before the first run."""
        if not self.manifest_path.is_file():
            return None
        return _read_json(self.manifest_path)

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
        """Delete temporary files left by a killed runner (only the runner's own names, only its folders)."""
        n = 0
        for d in (self.root, self.summary_dir, self.series_dir, self.failed_dir):
            if not d.is_dir():
                continue
            for tmp in d.iterdir():
                if _TMP.match(tmp.name) and tmp.is_file() and not tmp.is_symlink():
                    tmp.unlink(missing_ok=True)
                    n += 1
        return n

    def is_results_folder(self) -> bool:
        """True if the folder holds a manifest (it is a results folder)."""
        return self.manifest_path.is_file()

    def check_usable(self) -> None:
        """Refuse a path that is a file, or a non-empty folder that is not a results folder."""
        if self.root.exists() and not self.root.is_dir():
            raise InputError(
                f"results folder {self.root}: exists and is not a folder; allowed: a new or empty "
                "folder, or an experiment's results folder"
            )
        if not self.root.is_dir() or self.is_results_folder():
            return
        foreign = sorted(p.name for p in self.root.iterdir() if p.name not in OWN_FILES + OWN_DIRS)
        if foreign:
            raise InputError(
                f"results folder {self.root}: holds files that are not an experiment's results "
                f"(e.g. {foreign[0]!r}); allowed: a new or empty folder, or an experiment's results folder"
            )

    def wipe(self) -> None:
        """Delete the runner's own files and folders here (--restart); anything else stays."""
        if not self.root.is_dir():
            return
        self.check_usable()
        for d, ext in ((self.summary_dir, ".parquet"), (self.series_dir, ".parquet"), (self.failed_dir, ".json")):
            if d.is_dir():
                for f in d.iterdir():
                    if f.suffix == ext and f.is_file() and not f.is_symlink():
                        f.unlink()
        for d in (self.summary_dir, self.series_dir, self.failed_dir, self.root / "runs"):
            with contextlib.suppress(OSError):
                d.rmdir()  # only if empty: a user's file in there stays
        for name in ("analysis", "report", ".testhook"):
            d = self.root / name
            if d.is_dir() and not d.is_symlink():
                shutil.rmtree(d)
        for name in OWN_FILES:
            f = self.root / name
            if name != ".lock" and f.is_file() and not f.is_symlink():
                f.unlink()
        self.clean_temporary()

    def run_hashes(self, run_ids: set[str] | None = None) -> dict[str, tuple[str | None, str | None]]:
        """(task_hash, source_hash) of every finished run (or of ``run_ids``), read from their files."""
        out = {}
        for rid in sorted(self.done_ids() if run_ids is None else run_ids):
            path = self.summary_dir / f"{rid}.parquet"
            if not path.is_file():
                continue
            try:
                names = pq.read_schema(path).names
                cols = [c for c in ("task_hash", "source_hash") if c in names]
                row = pq.read_table(path, columns=cols).to_pylist()[0]
            except (pa.ArrowException, OSError, IndexError):
                row = {}  # unreadable: counts as made by other inputs and code (rerun with --force)
            out[rid] = (row.get("task_hash"), row.get("source_hash"))
        return out

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
    timed_out: int = 0

    def text(self) -> str:
        """One line for the terminal."""
        timeouts = f" ({self.timed_out} by the time limit)" if self.timed_out else ""
        return (
            f"{self.out}: {self.done} runs done now, {self.skipped} already done, {self.failed} failed{timeouts}, "
            f"{self.retried} retries, {self.total} in the plan; {self.seconds:.1f} s on "
            f"{self.executor.get('executor')} x{self.executor.get('workers')}"
        )


def _tasks(
    spec: Spec, table: pd.DataFrame, out: Path, spec_hash: str, commit: str, timeout: float
) -> dict[str, dict[str, Any]]:
    summary = [(m.column, m.agg, m.name) for m in spec.summary]
    schedules = {s.key: s.schedule for s in spec.scenarios}
    param_cols = [c for c in table.columns if c.startswith("param_")]
    tasks = {}
    for row in table.to_dict("records"):
        tasks[row["run_id"]] = {
            "run_id": row["run_id"],
            "run_index": int(row["run_index"]),
            "point": int(row["point"]),
            "scenario": row["scenario"],
            "replication": int(row["replication"]),
            "seed": int(row["seed"]),
            "years": int(row["years"]),
            "task_hash": row["task_hash"],
            "params": json.loads(row["params_json"]),
            "schedule": schedules[row["scenario"]],
            "params_json": row["params_json"],
            "schedule_json": row["schedule_json"],
            "param_columns": {c: row[c] for c in param_cols},
            "summary": summary,
            "series": list(spec.series),
            "attempt": 1,
            "timeout": timeout,
            "git_commit": commit,
            "spec_hash": spec_hash,
            "hook_dir": str(out / ".testhook"),
        }
    return tasks


def _accept_changes(
    store: Store, manifest: dict[str, Any], table: pd.DataFrame, spec_hash: str, code: str, force: bool
) -> None:
    """Refuse a changed spec or code, or (force) drop the finished runs they invalidate."""
    out = store.root
    spec_changed = manifest.get("spec_hash") != spec_hash
    code_changed = manifest.get("source_hash") != code
    if not spec_changed and not code_changed:
        return
    expected = dict(zip(table["run_id"], table["task_hash"], strict=True))
    hashes = store.run_hashes()
    stale_code = sorted(r for r, (_, src) in hashes.items() if src != code)
    if spec_changed and not force:
        raise ExperimentError(
            f"{out}: the spec (or a scenario or parameter default it uses) changed since these results "
            f"were started (hash {str(manifest.get('spec_hash', '?'))[:12]} -> {spec_hash[:12]}). Use --force to "
            "accept it (finished runs whose inputs are unchanged are kept), --restart to start over, "
            "or --out to write elsewhere."
        )
    if stale_code and not force:
        raise ExperimentError(
            f"{out}: {len(stale_code)} finished run(s) were made by other code (source hash "
            f"{str(manifest.get('source_hash', 'unrecorded'))[:16]}, now {code}: abm/ (code or shipped data) or experiments/ "
            "changed); resuming would mix versions. Use --force to rerun them with this code (runs made by this "
            "code are kept), --restart to start over, or --out to write elsewhere."
        )
    for run_id in sorted(set(hashes) | set(store.failed())):
        task_hash, src = hashes.get(run_id, (None, None))
        if expected.get(run_id) != task_hash or src != code:
            store.remove_run(run_id)
    now = time.time()
    if spec_changed:
        manifest["spec_hash"] = spec_hash
        manifest.setdefault("spec_changes", []).append({"at": now, "spec_hash": spec_hash})
    if code_changed:
        manifest["source_hash"] = code
        manifest.setdefault("code_changes", []).append(
            {"at": now, "source_hash": code, "runs_removed": len(stale_code)}
        )


def prepare(spec: Spec, out: Path, *, force: bool = False, restart: bool = False) -> tuple[Store, pd.DataFrame, str]:
    """Create or check the results folder: plan, manifest, spec copy. Refuse a changed spec or code."""
    from abm import __version__

    store = Store(out)
    table = plan(spec)
    spec_hash = plan_hash(spec, table)
    code = source_hash()
    if restart:
        store.wipe()
    manifest = store.manifest()
    if manifest is not None:
        _accept_changes(store, manifest, table, spec_hash, code, force)
    store.make()
    if manifest is None:
        manifest = {
            "experiment": spec.name,
            "spec_path": str(spec.path),
            "spec_hash": spec_hash,
            "source_hash": code,
            "created_at": time.time(),
            "abm_version": __version__,
            "git_commit": git_commit(),
            "n_runs": len(table),
            "spec_text": spec.text,
            "sessions": [],
        }
    manifest["spec_text"] = spec.text
    manifest["n_runs"] = len(table)
    store.write_manifest(manifest)
    atomic_write_bytes(out / "spec.toml", spec.text.encode())
    atomic_write_table(out / "plan.parquet", pa.Table.from_pandas(table, preserve_index=False))
    return store, table, spec_hash


def check_run_options(executor: str, workers: int, address: str, timeout: float, *, prefix: str = "") -> None:
    """Raise InputError for an executor option out of range (``prefix`` '--' names command-line options)."""
    from experiments.spec import EXECUTORS as NAMES
    from experiments.spec import suggest

    if executor not in NAMES:
        raise InputError(
            f"{prefix}executor = {executor!r} is not allowed{suggest(executor, NAMES)}; allowed: {', '.join(NAMES)}"
        )
    for name, value in (("workers", workers), ("timeout", timeout)):
        problem = LIMITS[name].problem(value)
        if problem:
            raise InputError(f"{prefix}{name} {problem}; allowed: {LIMITS[name].allowed}")
    problem = check_address(address)
    if problem:
        raise InputError(f"{prefix}address {problem}; allowed: {ADDRESS_ALLOWED}")
    if address and executor != "dask":
        raise InputError(f"{prefix}address is only used with the dask executor; allowed: --executor dask")


def run_options(
    spec: Spec,
    executor: str | None = None,
    workers: int | None = None,
    address: str | None = None,
    timeout: float | None = None,
    *,
    prefix: str = "",
) -> tuple[str, int, str, float]:
    """Options given (None = the spec's) merged with the spec's, checked; raise InputError if one is bad."""
    executor = executor or spec.executor
    workers = spec.workers if workers is None else workers
    if address is None:
        address = spec.address if executor == "dask" else ""
    timeout = spec.timeout if timeout is None else timeout
    check_run_options(executor, workers, address, timeout, prefix=prefix)
    return executor, workers, address, timeout


def check_reachable(address: str, seconds: float = 5.0) -> None:
    """Raise InputError if nothing listens at a tcp:// scheduler address (fails in seconds, not minutes)."""
    import socket

    m = re.fullmatch(r"tcp://\[?([^\]]+?)\]?:(\d+)", address or "")
    if not m:
        return
    try:
        with socket.create_connection((m.group(1), int(m.group(2))), timeout=seconds):
            pass
    except OSError as err:
        raise InputError(
            f"address = {address!r}: no Dask scheduler reachable ({err.strerror or err}); "
            f"allowed: the address of a running scheduler ({ADDRESS_ALLOWED})"
        ) from None


class _Session:
    """The bookkeeping of one runner session: counts, failure records and the progress bar."""

    def __init__(
        self,
        spec: Spec,
        store: Store,
        tasks: dict[str, dict[str, Any]],
        done_before: set[str],
        spec_hash: str,
        code: str,
        progress: bool,
    ):
        from tqdm import tqdm

        self.spec, self.store, self.tasks, self.done_before = spec, store, tasks, done_before
        self.spec_hash, self.code = spec_hash, code
        self.counts = {"done": 0, "failed": 0, "retried": 0, "timeout": 0}
        self.lost: dict[str, int] = {}  # Dask: run id -> times its worker died while the run was assigned to it
        self.errors: dict[str, list[str]] = {}
        self.bar = tqdm(
            total=len(tasks),
            initial=len(done_before),
            unit="run",
            disable=not progress,
            desc=spec.stem,
            mininterval=0.5,
            dynamic_ncols=True,
        )
        self.show()

    def show(self) -> None:
        c = self.counts
        remaining = len(self.tasks) - len(self.done_before) - c["done"] - c["failed"]
        self.bar.set_postfix(
            done=len(self.done_before) + c["done"], failed=c["failed"], remaining=remaining, refresh=False
        )

    def _foreign_code(self, outcome: dict[str, Any]) -> dict[str, Any]:
        row = outcome["summary"]
        return {
            "ok": False,
            "error": f"worker {row.get('worker')} runs other code (source hash "
            f"{row.get('source_hash')}; the runner has {self.code}): result refused",
        }

    def report(self, task: dict[str, Any], outcome: dict[str, Any]) -> bool:
        """Store an outcome; return True if the run should be tried again."""
        deaths = int(outcome.get("worker_deaths", 0))
        if deaths:
            self.lost[task["run_id"]] = self.lost.get(task["run_id"], 0) + deaths
        if outcome.get("ok") and outcome["summary"].get("source_hash") != self.code:
            outcome = self._foreign_code(outcome)
        if outcome.get("ok"):
            self.store.write_result(outcome)
            self.counts["done"] += 1
            self.errors.pop(task["run_id"], None)
            self.show()
            self.bar.update(1)
            return False
        errs = self.errors.setdefault(task["run_id"], [])
        errs.append(outcome.get("error", "unknown error"))
        timed_out = bool(outcome.get("timeout"))
        if task["attempt"] < self.spec.max_attempts and not outcome.get("final") and not timed_out:
            self.counts["retried"] += 1
            return True
        record = {
            "run_id": task["run_id"],
            "status": "timeout" if timed_out else "failed",
            "scenario": task["scenario"],
            "point": task["point"],
            "replication": task["replication"],
            "seed": task["seed"],
            "attempts": task["attempt"],
            "lost_to_worker_deaths": deaths,
            "timeout_seconds": task["timeout"],
            "errors": errs,
            "traceback": errs[-1],
            "failed_at": time.time(),
            "spec_hash": self.spec_hash,
            "source_hash": self.code,
        }
        atomic_write_bytes(self.store.failed_dir / f"{task['run_id']}.json", json.dumps(record, indent=2).encode())
        self.counts["failed"] += 1
        self.counts["timeout"] += timed_out
        self.show()
        self.bar.update(1)
        return False


def run_experiment(
    spec: Spec | str | os.PathLike[str],
    *,
    out: str | os.PathLike[str] | None = None,
    executor: str | None = None,
    workers: int | None = None,
    address: str | None = None,
    force: bool = False,
    restart: bool = False,
    progress: bool = True,
    timeout: float | None = None,
) -> RunSummary:
    """Run (or resume) an experiment: every run of the plan that has no result yet.

    Args:
        spec: A Spec, or the path or shipped name of a spec.
        out: Results folder (default ``results/<spec stem>``).
        executor: "serial", "process" or "dask" (default: the spec's, else "process").
        workers: Worker count (0 = all cores).
        address: Dask scheduler address ("" = LocalCluster).
        force: Accept a changed spec or code; keep finished runs whose inputs and code are unchanged.
        restart: Delete earlier results (the runner's own files only) and start over.
        progress: Show a progress bar (done, failed, remaining, estimated time).
        timeout: Time limit of one run in seconds (default: the spec's execution.timeout).

    Returns:
        Counts and timing of this session.

    Raises:
        InputError: A bad option or results folder (nothing is written).
        ExperimentError: Changed spec or code, or another runner on the folder.
    """
    if not isinstance(spec, Spec):
        spec = load_spec(spec)
    executor, workers, address, timeout = run_options(spec, executor, workers, address, timeout)
    if executor == "dask" and address:
        check_reachable(address)
    root = output_dir(spec, out)
    store = Store(root)
    store.check_usable()
    created = not root.exists()
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise InputError(
            f"results folder {root}: cannot be created ({err.strerror or err}); allowed: a folder you can write to"
        ) from None
    try:
        with _Lock(root):
            return _run_locked(spec, store, executor, workers, address, timeout, force, restart, progress)
    except BaseException:
        if created and not store.done_ids():  # nothing finished in a folder made just now: leave no trace
            store.wipe()
            (root / ".lock").unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                root.rmdir()
        raise


def _run_locked(
    spec: Spec,
    store: Store,
    executor: str,
    workers: int,
    address: str,
    timeout: float,
    force: bool,
    restart: bool,
    progress: bool,
) -> RunSummary:
    started = time.time()
    root = store.root
    store, table, spec_hash = prepare(spec, root, force=force, restart=restart)
    store.clean_temporary()
    commit = git_commit()
    code = source_hash()
    manifest = store.manifest() or {}
    if manifest.get("git_commit") not in (None, commit):
        print(f"warning: results were started at commit {manifest['git_commit']}, now at {commit}")
    done_before = store.done_ids()
    tasks = _tasks(spec, table, root, spec_hash, commit, timeout)
    pending = [t for rid, t in tasks.items() if rid not in done_before]
    session = _Session(spec, store, tasks, done_before, spec_hash, code, progress)
    info: dict[str, Any] = {"executor": executor, "workers": 0}
    try:
        if pending:
            info = EXECUTORS[executor](
                pending,
                session.report,
                workers=workers or default_workers(),
                address=address,
                max_attempts=spec.max_attempts,
                timeout=timeout,
            )
    finally:
        session.bar.close()
        store.clean_temporary()
        manifest = store.manifest() or {}
        c = session.counts
        manifest.setdefault("sessions", []).append(
            {
                "started_at": started,
                "ended_at": time.time(),
                "git_commit": commit,
                "source_hash": code,
                **info,
                "timeout": timeout,
                "done": c["done"],
                "failed": c["failed"],
                "timed_out": c["timeout"],
                "retried": c["retried"],
                "worker_deaths": int(info.get("worker_deaths", 0)),
                "runs_lost_to_worker_deaths": session.lost,
                "skipped": len(done_before),
            }
        )
        with contextlib.suppress(OSError):  # a full disk must not hide the error that stopped the sweep
            store.write_manifest(manifest)
    c = session.counts
    return RunSummary(
        root,
        len(tasks),
        len(done_before),
        c["done"],
        c["failed"],
        c["retried"],
        time.time() - started,
        info,
        c["timeout"],
    )


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
        "out": str(root),
        "total": len(ids),
        "done": len(done),
        "failed": len(failed),
        "remaining": len(ids) - len(done) - len(failed),
        "started": manifest is not None,
        "spec_changed": manifest is not None and manifest.get("spec_hash") != spec_hash,
        "code_changed": manifest is not None and manifest.get("source_hash") != source_hash(),
        "failed_runs": {
            k: (f"[{v['status']}] " if v.get("status") == "timeout" else "")
            + (v["traceback"].strip().splitlines() or ["?"])[-1]
            for k, v in failed.items()
        },
        "sessions": (manifest or {}).get("sessions", []),
    }


def read_parquet_files(paths: list[Path]) -> pd.DataFrame:
    """One table from an explicit list of Parquet files (union by column name).

    Paths are opened literally: DuckDB's ``read_parquet`` treats ``[``, ``]``, ``*``, ``?`` in every
    path as glob characters, even in a list of files, so a folder named ``x[1]`` would read ``x1``.
    """
    if not paths:
        return pd.DataFrame()
    tables = []
    for p in paths:
        try:
            tables.append(pq.read_table(p))
        except (pa.ArrowException, OSError) as err:
            raise ExperimentError(
                f"{p}: cannot be read ({err}); the runner writes only whole files, so it was "
                "changed by something else: delete it and `run` again to redo that run"
            ) from None
    return pa.concat_tables(tables, promote_options="default").to_pandas()


def check_results(
    spec: Spec, store: Store, table: pd.DataFrame, summary: pd.DataFrame, *, accept_stale: bool = False
) -> list[str]:
    """Problems that make results unusable for this spec and code ([] if none); raise unless accept_stale."""
    problems = []
    manifest = store.manifest() or {}
    spec_hash = plan_hash(spec, table)
    code = source_hash()
    if manifest.get("spec_hash") != spec_hash:
        problems.append(
            f"the results were made for another spec (hash {str(manifest.get('spec_hash'))[:12]}, this "
            f"spec {spec_hash[:12]}): `run` it (with --force to keep valid runs) first"
        )
    if not summary.empty:
        expected = dict(zip(table["run_id"], table["task_hash"], strict=True))
        other_inputs = int((summary["task_hash"] != summary["run_id"].map(expected)).sum())
        if other_inputs:
            problems.append(f"{other_inputs} run(s) were made with other inputs than this spec's plan")
        hashes = summary["source_hash"] if "source_hash" in summary else pd.Series(["unrecorded"] * len(summary))
        other_code = sorted(set(hashes.fillna("unrecorded")) - {code})
        if other_code:
            n = int((hashes != code).sum())
            problems.append(
                f"{n} run(s) were made by other code (source hash {', '.join(other_code)}; this code "
                f"is {code}): `run --force` reruns them"
            )
    if problems and not accept_stale:
        raise ExperimentError(
            f"{store.root}: refused: "
            + "; ".join(problems)
            + ". To read them anyway, pass --accept-stale (the report then says so)."
        )
    return problems


def collect(
    spec: Spec | str | os.PathLike[str],
    *,
    out: str | os.PathLike[str] | None = None,
    write: bool = True,
    accept_stale: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One table of every finished run of the plan (and one of the yearly series).

    Only files named by the plan's run ids are read (never a pattern). Results made for another spec
    or by other code are refused unless ``accept_stale``.

    Returns:
        (summary, series): summary has one row per finished run, ordered by run_index; series one
        row per run and year (empty if the spec keeps no series).
    """
    if not isinstance(spec, Spec):
        spec = load_spec(spec)
    root = output_dir(spec, out)
    store = Store(root)
    table = plan(spec)
    if not store.is_results_folder():
        raise ExperimentError(
            f"{root}: not a results folder (no manifest.json); run `python -m experiments run {spec.path}` first"
        )
    done = store.done_ids()
    ids = [r for r in table["run_id"] if r in done]
    if not ids:
        raise ExperimentError(f"{root}: no finished runs yet; run `python -m experiments run {spec.path}`")
    summary = read_parquet_files([store.summary_dir / f"{r}.parquet" for r in ids])
    summary = summary.sort_values("run_index", kind="stable").reset_index(drop=True)
    check_results(spec, store, table, summary, accept_stale=accept_stale)
    series = pd.DataFrame()
    if spec.series:
        files = [p for p in (store.series_dir / f"{r}.parquet" for r in ids) if p.is_file()]
        series = read_parquet_files(files)
        if not series.empty:
            series = series.sort_values(["run_index", "year"], kind="stable").reset_index(drop=True)
    if write:
        atomic_write_table(root / "summary.parquet", pa.Table.from_pandas(summary, preserve_index=False))
        if not series.empty:
            atomic_write_table(root / "series.parquet", pa.Table.from_pandas(series, preserve_index=False))
    return summary, series
