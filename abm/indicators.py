"""Indicators in real units, collected every quarter and aggregated per calendar year.

Flows (yuan, persons, counts per quarter) are summed over the quarters of a year; stocks (numbers of
actors, researchers, capability) are taken at the end of the year; ratios are recomputed from the
yearly sums (R&D intensity = yearly R&D / yearly GDP).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from abm.fields import FIELD_NAMES, KIND_NAMES, LAB, PRIVATE, SME, SOE, UNIVERSITY, VC

if TYPE_CHECKING:
    from abm.model import InnovationModel

EDGE_WINDOW = 8  # quarters of transfer links kept for network statistics

PERFORMERS = ("soe", "private", "sme", "university", "lab")


class Indicators:
    """Collects one record per quarter."""

    FLOW_KEYS = (
        "sales", "foreign_inputs", "gov_stable", "gov_project", "gov_mission", "gov_local", "subsidies",
        "tax_deduction", "guidance_capital", "soe_injections", "contract_research", "tech_contracts",
        "licences", "licences_from_institutions", "patents", "breakthroughs", "vc_fundraising", "vc_invested",
        "guidance_invested", "vc_deals", "vc_exit_proceeds", "vc_distributions", "ipos", "acquisitions",
        "sme_births", "spinoffs", "sme_deaths", "graduates", "phd_graduates", "study_abroad", "returnees",
        "retirements", "job_moves", "hires",
    )
    STOCK_PREFIXES = ("n_", "researchers_", "capability_", "dependence_", "frontier_", "pool", "students",
                      "controlled_fields", "researchers_abroad", "network_", "vc_cash", "mission_active",
                      "cutoff_fields_active", "science_")

    def __init__(self, model: InnovationModel) -> None:
        """Start an empty record list for ``model``."""
        self.m = model
        self.records: list[dict[str, Any]] = []
        self.edges: list[tuple[int, np.ndarray]] = []

    def collect_initial(self) -> None:
        """Record the state before the first step (step 0), with flows at zero."""
        self.m.flow = dict.fromkeys(self.FLOW_KEYS, 0.0)
        self.m.transfer_edges = []
        self.m.breakthroughs_by_field = np.zeros(len(FIELD_NAMES))
        self.m.patents_by_kind = np.zeros(5)
        self.m.hires_by_kind = np.zeros(5)
        self.m.mobility_out_by_kind = np.zeros(5)
        self.collect()

    def collect(self) -> None:
        """Record this quarter."""
        m = self.m
        s = m.s
        n = s.n
        alive = s.alive[:n]
        kind = s.kind[:n]
        w = s.weight[:n]
        rec: dict[str, Any] = {
            "step": m.steps,
            "year": m.start_year + max(m.steps - 1, 0) // 4 if m.steps else m.start_year,
            "quarter": (m.steps - 1) % 4 + 1 if m.steps else 0,
            "gdp": m.gdp_q,
        }
        rd_kind = np.bincount(kind[alive], (w * s.rd_spend[:n])[alive], minlength=7)
        for k, name in enumerate(PERFORMERS):
            rec[f"rd_{name}"] = float(rd_kind[k]) if m.steps else 0.0
        rec["rd_total"] = sum(rec[f"rd_{x}"] for x in PERFORMERS)
        perf = alive & (kind <= LAB)
        for t in ("basic", "applied", "dev"):
            rec[f"rd_{t}"] = float(np.sum((w * getattr(s, f"rd_{t}")[:n])[perf])) if m.steps else 0.0
        rec.update({k: float(v) for k, v in m.flow.items()})
        for k, name in enumerate(PERFORMERS):
            rec[f"patents_{name}"] = float(m.patents_by_kind[k])
        # stocks
        counts = np.bincount(kind[alive], w[alive], minlength=7)
        agents = np.bincount(kind[alive], minlength=7)
        for k, name in enumerate(KIND_NAMES):
            rec[f"n_{name}"] = float(counts[k])
            rec[f"n_agents_{name}"] = int(agents[k])
        res = np.bincount(kind[alive], (w * s.researchers[:n])[alive], minlength=7)
        for k, name in enumerate(PERFORMERS):
            rec[f"researchers_{name}"] = float(res[k])
            rec[f"hires_{name}"] = float(m.hires_by_kind[k])
            rec[f"job_leavers_{name}"] = float(m.mobility_out_by_kind[k])
        rec["researchers_total"] = float(sum(res[:5]))
        rec["pool"] = float(m.acc.pool)
        rec["students"] = float(np.sum((w * s.students[:n])[alive]))
        rec["researchers_abroad"] = float(m.abroad)
        vcs = alive & (kind == VC)
        rec["vc_cash"] = float(np.sum((w * s.cash[:n])[vcs]))
        for j, name in enumerate(FIELD_NAMES):
            rec[f"capability_{name}"] = float(m.capability[j])
            rec[f"dependence_{name}"] = float(m.dependence[j])
            rec[f"breakthroughs_{name}"] = float(m.breakthroughs_by_field[j])
            rec[f"science_{name}"] = float(m.science[j] / m.science_ref[j])
        rec["controlled_fields"] = int(np.sum(m.dependence > m.params["control_threshold"]))
        rec["mission_active"] = int(m.mission_active)
        rec["cutoff_fields_active"] = int(m.cutoff.sum())
        # collaboration network over the last EDGE_WINDOW quarters
        if m.transfer_edges:
            self.edges.append((m.steps, np.concatenate(m.transfer_edges, axis=1)))
        self.edges = [(st, e) for st, e in self.edges if st > m.steps - EDGE_WINDOW]
        if self.edges:
            e = np.concatenate([x for _, x in self.edges], axis=1)
            inst = (s.kind[e[1]] == UNIVERSITY) | (s.kind[e[1]] == LAB)
            rec["network_links"] = int(e.shape[1])
            rec["network_share_institutions"] = float(inst.mean())
        else:
            rec["network_links"] = 0
            rec["network_share_institutions"] = 0.0
        self.records.append(rec)

    def edge_list(self) -> np.ndarray:
        """Transfer and contract links (2 x k slot pairs) of the last EDGE_WINDOW quarters."""
        if not self.edges:
            return np.zeros((2, 0), dtype=np.int64)
        return np.concatenate([x for _, x in self.edges], axis=1)

    def quarterly(self) -> pd.DataFrame:
        """All records, one row per quarter (step 0 is the initial state).

        The table is built incrementally: only records added since the last call are converted, so
        calling it every step (as the dashboard does) stays cheap. A copy is returned.
        """
        cached = getattr(self, "_table", None)
        done = 0 if cached is None else len(cached)
        if done < len(self.records):
            new = pd.DataFrame(self.records[done:])
            new["rd_intensity"] = np.where(new["gdp"] > 0, new["rd_total"] / new["gdp"], np.nan)
            new.index = pd.RangeIndex(done, len(self.records))
            self._table = new if cached is None else pd.concat([cached, new])
        return self._table.copy()

    def yearly(self) -> pd.DataFrame:
        """Per calendar year: flows summed, stocks at year end, ratios from the sums.

        Completed years are aggregated once and kept; each call aggregates only the running year,
        so calling it every step (as the dashboard does) costs the same on long runs.
        """
        self.quarterly()  # bring the quarterly table up to date
        table = self._table
        done = getattr(self, "_years_done", None)
        last_done = int(done["year"].iloc[-1]) if done is not None and not done.empty else None
        rows = table[table["step"] > 0]
        if last_done is not None:
            rows = rows[rows["year"] > last_done]
        if rows.empty:
            return pd.DataFrame() if done is None else done.copy()
        fresh = self._aggregate(rows)
        complete = fresh[fresh["quarters"] == 4]
        if not complete.empty:
            self._years_done = complete if done is None else pd.concat([done, complete], ignore_index=True)
        out = fresh if done is None else pd.concat([done, fresh], ignore_index=True)
        return out.reset_index(drop=True)

    def _aggregate(self, df: pd.DataFrame) -> pd.DataFrame:
        """Yearly rows from quarterly rows (all quarters of each year present in ``df``)."""
        stock_cols = [c for c in df.columns if c.startswith(self.STOCK_PREFIXES)]
        flow_cols = [c for c in df.columns if c not in stock_cols and c not in ("step", "year", "quarter", "rd_intensity")]
        g = df.groupby("year")
        out = pd.concat([g[flow_cols].sum(), g[stock_cols].last(), g.size().rename("quarters")], axis=1)
        out["rd_intensity"] = out["rd_total"] / out["gdp"]
        out["basic_share"] = out["rd_basic"] / out["rd_total"]
        out["applied_share"] = out["rd_applied"] / out["rd_total"]
        out["dev_share"] = out["rd_dev"] / out["rd_total"]
        ent = out["rd_soe"] + out["rd_private"] + out["rd_sme"]
        out["enterprise_share"] = ent / out["rd_total"]
        out["institute_share"] = out["rd_lab"] / out["rd_total"]
        out["university_share"] = out["rd_university"] / out["rd_total"]
        gov_total = out["gov_stable"] + out["gov_project"] + out["gov_mission"]
        out["stable_share_central"] = out["gov_stable"] / gov_total.where(gov_total > 0)
        pat = sum(out[f"patents_{k}"] for k in PERFORMERS)
        out["patent_share_enterprises"] = (out["patents_soe"] + out["patents_private"] + out["patents_sme"]) / pat.where(pat > 0)
        return out.reset_index()


# kinds re-exported for convenience
__all__ = ["PERFORMERS", "PRIVATE", "SME", "SOE", "Indicators"]
