"""Calibration targets, free parameters and the objective.

Objective (simulated method of moments with a diagonal weight matrix)::

    J(theta) = sum_i w_i z_i^2 / sum_i w_i,   z_i = (mean_r m_i(theta, seed_r) - o_i) / tol_i

m_i is the model moment of target i (indicator, year) averaged over R replications with common
seeds, o_i the observed value and tol_i its tolerance (the deviation we accept as a hit, so J <= 1
means "on average within tolerance"). Weights w_i = indicator weight x quality weight: published 1,
DERIVED 0.5, UNCERTAIN/CONFLICT 0.25. GERD levels carry 0.5 because GERD and R&D intensity measure the
same thing once GDP is given (both counted at full weight would double-count the level).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from abm.params import PARAMS_BY_NAME
from experiments.calibration.observed import load_observed, observed_value

QUALITY_WEIGHT = {"published": 1.0, "DERIVED": 0.5, "UNCERTAIN": 0.25, "CONFLICT": 0.25, "SEED": 0.25}


@dataclass(frozen=True)
class Free:
    """A free parameter: its search range (inside the parameter table's range) and scale."""

    name: str
    low: float
    high: float
    log: bool = False

    def from_unit(self, u: float) -> float:
        """Map u in [0, 1] to the parameter's range."""
        u = float(np.clip(u, 0.0, 1.0))
        if self.log:
            return float(np.exp(np.log(self.low) + u * (np.log(self.high) - np.log(self.low))))
        return self.low + u * (self.high - self.low)

    def to_unit(self, value: float) -> float:
        """Map a parameter value to [0, 1]."""
        if self.log:
            return float((np.log(value) - np.log(self.low)) / (np.log(self.high) - np.log(self.low)))
        return (value - self.low) / (self.high - self.low)


# Free parameters: behavioural rules of firms, universities and labs, never policy (government choices are
# inputs, see POLICY_INPUTS and fixed_inputs). Ranges lie inside the parameter table's (check_free); why each
# is free and what it moves is in docs/validation.md ("Free parameters and fixed inputs").
FREE: tuple[Free, ...] = (
    Free("private_rd_intensity", 0.012, 0.03),  # table 0-0.3; owners' R&D rule: enterprise GERD level
    Free("sme_rd_intensity", 0.03, 0.2),  # table 0-0.5; founders' R&D rule
    Free("rd_return_half_intensity", 0.01, 0.08),  # table 0.001-0.3; curvature of firms' R&D rule
    Free("institution_spend_rate", 0.5, 1.0),  # table 0-1; universities' and labs' R&D out of their cash
    Free("risk_return", 1.5, 6.0),  # table 1-10; performers' risky (basic) research choice
    Free("patent_rate", 0.2, 1.5),  # table 0-5; patent applications per FTE-year
    Free("transfer_rate", 0.05, 1.0),  # table 0-1; firms' propensity to buy a licence
    Free("license_price", 2e5, 1e7, log=True),  # table 1e4-1e8; price of a licence
    Free("license_payback_years", 0.25, 10.0, log=True),  # table 0.25-20; firms' licence-buying rule
    Free("absorptive_half_researchers", 1.0, 1000.0, log=True),  # table 0.1-1e4; who learns from spillovers
    Free("tech_work_share", 0.02, 0.3),  # table 0-0.3; firms' technical work that could be bought
    Free("tech_service_markup", 0.05, 0.6),  # table 0-1; providers' price over cost
    Free("tech_registration_cost", 2e4, 2e6, log=True),  # table 0-1e7; which service contracts are registered
    Free("service_experience_half", 1e7, 1e10, log=True),  # table 1e6-1e11; providers' learning curve
)
FREE_BY_NAME = {f.name: f for f in FREE}


#: Government allocation choices that the parameter table does not flag as levers but that are policy, not
#: behaviour: how the research budget is split between levels, performers and funds.
ALLOCATION_CHOICES = (
    "research_budget_gdp",
    "central_share",
    "stable_lab_share",
    "project_firm_share",
    "local_institution_share",
    "guidance_central_share",
    "national_lab_stable_premium",
    "local_incentive_budget",
)


def policy_inputs() -> set[str]:
    """Parameters that are policy, never free: the table's levers, the funding group and ALLOCATION_CHOICES."""
    table = {p.name for p in PARAMS_BY_NAME.values() if p.lever or p.group == "funding"}
    return table | set(ALLOCATION_CHOICES)


def fixed_inputs() -> dict[str, tuple[float, str]]:
    """Policy inputs the calibration sets from observed data (value, where it comes from).

    research_budget_gdp: government-financed GERD (gov_financed_share 2015, DERIVED 22%) x R&D intensity 2015
    (2.07%), less the firm subsidies that the model counts in government-financed R&D (firm_subsidy_gdp, the
    table's 2015 value). Every other policy input keeps its parameter-table default, the 2015 value with the
    source the table gives (stable_share 0.28: MP:86-88; central_share 0.4: fiscal S&T expenditure 2018;
    contract_research_share 0.04: DT:69, 72; ...); those without an observed value are listed in
    docs/validation.md.
    """
    gov = observed_value("gov_financed_share", 2015)
    intensity = observed_value("rd_intensity", 2015)
    sub = PARAMS_BY_NAME["firm_subsidy_gdp"].default
    budget = round(gov * intensity - sub, 6)
    why = (
        f"gov_financed_share 2015 ({gov:g}) x rd_intensity 2015 ({intensity:g}) - firm_subsidy_gdp ({sub:g}); "
        "abm/data/observed/china_observed.csv"
    )
    return {"research_budget_gdp": (budget, why)}


def fixed_params() -> dict[str, float]:
    """The fixed inputs as a parameter dict (added to every evaluation)."""
    return {k: v for k, (v, _) in fixed_inputs().items()}


def check_free() -> None:
    """Raise ValueError if a free range leaves the parameter table's range or a free parameter is policy."""
    policy = policy_inputs()
    for f in FREE:
        p = PARAMS_BY_NAME[f.name]
        if not (p.low <= f.low < f.high <= p.high):
            raise ValueError(f"free parameter {f.name}: [{f.low}, {f.high}] leaves the table's [{p.low}, {p.high}]")
        if f.name in policy:
            raise ValueError(f"free parameter {f.name} is a policy input; allowed: behavioural parameters only")


def params_from_unit(u: Sequence[float]) -> dict[str, float]:
    """Parameter dict from a point of the unit cube (one coordinate per FREE entry)."""
    return {f.name: f.from_unit(x) for f, x in zip(FREE, u, strict=True)}


def unit_from_params(params: dict[str, float]) -> np.ndarray:
    """Point of the unit cube from a parameter dict (defaults for missing names)."""
    return np.array([f.to_unit(params.get(f.name, PARAMS_BY_NAME[f.name].default)) for f in FREE])


# ---------------------------------------------------------------- model moments (on model.yearly())
def _col(name: str) -> Callable[[pd.DataFrame], pd.Series]:
    return lambda y: y[name]


def _turnover(y: pd.DataFrame) -> pd.Series:
    return y["tech_contract_turnover"]  # official definition: tech_contracts + contract_research


def _contract_count(y: pd.DataFrame) -> pd.Series:
    return y["licences"] + y["tech_service_contracts"]


def _growth(y: pd.DataFrame) -> pd.Series:
    t = _turnover(y)
    return t / t.shift(1) - 1.0


def _gov_share(y: pd.DataFrame) -> pd.Series:
    gov = y["gov_stable"] + y["gov_project"] + y["gov_mission"] + y["gov_local"] + y["subsidies"]
    return gov / y["rd_total"]


# indicator -> (model moment, what it is in the model)
MOMENTS: dict[str, tuple[Callable[[pd.DataFrame], pd.Series], str]] = {
    "gerd": (_col("rd_total"), "rd_total"),
    "rd_intensity": (_col("rd_intensity"), "rd_intensity (rd_total / model GDP)"),
    "enterprise_share": (_col("enterprise_share"), "enterprise_share"),
    "institute_share": (_col("institute_share"), "institute_share (labs)"),
    "university_share": (_col("university_share"), "university_share"),
    "basic_share": (_col("basic_share"), "basic_share"),
    "applied_share": (_col("applied_share"), "applied_share"),
    "tech_contract_turnover": (
        _turnover,
        "tech_contract_turnover (licences, technical services and consulting, contract research)",
    ),
    "tech_contract_growth": (_growth, "y/y growth of tech_contract_turnover"),
    "tech_contracts_count": (
        _contract_count,
        "licences + tech_service_contracts (contract research not counted)",
    ),
    "gov_financed_share": (_gov_share, "(gov_stable + gov_project + gov_mission + gov_local + subsidies) / rd_total"),
    "university_patent_applications": (_col("patents_university"), "patents_university"),
    "patent_share_enterprises": (_col("patent_share_enterprises"), "patent_share_enterprises"),
    "rd_personnel_fte": (_col("researchers_total"), "researchers_total (FTE)"),
    "institution_tech_contracts": (_col("licences_from_institutions"), "licences_from_institutions"),
    "institution_licence_income": (
        _col("inst_licence_income"),
        "inst_licence_income (ledger: technology_contract into universities and labs; micro.py)",
    ),
    "enterprise_tech_output_share": (
        _col("enterprise_tech_output_share"),
        "1 - (institutions' licences, registered services, contract research) / tech_contract_turnover (micro.py)",
    ),
}


@dataclass(frozen=True)
class Target:
    """How one observed indicator is matched: tolerance (absolute or relative) and weight."""

    indicator: str
    tol: float
    relative: bool
    weight: float
    why: str
    side: str = "two"  # "two": both directions count; "at_least": only a shortfall (observed is a lower bound)


TARGETS: dict[str, Target] = {
    t.indicator: t
    for t in (
        Target("rd_intensity", 0.001, False, 1.0, "headline indicator; 0.1 pp"),
        Target("gerd", 0.05, True, 0.5, "same information as intensity given GDP"),
        Target("enterprise_share", 0.01, False, 1.0, "performer shares, 1 pp"),
        Target("institute_share", 0.01, False, 1.0, "performer shares, 1 pp"),
        Target("university_share", 0.01, False, 1.0, "performer shares, 1 pp"),
        Target("basic_share", 0.005, False, 1.0, "0.5 pp: the basic share is small"),
        Target("applied_share", 0.01, False, 1.0, "1 pp"),
        Target("tech_contract_turnover", 0.15, True, 0.5, "model concept narrower than the official turnover"),
        Target("tech_contract_growth", 0.05, False, 0.5, "single-year growth is noisy"),
        Target("tech_contracts_count", 0.15, True, 0.5, "model counts licences and service contracts"),
        Target("gov_financed_share", 0.03, False, 1.0, "DERIVED row"),
        Target("university_patent_applications", 0.15, True, 1.0, "secondary source"),
        Target("patent_share_enterprises", 0.05, False, 1.0, "UNCERTAIN row (grants, early 2019)"),
        Target("rd_personnel_fte", 0.10, True, 1.0, "validation only (not fitted)"),
        Target("institution_tech_contracts", 0.25, True, 1.0, "micro: licences sold by universities and labs"),
        Target("institution_licence_income", 0.25, True, 1.0, "micro: what universities and labs earn from them"),
        Target(
            "enterprise_tech_output_share",
            0.03,
            False,
            0.5,
            "micro: observed is a lower bound ('more than 90%')",
            side="at_least",
        ),
    )
}


def target_table(use: str | tuple[str, ...] = "calibration") -> pd.DataFrame:
    """Observed rows of ``use`` joined with their tolerance and final weight."""
    obs = load_observed(use)
    obs = obs[obs["indicator"].isin(list(TARGETS))].copy()
    obs["tol_abs"] = [
        TARGETS[i].tol * (abs(v) if TARGETS[i].relative else 1.0)
        for i, v in zip(obs["indicator"], obs["value"], strict=True)
    ]
    obs["tolerance"] = [
        f"{TARGETS[i].tol:.0%} rel." if TARGETS[i].relative else f"{TARGETS[i].tol:g} abs." for i in obs["indicator"]
    ]
    obs["weight"] = [
        TARGETS[i].weight * QUALITY_WEIGHT[q] for i, q in zip(obs["indicator"], obs["quality"], strict=True)
    ]
    obs["model_moment"] = [MOMENTS[i][1] for i in obs["indicator"]]
    return obs.reset_index(drop=True)


def moments(yearly: pd.DataFrame, table: pd.DataFrame) -> np.ndarray:
    """Model moments of one run for every row of ``table`` (NaN if the year was not simulated)."""
    y = yearly.set_index("year", drop=False)
    out = np.full(len(table), np.nan)
    cache: dict[str, pd.Series] = {}
    for k, (ind, year) in enumerate(zip(table["indicator"], table["year"], strict=True)):
        if ind not in cache:
            cache[ind] = MOMENTS[ind][0](y)
        s = cache[ind]
        if year in s.index:
            out[k] = float(s.loc[year])
    return out


def evaluate(yearlies: Sequence[pd.DataFrame], table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Simulated vs observed for every target: mean, s.d., 95% CI over replications, z, hit."""
    from experiments.stats import half_widths

    table = target_table() if table is None else table
    sims = np.array([moments(y, table) for y in yearlies])  # replications x targets
    n = sims.shape[0]
    out = table.copy()
    out["sim_mean"] = sims.mean(axis=0)
    out["sim_sd"] = sims.std(axis=0, ddof=1) if n > 1 else 0.0
    half = half_widths(out["sim_sd"].to_numpy(), n) if n > 1 else 0.0
    out["ci_low"] = out["sim_mean"] - half
    out["ci_high"] = out["sim_mean"] + half
    out["n"] = n
    out["z"] = (out["sim_mean"] - out["value"]) / out["tol_abs"]
    lower_bound = np.array([TARGETS[i].side == "at_least" for i in out["indicator"]], dtype=bool)
    out.loc[lower_bound, "z"] = np.minimum(out.loc[lower_bound, "z"], 0.0)
    out["hit"] = out["z"].abs() <= 1.0
    return out


def objective(evaluated: pd.DataFrame) -> float:
    """J = sum w z^2 / sum w over the rows of an ``evaluate`` table (NaN moments count as z = 10)."""
    z = evaluated["z"].fillna(10.0).to_numpy()
    w = evaluated["weight"].to_numpy()
    return float(np.sum(w * z**2) / np.sum(w))
