"""Talent: enrolment and graduation, study abroad and return, retirement, mobility and hiring.

- Universities enrol research-track postgraduates; graduates go abroad, seek research jobs (join the
  pool of job-seekers) or take other jobs. ``phd_output`` sets how many of the job-seekers hold a
  doctorate, which raises research productivity.
- Researchers abroad return at ``returnee_rate`` per year (talent programmes, OUT:200, OUT:242).
- Researchers retire; job-seekers who find nothing leave for other jobs.
- A labour market with direct job-to-job moves. Each quarter some researchers look around
  (``job_search_rate``); those at employers that pay less, offer fewer resources per researcher or
  less prestige look more often, damped by ``mobility_friction`` (mutual recognition of research
  identities lowers it, SSF:397-400). Searchers and the job-seekers of the pool (graduates,
  returnees, people laid off) compete for the vacancies (budget-based target minus staff); more
  attractive employers fill a larger share of theirs. A searcher who finds a job moves straight to
  the new employer; one who finds nothing stays where they are, so mobility loses nobody. Employers
  whose budgets shrank lay people off into the pool; job-seekers who find nothing for long leave for
  other jobs (``pool_exit_rate``).
- Wages by field: a field's pay index rises while its unfilled vacancies (per researcher) exceed the
  job-seekers left (per researcher), and falls otherwise (``wage_adjustment``). Pay enters what an
  FTE costs (so scarcity makes research dearer and closes vacancies) and employers' attractiveness.
- People carry knowledge (abm.components): a researcher who moves takes the tacit part colleagues do
  not keep (``leaver_knowledge_loss``) of what the sender knows, and raises the receiver's capability
  (``embodied_knowledge``) in each component where the newcomer knows more; graduates bring their university's know-how into the
  job-seekers' pool (doctoral training creates expertise), returnees ``returnee_expertise``, people
  laid off their employer's; hires from the pool bring the pool's expertise in the employer's field.
- Dual appointments (SSF:397-400) are a mechanism of their own (abm.mechanisms.dual): appointees stay on
  their institution's staff and lend part of their time to a firm.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from abm.components import COMPONENT_FIELD, N_COMPONENTS, OF_FIELD, per_component, take_rows
from abm.contract import FLOW, STOCK, Mechanism, Output
from abm.fields import N_FIELDS
from abm.kinds import N_KINDS, PERFORMERS, Kind, LabType
from abm.mechanisms.research import fte_cost
from abm.mechanisms.supply import sync_know
from abm.sampling import sorted_union
from abm.state import slot_groups

if TYPE_CHECKING:
    from abm.model import InnovationModel

STREAM = "talent"


def attractiveness(m: InnovationModel, slots: np.ndarray) -> np.ndarray:
    """Log attractiveness of employers: pay, resources per researcher and prestige."""
    s = m.s
    kind = s.kind[slots]
    cost = fte_cost(m, slots)
    pay = np.log(cost)
    res = np.log1p(s.rd_spend[slots] * 4.0 / np.maximum(s.researchers[slots], 0.1) / cost)
    p = m.params
    of_kind = np.zeros(N_KINDS)  # prestige by kind (0 for kinds that employ no researchers), looked up per slot
    for k in PERFORMERS:
        of_kind[k] = p[f"prestige_{k.label}"]
    prestige = of_kind[kind]
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
        # graduates bring their university's know-how into the pool (PhD training creates expertise)
        _pool_inflow(m, unis, grads * seek, take_rows(s.know_c, unis))
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
        # returnees bring frontier know-how in every field (split by the fields' shares of researchers)
        pool_c = _pool_by_component(m)
        arrive = (
            ret * pool_c / max(float(m.acc.pool), 1e-9) if m.acc.pool > 0 else np.full(N_COMPONENTS, ret / N_FIELDS)
        )
        mix = _arrival_share(m, arrive)
        m.comp.pool_know = (1.0 - mix) * m.comp.pool_know + mix * p["returnee_expertise"]
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
    _pool_inflow(m, emp, lay, take_rows(s.know_c, emp))
    _carry_out(m, emp, lay)
    acc.move("layoff", emp, "pool", lay)
    vac = w * np.maximum(target - s.researchers[emp], 0.0)
    a = attractiveness(m, emp)
    abar = float(np.average(a, weights=w * (s.researchers[emp] + 1e-9)))

    # on-the-job search: researchers at less attractive employers look around more often
    leave_p = p["job_search_rate"] * (1.0 - p["mobility_friction"]) * 2.0 / (1.0 + np.exp(-2.0 * (abar - a)))
    searchers = w * s.researchers[emp] * np.clip(leave_p, 0.0, 1.0)
    seekers = float(acc.pool) * p["hire_speed"]
    hires = _fill(vac, np.exp(np.clip(a - abar, -5, 5)), float(searchers.sum()) + seekers)
    filled = float(hires.sum())
    if filled > 0:
        # searchers and job-seekers find jobs at the same rate; a searcher who finds nothing stays
        rate = filled / (float(searchers.sum()) + seekers)
        movers = searchers * rate
        from_pool = seekers * rate
        to_movers = hires * (1.0 - from_pool / filled)
        _direct_moves(m, emp, movers, to_movers)
        _hire_expertise(m, emp, hires - to_movers)
        acc.move("hire", "pool", emp, hires - to_movers)
        moved = float(movers.sum())
        fl["job_moves"] += moved
        fl["mobility_out_by_kind"] += np.bincount(s.kind[emp], movers, minlength=N_KINDS)
        fl["hires_by_kind"] += np.bincount(s.kind[emp], hires - to_movers, minlength=N_KINDS)
        fl["hires"] += from_pool
    _wages(m, emp, vac - hires)
    # job-seekers who give up
    out = acc.pool * p["pool_exit_rate"]
    if out > 0:
        acc.move("pool_to_other_jobs", "pool", "other_jobs", out)


def _carry(m: InnovationModel, src: np.ndarray, dst: np.ndarray, amount: np.ndarray) -> None:
    """Researchers moving from ``src`` to ``dst`` (slot pairs, ``amount`` real persons) carry expertise:
    the sender loses ``leaver_knowledge_loss`` x the share of its staff who left of its capability
    (the tacit part colleagues do not keep); the receiver gains, per component, as far as the newcomers know
    more than it does (weighted by their share of its staff after the move). Call before the move.
    """
    s = m.s
    phi = m.params["embodied_knowledge"]
    if phi <= 0 or src.size == 0:
        return
    staff_src = np.maximum(s.weight[src] * s.researchers[src], 1e-9)
    q_out = np.minimum(amount / staff_src, 1.0)
    touched, inv = slot_groups(np.concatenate([src, dst]), s.n)
    i_src, i_dst = inv[: src.size], inv[src.size :]
    nt = touched.size
    lose = m.params["leaver_knowledge_loss"]
    # per component column (gathers from the touched rows only, no (pairs x K) temporaries):
    # loss = sum over pairs of lose q_out k_src; better = sum of amount x max(k_src - k_dst, 0)
    # (receivers: newcomers' expertise above the receiver's, weighted by their share of its staff)
    k_cols = np.ascontiguousarray(take_rows(s.know_c, touched).T)
    q_lose = lose * q_out
    loss = np.empty((nt, k_cols.shape[0]))
    better = np.empty_like(loss)
    for j, col in enumerate(k_cols):
        k_src = col[i_src]
        loss[:, j] = np.bincount(i_src, q_lose * k_src, minlength=nt)
        d = k_src - col[i_dst]
        np.maximum(d, 0.0, out=d)
        d *= amount
        better[:, j] = np.bincount(i_dst, d, minlength=nt)
    arrived = np.bincount(i_dst, amount, minlength=nt)
    staff = s.weight[touched] * np.maximum(s.researchers[touched], 0.0) + arrived
    add = phi * better / np.maximum(staff, 1e-9)[:, None]
    k = take_rows(s.know_c, touched)
    s.know_c[touched] = np.maximum(k - np.minimum(loss, lose * k), 0.0) + add
    sync_know(m, touched)


def _pool_inflow(m: InnovationModel, slots: np.ndarray, persons: np.ndarray, expertise: np.ndarray) -> None:
    """People entering the job-seekers' pool bring expertise in their field's components (``expertise``
    rows aligned with ``slots``' fields): the pool's expertise per component is their running mix.
    """
    cidx = take_rows(OF_FIELD, m.s.field[slots])
    inflow = per_component(cidx, persons[:, None])
    know_in = per_component(cidx, persons[:, None] * expertise)
    mix = _arrival_share(m, inflow)
    c = m.comp
    c.pool_know = np.where(
        inflow > 0, (1.0 - mix) * c.pool_know + mix * know_in / np.maximum(inflow, 1e-300), c.pool_know
    )


def _arrival_share(m: InnovationModel, arrive: np.ndarray) -> np.ndarray:
    """Share of each component's job-seekers who are among ``arrive`` newcomers (after they join):
    the weight of their expertise in the pool's head-count mix.
    """
    return arrive / np.maximum(_pool_by_component(m) + arrive, 1e-9)


def _pool_by_component(m: InnovationModel) -> np.ndarray:
    """Job-seekers per component's field: the pool split by the fields' shares of researchers."""
    s = m.s
    emp = s.of_group(PERFORMERS)
    staff = np.bincount(s.field[emp], s.weight[emp] * s.researchers[emp], minlength=N_FIELDS)
    share = staff / max(float(staff.sum()), 1e-9)
    return float(m.acc.pool) * share[COMPONENT_FIELD]


def _carry_out(m: InnovationModel, slots: np.ndarray, persons: np.ndarray) -> None:
    """People leaving for the pool take the embodied share of their employer's know-how with them."""
    lose = m.params["leaver_knowledge_loss"]
    s = m.s
    out = persons > 0
    if lose <= 0 or not out.any():
        return
    e = slots[out]
    q = np.minimum(persons[out] / np.maximum(s.weight[e] * s.researchers[e], 1e-9), 1.0)
    s.know_c[e] *= 1.0 - lose * q[:, None]
    sync_know(m, e)


def _hire_expertise(m: InnovationModel, emp: np.ndarray, hires: np.ndarray) -> None:
    """Hires from the pool bring the pool's expertise in the employer's components."""
    phi = m.params["embodied_knowledge"]
    s = m.s
    take = hires > 0
    if phi <= 0 or not take.any():
        return
    e, h = emp[take], hires[take]
    pool_k = m.comp.pool_know[take_rows(OF_FIELD, s.field[e])]
    share = (h / (s.weight[e] * np.maximum(s.researchers[e], 0.0) + h))[:, None]
    s.know_c[e] += phi * share * np.maximum(pool_k - take_rows(s.know_c, e), 0.0)
    sync_know(m, e)


def _fill(vac: np.ndarray, appeal: np.ndarray, seekers: float) -> np.ndarray:
    """Hires per employer when ``seekers`` persons look for jobs: more attractive employers fill a
    larger share of their vacancies (share = min(1, c x appeal), c set so the hires add up).
    """
    vtot = float(vac.sum())
    if vtot <= 0 or seekers <= 0:
        return np.zeros_like(vac)
    total = min(seekers, vtot)
    buf = np.empty(vac.shape)

    def hired(c: float) -> float:
        """sum(vac x min(1, c x appeal)), in one work array (the bisection evaluates it some 45 times)."""
        np.multiply(appeal, c, out=buf)
        np.minimum(buf, 1.0, out=buf)
        np.multiply(buf, vac, out=buf)
        return float(buf.sum())

    lo, hi = 0.0, 1.0
    while hired(hi) < total and hi < 1e12:
        hi *= 2.0
    for _ in range(40):
        mid = 0.5 * (lo + hi)
        if hired(mid) < total:
            lo = mid
        else:
            hi = mid
    hires = vac * np.minimum(1.0, hi * appeal)
    return hires * (total / max(float(hires.sum()), 1e-300))


def _direct_moves(m: InnovationModel, emp: np.ndarray, out: np.ndarray, into: np.ndarray) -> None:
    """Move ``out`` persons from each employer straight to employers taking ``into`` persons (the two
    add up): a random matching of leavers to vacancies, as pairs (each mover keeps their doctorate).
    """
    rng = m.streams[STREAM]
    src = emp[out > 0]
    dst = emp[into > 0]
    if not src.size or not dst.size:
        return
    so = rng.permutation(src.size)
    do = rng.permutation(dst.size)
    src, o = src[so], out[out > 0][so]
    dst, i = dst[do], into[into > 0][do]
    cs, cd = np.cumsum(o), np.cumsum(i)
    cd *= cs[-1] / cd[-1]
    cuts = sorted_union(cs, cd)
    cuts = cuts[cuts > 0]
    amount = np.diff(np.concatenate([[0.0], cuts]))
    mid = cuts - 0.5 * amount
    a = np.minimum(np.searchsorted(cs, mid), src.size - 1)
    b = np.minimum(np.searchsorted(cd, mid), dst.size - 1)
    keep = amount > 0
    _carry(m, src[a[keep]], dst[b[keep]], amount[keep])
    m.acc.move("job_to_job", src[a[keep]], dst[b[keep]], amount[keep])


def _wages(m: InnovationModel, emp: np.ndarray, unfilled: np.ndarray) -> None:
    """Pay per field rises with the field's unfilled vacancies and falls with the job-seekers left
    (both per researcher employed): d log wage = wage_adjustment x (vacancy rate - seeker rate).
    """
    s = m.s
    f = s.field[emp]
    staff = np.bincount(f, s.weight[emp] * s.researchers[emp], minlength=N_FIELDS)
    total = max(float(staff.sum()), 1e-9)
    vac_rate = np.bincount(f, np.maximum(unfilled, 0.0), minlength=N_FIELDS) / np.maximum(staff, 1e-9)
    seek_rate = float(m.acc.pool) / total
    gap = np.clip(vac_rate, 0.0, 1.0) - min(seek_rate, 1.0)
    m.world.wage = m.world.wage * np.exp(m.params["wage_adjustment"] * np.where(staff > 0, gap, 0.0))


def _students(m: InnovationModel) -> float:
    s = m.s
    n = s.n
    return float(np.sum((s.weight[:n] * s.students[:n])[s.alive[:n]]))


CONTRACT = Mechanism(
    name="talent",
    stream=STREAM,
    step=step,
    doc="Enrolment and graduation, study abroad and return, retirement, layoffs, a labour market with direct job-to-job moves and wages by field.",
    outputs=(
        Output("graduates", "persons", FLOW, "Research-track postgraduates graduating."),
        Output("phd_graduates", "persons", FLOW, "Doctoral graduates who seek research jobs."),
        Output("study_abroad", "persons", FLOW, "Graduates who go abroad."),
        Output("returnees", "persons", FLOW, "Researchers who return from abroad."),
        Output("retirements", "persons", FLOW, "Researchers who retire."),
        Output("job_moves", "persons", FLOW, "Researchers who move directly from one employer to another."),
        Output("hires", "persons", FLOW, "Job-seekers hired from the pool (graduates, returnees, people laid off)."),
        Output(
            "hires_{}",
            "persons",
            FLOW,
            "Job-seekers hired from the pool by this kind of employer.",
            per="performer",
            key="hires_by_kind",
        ),
        Output(
            "job_leavers_{}",
            "persons",
            FLOW,
            "Researchers leaving this kind of employer for another employer.",
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
        Output(
            "wage_{}",
            "index (1 = 2015)",
            STOCK,
            "Researcher pay in this field relative to 2015 (beyond nominal GDP growth).",
            per="field",
            measure=lambda m: m.world.wage,
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
