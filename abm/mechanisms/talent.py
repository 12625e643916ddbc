"""Talent: enrolment and graduation, study abroad and return, retirement, mobility and hiring.

- Universities enrol research-track postgraduates; graduates go abroad, seek research jobs (join the
  pool of job-seekers) or take other jobs. ``phd_output`` sets how many of the job-seekers hold a
  doctorate, which raises research productivity.
- Researchers abroad return at ``returnee_rate`` per year (talent programmes, OUT:200, OUT:242).
- Researchers retire; job-seekers who find nothing leave for other jobs.
- Mobility: each quarter some researchers look around (``job_search_rate``); those at employers that
  pay less, offer fewer resources per researcher or less prestige leave more often, damped by
  ``mobility_friction`` (mutual recognition of research identities lowers it, SSF:397-400).
  Employers whose budgets shrank lay people off.
- Hiring: employers fill vacancies (budget-based target minus staff) from the pool; more attractive
  employers fill a larger share of theirs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from abm.contract import FLOW, STOCK, Mechanism, Output
from abm.kinds import N_KINDS, PERFORMERS, Kind, LabType
from abm.mechanisms.research import fte_cost

if TYPE_CHECKING:
    from abm.model import InnovationModel

STREAM = "talent"


def attractiveness(m: InnovationModel, slots: np.ndarray) -> np.ndarray:
    """Log attractiveness of employers: pay, resources per researcher and prestige."""
    s = m.s
    kind = s.kind[slots]
    pay = np.log(fte_cost(m, slots))
    res = np.log1p(s.rd_spend[slots] * 4.0 / np.maximum(s.researchers[slots], 0.1) / fte_cost(m, slots))
    p = m.params
    prestige = np.select([kind == k for k in PERFORMERS], [p[f"prestige_{k.label}"] for k in PERFORMERS], 0.0)
    national = (kind == Kind.LAB) & (s.subtype[slots] == LabType.NATIONAL_LAB)
    prestige = prestige + np.where(national, p["prestige_national_lab"], 0.0)
    prestige = prestige + np.where(kind == Kind.SME, 0.2 * s.quality[slots], 0.0)
    return pay + 0.5 * res + prestige


def step(m: InnovationModel) -> None:
    """Move people for this quarter."""
    p = m.params
    s = m.s
    acc = m.acc
    fl = m.flow
    emp = s.of_group(PERFORMERS)
    unis = emp[s.kind[emp] == Kind.UNIVERSITY]

    # enrolment and graduation
    intake = p["postgrad_intake"] / 4.0
    if unis.size:
        wt = s.weight[unis] * (s.researchers[unis] + 1.0)
        acc.move("enrolment", "enrolment", unis, intake * wt / wt.sum(), dst_stock="students")
        grads = s.weight[unis] * s.students[unis] / p["study_years"] / 4.0
        g_total = float(grads.sum())
        abroad = p["study_abroad_share"]
        seek = (1.0 - abroad) * p["research_entry_share"]
        phd = min(1.0, p["phd_output"] / 4.0 / max(g_total * seek, 1.0))
        acc.move("study_abroad", unis, "abroad", grads * abroad, src_stock="students")
        acc.move("graduate_to_research", unis, "pool", grads * seek, src_stock="students", phd_frac=phd)
        acc.move("graduate_to_other_jobs", unis, "other_jobs", grads * (1.0 - abroad - seek), src_stock="students")
        m.nation.abroad += g_total * abroad
        fl["graduates"] += g_total
        fl["phd_graduates"] += g_total * seek * phd
        fl["study_abroad"] += g_total * abroad
    # returnees
    nation = m.nation
    ret = nation.abroad * p["returnee_rate"] / 4.0
    if ret > 0:
        acc.move("return_from_abroad", "abroad", "pool", ret, phd_frac=p["returnee_phd_share"])
    nation.abroad = nation.abroad - ret - nation.abroad * p["abroad_settle_rate"] / 4.0
    fl["returnees"] += ret

    # retirement
    w = s.weight[emp]
    retire = w * s.researchers[emp] * p["retirement_rate"] / 4.0
    acc.move("retirement", emp, "retirement", retire)
    fl["retirements"] += float(retire.sum())

    # targets and layoffs
    target = s.rd_spend[emp] * 4.0 / fte_cost(m, emp)
    excess = np.maximum(s.researchers[emp] - p["staff_target_slack"] * target, 0.0)
    lay = w * excess * p["layoff_speed"]
    acc.move("layoff", emp, "pool", lay)
    # mobility toward attractive employers
    a = attractiveness(m, emp)
    abar = float(np.average(a, weights=w * (s.researchers[emp] + 1e-9)))
    leave_p = p["job_search_rate"] * (1.0 - p["mobility_friction"]) * 2.0 / (1.0 + np.exp(-2.0 * (abar - a)))
    movers = w * s.researchers[emp] * np.clip(leave_p, 0.0, 1.0)
    acc.move("job_change_out", emp, "pool", movers)
    fl["job_moves"] += float(movers.sum())
    fl["mobility_out_by_kind"] += np.bincount(s.kind[emp], movers, minlength=N_KINDS)

    # hiring from the pool
    vac = w * np.maximum(target - s.researchers[emp], 0.0)
    vtot = float(vac.sum())
    avail = acc.pool * p["hire_speed"]
    if vtot > 0 and avail > 0:
        total = min(avail, vtot)
        e = np.exp(np.clip(a - abar, -5, 5))
        lo, hi = 0.0, 1.0
        while float(np.sum(vac * np.minimum(1.0, hi * e))) < total and hi < 1e12:
            hi *= 2.0
        for _ in range(40):
            mid = 0.5 * (lo + hi)
            if float(np.sum(vac * np.minimum(1.0, mid * e))) < total:
                lo = mid
            else:
                hi = mid
        hires = vac * np.minimum(1.0, hi * e)
        hires *= total / max(float(hires.sum()), 1e-300)
        acc.move("hire", "pool", emp, hires)
        fl["hires_by_kind"] += np.bincount(s.kind[emp], hires, minlength=N_KINDS)
        fl["hires"] += total
    # job-seekers who give up
    out = acc.pool * p["pool_exit_rate"]
    if out > 0:
        acc.move("pool_to_other_jobs", "pool", "other_jobs", out)


def _students(m: InnovationModel) -> float:
    s = m.s
    n = s.n
    return float(np.sum((s.weight[:n] * s.students[:n])[s.alive[:n]]))


CONTRACT = Mechanism(
    name="talent",
    stream=STREAM,
    step=step,
    doc="Enrolment and graduation, study abroad and return, retirement, layoffs, mobility and hiring.",
    outputs=(
        Output("graduates", "persons", FLOW, "Research-track postgraduates graduating."),
        Output("phd_graduates", "persons", FLOW, "Doctoral graduates who seek research jobs."),
        Output("study_abroad", "persons", FLOW, "Graduates who go abroad."),
        Output("returnees", "persons", FLOW, "Researchers who return from abroad."),
        Output("retirements", "persons", FLOW, "Researchers who retire."),
        Output("job_moves", "persons", FLOW, "Researchers who leave their employer for the job-seekers' pool."),
        Output("hires", "persons", FLOW, "Researchers hired from the pool."),
        Output(
            "hires_{}",
            "persons",
            FLOW,
            "Researchers hired by this kind of employer.",
            per="performer",
            key="hires_by_kind",
        ),
        Output(
            "job_leavers_{}",
            "persons",
            FLOW,
            "Researchers leaving this kind of employer to look for a job.",
            per="performer",
            key="mobility_out_by_kind",
        ),
        Output(
            "pool",
            "persons",
            STOCK,
            "Researchers between jobs (job-seekers' pool).",
            measure=lambda m: float(m.acc.pool),
        ),
        Output("students", "persons", STOCK, "Research-track postgraduate students.", measure=_students),
        Output(
            "researchers_abroad",
            "persons",
            STOCK,
            "Research-track Chinese abroad.",
            measure=lambda m: float(m.nation.abroad),
        ),
    ),
)
