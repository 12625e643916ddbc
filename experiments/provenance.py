"""Provenance of results: which code made them (source hash) and at which git commit.

``source_hash()`` is a SHA-256 over every file the runs depend on: the imported ``abm`` package
directory (its code and the data it ships in ``abm/data``: scenarios, observed statistics) and the
``experiments`` package directory. Caches (``__pycache__``, ``*.pyc``), hidden files and
temporary files are left out. Two processes with the same hash run the same code on the same data.
"""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

_CACHE: dict[str, str] = {}
_SKIP_DIRS = {"__pycache__", ".pytest_cache", ".hypothesis", ".mypy_cache", ".ruff_cache"}
_SKIP_SUFFIXES = (".pyc", ".pyo", ".tmp", ".swp", "~")


def code_roots() -> list[Path]:
    """Folders whose files decide a run's result: the imported abm package (its code and the data it
    ships: scenarios, observed statistics) and the experiments package.
    """
    import abm
    import experiments

    return [Path(abm.__file__).resolve().parent, Path(experiments.__file__).resolve().parent]


def _files(root: Path) -> list[Path]:
    out = []
    for path in root.rglob("*"):
        rel = path.relative_to(root).parts
        if any(p in _SKIP_DIRS or p.startswith(".") for p in rel) or not path.is_file():
            continue
        if path.name.endswith(_SKIP_SUFFIXES):
            continue
        out.append(path)
    return sorted(out)


def source_hash() -> str:
    """SHA-256 (first 16 hex digits) of the code and data this process runs (see the module doc)."""
    if "all" not in _CACHE:
        h = hashlib.sha256()
        for root in code_roots():
            h.update(f"\0root:{root.name}\0".encode())
            for path in _files(root):
                h.update(str(path.relative_to(root).as_posix()).encode() + b"\0")
                h.update(hashlib.sha256(path.read_bytes()).digest())
        _CACHE["all"] = h.hexdigest()[:16]
    return _CACHE["all"]


def clear_cache() -> None:
    """Forget the cached hash (for tests that edit files)."""
    _CACHE.clear()


def git_commit(paths: tuple[str, ...] = ("abm", "experiments"), cwd: Path | None = None) -> str:
    """The project's git commit, with '+dirty' if any of ``paths`` has uncommitted changes; or 'unknown'.

    Args:
        paths: Folders or files (relative to the repository) whose changes make the commit dirty.
        cwd: Where to ask git (default: the source checkout; 'unknown' for an installed copy).
    """
    if cwd is None:
        from abm.resources import checkout_root

        cwd = checkout_root()
        if cwd is None:
            return "unknown"
    try:
        head = subprocess.run(
            ["git", "-C", str(cwd), "rev-parse", "HEAD"],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(cwd), "status", "--porcelain", "--", *paths],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return head + ("+dirty" if dirty else "")
