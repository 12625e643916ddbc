"""Command-line interface (issue 2, item 11)."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd

from abm.cli import main


def test_run_writes_parquet_and_csv(tmp_path):
    out = tmp_path / "r.parquet"
    assert main(["run", "--years", "2", "--seed", "3", "--out", str(out), "--quiet"]) == 0
    df = pd.read_parquet(out)
    assert list(df["year"]) == [2015, 2016] and (df["seed"] == 3).all() and (df["scenario"] == "baseline").all()
    csv = tmp_path / "r.csv"
    assert (
        main(
            [
                "run",
                "--years",
                "1",
                "--scenario",
                "soe_reform",
                "--set",
                "stable_share=0.4",
                "--out",
                str(csv),
                "--quarterly",
                "--quiet",
                "--snapshot",
                str(tmp_path / "snap.csv"),
            ]
        )
        == 0
    )
    assert len(pd.read_csv(csv)) == 5  # step 0 and four quarters
    assert {"kind", "weight", "cash"} <= set(pd.read_csv(tmp_path / "snap.csv").columns)


def test_same_seed_same_file(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    main(["run", "--years", "2", "--seed", "9", "--out", str(a), "--quiet"])
    main(["run", "--years", "2", "--seed", "9", "--out", str(b), "--quiet"])
    assert a.read_bytes() == b.read_bytes()


def test_bad_input_exits_2_with_a_clear_message(capsys):
    cases = [
        (["run", "--set", "stable_share=2"], "'stable_share'"),
        (["run", "--set", "stable_share"], "NAME=VALUE"),
        (["run", "--set", "stabel_share=0.1"], "did you mean"),
        (["run", "--scenario", "nope"], "shipped scenarios"),
        (["run", "--years", "0"], "--years"),
        (["run", "--out", "x.xlsx"], ".parquet or .csv"),
        (["run", "--set", "phd_output=lots"], "not a number"),
    ]
    for argv, fragment in cases:
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert fragment in err and err.startswith("error: "), (argv, err)
    # and as a real process: exit status 2, no traceback
    p = subprocess.run([sys.executable, "-m", "abm", "run", "--set", "stable_share=2"], capture_output=True, text=True)
    assert p.returncode == 2 and "'stable_share'" in p.stderr and "Traceback" not in p.stderr


def test_scenarios_and_params_commands(capsys):
    assert main(["scenarios"]) == 0
    assert "funding_reform" in capsys.readouterr().out
    assert main(["params"]) == 0
    assert "stable_share" in capsys.readouterr().out
