"""The packages install and run on their own (issue 9): shipped data, generators' targets, the wheel."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest

import abm.resources
from abm import list_scenarios, load_scenario
from abm.docs import main as docs_main
from abm.resources import NoCheckoutError, checkout_root, default_target, shipped
from experiments.calibration.paths import output_targets

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("abm", "experiments", "dashboards")
# The only lines that may locate something through the source tree: the module's own folder for
# `solara run dashboards/app.py` (a script run puts the checkout on sys.path) and the checkout finder.
ALLOWED_SOURCE_PATHS = {
    "abm/resources.py",
    "dashboards/app.py",
    "dashboards/__main__.py",
    "experiments/worker.py",
    "experiments/runner.py",
}


def test_checkout_is_recognised():
    assert checkout_root() == ROOT
    assert default_target("docs", option="--out") == ROOT / "docs"


def test_shipped_data_is_package_data():
    """Every file the packages read at run time lies inside them and matches the package-data globs."""
    assert not (ROOT / "data").exists(), "run-time data belongs inside the packages (abm/data/)"
    assert list_scenarios()[0] == "baseline"
    for name in list_scenarios():
        assert load_scenario(name).path == shipped("abm", "data", "scenarios", f"{name}.toml")
    assert shipped("abm", "data", "observed", "china_observed.csv").is_file()
    globs = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    for package in PACKAGES:
        data = [
            p
            for p in (ROOT / package).rglob("*")
            if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
        ]
        for p in data:
            rel = p.relative_to(ROOT / package)
            assert any(rel.match(g) for g in globs.get(package, [])), f"{package}/{rel} is not in package-data"


def test_no_run_time_path_leaves_the_packages():
    """No module reads ../shared or walks up the source tree (the wheel has no tree around it)."""
    bad = []
    for package in PACKAGES:
        for p in (ROOT / package).rglob("*.py"):
            rel = p.relative_to(ROOT).as_posix()
            text = p.read_text(encoding="utf-8")
            if re.search(r"""["']shared["']""", text):
                bad.append(f"{rel}: names the shared folder")
            if rel not in ALLOWED_SOURCE_PATHS and re.search(r"parents\[|\.parent\.parent|Path\(__file__\)", text):
                bad.append(f"{rel}: locates files through the source tree; use abm.resources")
    assert not bad, bad


def test_generators_without_a_checkout_ask_for_out(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(abm.resources, "checkout_root", lambda: None)
    assert docs_main([]) == 2
    assert "--out" in capsys.readouterr().err
    with pytest.raises(NoCheckoutError, match="--out"):
        output_targets()
    from dashboards.lessons.handouts import main as handouts_main
    from dashboards.lessons.teaching import main as teaching_main

    for generator in (handouts_main, teaching_main):
        assert generator([]) == 2
        assert "--out" in capsys.readouterr().err
    assert handouts_main(["--out", str(tmp_path / "h")]) == 0
    assert len(list((tmp_path / "h").glob("*.html"))) == 2 * len(list((ROOT / "dashboards" / "lessons").glob("*.toml")))


def test_generators_write_where_told(tmp_path):
    odd = tmp_path / "ODD.md"
    shutil.copy(ROOT / "docs" / "ODD.md", odd)
    odd.write_text(odd.read_text().replace("| `stable_share`", "| `stale`", 1))
    assert docs_main(["--out", str(odd)]) == 0
    assert odd.read_text() == (ROOT / "docs" / "ODD.md").read_text()
    assert (tmp_path / "columns.md").read_text() == (ROOT / "docs" / "columns.md").read_text()
    where = output_targets(tmp_path / "cal")
    assert where.results == tmp_path / "cal" and where.scenario.parent == tmp_path / "cal"
    assert where.docs == tmp_path / "cal" / "docs"
    assert where.calibrated_scenario() == shipped("abm", "data", "scenarios", "baseline_calibrated.toml")
    here = output_targets()
    assert here.results == ROOT / "results" / "calibration"
    assert here.calibrated_scenario() == ROOT / "abm" / "data" / "scenarios" / "baseline_calibrated.toml"


def _copy_source(dest: Path) -> Path:
    """The checkout's source, without caches, environments and results (the build must not write here)."""
    ignore = shutil.ignore_patterns(
        ".git",
        ".venv",
        "build",
        "dist",
        "*.egg-info",
        "__pycache__",
        ".pytest_cache",
        ".ruff_cache",
        ".hypothesis",
        "results",
        "runs",
        "out",
        "screenshots",
    )
    shutil.copytree(ROOT, dest, ignore=ignore)
    return dest


@pytest.mark.slow
def test_wheel_installs_and_runs_outside_the_checkout(tmp_path):
    """Build the wheel, install it into a fresh virtual environment outside the repository, use it.

    Environment: ``python -m venv`` from this interpreter's base Python (a venv made from inside a
    venv is based on the base interpreter and sees neither this venv's site-packages nor the editable
    nis-abm), then ``pip install`` of the wheel with its core dependencies from the package index
    configured for pip (about 20 s here). ``--system-site-packages`` was not used: the base Python
    could carry an installed nis-abm or other versions of the dependencies, and the test would then
    not show that the wheel's own dependency list is enough. The core dependencies suffice for the
    model, the command line, the lessons and the experiments runner (serial executor).
    """
    src = _copy_source(tmp_path / "src")
    wheels = tmp_path / "wheels"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-v", "-w", str(wheels), str(src)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    log = build.stdout + build.stderr
    assert build.returncode == 0, log[-3000:]
    assert "deprecated" not in log, [ln for ln in log.splitlines() if "deprecated" in ln]  # e.g. the license table
    (wheel,) = wheels.glob("nis_abm-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        meta = zf.read(next(n for n in names if n.endswith("dist-info/METADATA"))).decode()
    assert "License-Expression: MIT" in meta
    assert "abm/data/scenarios/baseline.toml" in names and "abm/data/observed/china_observed.csv" in names
    assert "dashboards/lessons/who_does_rd.toml" in names and "experiments/specs/quickstart.toml" in names
    assert not any(n.startswith("tests/") for n in names)

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    py = env_dir / "bin" / "python"
    inst = subprocess.run(
        [str(py), "-m", "pip", "install", "-q", str(wheel)], capture_output=True, text=True, timeout=900
    )
    assert inst.returncode == 0, inst.stderr[-3000:]

    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}

    def run(*args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(list(args), cwd=work, env=env, capture_output=True, text=True, timeout=300)
        if ok:
            assert done.returncode == 0, f"{args}: {done.stdout[-2000:]}{done.stderr[-3000:]}"
        return done

    where = run(str(py), "-c", "import abm, abm.resources as r; print(abm.__file__); print(r.checkout_root())").stdout
    assert str(env_dir) in where.splitlines()[0] and where.splitlines()[1] == "None"
    out = run(str(env_dir / "bin" / "nis-abm"), "run", "--years", "1").stdout
    assert "Baseline 2015" in out and "2015" in out
    run(str(py), "-c", "from abm import InnovationModel; InnovationModel.from_scenario('baseline').run(years=1)")
    lessons = run(str(py), "-c", "from dashboards.lessons import load_lessons; print(len(load_lessons()))").stdout
    assert int(lessons) == len(list((ROOT / "dashboards" / "lessons").glob("*.toml")))
    res = tmp_path / "res"
    out = run(
        str(py), "-m", "experiments", "run", "quickstart", "--out", str(res), "--executor", "serial", "--quiet"
    ).stdout
    assert "20 runs done now" in out and " 0 failed" in out and (res / "manifest.json").is_file()
    bad = run(str(py), "-m", "abm", "run", "--scenario", "no_such_scenario", ok=False)
    assert bad.returncode == 2 and "no_such_scenario.toml" in bad.stderr and "baseline" in bad.stderr
    # generators: no checkout around the installed copy, so they ask where to write (the handouts need the
    # dashboard extra; test_generators_without_a_checkout_ask_for_out covers them)
    for module in ("abm.docs", "experiments.calibration"):
        argv = [str(py), "-m", module] + (["report"] if module == "experiments.calibration" else [])
        done = run(*argv, ok=False)
        assert done.returncode == 2 and "--out" in done.stderr, (module, done.stderr[-2000:])
    assert list(work.iterdir()) == [], "nothing is written into the working folder unless asked"


def test_docs_name_only_files_that_exist():
    """Paths the README and docs name exist (moving data/ into abm/data/ must not leave stale names)."""
    pattern = r"(?<![\w/.-])((?:abm|experiments|dashboards|docs|scripts|tests|benchmarks|data)/[\w./-]*\w)"
    outputs = ("benchmarks/results/", "docs/img/validation_")  # written by commands the docs describe
    stale = []
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for path in re.findall(pattern, doc.read_text(encoding="utf-8")):
            if path.startswith(outputs) or (ROOT / path).exists() or (doc.parent / path).exists():
                continue
            stale.append(f"{doc.relative_to(ROOT)}: {path}")
    assert not stale, stale
