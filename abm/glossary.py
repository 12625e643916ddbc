"""The column glossary: every output column with its unit, meaning, kind and producing mechanism.

Read from the mechanisms' contracts (:mod:`abm.contract`), never from a model run, so tools can
validate column names (experiment specs) without building a model. Shown by ``nis-abm columns`` and
generated into docs/columns.md (``python -m abm.docs``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from abm.contract import FLOW, RATIO, STOCK
from abm.indicators import RATIOS, mechanisms


@dataclass(frozen=True)
class ColumnInfo:
    """One column of the indicator tables.

    Attributes:
        name: Column name.
        unit: Unit (quarterly rows; yearly flows are yearly sums).
        kind: "id", "flow", "stock" or "ratio".
        meaning: One line.
        mechanism: Mechanism that produces it ("model" for ids and derived columns).
        group: Column group for display (the mechanism, or "ratios").
        tables: "both", "yearly" or "quarterly".
    """

    name: str
    unit: str
    kind: str
    meaning: str
    mechanism: str
    group: str
    tables: str = "both"


ID_COLUMNS = (
    ColumnInfo("step", "quarter", "id", "Quarters simulated (0 = the initial state).", "model", "time", "quarterly"),
    ColumnInfo("year", "calendar year", "id", "Calendar year.", "model", "time"),
    ColumnInfo("quarter", "1-4", "id", "Quarter of the year (0 for the initial state).", "model", "time", "quarterly"),
)
YEARLY_EXTRA = (
    ColumnInfo(
        "quarters",
        "quarters",
        "id",
        "Quarters of the year simulated (4 for a complete year).",
        "model",
        "time",
        "yearly",
    ),
)


def columns() -> list[ColumnInfo]:
    """Every output column, ids first, then each mechanism's outputs in table order, then ratios."""
    out = list(ID_COLUMNS) + list(YEARLY_EXTRA)
    for mech in mechanisms():
        for o in mech.outputs:
            if o.per is None:
                out.append(ColumnInfo(o.name, o.unit, o.kind, o.meaning, mech.name, mech.name))
                continue
            for _, label in o.items():
                out.append(
                    ColumnInfo(
                        o.name.format(label), o.unit, o.kind, f"{o.meaning} [{o.per}: {label}]", mech.name, mech.name
                    )
                )
    for r in RATIOS:
        tables = "both" if r.name == "rd_intensity" else "yearly"
        out.append(
            ColumnInfo(r.name, r.unit, RATIO, r.meaning + " 0 where the denominator is 0.", "model", "ratios", tables)
        )
    return out


def frame() -> pd.DataFrame:
    """The glossary as a table."""
    return pd.DataFrame([c.__dict__ for c in columns()])


def yearly_columns() -> list[str]:
    """Names of the yearly table's columns (usable as experiment metrics)."""
    return [c.name for c in columns() if c.tables in ("both", "yearly")]


def quarterly_columns() -> list[str]:
    """Names of the quarterly table's columns."""
    return [c.name for c in columns() if c.tables in ("both", "quarterly")]


def lookup(name: str) -> ColumnInfo:
    """The glossary entry of a column.

    Raises:
        KeyError: No such column (with a "did you mean" hint).
    """
    for c in columns():
        if c.name == name:
            return c
    from abm.params import suggest

    raise KeyError(f"column '{name}' does not exist{suggest(name, [c.name for c in columns()])}")


def markdown() -> str:
    """The glossary as Markdown, one table per column group."""
    lines = [
        "# Output columns",
        "",
        "Generated from the mechanisms' contracts by `python -m abm.docs`; "
        "`nis-abm columns` prints the same. Quarterly rows hold the quarter's flows and the stocks at its end; "
        "yearly rows sum the flows, take the stocks at the year's end and recompute the ratios.",
        "",
    ]
    kinds = {FLOW: "flow (summed over a year)", STOCK: "stock (at the end of the period)", RATIO: "ratio", "id": "id"}
    df = frame()
    for group, rows in df.groupby("group", sort=False):
        lines += [f"## {group}", "", "| column | unit | kind | tables | meaning |", "|---|---|---|---|---|"]
        for _, c in rows.iterrows():
            lines.append(f"| `{c['name']}` | {c['unit']} | {kinds[c['kind']]} | {c['tables']} | {c['meaning']} |")
        lines.append("")
    return "\n".join(lines)


# --- a table a person can read ---------------------------------------------------------------------
#: Columns of the headless summary, by display group.
SUMMARY_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("", ("year",)),
    ("R&D", ("rd_total", "rd_intensity", "enterprise_share", "basic_share")),
    ("outputs", ("patents", "breakthroughs", "tech_contracts")),
    ("start-ups and VC", ("vc_invested", "n_sme")),
    ("talent", ("researchers_total",)),
    ("technology", ("controlled_fields",)),
)


def _format_value(value: float, unit: str) -> str:
    if value != value:  # NaN
        return "-"
    if unit == "yuan":
        return f"{value / 1e9:,.1f}"
    if unit.startswith("share"):
        return f"{100 * value:.2f}%"
    if unit in ("calendar year", "quarter", "1-4", "quarters", "flag (0/1)", "fields"):
        return f"{value:.0f}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def _heading(name: str, unit: str) -> str:
    if unit == "yuan":
        return f"{name} (bn yuan)"
    if unit.startswith("share"):
        return f"{name} (%)"
    return name


def format_table(df: pd.DataFrame, groups: tuple[tuple[str, tuple[str, ...]], ...] = SUMMARY_GROUPS) -> str:
    """Render columns of an indicator table for a terminal: money in bn yuan with thousands separators,
    shares as percentages, counts with separators, and a header line naming each column group.
    """
    info = {c.name: c for c in columns()}
    cols: list[tuple[str, str]] = [(g, c) for g, names in groups for c in names if c in df.columns]
    heads = [_heading(c, info[c].unit if c in info else "") for _, c in cols]
    cells = [[_format_value(float(v), info[c].unit if c in info else "") for v in df[c]] for _, c in cols]
    widths = [max(len(h), *(len(x) for x in col)) if col else len(h) for h, col in zip(heads, cells, strict=True)]
    # group header: each group's name over its columns, padded with dashes
    top = []
    i = 0
    while i < len(cols):
        g = cols[i][0]
        j = i
        while j < len(cols) and cols[j][0] == g:
            j += 1
        span = sum(widths[i:j]) + 2 * (j - i - 1)
        top.append(f" {g} ".center(span, "-") if g else " " * span)
        i = j
    lines = ["  ".join(top), "  ".join(h.rjust(w) for h, w in zip(heads, widths, strict=True))]
    for r in range(len(df)):
        lines.append("  ".join(col[r].rjust(w) for col, w in zip(cells, widths, strict=True)))
    return "\n".join(lines)


def quarterly_groups(df: pd.DataFrame, limit: int = 12) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Display groups for the first ``limit`` columns of a quarterly table, by producing mechanism."""
    info = {c.name: c for c in columns()}
    out: list[tuple[str, list[str]]] = []
    for c in list(df.columns)[:limit]:
        g = info[c].group if c in info else ""
        if out and out[-1][0] == g:
            out[-1][1].append(c)
        else:
            out.append((g, [c]))
    return tuple((g, tuple(cs)) for g, cs in out)
