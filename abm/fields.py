"""Technology fields, regions, kinds of actors and the observed series the model starts from.

Field classes follow strategic-st-forces-and-modern-economy.txt section 4.1 (SSF:369-380):
catch-up industries (e.g. lithography) aim at self-reliance through a whole-of-nation model,
parallel industries (e.g. new-energy vehicles) at self-improvement through an ecosystem,
leading industries (e.g. quantum communications) at taking the lead through flagship programmes.
Catch-up: chips, machine tools, biotech instruments, materials and aero-engines (DT:61-64: "heavily
dependent on imports"); parallel: new-energy vehicles (SSF:372) and digital platforms; leading:
quantum communication and 6G (SSF:372). Initial capability and foreign dependence come from each
field's key components (:mod:`abm.components`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Field:
    """A technology field.

    Attributes:
        name: Identifier.
        label: Human-readable name.
        klass: "catch-up", "parallel" or "leading" (SSF:369-380). The class is a description of
            where the field starts (how far from the frontier, how import-dependent: its components
            in :mod:`abm.components`); no mechanism reads it. Policy instruments per class are levers.
        market_share: Share of the model's firm revenue in this field (2015).
        frontier_growth: Reference growth of the world frontier per year: the rate at which foreign
            frontier firms' R&D moves it at their 2015 spending (abm.mechanisms.supply).
    """

    name: str
    label: str
    klass: str
    market_share: float
    frontier_growth: float


FIELDS: tuple[Field, ...] = (
    Field("chips_ict", "Chips & ICT hardware", "catch-up", 0.18, 0.05),
    Field("digital_ai", "Software, AI & platforms", "parallel", 0.19, 0.06),
    Field("advanced_manufacturing", "Advanced manufacturing & machine tools", "catch-up", 0.20, 0.03),
    Field("new_energy", "New-energy vehicles", "parallel", 0.14, 0.04),
    Field("biotech_health", "Biotech & health", "catch-up", 0.12, 0.045),
    Field("new_materials", "New materials", "catch-up", 0.09, 0.035),
    Field("aerospace", "Aerospace & aero-engines", "catch-up", 0.06, 0.03),
    Field("quantum_6g", "Quantum & 6G", "leading", 0.02, 0.06),
)
FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS)
N_FIELDS = len(FIELDS)

# Regions: shares of firms and of research institutions (assumption: east-heavy, NT:262-271).
REGION_LAYOUTS: dict[str, tuple[tuple[str, float, float], ...]] = {
    # name, share of firms, share of institutions
    "three": (("east", 0.62, 0.55), ("central", 0.24, 0.25), ("west", 0.14, 0.20)),
    "hubs": (
        ("east", 0.40, 0.30),
        ("central", 0.22, 0.22),
        ("west", 0.13, 0.18),
        ("beijing", 0.08, 0.16),
        ("shanghai", 0.08, 0.08),
        ("shenzhen", 0.09, 0.06),
    ),
}

# Real populations (MODEL.md brief; data/observed rows named). Labs by subtype.
REAL_COUNTS: dict[str, float] = {
    # R&D-performing subsidiaries of the ~100 central SOE groups and of local SOE groups (assumption): agents
    # are subsidiaries, not groups, so no agent holds a large share of SOE revenue (MAX_SOE_AGENT_SHARE)
    "soe": 10_000.0,
    "private": 400_000.0,  # high-tech enterprises (DT:72-76)
    "sme": 454_000.0,  # technology SMEs (DT:72-76)
    "university": 3000.0,  # data: Regular higher-education institutions 2022
    "institute": 2900.0,  # data: Number of government-affiliated R&D institutions 2023
    "state_key_lab": 530.0,  # data: State Key Laboratories in operation 2022
    "national_lab": 10.0,  # assumption (SSF:137-141, OUT:152)
    "new_type": 500.0,  # assumption (OUT:184, NT:243)
    "private_vc": 3000.0,  # assumption
    "guidance_fund": 1741.0,  # data: Government guidance funds (cumulative) 2020
}
MIN_AGENTS: dict[str, int] = {
    "soe": 40,
    "private": 100,
    "sme": 100,
    "university": 48,
    "institute": 32,
    "state_key_lab": 16,
    "national_lab": 8,
    "new_type": 8,
    "private_vc": 10,
    "guidance_fund": 10,
}

#: Largest share of SOE revenue one SOE agent may hold at the start (initial sizes are capped to it).
MAX_SOE_AGENT_SHARE = 0.05

# Shares of the research institutes' 2015 GERD by type of lab (assumption: institutes carry most of it).
LAB_BUDGET_SHARE = {"institute": 0.70, "state_key_lab": 0.15, "national_lab": 0.08, "new_type": 0.07}

# GDP, trillion yuan, DERIVED from the GERD rows of data/observed (GERD / intensity); 2017 interpolated.
GDP_TRILLION: dict[int, float] = {2015: 68.6, 2016: 74.3, 2017: 82.0, 2018: 89.9, 2019: 99.3, 2020: 101.6}

# 2015 calibration anchors (yuan per year), DERIVED from data/observed rows for 2015.
GERD_2015 = {"enterprise": 1.09e12, "institute": 213.65e9, "university": 99.86e9}
# Initial revenue of the model's firms (yuan per year): assumption chosen so that R&D intensities
# of 2.5% (SOE), 2% (private) and ~8% (SME) reproduce enterprise GERD 2015.
REVENUE_2015 = {"soe": 1.2e13, "private": 3.0e13, "sme": 1.1e12}
# Cost per FTE researcher-year (yuan), DERIVED: GERD by performer 2015 / assumed FTE split of 3.76 m.
FTE_COST = {"enterprise": 3.75e5, "institute": 5.3e5, "university": 2.8e5}
WAGE_SHARE = 0.5  # share of R&D spending paid as researchers' pay (assumption)
RESEARCHERS_ABROAD_2015 = 8e5  # research-track Chinese abroad (assumption; data: returnees 2019)
STUDENTS_2015 = 1.9e6  # research-track postgraduate students (assumption, order of 2015 enrolment)

# Research-type shares (basic, applied) by kind; development is the rest.
# Institutions' basic share moves between low and high with their share of stable funding.
BASIC_SHARE = {
    "soe": 0.004,
    "private": 0.002,
    "sme": 0.002,
    "university_low": 0.30,
    "university_high": 0.60,
    "lab_low": 0.10,
    "lab_high": 0.35,
}
APPLIED_SHARE = {"soe": 0.04, "private": 0.03, "sme": 0.02, "university": 0.5, "lab": 0.33}


def gdp(year: float, growth: float) -> float:
    """Nominal GDP in yuan per year for a (fractional) calendar year.

    Observed 2015-2020 (DERIVED), then compounding at ``growth``; interpolated within years.
    """
    first, last = min(GDP_TRILLION), max(GDP_TRILLION)
    y0 = int(np.floor(year))
    frac = year - y0

    def at(y: int) -> float:
        if y < first:
            return GDP_TRILLION[first] * (1.0 + growth) ** (y - first)
        if y <= last:
            return GDP_TRILLION[y]
        return GDP_TRILLION[last] * (1.0 + growth) ** (y - last)

    return 1e12 * (at(y0) * (1.0 - frac) + at(y0 + 1) * frac)
