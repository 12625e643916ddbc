"""Indicators in real units, collected every quarter and aggregated per calendar year.

The quarterly table has the id columns (step, year, quarter), GDP, and then every output declared by
the mechanisms' contracts (:data:`abm.mechanisms.ORDER`) and by this module's own accounting
contract (:data:`ACCOUNTING`: actor counts, researchers, the collaboration network), in that order.
Flows (yuan, persons, counts per quarter) are summed over the quarters of a year; stocks (numbers of
actors, researchers, capability) are taken at the end of the year; ratios (:data:`RATIOS`) are
recomputed from the yearly sums (R&D intensity = yearly R&D / yearly GDP) and are 0 where their
denominator is 0, so no indicator is ever NaN.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from abm.contract import FLOW, RATIO, STOCK, Mechanism, Output
from abm.kinds import FIRMS, FUNDER_NAMES, INSTITUTIONS, N_KINDS, PERFORMERS, in_group

if TYPE_CHECKING:
    from abm.model import InnovationModel

EDGE_WINDOW = 8  # quarters of transfer links kept for network statistics
ID_COLUMNS = ("step", "year", "quarter")

# kept for callers that name the performers by label
PERFORMER_LABELS = tuple(k.label for k in PERFORMERS)


def _count(weighted: bool) -> Callable[[InnovationModel], np.ndarray]:
    def measure(m: InnovationModel) -> np.ndarray:
        s = m.s
        n = s.n
        alive = s.alive[:n]
        kind = s.kind[:n][alive]
        if weighted:
            return np.bincount(kind, s.weight[:n][alive], minlength=N_KINDS)
        return np.bincount(kind, minlength=N_KINDS)

    return measure


def _researchers(m: InnovationModel) -> np.ndarray:
    def by_kind() -> np.ndarray:
        s = m.s
        n = s.n
        alive = s.alive[:n]
        return np.bincount(s.kind[:n][alive], (s.weight[:n] * s.researchers[:n])[alive], minlength=N_KINDS)

    return m.indicators.shared("researchers_by_kind", by_kind)  # researchers_{kind} and researchers_total


def _researchers_total(m: InnovationModel) -> float:
    res = _researchers(m)
    return float(sum(res[k] for k in PERFORMERS))


def _network_links(m: InnovationModel) -> float:
    # each agent pair stands for deals of its buyer's real actors
    return float(sum(float(x[3].sum()) for x in m.indicators.edges))


def _network_share_institutions(m: InnovationModel) -> float:
    edges = m.indicators.edges
    dst = np.concatenate([x[1][1] for x in edges]) if edges else np.zeros(0, dtype=np.int64)  # edge_list()[1]
    if dst.size == 0:
        return 0.0
    w = np.concatenate([x[3] for x in edges])
    return float(np.average(in_group(m.s.kind[dst], INSTITUTIONS), weights=w))


ACCOUNTING = Mechanism(
    name="accounting",
    stream="",
    step=lambda m: None,
    doc="Counts of actors and researchers, the collaboration network of the last 8 quarters.",
    outputs=(
        Output(
            "gdp",
            "yuan",
            FLOW,
            "Nominal GDP: the observed path, or moved by technology in use (gdp_mode).",
            measure=lambda m: m.nation.gdp_q,
        ),
        Output("n_{}", "actors", STOCK, "Real actors of this kind.", per="kind", measure=_count(True)),
        Output(
            "n_agents_{}",
            "agents",
            STOCK,
            "Model agents of this kind (each stands for `weight` actors).",
            per="kind",
            measure=_count(False),
            dtype="int",
        ),
        Output(
            "researchers_{}",
            "persons (FTE)",
            STOCK,
            "Researchers employed by this kind of performer.",
            per="performer",
            measure=_researchers,
        ),
        Output(
            "researchers_total",
            "persons (FTE)",
            STOCK,
            "Researchers employed by all performers.",
            measure=_researchers_total,
        ),
        Output(
            "network_links",
            "links",
            STOCK,
            "Technology, technical-service and contract-research deals of the last 8 quarters (real buyers).",
            measure=_network_links,
        ),
        Output(
            "network_share_institutions",
            "share",
            STOCK,
            "Share of those deals whose seller is a university or lab (0 without links).",
            measure=_network_share_institutions,
        ),
    ),
)


def _div(num: pd.Series | np.ndarray, den: pd.Series | np.ndarray) -> pd.Series | np.ndarray:
    """Num / den, and 0 where den is 0 (so that a ratio is never NaN).

    The same as ``(num / den.where(den != 0)).fillna(0.0)``, in numpy (it runs every quarter). A
    Series for Series, an array for arrays.
    """
    n = np.asarray(num, dtype=float)
    d = np.asarray(den, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = n / np.where(d != 0, d, np.nan)
    r[np.isnan(r)] = 0.0
    return pd.Series(r, index=num.index) if isinstance(num, pd.Series) else r


def _enterprise_rd(y: pd.DataFrame) -> pd.Series:
    return sum((y[f"rd_{k.label}"] for k in FIRMS[1:]), y[f"rd_{FIRMS[0].label}"])


def _kahan_rows(vals: np.ndarray) -> np.ndarray:
    """Column sums of ``vals`` (rows in order) with pandas' compensated (Kahan) summation."""
    total = np.zeros(vals.shape[1])
    comp = np.zeros(vals.shape[1])
    for row in vals:
        y = row - comp
        t = total + y
        comp = t - total - y
        comp[comp != comp] = 0.0
        total = t
    return total


@dataclass(frozen=True)
class Ratio:
    """A yearly ratio recomputed from yearly sums (0 where the denominator is 0)."""

    name: str
    unit: str
    meaning: str
    compute: Callable[[pd.DataFrame], pd.Series]

    def output(self) -> Output:
        """The ratio as an :class:`Output` (for the glossary)."""
        return Output(self.name, self.unit, RATIO, self.meaning, measure=self.compute)


RATIOS: tuple[Ratio, ...] = (
    Ratio(
        "project_failure_share",
        "share",
        "Research projects judged a failure / projects that reached the end of their cycle.",
        lambda y: _div(
            y["projects_failed"], y["projects_failed"] + y["projects_incremental"] + y["projects_breakthrough"]
        ),
    ),
    Ratio(
        "project_years_mean",
        "years",
        "Mean planned duration of the research projects started.",
        lambda y: _div(y["project_years_started"], sum(y[f"projects_started_{f}"] for f in FUNDER_NAMES)),
    ),
    Ratio("rd_intensity", "share of GDP", "R&D expenditure / GDP.", lambda y: _div(y["rd_total"], y["gdp"])),
    Ratio("basic_share", "share", "Basic research / R&D expenditure.", lambda y: _div(y["rd_basic"], y["rd_total"])),
    Ratio(
        "applied_share", "share", "Applied research / R&D expenditure.", lambda y: _div(y["rd_applied"], y["rd_total"])
    ),
    Ratio(
        "dev_share", "share", "Experimental development / R&D expenditure.", lambda y: _div(y["rd_dev"], y["rd_total"])
    ),
    Ratio(
        "enterprise_share",
        "share",
        "R&D performed by enterprises (SOEs, private firms, SMEs) / R&D.",
        lambda y: _div(_enterprise_rd(y), y["rd_total"]),
    ),
    Ratio(
        "institute_share", "share", "R&D performed by research labs / R&D.", lambda y: _div(y["rd_lab"], y["rd_total"])
    ),
    Ratio(
        "university_share",
        "share",
        "R&D performed by universities / R&D.",
        lambda y: _div(y["rd_university"], y["rd_total"]),
    ),
    Ratio(
        "stable_share_central",
        "share",
        "Stable funding / central research funding (stable, project, mission).",
        lambda y: _div(y["gov_stable"], y["gov_stable"] + y["gov_project"] + y["gov_mission"]),
    ),
    Ratio(
        "patent_share_enterprises",
        "share",
        "Patents of enterprises / all patents.",
        lambda y: _div(
            sum((y[f"patents_{k.label}"] for k in FIRMS[1:]), y[f"patents_{FIRMS[0].label}"]),
            sum((y[f"patents_{k.label}"] for k in PERFORMERS[1:]), y[f"patents_{PERFORMERS[0].label}"]),
        ),
    ),
)


def mechanisms(order: tuple[Mechanism, ...] | None = None) -> tuple[Mechanism, ...]:
    """Every contract whose outputs make the indicator table, in column order.

    Args:
        order: The step's mechanisms (default: :data:`abm.mechanisms.ORDER`).
    """
    if order is None:
        from abm.mechanisms import ORDER

        order = ORDER
    return (*order, ACCOUNTING)


def outputs(order: tuple[Mechanism, ...] | None = None) -> list[Output]:
    """Every declared output in column order (accounting's GDP first)."""
    out = [ACCOUNTING.outputs[0]]
    for mech in mechanisms(order):
        out += [o for o in mech.outputs if o is not ACCOUNTING.outputs[0]]
    return out


class Indicators:
    """Collects one record per quarter, from the declared outputs."""

    def __init__(self, model: InnovationModel) -> None:
        """Start an empty record list for ``model``."""
        self.m = model
        self.records: list[dict[str, Any]] = []
        # (step, slot pairs, unique-id pairs, real deals each pair stands for)
        self.edges: list[tuple[int, np.ndarray, np.ndarray, np.ndarray]] = []
        self.outputs = outputs(model.mechanisms)
        self.stock_columns = [c for o in self.outputs if o.kind == STOCK for c in o.columns()]
        self.flow_columns = [c for o in self.outputs if o.kind == FLOW for c in o.columns()]
        self._table: pd.DataFrame | None = None
        # per output: flow key, measure, cast and column(s) (Indicators._planned)
        self._plan = [self._planned(o) for o in self.outputs]
        self._int_columns = {c for o in self.outputs if o.dtype == "int" for c in o.columns()}
        self._years_done: pd.DataFrame | None = None
        self._shared: dict[str, Any] = {}  # values several measures use, while collect records a quarter

    @staticmethod
    def _planned(o: Output) -> tuple[str, Any, type, Any]:
        """How :meth:`collect` records output ``o`` (worked out once, not every quarter): flow key,
        measure, cast and its column (a name) or columns (a list of names, or of (index, name) pairs).
        """
        cast = int if o.dtype == "int" else float
        key = o.flow_key
        if o.per is None:
            return key, o.measure, cast, o.name
        items = o.items()
        if cast is float and [i for i, _ in items] == list(range(len(items))):
            return key, o.measure, cast, [o.name.format(label) for _, label in items]
        return key, o.measure, cast, [(i, o.name.format(label)) for i, label in items]

    def _update_edges(self) -> None:
        m = self.m
        links = m.flow.links
        if links:
            e = np.concatenate(links, axis=1)
            self.edges.append((m.steps, e, m.s.uid[e], np.concatenate(m.flow.link_weights)))
        self.edges = [x for x in self.edges if x[0] > m.steps - EDGE_WINDOW]

    def collect(self) -> None:
        """Record this quarter (step 0 is the state before the first step, flows at zero)."""
        m = self.m
        self._update_edges()
        rec: dict[str, Any] = {
            "step": m.steps,
            "year": m.start_year + max(m.steps - 1, 0) // 4 if m.steps else m.start_year,
            "quarter": (m.steps - 1) % 4 + 1 if m.steps else 0,
        }
        flows = m.flow
        self._shared = {}
        try:
            for key, measure, cast, columns in self._plan:
                value = flows[key] if measure is None else measure(m)
                if isinstance(columns, str):
                    rec[columns] = cast(value)
                elif cast is float:
                    rec.update(zip(columns, np.asarray(value, dtype=float).tolist(), strict=False))
                else:
                    for i, column in columns:
                        rec[column] = cast(value[i])
        finally:
            self._shared = {}
        self.records.append(rec)

    def shared(self, key: str, compute: Callable[[], Any]) -> Any:
        """``compute()``, once per quarter's record: a value that several outputs' measures use (the
        first measure of :meth:`collect` that asks computes it, the others get the same object; outside
        collect every call computes it afresh). Nothing is kept between records, so nothing goes stale.
        """
        if key not in self._shared:
            self._shared[key] = compute()
        return self._shared[key]

    def edge_list(self, ids: bool = False) -> np.ndarray:
        """Transfer and contract links (2 x k pairs) of the last EDGE_WINDOW quarters.

        Args:
            ids: Give the agents' unique ids instead of state slots (slots are reused after exits).
        """
        if not self.edges:
            return np.zeros((2, 0), dtype=np.int64)
        return np.concatenate([x[2] if ids else x[1] for x in self.edges], axis=1)

    def edge_steps(self) -> np.ndarray:
        """The step of each link of :meth:`edge_list` (same order)."""
        if not self.edges:
            return np.zeros(0, dtype=np.int64)
        return np.concatenate([np.full(x[1].shape[1], x[0], dtype=np.int64) for x in self.edges])

    def _frame(self, start: int, stop: int, columns: list[str] | None = None) -> pd.DataFrame:
        """Records ``start:stop`` as a table (index: their positions in the record list)."""
        recs = self.records[start:stop]
        if columns is None:
            new = pd.DataFrame(recs)
            new["rd_intensity"] = _div(new["rd_total"], new["gdp"])
        else:
            new = pd.DataFrame({c: [r[c] for r in recs] for c in columns if c != "rd_intensity"})
            if "rd_intensity" in columns:
                new["rd_intensity"] = _div(
                    pd.Series([r["rd_total"] for r in recs]), pd.Series([r["gdp"] for r in recs])
                )
                new = new[list(columns)]
        new.index = pd.RangeIndex(start, stop)
        return new

    def quarterly(self, since_step: int | None = None, columns: list[str] | None = None) -> pd.DataFrame:
        """All records, one row per quarter (step 0 is the initial state).

        The table is built incrementally: only records added since the last call are converted, so
        calling it every step (as the dashboard does) stays cheap. A copy is returned.

        Args:
            since_step: Only the rows of this step and later, built from those records alone (cheap
                for a few recent quarters; same values and dtypes as the full table's rows).
            columns: Only these columns (in this order), cheaper still; a KeyError names an unknown one.
        """
        if since_step is not None or columns is not None:
            start = 0 if since_step is None else bisect.bisect_left([r["step"] for r in self.records], since_step)
            if start >= len(self.records):
                empty = self.quarterly().iloc[:0]
                return empty if columns is None else empty[list(columns)]
            return self._frame(start, len(self.records), None if columns is None else list(columns))
        cached = self._table
        done = 0 if cached is None else len(cached)
        if done < len(self.records):
            new = self._frame(done, len(self.records))
            self._table = new if cached is None else pd.concat([cached, new])
        return self._table.copy()

    def columns(self, since_step: int, columns: list[str]) -> dict[str, np.ndarray]:
        """The rows of ``since_step`` and later of these columns as arrays, not as a table: the values of
        ``quarterly(since_step, columns)`` (none of the derived ratios), read from the records of those rows
        alone (records are in step order).
        """
        recs = self.records
        start = len(recs)
        while start > 0 and recs[start - 1]["step"] >= since_step:
            start -= 1
        return {c: np.array([r[c] for r in recs[start:]]) for c in columns}

    def yearly(self) -> pd.DataFrame:
        """Per calendar year: flows summed, stocks at year end, ratios from the sums.

        Completed years are aggregated once and kept; each call aggregates only the running year,
        so calling it every step (as the dashboard does) costs the same on long runs.
        """
        done = self._years_done
        last_done = int(done["year"].iloc[-1]) if done is not None and not done.empty else None
        # the records of the years not done yet (records are in step order; step 0 is no quarter),
        # as table rows built from those records alone (the same values and dtypes as the table's)
        steps = [r["step"] for r in self.records]
        first = bisect.bisect_left(steps, 1)
        if last_done is not None:
            first = bisect.bisect_left(steps, 4 * (last_done + 1 - self.m.start_year) + 1, lo=first)
        if first >= len(self.records):
            return pd.DataFrame() if done is None else done.copy()
        recs = self.records[first:]
        fresh = None
        if recs[0]["year"] == recs[-1]["year"] and (last_done is None or recs[0]["year"] > last_done):
            fresh = self._aggregate_records(recs)  # the usual case: the running year alone
        if fresh is None:
            rows = self._frame(first, len(self.records))
            rows = rows[rows["step"] > 0]
            if last_done is not None:
                rows = rows[rows["year"] > last_done]
            if rows.empty:
                return pd.DataFrame() if done is None else done.copy()
            fresh = self._aggregate(rows)
        complete = fresh[fresh["quarters"] == 4]
        if not complete.empty:
            self._years_done = complete if done is None else pd.concat([done, complete], ignore_index=True)
            if len(complete) == len(fresh):  # every year done: the same table as concatenating again
                return self._years_done.reset_index(drop=True)
        out = fresh if done is None else pd.concat([done, fresh], ignore_index=True)
        return out.reset_index(drop=True)

    def _aggregate(self, df: pd.DataFrame) -> pd.DataFrame:
        """Yearly rows from quarterly rows (all quarters of each year present in ``df``)."""
        if df["year"].nunique() == 1 and not df[self.stock_columns].isna().to_numpy().any():
            return self._aggregate_one_year(df)
        g = df.groupby("year")
        out = pd.concat([g[self.flow_columns].sum(), g[self.stock_columns].last(), g.size().rename("quarters")], axis=1)
        for r in RATIOS:
            out[r.name] = r.compute(out)
        return out.reset_index()

    def _aggregate_one_year(self, df: pd.DataFrame) -> pd.DataFrame:
        """The yearly row of the (at most 4) quarterly rows of one year, without a groupby.

        Gives exactly what the groupby gives: flows are summed row by row with pandas' compensated
        (Kahan) summation, integer flows exactly, stocks are the last row's (checked free of NaN).
        """
        dtypes = dict(df.dtypes)
        out: dict[str, Any] = {"year": df["year"].to_numpy()[:1]}
        sums: dict[str, np.ndarray] = {}
        for dtype in {dtypes[c] for c in self.flow_columns}:
            cols = [c for c in self.flow_columns if dtypes[c] == dtype]
            vals = df[cols].to_numpy()
            if dtype.kind == "f":
                if np.isnan(vals).any():  # pandas skips NaN entries: leave it to the groupby
                    return self._aggregate_groupby(df)
                total = _kahan_rows(vals)
            else:
                total = vals.sum(axis=0)
            sums.update({c: total[i : i + 1] for i, c in enumerate(cols)})
        for c in self.flow_columns:
            out[c] = sums[c]
        lasts: dict[str, np.ndarray] = {}
        for dtype in {dtypes[c] for c in self.stock_columns}:
            cols = [c for c in self.stock_columns if dtypes[c] == dtype]
            vals = df[cols].to_numpy()[-1]
            lasts.update({c: vals[i : i + 1] for i, c in enumerate(cols)})
        for c in self.stock_columns:
            out[c] = lasts[c]
        out["quarters"] = np.array([len(df)], dtype=np.int64)
        for r in RATIOS:  # on the one-element arrays: the same arithmetic as on the table's columns
            out[r.name] = np.asarray(r.compute(out), dtype=float)
        return pd.DataFrame(out)

    def _aggregate_records(self, recs: list[dict[str, Any]]) -> pd.DataFrame | None:
        """:meth:`_aggregate_one_year` of the records of one year, read from the records (no table
        of them built first); None where that method would leave the year to the groupby (a NaN).
        """
        ints = self._int_columns
        fcols = [c for c in self.flow_columns if c not in ints]
        icols = [c for c in self.flow_columns if c in ints]
        fvals = np.array([[r[c] for c in fcols] for r in recs], dtype=float)
        stock_f = [c for c in self.stock_columns if c not in ints]
        svals = np.array([[r[c] for c in stock_f] for r in recs], dtype=float)
        if np.isnan(fvals).any() or np.isnan(svals).any():
            return None
        out: dict[str, Any] = {"year": np.array([recs[0]["year"]], dtype=np.int64)}
        sums = dict(zip(fcols, _kahan_rows(fvals).tolist(), strict=True))
        sums.update({c: sum(r[c] for r in recs) for c in icols})
        for c in self.flow_columns:
            out[c] = np.array([sums[c]], dtype=np.int64 if c in ints else float)
        last = recs[-1]
        for c in self.stock_columns:
            out[c] = np.array([last[c]], dtype=np.int64 if c in ints else float)
        out["quarters"] = np.array([len(recs)], dtype=np.int64)
        for r in RATIOS:  # on the one-element arrays: the same arithmetic as on the table's columns
            out[r.name] = np.asarray(r.compute(out), dtype=float)
        return pd.DataFrame(out)

    def _aggregate_groupby(self, df: pd.DataFrame) -> pd.DataFrame:
        g = df.groupby("year")
        out = pd.concat([g[self.flow_columns].sum(), g[self.stock_columns].last(), g.size().rename("quarters")], axis=1)
        for r in RATIOS:
            out[r.name] = r.compute(out)
        return out.reset_index()


__all__ = ["ACCOUNTING", "EDGE_WINDOW", "RATIOS", "Indicators", "outputs"]
