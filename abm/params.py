"""The parameter table: the single source for validation, documentation and dashboard controls.

Every parameter has a name, unit, allowed range (or choices), default, group, one-line meaning and
source. Sources name a seed passage (``../shared/seeds/<file>:<lines>``), a row of the observed data
(``data/observed/china_nis_facts.csv: <indicator> <year>``), or say ``assumption``.

Seed abbreviations used in sources:
    MP  = missing-piece-china-innovation-power-2024.txt
    SSF = strategic-st-forces-and-modern-economy.txt
    OUT = outline-innovation-driven-development-strategy-2016.txt
    NT  = new-type-national-innovation-system.txt
    DT  = digital-technology-innovation-system-2025.txt
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from abm.components import COMPONENT_NAMES
from abm.fields import FIELD_NAMES


class ParameterError(ValueError):
    """A parameter value is unknown, of the wrong type or out of range."""


@dataclass(frozen=True)
class Param:
    """One row of the parameter table.

    Attributes:
        name: Keyword argument of :class:`abm.model.InnovationModel`.
        default: Default value (the 2015 baseline).
        unit: Unit of the value, in words.
        low: Lowest allowed value (numbers) or None.
        high: Highest allowed value (numbers) or None.
        group: Group for the dashboard and the docs.
        meaning: One-line meaning.
        source: Seed passage, data row, or "assumption".
        choices: Allowed values for a choice parameter.
        kind: "float", "int", "bool", "choice", "fields" or "components" (comma-separated names or "none").
        lever: True for a policy lever (shown first in controls and cited in docs/ODD.md).
    """

    name: str
    default: Any
    unit: str
    low: float | None
    high: float | None
    group: str
    meaning: str
    source: str
    choices: tuple[str, ...] = ()
    kind: str = "float"
    lever: bool = False

    def allowed(self) -> str:
        """Describe the allowed values in words."""
        if self.kind == "choice":
            return "one of " + ", ".join(repr(c) for c in self.choices)
        if self.kind == "bool":
            return "true or false"
        if self.kind == "fields":
            return "'none' or a comma-separated list of fields from " + ", ".join(FIELD_NAMES)
        if self.kind == "components":
            return "'none' or a comma-separated list of components from " + ", ".join(COMPONENT_NAMES)
        kind = "an integer" if self.kind == "int" else "a number"
        return f"{kind} in [{self.low:g}, {self.high:g}]"

    def validate(self, value: Any) -> Any:
        """Return the value coerced to the parameter's type, or raise ParameterError."""

        def fail(why: str) -> ParameterError:
            return ParameterError(
                f"parameter '{self.name}': value {value!r} is not allowed ({why}); "
                f"allowed: {self.allowed()} [{self.unit}]"
            )

        if self.kind == "choice":
            if not isinstance(value, str) or value not in self.choices:
                raise fail("not one of the choices")
            return value
        if self.kind in ("fields", "components"):
            if not isinstance(value, str):
                raise fail("must be a string")
            text = value.strip()
            if text in ("", "none"):
                return "none"
            names = [p.strip() for p in text.split(",")]
            known = FIELD_NAMES if self.kind == "fields" else COMPONENT_NAMES
            bad = [n for n in names if n not in known]
            if bad:
                raise fail(f"unknown {self.kind[:-1]} {bad[0]!r}{suggest(bad[0], known)}")
            return ",".join(dict.fromkeys(names))
        if self.kind == "bool":
            if isinstance(value, bool):
                return value
            raise fail("must be true or false")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise fail(f"wrong type {type(value).__name__}")
        if self.kind == "int":
            if isinstance(value, float):
                if not value.is_integer():
                    raise fail("must be an integer")
                value = int(value)
        else:
            value = float(value)
        if not math.isfinite(value):
            raise fail("must be finite")
        if value < self.low or value > self.high:
            raise fail("out of range")
        return value


_FIELD_CHOICES = ("none", *FIELD_NAMES)

# The table is laid out one row per parameter (a few lines each) for reading, not by the formatter.
# fmt: off
PARAMETERS: tuple[Param, ...] = (
    # --- simulation -----------------------------------------------------------------------------
    Param("scale", 0.002, "agents per real actor", 1e-5, 1.0, "simulation",
          "Agents per real firm/institution (1.0 = national 1:1); small kinds keep a minimum number of agents.",
          "assumption (MODEL.md: classroom to 1:1 national scale)"),
    Param("start_year", 2015, "calendar year", 2015, 2030, "simulation",
          "Calendar year of the first quarter simulated.", "assumption (calibration window 2015-2020)",
          kind="int"),
    Param("regions", "three", "choice", None, None, "simulation",
          "Regional layout: east/central/west, or those plus the Beijing, Shanghai and Shenzhen hubs.",
          "NT:262-271; OUT:160-161", choices=("three", "hubs"), kind="choice"),
    Param("gdp_growth", 0.06, "per year (nominal)", -0.1, 0.2, "simulation",
          "Nominal GDP growth after the observed 2015-2020 series ends.", "assumption"),
    # --- funding (government) -----------------------------------------------------------------
    Param("research_budget_gdp", 0.0042, "share of GDP", 0.001, 0.02, "funding",
          "Government direct funding of R&D performers (central + local), as a share of GDP.",
          "data: GERD financed by government 2015 (22% of GERD x 2.07% of GDP, DERIVED); MP:20",
          lever=True),
    Param("central_share", 0.4, "share", 0.0, 1.0, "funding",
          "Share of the government research budget spent by the central government.",
          "data: Fiscal S&T expenditure 2018 (central 39.3%); OUT:228"),
    Param("stable_share", 0.28, "share", 0.0, 1.0, "funding",
          "Share of central research funding given as stable (institutional, block) funding; the rest is project-based.",
          "MP:86-88 (over 70% project-based, just under 30% stable); OUT:234", lever=True),
    Param("stable_lab_share", 0.7, "share", 0.0, 1.0, "funding",
          "Share of stable funding that goes to research labs (the rest to universities).", "assumption"),
    Param("project_firm_share", 0.12, "share", 0.0, 0.6, "funding",
          "Share of central project funding won by firms (the rest by universities and labs).",
          "DT:76 (firms lead or join nearly 80% of National Key R&D projects); assumption for the money share"),
    Param("mission_field", "none", "field", None, None, "funding",
          "Field of a whole-of-nation mission on a key core technology ('none' = no mission).",
          "DT:48, 54-57; SSF:317-322", choices=_FIELD_CHOICES, kind="choice", lever=True),
    Param("mission_budget", 0.0, "yuan per year", 0.0, 5e11, "funding",
          "Central mission budget per year, taken from the project-funding pool (same total budget).",
          "DT:54-57; SSF:276-285", lever=True),
    Param("mission_start_year", 2021, "calendar year", 2015, 2060, "funding",
          "First year of the mission.", "DT:54-57; assumption for the year", kind="int", lever=True),
    Param("mission_years", 5, "years", 1, 30, "funding",
          "Duration of the mission.", "DT:54-57; assumption for the duration", kind="int", lever=True),
    Param("consortium_lead", "private", "choice", None, None, "funding",
          "Who leads a mission's innovation consortium: the field's leading SOE ('soe'), its leading private firm ('private'), or the winner of an open call among its large firms, on reviewed proposal quality ('open').",
          "SSF:143-148, 276-285 (consortia led by leading enterprises); NT:247-253 (SOEs lead strategic fields); SSF:272-274 (open competition)",
          choices=("soe", "private", "open"), kind="choice", lever=True),
    Param("key_task_selection", "designated", "choice", None, None, "funding",
          "Who may join a mission consortium and take its key tasks: 'designated' = the leader invites large firms, labs and universities of the field on complementary capability; 'open' = open competition (jiebang guashuai) for the seats, every performer of the field, start-ups included, selected on reviewed quality.",
          "SSF:272-274 (an open competition mechanism selects the best candidates for key research projects); OUT:173 (open competition, private enterprises)",
          choices=("designated", "open"), kind="choice", lever=True),
    Param("consortium_members", 12, "agents", 1, 100, "funding",
          "Members a consortium leader invites (agents; at reduced scale each stands for several similar actors).",
          "SSF:276-285 (firms, universities and institutes in one consortium); assumption for the number",
          kind="int", lever=True),
    Param("consortium_match", 1.0, "yuan per government yuan", 0.0, 3.0, "funding",
          "Co-funding: own money a consortium member adds, through the consortium's pool, per yuan of government key-task money it receives.",
          "SSF:276-285 (co-funded by government and firms, SEMATECH); assumption for the ratio", lever=True),
    Param("consortium_pathways", 3, "pathways", 1, 5, "funding",
          "Technical pathways a consortium runs in parallel, each on one component of the field.",
          "SSF:276-285 (several technology paths in parallel); assumption for the number", kind="int", lever=True),
    Param("consortium_years", 5, "years", 1, 15, "funding",
          "Deadline of a consortium: it ends then if no pathway has succeeded (a new one forms while the mission runs).",
          "assumption; DT:54-57 (missions over a planning period)", kind="int", lever=True),
    Param("consortium_success_rate", 0.25, "per year", 0.0, 4.0, "assumptions",
          "Success hazard of a consortium pathway with unlimited money and members at the frontier of its component.",
          "assumption"),
    Param("consortium_half_effort", 2e4, "researcher-years per year", 100.0, 1e6, "assumptions",
          "Pathway money (in researcher-years a year it pays for) at which a pathway reaches half its success hazard.",
          "assumption"),
    Param("consortium_sharing", 0.1, "per quarter", 0.0, 1.0, "assumptions",
          "Rate at which consortium members absorb the consortium's best knowledge in each component (times the absorbable gap).",
          "SSF:276-285 (consortia share results among members); assumption for the rate"),
    Param("stable_evaluation_weight", 0.0, "share", 0.0, 1.0, "funding",
          "Share of stable (institutional) funding re-allocated each year on institutions' evaluated performance (the rest by staff cost).",
          "OUT:248 (performance evaluation as an important basis for S&T funding); SSF:210-214 (evaluation tied to output)",
          lever=True),
    Param("evaluation_basis", "impact", "choice", None, None, "funding",
          "What the evaluation counts: 'impact' = breakthroughs and contract income from firms per researcher; 'counts' = patents per researcher.",
          "OUT:248 (include the economic and social impact of technology transfer; reduce quantity, raise quality); SSF:213-214 (assess application of advances in real terms)",
          choices=("impact", "counts"), kind="choice", lever=True),
    Param("firm_subsidy_gdp", 0.0004, "share of GDP", 0.0, 0.005, "funding",
          "Direct R&D subsidies to firms, as a share of GDP.", "OUT:264; SSF:369-380 (support differs by industry class); assumption for the size",
          lever=True),
    Param("subsidy_targeting", "broad", "choice", None, None, "funding",
          "Who gets firm subsidies: all R&D performers by R&D spent, firms in catch-up fields, or SMEs only.",
          "SSF:369-380 (policy tailored to catch-up / parallel / leading classes)",
          choices=("broad", "strategic", "sme"), kind="choice", lever=True),
    Param("subsidy_additionality", 0.6, "share", 0.0, 1.0, "funding",
          "Share of a subsidy that firms add to their R&D budget (the rest replaces own money).", "assumption"),
    Param("rd_super_deduction", 0.5, "share of R&D expense", 0.0, 2.0, "funding",
          "Additional deduction of R&D expenses from taxable income (0.5 = 150% deduction, 2015 rule).",
          "OUT:234 (preferential policies for corporate R&D); data: firms using R&D super-deduction 2022; no seed passage names the rate",
          lever=True),
    Param("corporate_tax_rate", 0.15, "share", 0.0, 0.4, "funding",
          "Corporate income tax rate that sets the value of the R&D deduction (15% for high-tech firms).",
          "assumption"),
    Param("local_incentive_budget", 0.0, "share of GDP per year", 0.0, 0.005, "funding",
          "What local governments together can spend on incentives to attract new firms (split over regions by "
          "their share of firms); 0 = they do not bid for firms.",
          "OUT:228 (local governments promote technology development); NT:211; MP:52, 71; OUT:264 (market "
          "segmentation); assumption for the size (default 0: no data)"),
    Param("local_incentive_cap", 1e8, "yuan per firm", 0.0, 1e8, "funding",
          "Central cap on the incentive a local government may pay a new firm (1e8 = no binding cap).",
          "OUT:264 (break market segmentation); OUT:228 (central and local division of authority); "
          "assumption for the amount", lever=True),
    Param("incentive_step", 0.1, "seed-money units per quarter", 0.0, 2.0, "funding",
          "How much a local government raises its offer in a quarter in which it won fewer new firms than "
          "its share at equal offers.", "assumption"),
    Param("location_preference_scale", 1.0, "seed-money units", 0.05, 100.0, "funding",
          "Spread of founders' own reasons to prefer a region (a logit scale): an offer of this many seed-money "
          "units multiplies a region's odds of being chosen by e.", "assumption"),
    Param("regional_duplication", 0.3, "share", 0.0, 1.0, "funding",
          "Share of locally funded lab research that duplicates other regions' work (and adds less).",
          "MP:52, 71 (uncoordinated growth of state key labs, duplicated research); NT:211-212", lever=True),
    Param("guidance_fund_budget", 5e10, "yuan per year", 0.0, 1e12, "finance",
          "Government money paid into state guidance funds each year.",
          "SSF:424-436; OUT:236; data: Government guidance funds (cumulative) 2020", lever=True),
    # --- firms ----------------------------------------------------------------------------------
    Param("soe_rd_intensity", 0.025, "share of revenue", 0.0, 0.3, "firms",
          "R&D intensity an SOE manager judged by the 2015 rules chooses at the reference distance to the "
          "frontier: calibrates the return scale of the SOE R&D rule (abm.firms), not an outcome.",
          "MP:107-110 (central SOEs 2.55% in 2020)"),
    Param("soe_reform_share", 0.0, "share of SOEs", 0.0, 1.0, "firms",
          "Share of SOEs that are reformed: their managers are judged by the reformed_soe_* rules.",
          "MP:102-110; OUT:248", lever=True),
    Param("soe_tenure_years", 3.0, "years", 0.5, 15.0, "firms",
          "Horizon over which an unreformed SOE manager is judged (term of office): returns of R&D later "
          "than this do not count for the manager.",
          "MP:98 (SOEs put job security first); assumption: one 3-year term", lever=True),
    Param("reformed_soe_tenure_years", 6.0, "years", 0.5, 15.0, "firms",
          "Horizon over which a reformed SOE manager is judged (longer, contract-based tenure of the reform).",
          "MP:102 (Technology Reform Demonstration Action incentives); OUT:248; assumption: two terms",
          lever=True),
    Param("soe_rd_as_profit", 0.5, "share of R&D", 0.0, 1.0, "firms",
          "Share of R&D spending an unreformed SOE's assessment adds back to profit.",
          "OUT:248 (R&D investment as an assessment indicator of SOEs); assumption for the share", lever=True),
    Param("reformed_soe_rd_as_profit", 1.0, "share of R&D", 0.0, 1.0, "firms",
          "Share of R&D spending a reformed SOE's assessment adds back to profit (in full: R&D counted as profit).",
          "OUT:248; MP:102 (expanded incentives to innovate)", lever=True),
    Param("soe_failure_tolerance", 0.0, "share", 0.0, 1.0, "firms",
          "Share of the cost of failed R&D that an unreformed SOE manager's assessment forgives.",
          "OUT:266 (fault tolerance and tolerance of failure); assumption: none before reform", lever=True),
    Param("reformed_soe_failure_tolerance", 0.5, "share", 0.0, 1.0, "firms",
          "Share of the cost of failed R&D that a reformed SOE manager's assessment forgives.",
          "OUT:266; assumption for the share", lever=True),
    Param("soe_soft_budget", True, "on/off", None, None, "firms",
          "SOEs whose cash runs out after bank credit are rescued by state capital injections; off: they "
          "exit like private firms.",
          "MP:84, 98 (SOEs as protected economic stabilisers); assumption", kind="bool", lever=True),
    Param("private_rd_intensity", 0.02124, "share of revenue", 0.0, 0.3, "firms",
          "Mean R&D intensity private owners choose under 2015 conditions (tax rule, no cut-off): "
          "anchors the return scale of the owners' R&D rule (abm.firms.owner_rd_intensity), not an outcome.",
          "data: GERD performed by enterprises 2015; assumption for the split"),
    Param("private_long_horizon_years", 10.0, "years", 0.5, 30.0, "firms",
          "Horizon of the private firms that plan research over more than 10 years.",
          "MP:115-117 (14 of 113 surveyed firms: more than 10 years)"),
    Param("private_long_horizon_share", 0.124, "share of firms", 0.0, 1.0, "firms",
          "Share of private firms with research horizons over 10 years (riskier, more applied research).",
          "MP:115-117 (14 of 113 surveyed firms)"),
    Param("gross_margin", 0.12, "share of revenue", 0.0, 0.5, "firms",
          "Operating margin before R&D; the rest of revenue pays suppliers (partly abroad).", "assumption"),
    Param("sme_fixed_cost", 1e5, "yuan per quarter", 0.0, 1e7, "firms",
          "Non-R&D fixed cost of an SME or start-up per quarter.", "assumption"),
    Param("makerspace_inflow", 4.0e5, "projects per year", 0.0, 1e7, "firms",
          "Entrepreneurial projects entering makerspaces per year at the 2015 technology opportunity "
          "(rises with the field's science stock).",
          "OUT:212; NT:88-90 (makerspaces - incubators - accelerators chain); assumption for the number",
          lever=True),
    Param("loan_interest_rate", 0.045, "per year", 0.0, 0.3, "finance",
          "Interest rate of bank loans to private firms and SOEs.",
          "OUT:236 (financial services for S&T firms); assumption: near the 2015-2020 loan prime rate",
          lever=True),
    Param("credit_limit_revenue", 0.5, "years of revenue", 0.0, 5.0, "finance",
          "Bank credit limit of a private firm or SOE as a multiple of its annual revenue (collateral).",
          "SSF:431-432 (IP pledges, trade credit); assumption for the multiple", lever=True),
    Param("spinoff_rate", 0.4, "per institution per year", 0.0, 5.0, "transfer",
          "Spin-off start-ups per university or lab per year at full patent-disposal autonomy.",
          "SSF:187-189; OUT:200; assumption for the rate"),
    # --- finance ----------------------------------------------------------------------------------
    Param("vc_fundraising", 1.5e11, "yuan per year", 0.0, 2e12, "finance",
          "Money private LPs offer to VC funds each year (grows with GDP), earmarked for firms by franchise "
          "and track record and committed at their next fund's close (abm.mechanisms.funds).",
          "OUT:236 (grow angel and venture investment); MP:84; assumption for the amount (order of China's 2015 VC investment)", lever=True),
    Param("vc_deploy_rate", 0.06, "share per quarter", 0.0, 1.0, "finance",
          "Share of its cash a guidance fund investing directly, or a VC fund past its investment period "
          "(follow-ons only), is willing to invest each quarter.", "assumption"),
    Param("round_size", 2e7, "yuan per start-up", 1e5, 1e9, "finance",
          "Size of a first VC round per start-up (later rounds grow with the firm).", "assumption"),
    Param("vc_horizon_years", 6, "years", 1, 15, "finance",
          "Term of a private VC fund from its close (its horizon; research it pays for is judged over it); "
          "after the term and its extension the fund sells what it still holds and returns all cash to LPs.",
          "MP:84 (private VC has a short horizon, avoids long, deep research); assumption for the number",
          kind="int", lever=True),
    Param("vc_extension_years", 2.0, "years", 0.0, 5.0, "finance",
          "Extension after a VC fund's term in which it harvests remaining stakes before it is wound up.",
          "assumption (the usual term-plus-extension of fund agreements; no seed passage)"),
    Param("vc_investment_period_years", 3.0, "years", 0.25, 10.0, "finance",
          "Investment period of a private VC fund: new investments only in it, follow-ons after it.",
          "assumption (no seed passage gives fund terms)", lever=True),
    Param("vc_next_fund_invested_share", 0.7, "share of committed capital", 0.0, 1.0, "finance",
          "A VC firm raises its next fund once its latest fund has invested this share of its commitments "
          "(or its investment period is over).", "assumption"),
    Param("vc_track_record_elasticity", 1.0, "elasticity", 0.0, 5.0, "finance",
          "Response of a firm's next fund size to its private LPs' net multiple on its mature funds relative "
          "to the market's (0: size follows the last fund only).", "assumption"),
    Param("vc_management_fee", 0.02, "share of commitments per year", 0.0, 0.05, "finance",
          "Management fee a VC fund pays its manager over its life (the manager's costs).",
          "assumption (the usual 2-and-20 fund terms; no seed passage or data row)"),
    Param("vc_carry", 0.2, "share of fund profit", 0.0, 0.5, "finance",
          "Carried interest: the manager's share of what a fund pays out beyond its committed capital.",
          "assumption (the usual 2-and-20 fund terms; no seed passage or data row)"),
    Param("guidance_lp_share", 0.5, "share", 0.0, 1.0, "finance",
          "Share of guidance funds' capital earmarked for LP commitments to private VC funds (fund-of-funds); "
          "the rest they invest directly (0: all direct, the model before funds had a life cycle).",
          "OUT:236 (guide and drive social capital); SSF:424-436; data: Share of disclosed LP commitments from "
          "state-owned/state-participating LPs 2023; National S&T Achievements Transformation Guidance Fund 2022 "
          "(36 sub-funds); assumption for the share", lever=True),
    Param("guidance_lp_max_share", 0.3, "share of a fund", 0.0, 0.9, "finance",
          "Largest share of a private VC fund a guidance fund commits as LP (private LPs commit the rest).",
          "assumption (guidance funds lever private money: OUT:236)", lever=True),
    Param("guidance_principal_first", True, "on/off", None, None, "finance",
          "Return-of-capital rule: a guided fund pays the guidance LP its principal back before private LPs "
          "(off: capital returned pro rata).",
          "SSF:429-430 (return government capital once enterprises are stable); assumption for the rule",
          kind="bool", lever=True),
    Param("guidance_profit_cede", 0.0, "share of the guidance LP's profit", 0.0, 1.0, "finance",
          "Share of its profit in a guided fund the guidance LP cedes to the private LPs.",
          "SSF:424-428 (win-win for capital and industry); assumption for the share", lever=True),
    Param("guidance_horizon_years", 10, "years", 1, 20, "finance",
          "State guidance fund holding horizon.", "SSF:424-436 (state capital exits once a firm is stable)",
          kind="int", lever=True),
    Param("screening_noise", 0.6, "s.d. of quality", 0.0, 3.0, "finance",
          "Noise in private VC's signal of a start-up's quality.", "assumption"),
    Param("guidance_screening_noise", 1.2, "s.d. of quality", 0.0, 3.0, "finance",
          "Noise in state guidance funds' signal of a start-up's quality.",
          "data: Government guidance funds meeting target size 2021 (weak performance); assumption"),
    Param("ipo_valuation", 1e9, "yuan", 1e7, 1e11, "finance",
          "Valuation above which a start-up lists (IPO) and becomes a private firm.", "assumption"),
    # --- talent -----------------------------------------------------------------------------------
    Param("postgrad_intake", 6.5e5, "persons per year", 0.0, 3e6, "talent",
          "Research-track postgraduate intake (master's and doctoral) at universities.",
          "OUT:200 (talent recruitment); no seed passage gives an intake; assumption (order of 2015 postgraduate enrolment)", lever=True),
    Param("phd_output", 54000, "persons per year", 0, 400000, "talent",
          "Doctoral graduates per year (more PhDs raise researchers' productivity).",
          "data: Doctoral graduates 2023 (53,100 in 2013); SSF:397-400; no seed passage gives a PhD target",
          kind="int", lever=True),
    Param("research_entry_share", 0.5, "share", 0.0, 1.0, "talent",
          "Share of research-track graduates who seek research jobs (the rest take other jobs).", "assumption"),
    Param("study_abroad_share", 0.08, "share", 0.0, 0.5, "talent",
          "Share of graduates who go abroad for further study or work.",
          "data: Returnees from study abroad 2019 (outbound 703,500)"),
    Param("returnee_rate", 0.1, "per year", 0.0, 1.0, "talent",
          "Share of Chinese researchers abroad who return each year (talent programmes raise it).",
          "OUT:200; OUT:242; data: Returnees from study abroad 2019", lever=True),
    Param("mobility_friction", 0.6, "share", 0.0, 1.0, "talent",
          "Friction on moving between employers (1 = nobody moves); mutual recognition of research identities lowers it.",
          "SSF:397-400; SSF:214-216", lever=True),
    Param("job_search_rate", 0.05, "per quarter", 0.0, 1.0, "talent",
          "Share of researchers who look at other jobs each quarter.", "assumption"),
    Param("retirement_rate", 0.025, "per year", 0.0, 0.2, "talent",
          "Share of researchers who retire each year.", "assumption"),
    Param("dual_appointment_cap", 0.0, "share of researchers", 0.0, 0.5, "talent",
          "Share of a university's or lab's researchers allowed to hold a part-time post at a firm (dual "
          "appointment); 0 = not allowed. Relaxing the rules raises it.",
          "SSF:397-400 (mutual recognition of research identities; income from enterprises' innovation); OUT:200; "
          "default 0: no data on the share, and the seed describes it as to be explored", lever=True),
    Param("dual_time_share", 0.2, "share of working time", 0.05, 0.5, "talent",
          "Share of a dual appointee's time spent at the firm (counted as the firm's research effort, paid by it).",
          "assumption (one day a week)"),
    Param("dual_take_up", 0.25, "per quarter", 0.0, 1.0, "talent",
          "Share of an institution's open dual posts (cap minus posts held) taken up each quarter.", "assumption"),
    Param("dual_tenure_years", 3.0, "years", 0.25, 20.0, "talent",
          "Mean duration of a dual appointment.", "assumption"),
    Param("dual_knowledge", 0.2, "share per quarter", 0.0, 1.0, "talent",
          "Share of the know-how gap (per component) a dual appointee closes each quarter at the other side, in "
          "proportion to their time's share of its research staff (both ways: firm and institution).",
          "assumption (as embodied_knowledge, each quarter of presence)"),
    # --- transfer ---------------------------------------------------------------------------------
    Param("ip_protection", 0.5, "index 0-1", 0.0, 1.0, "transfer",
          "Strength of IP protection: raises licensing and patenting, lowers free spillovers.",
          "DT:90; OUT:252-254; DT:81", lever=True),
    Param("patent_disposal_autonomy", 0.4, "index 0-1", 0.0, 1.0, "transfer",
          "Freedom of universities and institutes to license, sell and spin off their patents.",
          "DT:90 (full autonomy over IP); OUT:185, 200", lever=True),
    Param("license_price", 2.5e6, "yuan per contract", 1e4, 1e8, "transfer",
          "Average price of a technology contract (licence or service) at 2015 prices.",
          "data: Technology contract turnover 2013 (746.9 bn CNY / 295,000 contracts, DERIVED)"),
    Param("tto_capacity", 100.0, "deals per institution per year", 0.0, 1000.0, "transfer",
          "Licence and transfer deals a university's or lab's technology transfer office can close in a year; "
          "buyers beyond it find no deal that quarter. The default does not bind (the version-1 market); at "
          "the data's scale (about 7) institutions lose the licence income the uncalibrated defaults lean on "
          "(docs/ODD.md, honest list; to be re-fitted in issue 13).",
          "OUT:185 (institutions to set up specialised technology transfer organisations and teams); data: "
          "University & research-institute transfers/licences/equity 2017 (9,907 contracts of 2,766 "
          "institutions: 3.6 each on average)", lever=True),
    Param("contract_research_share", 0.04, "share of firm R&D", 0.0, 0.5, "transfer",
          "Share of firms' R&D budgets contracted out to universities and labs.",
          "DT:69, 72; SSF:239-245", lever=True),
    Param("transfer_rate", 0.5, "per quarter", 0.0, 1.0, "transfer",
          "Probability that a firm with full absorptive capacity looks for a technology to buy in a quarter "
          "(it buys only an offer worth its price: license_payback_years).", "assumption"),
    Param("license_payback_years", 3.0, "years", 0.25, 20.0, "transfer",
          "A firm buys a licence only if the extra revenue it expects from the capability it gains, over "
          "this many years, covers the price (a payback rule; revenue share rises with capability by "
          "market_share_sensitivity).",
          "assumption (payback rule of thumb for investment decisions)"),
    Param("region_bias", 0.7, "share", 0.0, 1.0, "transfer",
          "Share of technology partners found in the firm's own region.", "assumption; SSF:247-263"),
    Param("partner_rate", 0.25, "per quarter per actor", 0.0, 2.0, "partners",
          "Expected joint projects a real performer starts in a quarter (Poisson).",
          "assumption; SKIN partnering (docs/skin_notes.md, S:611-646); SSF:239-245 (industry-university ties)"),
    Param("tie_life", 8.0, "quarters", 1.0, 80.0, "partners",
          "Mean life of a partnership tie: it lapses with probability 1/tie_life per quarter.",
          "assumption (the 8-quarter window of the link indicators)"),
    Param("repeat_partner", 0.3, "share", 0.0, 1.0, "partners",
          "Share of partner searches that start from a current partner (repeated partners).",
          "assumption; SKIN S:626-639 (previous partners are candidates first)"),
    Param("triadic_closure", 0.3, "share", 0.0, 1.0, "partners",
          "Share of the other partner searches that go to a partner of a partner (0: no triadic closure).",
          "assumption; GREAT-SKIN G:1962-2025 (partners' previous partners)"),
    Param("partner_distance", 0.1, "capability gap", 0.01, 1.0, "partners",
          "Knowledge distance at which a candidate is most attractive as a partner (complementarity).",
          "assumption (Nooteboom et al. 2007, optimal cognitive distance; SKIN S:653-671)"),
    Param("reputation_pull", 1.0, "exponent", 0.0, 2.0, "partners",
          "Weight of reputation (1 + patents per actor) in random partner search.", "assumption"),
    Param("cross_field_search", 0.1, "share", 0.0, 1.0, "partners",
          "Share of random partner searches that look outside the actor's own field.", "assumption"),
    Param("joint_learning", 0.1, "share of gap", 0.0, 1.0, "partners",
          "Share of the learnable gap to its partner an actor closes in a quarter of joint project.",
          "assumption; SKIN S:693-735 (partners learn from each other)"),
    Param("joint_effort_share", 0.2, "share", 0.0, 1.0, "partners",
          "Share of an engaged actor's research (and patents) done jointly in its project.", "assumption"),
    Param("network_sample", 2000, "real actors", 50, 20000, "partners",
          "Real actors in the sampled collaboration network measured for statistics (fixed per run).",
          "assumption (MODEL.md version 2, principle 5)", kind="int"),
    Param("spillover_rate", 0.02, "per quarter", 0.0, 0.5, "transfer",
          "Rate at which an actor closes its gap to its region's knowledge through free spillovers.", "assumption"),
    Param("acquisition_rate", 0.01, "per quarter", 0.0, 0.5, "transfer",
          "Quarterly chance that a capable start-up is bought by a large firm of its field.", "assumption"),
    Param("tech_service_rate", 0.25, "per quarter", 0.0, 1.0, "transfer",
          "Probability that a firm decides in a quarter how much of its technical work to contract out (an "
          "engagement covers the work of the next 1/rate quarters, so the rate sets the number of contracts, "
          "not the work).", "OUT:185 (technology services for R&D design, testing, certification); "
          "assumption for the value (engagements of about a year)"),
    Param("tech_work_share", 0.1, "share of revenue", 0.0, 0.3, "transfer",
          "Technical work of a firm's operations (development, engineering, design, testing, software, "
          "consulting) at its own cost, as a share of its revenue: what it can make or buy.",
          "assumption; data: Technology contract turnover 2013, 2019 (enterprises 75% of buyers, turnover "
          "3-4% of the model firms' revenue)"),
    Param("tech_task_spread", 0.5, "log standard deviation", 0.0, 2.0, "transfer",
          "Spread across a firm's technical tasks of a provider's cost relative to the firm's own cost (some "
          "tasks a specialist does far cheaper, others not).", "assumption"),
    Param("tech_service_markup", 0.2, "share of cost", 0.0, 1.0, "transfer",
          "Provider's price over its cost of a contract.", "assumption"),
    Param("service_learning_exponent", 0.32, "elasticity", 0.0, 1.0, "transfer",
          "Learning curve of technical-service providers: their cost falls by 2 ** -exponent with each "
          "doubling of the work they have done (0.32: an 80% progress ratio).",
          "assumption (Wright 1936; Dutton and Thomas 1984: progress ratios mostly 0.7-0.9)"),
    Param("service_experience_half", 2e8, "yuan per provider at 2015 prices", 1e6, 1e11, "transfer",
          "Work done for others at which a provider's learning curve starts to bite (its cost is 2 ** -exponent "
          "of a novice's there).", "assumption (a free parameter for calibration against data: Technology "
          "contract turnover 2019, 2020 and its growth)"),
    Param("tech_service_cost", 5e4, "yuan per contract", 0.0, 1e8, "transfer",
          "Provider's fixed cost of an engagement at 2015 prices (growing with nominal GDP, like wages): "
          "contracts whose savings do not cover it are not made.",
          "assumption (about seven person-weeks of an enterprise researcher at the 2015 FTE cost, abm.fields)"),
    Param("tech_contract_tax_relief", 0.06, "share of contract value", 0.0, 0.3, "transfer",
          "Tax a registered technology contract is relieved of (the seller's VAT on technology development and "
          "transfer; income-tax relief on transfer income), paid on unregistered ones.",
          "OUT:264 (preferential taxation lowers enterprises' innovation costs); 6% VAT rate on services "
          "(assumption for the relief as a whole)", lever=True),
    Param("tech_registration_cost", 2e5, "yuan per contract", 0.0, 1e7, "transfer",
          "Cost of registering a technology contract at a technology-market registration office (paperwork, "
          "certification) at 2015 prices: contracts whose tax relief does not pay it are not registered, "
          "so not counted in the official turnover.",
          "assumption (a free parameter for calibration against data: Technology contract turnover 2019, 2020 "
          "contract counts)"),
    Param("registration_learning_exponent", 1.0, "elasticity", 0.0, 2.0, "transfer",
          "Fall of the registration cost with the contracts registered in the field over the last year (offices, "
          "technology brokers and standard forms spread with them; 0: a fixed cost): it falls by 2 ** -exponent "
          "with each doubling beyond registration_network_half.",
          "assumption (learning-curve form, Wright 1936); data: Technology contract turnover 2015, 2019, 2020, "
          "2021 contract counts (calibration)"),
    Param("registration_network_half", 1e4, "contracts per field per year", 1.0, 1e7, "transfer",
          "Registered contracts of a field in a year at which the network effect on the registration cost starts "
          "to bite (the cost is 2 ** -registration_learning_exponent of the cost in an empty market there).",
          "assumption (a free parameter for calibration against data: Technology contract turnover contract "
          "counts 2015-2021)"),
    Param("tech_service_learning", 0.03, "share of the gap", 0.0, 0.5, "transfer",
          "Share of its component gap to the provider that a firm closes through one technical service.",
          "assumption"),
    # --- growth ---------------------------------------------------------------------------------
    Param("gdp_mode", "pinned", "choice", None, None, "growth",
          "GDP on the observed path ('pinned', for calibration) or moved by technology in use ('endogenous').",
          "OUT:82, 100 (growth driven by technological progress); assumption for the closure",
          choices=("pinned", "endogenous"), kind="choice"),
    Param("tfp_tech_elasticity", 0.5, "elasticity", 0.0, 2.0, "growth",
          "Elasticity of economy-wide TFP to the technology in use of the model's fields (endogenous GDP).",
          "assumption"),
    Param("tech_in_use_growth_ref", 0.071, "per year", -0.05, 0.2, "growth",
          "Growth of technology in use that the observed GDP path embodies (endogenous GDP follows the observed "
          "path while technology in use grows at this rate).",
          "assumption: growth of technology in use in the default baseline run (seeds 1-5, 2015-2035)"),
    Param("demand_price_elasticity", 1.5, "elasticity", 0.0, 4.0, "growth",
          "Price elasticity of a field's demand: productivity above the expected path lowers its price and raises "
          "its real demand (endogenous GDP only).", "assumption"),
    Param("capital_share", 0.4, "share of GDP", 0.1, 0.8, "growth",
          "Output elasticity of capital in growth accounting (labour 1 - capital_share).",
          "assumption; Solow (1957) growth accounting"),
    Param("capital_growth", 0.08, "per year", -0.05, 0.3, "growth",
          "Growth of the capital stock (input of growth accounting).",
          "assumption, set so the observed 2015-2019 GDP path gives about the official contribution of "
          "technological progress (55-60%, MoST; not in the shared data)"),
    Param("labour_growth", -0.003, "per year", -0.05, 0.05, "growth",
          "Growth of employment (input of growth accounting).", "assumption (NBS employment series)"),
    Param("gdp_deflator_growth", 0.02, "per year", -0.05, 0.2, "growth",
          "Growth of the GDP deflator: growth accounting uses real GDP growth, (1 + nominal) / (1 + deflator) - 1.",
          "assumption (NBS GDP deflator, about 2% a year in 2015-2021)"),
    Param("public_procurement", 0.0, "share of GDP", 0.0, 0.01, "growth",
          "Government procurement of domestic innovative products (firms at or above their field's national "
          "capability), as a share of GDP, paid by the central government.",
          "OUT:264 (government procurement system, first-set ordering, enlarge the market for new products)",
          lever=True),
    # --- research -------------------------------------------------------------------------------
    Param("breakthrough_rate", 0.006, "per researcher-year", 0.0, 0.1, "research",
          "Breakthroughs per FTE-year of basic and applied research in a mature risky line at reference science stock.",
          "assumption"),
    Param("breakthrough_size", 0.03, "share of frontier", 0.0, 0.5, "research",
          "Knowledge jump from one breakthrough.", "assumption"),
    Param("project_cycle_years", 3.0, "years", 1.0, 5.0, "research",
          "Evaluation cycle of competitive (central and local) project funding: a project's duration, at whose end it is judged.",
          "MP:86-88 (over 70% project funding; 3-5 year cycles)"),
    Param("stable_horizon_years", 8.0, "years", 1.0, 15.0, "research",
          "Planning horizon of research paid by stable (institutional) funding, judged at its end.",
          "MP:84-88 (stable funding lets institutions plan long); assumption for the value"),
    Param("enterprise_horizon_years", 3.0, "years", 1.0, 10.0, "research",
          "Planning horizon of firms' own research projects and of private owners' R&D decision "
          "(long-horizon private firms: private_long_horizon_years).",
          "MP:86-88 (113-firm survey: 94 prefer 3-5 years, 14 more than 10 years)"),
    Param("project_failure_penalty", 0.8, "probability", 0.0, 1.0, "research",
          "Probability that a competitive funder (central project, local, mission, enterprise, VC) drops a project judged a failure at the end of its cycle.",
          "assumption; MP:86-88 (evaluation cycles reward safe short projects)"),
    Param("stable_failure_penalty", 0.2, "probability", 0.0, 1.0, "research",
          "Probability that stable funding drops a project judged a failure at the end of its horizon.",
          "assumption; MP:84-88"),
    Param("patent_rate", 0.5, "patents per researcher-year", 0.0, 5.0, "research",
          "Invention patent applications per FTE-year of applied research and development.", "assumption"),
    Param("learning_rate", 0.04, "per quarter", 0.0, 0.5, "research",
          "Knowledge gain per quarter of an actor doing development at full intensity.", "assumption"),
    # --- shocks -----------------------------------------------------------------------------------
    Param("cutoff_fields", "none", "fields", None, None, "shocks",
          "Fields whose foreign technology supply is cut off ('none' or comma-separated field names).",
          "DT:60-63; OUT:50-52, 83, 190", kind="fields", lever=True),
    Param("cutoff_components", "none", "components", None, None, "shocks",
          "Key components (abm.components) whose foreign supply is cut off, beside whole fields "
          "('none' or comma-separated component names, e.g. 'lithography,eda').",
          "DT:61 (if upstream supplies are cut off); DT:64", kind="components", lever=True),
    Param("first_set_support", 0.0, "share of the price", 0.0, 0.5, "shocks",
          "First-set (首台套) support: subsidy and insurance paid to buyers of domestic key components, as a "
          "share of what they pay; it lowers the quality a buyer needs before switching to a domestic supplier.",
          "OUT:264 (first piece or set ordering, preferential taxation, insurance)", lever=True),
    Param("cutoff_start_year", 2019, "calendar year", 2015, 2060, "shocks",
          "Year the foreign supply cut-off starts.", "DT:60-63; assumption for the year", kind="int", lever=True),
    Param("cutoff_severity", 0.6, "share", 0.0, 1.0, "shocks",
          "Share of foreign inputs that cannot be replaced at once when supply is cut off.",
          "DT:60-63 (an upstream cut-off would break the chain); assumption for the share", lever=True),
    Param("control_threshold", 0.3, "share", 0.0, 1.0, "shocks",
          "Import share above which a key component (or a field, by its components' import share) counts "
          "as 'controlled by others'.",
          "OUT:50-52; DT:60-63; assumption for the threshold"),
    # --- behaviour: constants of the mechanisms (assumptions unless a source is named) ---------
    Param("funding_memory_weight", 0.25, "share", 0.01, 1.0, "assumptions",
          "Weight of the current quarter in each actor's moving average of its funding composition.", "assumption"),
    Param("national_lab_stable_premium", 1.5, "multiplier", 1.0, 5.0, "assumptions",
          "Stable funding per unit of staff cost of national labs relative to other labs.",
          "assumption; SSF:137-141 (national labs as the core of strategic S&T forces)"),
    Param("review_noise", 1.0, "s.d. of true log quality", 0.0, 5.0, "assumptions",
          "Noise of the review of a call's proposals: s.d. of the reviewers' error on the log quality, in units of the true spread of log quality among the call's applicants.",
          "assumption; grant peer review agrees weakly (inter-rater reliability about 0.3, i.e. about 1.4 for one reviewer: Bornmann, Mutz & Daniel 2010, PLoS ONE 5:e14331); a panel averages several"),
    Param("grant_size", 0.5, "share of staff cost", 0.05, 2.0, "assumptions",
          "Money a proposal asks for each quarter, as a share of the applicant's research staff cost per quarter.",
          "assumption"),
    Param("proposal_idea_spread", 0.5, "s.d. of log quality", 0.0, 2.0, "assumptions",
          "Spread of a proposal's idea quality around what the applicant's capability, doctorates and track record predict.",
          "assumption"),
    Param("track_record_memory", 0.3, "share per project", 0.01, 1.0, "assumptions",
          "Weight of a newly ended project's outcome (breakthrough 1, incremental 0.5, failure 0) in the performer's track record.",
          "assumption"),
    Param("evaluation_noise", 0.3, "s.d. of log score", 0.0, 2.0, "assumptions",
          "Noise of the yearly evaluation of an institution's performance (log-normal, drawn each year).",
          "assumption"),
    Param("evaluation_years", 3.0, "years", 0.5, 10.0, "assumptions",
          "Window of past outputs an institution's evaluation looks at (mean age of a moving average).",
          "assumption; OUT:248 (performance evaluation of universities and institutes)"),
    Param("local_institution_share", 0.75, "share", 0.0, 1.0, "assumptions",
          "Share of local research money that goes to institutions (the rest to the region's firms).",
          "assumption; OUT:228"),
    Param("guidance_central_share", 0.3, "share", 0.0, 1.0, "assumptions",
          "Share of guidance-fund capital paid by the central government (the rest by local governments).",
          "assumption; SSF:424-436"),
    Param("sme_rd_intensity", 0.08, "share of revenue", 0.0, 0.5, "assumptions",
          "Mean R&D intensity start-up founders choose under 2015 conditions: anchors the owners' R&D rule "
          "(abm.firms.owner_rd_intensity) for SMEs, not an outcome.", "assumption"),
    Param("substitution_rd_response", 1.5, "per unit of unserved share", 0.0, 10.0, "assumptions",
          "Extra expected profit of a unit of capability per unit of the field's component requirements that "
          "no one supplies (the market a domestic substitute would win), in owners' R&D rule and research "
          "allocation.", "assumption"),
    Param("pareto_tail_soe", 1.2, "tail index", 0.5, 5.0, "assumptions",
          "Pareto tail index of initial SOE sizes.", "assumption; MODEL.md (heavy-tailed firm sizes)"),
    Param("pareto_tail_private", 1.1, "tail index", 0.5, 5.0, "assumptions",
          "Pareto tail index of initial private firm sizes.", "assumption; MODEL.md (heavy-tailed firm sizes)"),
    Param("pareto_tail_sme", 1.6, "tail index", 0.5, 5.0, "assumptions",
          "Pareto tail index of initial start-up sizes.", "assumption; MODEL.md (heavy-tailed firm sizes)"),
    Param("sme_initial_runway", 32.0, "quarters", 1.0, 200.0, "assumptions",
          "Mean runway (quarters of cash) of loss-making start-ups at the start.", "assumption"),
    Param("seed_money", 1.5e6, "yuan per start-up", 0.0, 1e9, "assumptions",
          "Median founders' money of a new start-up in 2015 yuan (grows with nominal GDP).", "assumption"),
    Param("import_share_of_dependence", 0.4, "share per unit of dependence", 0.0, 1.0, "assumptions",
          "Share of a field's demand imported per unit of foreign dependence.", "assumption; OUT:50-52"),
    Param("component_cost_share", 0.08, "share of operating costs", 0.0, 0.9, "assumptions",
          "Share of firms' operating costs spent on their field's key components.", "assumption; DT:61-64"),
    Param("buyer_quality_sensitivity", 4.0, "per unit of capability", 0.0, 50.0, "assumptions",
          "How fast the share of buyers who accept domestic supply of a component grows with its domestic "
          "capability (log-share per unit, anchored at the 2015 domestic share).", "assumption"),
    Param("price_quality_tradeoff", 0.3, "capability per unit of price", 0.0, 2.0, "assumptions",
          "Capability shortfall a buyer accepts for a price advantage of 1 (first-set support).", "assumption"),
    Param("supplier_switch_rate", 0.1, "per quarter", 0.0, 1.0, "assumptions",
          "Share of the gap between a buyer's sourcing and what it accepts closed each quarter (qualification).",
          "assumption"),
    Param("component_substitution", 0.3, "elasticity", 0.05, 0.95, "assumptions",
          "Elasticity of substitution between a field's components in production (low: a missing component "
          "stops output).", "assumption"),
    Param("foreign_rd_intensity", 0.12, "share of revenue", 0.01, 0.5, "assumptions",
          "R&D intensity of foreign frontier firms (above 0: domestic development buys innovations at the foreign "
          "firms' rate per yuan of their 2015 R&D, which 0 leaves undefined).",
          "assumption (e.g. leading chip-equipment makers ~15%)"),
    Param("foreign_rd_elasticity", 0.5, "elasticity", 0.0, 2.0, "assumptions",
          "Elasticity of foreign frontier firms' innovation rate with respect to their R&D.", "assumption"),
    Param("frontier_step", 0.01, "share of the frontier", 0.001, 0.1, "assumptions",
          "Capability gain of one innovation of a foreign frontier firm in a component.", "assumption"),
    Param("foreign_imitation", 0.2, "per quarter", 0.0, 1.0, "assumptions",
          "Share of the gap to the field's best foreign firm a follower closes each quarter.", "assumption"),
    Param("china_share_of_world_demand", 0.3, "share", 0.01, 0.99, "assumptions",
          "China's share of foreign frontier firms' 2015 sales (the rest is the world's demand).",
          "assumption (China buys about a third of the world's chips)"),
    Param("world_demand_growth", 0.03, "per year", -0.1, 0.2, "assumptions",
          "Growth of foreign frontier firms' sales outside China.", "assumption"),
    Param("absorption_distance", 0.35, "capability gap", 0.05, 2.0, "assumptions",
          "Gap to a better source (frontier, licensor, region, new colleague) at which learning is fastest; "
          "much farther behind, little can be absorbed.", "assumption (absorptive capacity)"),
    Param("recombination_gain", 0.5, "share of a breakthrough", 0.0, 3.0, "assumptions",
          "Extra capability a radical breakthrough brings, spread over the performer's other components mastered "
          "to 80% of the frontier or more (or its focus, when only the national digital & AI capability is at "
          "that level); saturating in the number of strengths n (n / (n + 1)).",
          "assumption; DT:61 (digital technologies)"),
    Param("embodied_knowledge", 0.2, "share", 0.0, 1.0, "assumptions",
          "Share of newcomers' extra know-how (above the employer's, per component) that they bring into its "
          "capability, in proportion to their share of its staff.",
          "assumption"),
    Param("leaver_knowledge_loss", 0.02, "share", 0.0, 1.0, "assumptions",
          "Capability an employer loses per unit share of its researchers who leave (the tacit know-how they take "
          "that colleagues do not keep).", "assumption"),
    Param("returnee_expertise", 0.8, "index (1 = world frontier)", 0.0, 1.2, "assumptions",
          "Capability researchers returning from abroad bring in their field's components.",
          "assumption; OUT:200, OUT:242 (talent from abroad)"),
    Param("market_share_sensitivity", 4.0, "per unit of capability", 0.0, 20.0, "assumptions",
          "Sensitivity of market shares to capability relative to the field's national capability.", "assumption"),
    Param("soe_market_bonus", 1.3, "multiplier", 1.0, 3.0, "assumptions",
          "Market-share factor of SOEs' protected markets.", "MP:84; assumption for the size"),
    Param("size_drift_capability", 0.08, "per quarter per unit of capability", 0.0, 1.0, "assumptions",
          "Drift of a firm's log size per unit of capability above its field's average.", "assumption"),
    Param("size_noise", 0.25, "s.d. of log size per quarter", 0.0, 1.0, "assumptions",
          "Quarterly s.d. of log-size growth of a firm of size 1 (1 m yuan of quarterly revenue).",
          "assumption; MODEL.md (tent-shaped growth rates)"),
    Param("size_noise_slope", 0.2, "exponent", 0.0, 1.0, "assumptions",
          "The s.d. of growth falls as size to the power minus this exponent.",
          "assumption; MODEL.md (spread of growth falling with size)"),
    Param("equal_initial_sizes", False, "on/off", None, None, "assumptions",
          "Start every firm of a kind at the same size (to test that size and growth facts emerge).",
          "MODEL.md, version 2 principle 3", kind="bool"),
    Param("fixed_cost_share", 0.02, "share of capacity revenue", 0.0, 0.2, "assumptions",
          "Fixed cost per quarter of a private firm or SOE, as a share of its revenue capacity at the 2015 "
          "price (grows with nominal GDP): a firm whose sales fall behind its capacity makes losses.",
          "assumption"),
    Param("cash_target_quarters", 1.0, "quarters of revenue", 0.0, 8.0, "assumptions",
          "Cash a private firm or SOE keeps; cash above it goes to repaying loans, then to owners "
          "(SOE dividends to the state).", "assumption"),
    Param("loan_repayment_rate", 0.05, "per quarter", 0.0, 1.0, "assumptions",
          "Share of its bank debt a firm repays each quarter, from cash.", "assumption"),
    Param("makerspace_pass", 0.5, "share", 0.0, 1.0, "assumptions",
          "Share of makerspace projects that move on to an incubator (the rest are abandoned).", "assumption"),
    Param("incubator_pass", 0.6, "share", 0.0, 1.0, "assumptions",
          "Share of incubator projects that move on to an accelerator.", "assumption"),
    Param("incubation_stage_quarters", 2.0, "quarters", 1.0, 12.0, "assumptions",
          "Mean time a project spends in each stage of the incubation chain.", "assumption"),
    Param("rd_return_half_intensity", 0.03, "share of revenue", 0.001, 0.3, "assumptions",
          "R&D intensity at which a manager or owner expects half of the attainable progress (diminishing "
          "returns of the firms' R&D rules, abm.firms).", "assumption"),
    Param("soe_failure_penalty", 1.0, "per yuan of R&D", 0.0, 5.0, "assumptions",
          "Weight an SOE manager's assessment puts on each yuan of R&D at risk of failing, before tolerance.",
          "assumption; OUT:266"),
    Param("research_failure_risk", 0.5, "share", 0.0, 1.0, "assumptions",
          "Share of basic research spending that ends without a usable result (applied research: half of it), "
          "as firms' decision-makers see it: what an assessment without tolerance of failure counts against R&D "
          "(abm.firms.research_mix).", "assumption; OUT:266"),
    Param("soe_profit_floor", 0.06, "share of revenue", 0.0, 0.2, "assumptions",
          "Profit after R&D an SOE must still show (the constraint of the SOE R&D rule): SOE managers are "
          "judged on profit margins beside R&D, so R&D is bounded by the margin they must keep. Set to the "
          "margin SOEs kept while the 2020-2022 reform action ran.",
          "MoF 2021: SOEs' total profit 4.52 trn on revenue 75.55 trn = 6.0% (abm/data/observed, "
          "soe_profit_margin); SASAC 2021 operating goals include profit margins and R&D investment (Global "
          "Times 2022-01-19); the level in model terms is an assumption"),
    Param("vc_signal_threshold", 0.8, "s.d. of quality", -3.0, 5.0, "assumptions",
          "Signal of quality a private VC firm needs to fund a start-up.", "assumption"),
    Param("guidance_signal_threshold", 0.2, "s.d. of quality", -3.0, 5.0, "assumptions",
          "Signal of quality a state guidance fund needs to fund a start-up.", "assumption"),
    Param("guidance_catch_up_bonus", 0.5, "s.d. of quality", 0.0, 3.0, "assumptions",
          "Guidance funds' preference for start-ups in catch-up fields (added to the signal).",
          "assumption; SSF:369-380, 424-436"),
    Param("vc_investor_payout", 0.7, "share", 0.0, 1.0, "assumptions",
          "Share of the exit proceeds a VC fund received in a quarter it pays to its LPs the next quarter "
          "(never more than its cash; all cash is returned when the fund is wound up).",
          "assumption"),
    Param("ipo_raise_share", 0.2, "share of valuation", 0.0, 1.0, "assumptions",
          "Share of its valuation a listing start-up raises as new cash.", "assumption"),
    Param("valuation_revenue_multiple", 4.0, "multiple of yearly revenue", 0.5, 50.0, "assumptions",
          "Equity value of a start-up at par capability and quality, as a multiple of its yearly revenue.",
          "assumption"),
    Param("vc_max_age_quarters", 40, "quarters", 1, 200, "assumptions",
          "Oldest start-up age at which VC money is sought.", "assumption", kind="int"),
    Param("science_decay", 0.03, "per quarter", 0.001, 0.5, "assumptions",
          "Decay of the national science stock.", "assumption"),
    Param("institution_spend_rate", 0.85, "share per quarter", 0.0, 1.0, "assumptions",
          "Share of its cash a university or lab spends on R&D each quarter.", "assumption"),
    Param("sme_equity_burn", 0.1, "share per quarter", 0.0, 1.0, "assumptions",
          "Share of unspent VC money a start-up spends on R&D each quarter.", "assumption"),
    Param("development_half_effort", 30.0, "FTE", 0.1, 1e4, "assumptions",
          "Development effort at which incremental progress is half its maximum.", "assumption"),
    Param("duplication_penalty", 0.5, "share", 0.0, 1.0, "assumptions",
          "Effort lost per unit of duplicated local funding.", "assumption; MP:52, 71"),
    Param("phd_premium", 0.5, "share", 0.0, 3.0, "assumptions",
          "Productivity premium of a fully doctoral research staff.", "assumption"),
    Param("breakthrough_reference_effort", 100.0, "FTE", 1.0, 1e5, "assumptions",
          "Effort at which breakthroughs are linear in effort.", "assumption"),
    Param("breakthrough_effort_exponent", 0.7, "exponent", 0.1, 1.5, "assumptions",
          "Returns to effort in breakthroughs (below 1: concave).", "assumption"),
    Param("above_frontier_scale", 0.1, "index", 0.01, 1.0, "assumptions",
          "Breakthrough gains shrink by a factor e for every this much capability above the frontier.",
          "assumption"),
    Param("technology_absorption", 0.3, "share of gap", 0.0, 1.0, "assumptions",
          "Share of the gap to the seller a buyer closes through a technology deal or an acquisition.",
          "assumption"),
    Param("foreign_spillover", 0.01, "per quarter", 0.0, 0.5, "assumptions",
          "Gap to the frontier closed per quarter per unit of import share (stopped by a cut-off).", "assumption"),
    Param("link_spillover", 0.5, "multiplier", 0.0, 5.0, "assumptions",
          "Spillover from the last partner relative to the regional spillover rate.", "assumption"),
    Param("cross_region_spillover", 0.3, "multiplier", 0.0, 1.0, "assumptions",
          "Spillover from the field's national knowledge relative to the own region's.",
          "assumption; NT:262-271"),
    Param("study_years", 2.5, "years", 0.5, 8.0, "assumptions",
          "Average years of research-track postgraduate study.", "assumption"),
    Param("pool_exit_rate", 0.15, "per quarter", 0.0, 1.0, "assumptions",
          "Share of job-seekers who give up research for other jobs each quarter.", "assumption"),
    Param("abroad_settle_rate", 0.02, "per year", 0.0, 1.0, "assumptions",
          "Share of researchers abroad who settle there for good each year.", "assumption"),
    Param("returnee_phd_share", 0.5, "share", 0.0, 1.0, "assumptions",
          "Share of returnees with a doctorate.", "assumption"),
    Param("wage_adjustment", 0.05, "log change per quarter", 0.0, 0.5, "assumptions",
          "Response of a field's researcher pay to its labour-market gap (unfilled vacancies minus job-seekers, per researcher).",
          "assumption (wages that respond to scarcity by field, MODEL.md issue 11)"),
    Param("risk_return", 3.0, "ratio", 1.0, 10.0, "assumptions",
          "Value a performer expects from a mature risky research line relative to a safe line of the same effort (weighed against the failure penalty when it picks a project's risk).",
          "assumption"),
    Param("risk_gestation_years", 3.0, "years", 0.5, 10.0, "assumptions",
          "Maturation time of a risky line: its breakthrough rate is 1 - exp(-age / this) of the mature rate.",
          "assumption"),
    Param("risk_choice_noise", 1.0, "logit", 0.0, 3.0, "assumptions",
          "Scale of the expected gain at which performers' risk choices spread (logit; 0 = all pick the better corner).",
          "assumption (bounded rationality, Nelson and Winter)"),
    Param("hire_speed", 0.5, "share per quarter", 0.0, 1.0, "assumptions",
          "Share of the job-seekers' pool that looks for a job in a quarter (on-the-job searchers look as well).", "assumption"),
    Param("layoff_speed", 0.25, "share per quarter", 0.0, 1.0, "assumptions",
          "Share of excess staff laid off per quarter.", "assumption"),
    Param("prestige_soe", 0.15, "log attractiveness", -2.0, 2.0, "assumptions",
          "Prestige (job security) of SOEs as employers, added to log pay.", "assumption"),
    Param("prestige_private", 0.0, "log attractiveness", -2.0, 2.0, "assumptions",
          "Prestige of private firms as employers (the reference).", "assumption"),
    Param("prestige_sme", -0.1, "log attractiveness", -2.0, 2.0, "assumptions",
          "Prestige of start-ups as employers (plus 0.2 per unit of idea quality).", "assumption"),
    Param("prestige_university", 0.2, "log attractiveness", -2.0, 2.0, "assumptions",
          "Prestige of universities as employers.", "assumption"),
    Param("prestige_lab", 0.3, "log attractiveness", -2.0, 2.0, "assumptions",
          "Prestige of research labs as employers.", "assumption"),
    Param("prestige_national_lab", 0.3, "log attractiveness", -2.0, 2.0, "assumptions",
          "Extra prestige of national labs.", "assumption; SSF:137-141"),
    Param("vc_need_runway_quarters", 6.0, "quarters", 0.0, 40.0, "assumptions",
          "A start-up seeks VC money when its cash covers fewer quarters of costs than this.", "assumption"),
    Param("vc_belief_learning", 0.5, "share per quarter", 0.0, 1.0, "assumptions",
          "Share of the gap between investors' expectation of a financed start-up's quality and its true quality "
          "closed each quarter by news (revenue, products, breakthroughs).", "assumption"),
    Param("valuation_growth_quarters", 2.5, "quarters", 0.0, 40.0, "assumptions",
          "Quarters of its recent revenue growth investors and markets extrapolate when they value a start-up.",
          "assumption"),
    Param("vc_secondary_discount", 0.4, "share of valuation", 0.0, 0.9, "assumptions",
          "Discount at which a fund sells a stake it must sell at the end of its horizon (a secondary sale).",
          "assumption"),
    Param("vc_min_premoney_rounds", 3.5, "multiple of the round", 0.5, 20.0, "assumptions",
          "Lowest pre-money valuation investors accept, as a multiple of the round's size.", "assumption"),
    Param("ipo_min_age_quarters", 8, "quarters", 0, 80, "assumptions",
          "Youngest age at which a start-up may list.", "assumption", kind="int"),
    Param("patent_depreciation", 0.02, "per quarter", 0.0, 0.5, "assumptions",
          "Share of the patent stock that expires or becomes obsolete each quarter.", "assumption"),
    Param("staff_target_slack", 1.2, "multiplier", 1.0, 3.0, "assumptions",
          "Employers lay off staff above this multiple of what their R&D budget pays for.", "assumption"),
    Param("absorptive_half_researchers", 10.0, "persons (FTE)", 0.1, 1e4, "assumptions",
          "Researchers at which an actor's absorptive capacity is half its maximum.",
          "assumption (Cohen and Levinthal 1990: absorptive capacity rises with own R&D)"),
    Param("acquisition_capability_threshold", 0.95, "share of national capability", 0.0, 2.0, "assumptions",
          "Start-ups above this share of their field's national capability may be bought.", "assumption"),
    Param("acquisition_min_age_quarters", 4, "quarters", 0, 80, "assumptions",
          "Youngest age at which a start-up may be bought.", "assumption", kind="int"),
    Param("acquisition_premium", 1.2, "multiple of valuation", 1.0, 5.0, "assumptions",
          "Price a buyer pays for a start-up relative to its valuation.", "assumption"),
)

# fmt: on

PARAMS_BY_NAME: dict[str, Param] = {p.name: p for p in PARAMETERS}
# Parameters that are fixed for a run: they shape the initial population, so they cannot be scheduled
# or changed mid-run (a dashboard must rebuild the model to change them).
FIXED_PARAMS: tuple[str, ...] = ("scale", "start_year", "regions", "equal_initial_sizes", "network_sample")
DEFAULTS: dict[str, Any] = {p.name: p.default for p in PARAMETERS}
GROUPS: tuple[str, ...] = tuple(dict.fromkeys(p.group for p in PARAMETERS))


def suggest(name: str, options: Iterable[str]) -> str:
    """The hint " (did you mean 'x'?)" for the closest of ``options`` to ``name``, or ""."""
    import difflib

    close = difflib.get_close_matches(str(name), [str(o) for o in options], n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def check_year(where: str, value: Any, low: int = 2015, high: int = 2100) -> int:
    """An integer calendar year in [low, high], or a ParameterError naming ``where``."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ParameterError(f"{where}: value {value!r} is not allowed; allowed: an integer in [{low}, {high}]")
    return value


def validate_schedule(schedule: Iterable[Any]) -> tuple[tuple[int, str, Any], ...]:
    """Validate timed policy changes; return (year, param, value) tuples sorted by year.

    Items are ``{"year": Y, "param": name, "value": v}`` or ``(year, name, value)``. Parameters fixed for a
    run (FIXED_PARAMS) cannot be scheduled.

    Raises:
        ParameterError: naming the item, the key, the value and what is allowed.
    """
    out = []
    for i, item in enumerate(schedule or ()):
        if isinstance(item, Mapping):
            keys = {"year", "param", "value"}
            if set(item) != keys:
                raise ParameterError(
                    f"schedule[{i}]: needs exactly the keys 'year', 'param', 'value'; got {sorted(item)}"
                )
            year, name, value = item["year"], item["param"], item["value"]
        else:
            try:
                year, name, value = item
            except (TypeError, ValueError):
                raise ParameterError(f"schedule[{i}]: {item!r} is not (year, param, value)") from None
        check_year(f"schedule[{i}].year", year)
        if name in FIXED_PARAMS:
            raise ParameterError(f"schedule[{i}].param: '{name}' is fixed for a run and cannot be scheduled")
        try:
            value = validate_params({name: value})[name]
        except ParameterError as err:
            raise ParameterError(f"schedule[{i}]: {err}") from None
        out.append((year, name, value))
    return tuple(sorted(out, key=lambda t: t[0]))


def validate_params(values: Mapping[str, Any], *, where: str = "") -> dict[str, Any]:
    """Validate parameter values and fill in defaults.

    Args:
        values: Parameter names mapped to values; names not given take their defaults.
        where: Optional context (a file name) prefixed to error messages.

    Returns:
        A complete, validated parameter dict.

    Raises:
        ParameterError: An unknown name, a wrong type or an out-of-range value.
    """
    prefix = f"{where}: " if where else ""
    out = dict(DEFAULTS)
    for name, value in values.items():
        if name not in PARAMS_BY_NAME:
            raise ParameterError(f"{prefix}unknown parameter '{name}'{suggest(name, PARAMS_BY_NAME)}")
        try:
            out[name] = PARAMS_BY_NAME[name].validate(value)
        except ParameterError as err:
            raise ParameterError(f"{prefix}{err}") from None
    return out


def parameter_table_markdown(*, levers_only: bool = False) -> str:
    """Render the parameter table as Markdown (used to generate docs/ODD.md)."""
    lines = [
        "| name | group | default | unit | allowed | meaning | source |",
        "|---|---|---|---|---|---|---|",
    ]
    for p in PARAMETERS:
        if levers_only and not p.lever:
            continue
        name = f"**{p.name}**" if p.lever else p.name
        lines.append(f"| {name} | {p.group} | {p.default!r} | {p.unit} | {p.allowed()} | {p.meaning} | {p.source} |")
    return "\n".join(lines)
