"""The observed series the model is held to (``abm/data/observed/china_observed.csv``, shipped in abm).

One row per published figure, in model units (yuan, shares as fractions): indicator, year, value,
unit, use (calibration, validation, out_of_sample, context, initialisation, policy_target),
quality (published, DERIVED, UNCERTAIN, CONFLICT, SEED), source, url_or_ref, from_row (the
``indicator|year`` of the row in the project's shared fact table ``china_nis_facts.csv`` it was copied
from; tests/test_calibration.py checks them when that table lies beside the checkout) and note. Rows not
copied from that table say so in ``from_row``: seed figures (quality SEED) and published figures sourced
directly for this file (:data:`SOURCED_HERE`, with the reference in ``url_or_ref``).
"""

from __future__ import annotations

import pandas as pd

from abm.resources import shipped

OBSERVED_CSV = shipped("abm", "data", "observed", "china_observed.csv")
USES = ("calibration", "validation", "out_of_sample", "context", "initialisation", "policy_target")
QUALITIES = ("published", "DERIVED", "UNCERTAIN", "CONFLICT", "SEED")
#: ``from_row`` of a published figure found for this file and absent from the shared fact table.
SOURCED_HERE = "(sourced here; not in china_nis_facts.csv)"


def load_observed(use: str | tuple[str, ...] | None = None) -> pd.DataFrame:
    """The observed rows, optionally only those of one or more ``use`` values.

    Raises:
        ValueError: An unknown ``use`` value, or a row with an unknown use or quality.
    """
    with OBSERVED_CSV.open("rb") as fh:
        df = pd.read_csv(fh)
    bad = set(df["use"]) - set(USES)
    if bad:
        raise ValueError(f"{OBSERVED_CSV}: unknown use {sorted(bad)}; allowed: {USES}")
    bad = set(df["quality"]) - set(QUALITIES)
    if bad:
        raise ValueError(f"{OBSERVED_CSV}: unknown quality {sorted(bad)}; allowed: {QUALITIES}")
    if use is not None:
        uses = (use,) if isinstance(use, str) else tuple(use)
        for u in uses:
            if u not in USES:
                raise ValueError(f"use {u!r} is not allowed; allowed: {USES}")
        df = df[df["use"].isin(uses)]
    return df.reset_index(drop=True)


def observed_value(indicator: str, year: int) -> float:
    """The observed value of one indicator in one year (KeyError if there is none)."""
    df = load_observed()
    row = df[(df["indicator"] == indicator) & (df["year"] == year)]
    if row.empty:
        raise KeyError(f"no observed row for {indicator} {year}")
    return float(row["value"].iloc[0])
