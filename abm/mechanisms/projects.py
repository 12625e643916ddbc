"""Research projects: funders finance projects, performers choose their risk, funders renew or drop them.

Each performer runs one project per funding channel that pays for its research (abm.kinds.Funder:
central stable, central project, local, mission, enterprise's own money, venture capital). A project
has a budget (the channel's share of the performer's R&D), a start, a duration (the channel's
evaluation cycle), a risk (the share of its effort put into a risky line; the rest is safe,
incremental work) and, when it ends, an outcome: breakthrough, incremental gain or failure.

Choice of risk (at the start of a fresh line). A risky line yields breakthroughs only once it has
matured (rate x (1 - exp(-age / gestation))); a safe line yields incremental gains at once. Judged at
the end of a cycle of H quarters, a risky line is worth ``risk_return`` x its mean maturity over the
cycle, a safe one 1; a risky project without a breakthrough is judged a failure, and a failed project
loses its funding with the channel's penalty (``project_failure_penalty`` for competitive funders,
``stable_failure_penalty`` for stable funding). The performer picks the risk share
r = logistic((risk_return x maturity(H) - 1 - penalty) / noise + N(0, 1)): short, strictly judged
cycles make safe projects pay (MP:86-88: project funding over 70%, 3-5 year evaluation cycles; of 113
firms surveyed 94 prefer 3-5 year horizons and 14 more than 10 years, MP:115-117); long, lenient
stable funding makes risky ones pay.

End of a cycle. The outcome is drawn: breakthrough if the project's line produced one during the
cycle (probability min(1, breakthroughs per real actor)), else failure with probability r, else
incremental. A project is renewed (the same line goes on, keeping its maturity and risk) unless it
failed and the funder drops it (probability = the channel's penalty) or the channel stopped paying;
otherwise a fresh line starts with a newly chosen risk and no maturity.

The research mechanism (abm.mechanisms.research) draws each project's breakthroughs from its risky
effort and maturity, and the safe effort adds to incremental progress; nothing multiplies outcomes by
the stable or project share. Neutral risk parameters (stable horizon = project cycle, stable penalty
= project penalty) make the channels identical, so the stable/project mix then matters only through
who gets the money.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from abm.components import row_sums, take_pairs, take_rows
from abm.contract import FLOW, STOCK, Mechanism, Output
from abm.kinds import INSTITUTIONS, N_FUNDERS, PERFORMERS, Funder, Kind, ProjectOutcome, in_group

if TYPE_CHECKING:
    from abm.model import InnovationModel

STREAM = "projects"
#: Channels paying less than this share of a performer's research run no project of their own.
MIN_SHARE = 0.02
_COLUMNS = (
    "perf",
    "uid",
    "funder",
    "budget",
    "share",
    "start",
    "line_start",
    "duration",
    "risk",
    "bt",
    "outcome",
    "quality",
    "weight",
)


class Projects:
    """Growable table of research projects (one row per project of an agent, standing for its weight
    of real projects) and the index of each performer's active project per funder.

    Columns: perf (slot), uid (the performer's agent id, to detect slot reuse), funder
    (abm.kinds.Funder), budget (yuan per quarter per actor, last quarter), share (share of the
    performer's R&D), start (step), line_start (step the research line began; renewals keep it),
    duration (quarters), risk (share of effort in the risky line), bt (breakthroughs per actor during
    the project), outcome (abm.kinds.ProjectOutcome), quality (true quality of the proposal that won
    the grant paying the project, abm.mechanisms.funding; 1 for funders that hold no calls), weight
    (real projects the row stands for when it started, :func:`real_projects`).
    """

    def __init__(self) -> None:
        self.n = 0
        cap = 1024
        self.perf = np.zeros(cap, dtype=np.int64)
        self.uid = np.zeros(cap, dtype=np.int64)
        self.funder = np.zeros(cap, dtype=np.int64)
        self.budget = np.zeros(cap)
        self.share = np.zeros(cap)
        self.start = np.zeros(cap, dtype=np.int64)
        self.line_start = np.zeros(cap, dtype=np.int64)
        self.duration = np.zeros(cap, dtype=np.int64)
        self.risk = np.zeros(cap)
        self.bt = np.zeros(cap)
        self.outcome = np.zeros(cap, dtype=np.int8)
        self.quality = np.ones(cap)
        self.weight = np.zeros(cap)
        self.active = np.full((0, N_FUNDERS), -1, dtype=np.int64)  # slot x funder -> row (-1: none)
        self._running: np.ndarray | None = None  # rows of active projects, until a project starts or ends

    def add(self, **cols: np.ndarray) -> np.ndarray:
        """Append projects (one array per column except bt and outcome); returns their rows."""
        k = int(np.size(cols["perf"]))
        if self.n + k > self.perf.size:
            new = max(self.n + k, 2 * self.perf.size)
            for name in _COLUMNS:
                old = getattr(self, name)
                arr = np.zeros(new, dtype=old.dtype)
                arr[: self.n] = old[: self.n]
                setattr(self, name, arr)
        rows = np.arange(self.n, self.n + k)
        for name, value in cols.items():
            getattr(self, name)[rows] = value
        self.bt[rows] = 0.0
        self.quality[rows] = 1.0
        self.outcome[rows] = ProjectOutcome.ACTIVE
        self.n += k
        self._running = None
        return rows

    def end(self, rows: np.ndarray, outcome: np.ndarray | int) -> None:
        """Set the outcome of ended projects (the only write of ``outcome`` besides :meth:`add`)."""
        self.outcome[rows] = outcome
        self._running = None

    def index(self, capacity: int) -> np.ndarray:
        """The slot x funder index, grown to the state's capacity."""
        if self.active.shape[0] < capacity:
            grown = np.full((capacity, N_FUNDERS), -1, dtype=np.int64)
            grown[: self.active.shape[0]] = self.active
            self.active = grown
        return self.active

    def running(self) -> np.ndarray:
        """Rows of active projects (read-only; kept until a project starts or ends: a quarter asks often and
        the table holds every project ever run).
        """
        if self._running is None:
            self._running = np.flatnonzero(self.outcome[: self.n] == ProjectOutcome.ACTIVE)
            self._running.setflags(write=False)
        return self._running


def channel_shares(m: InnovationModel, perf: np.ndarray) -> np.ndarray:
    """Share of each performer's research paid by each funder (rows sum to 1), from last quarter's money."""
    s = m.s
    out = np.zeros((perf.size, N_FUNDERS))
    fr = np.stack([s.stable_frac[perf], s.project_frac[perf], s.local_frac[perf], s.mission_frac[perf]], axis=1)
    tot = row_sums(fr)
    pub_split = np.where(tot[:, None] > 0, fr / np.where(tot > 0, tot, 1.0)[:, None], 0.0)
    inst = in_group(s.kind[perf], INSTITUTIONS)
    gov = np.maximum(s.gov_in[perf], 0.0)
    # institutions: public money against contract income; firms: public money against their R&D budget
    denom = np.where(inst, gov + np.maximum(s.contract_in[perf], 0.0), np.maximum(s.rd_budget[perf], gov))
    pub = np.where(denom > 0, gov / np.where(denom > 0, denom, 1.0), np.where(inst, 1.0, 0.0))
    pub = np.where(tot > 0, pub, 0.0)
    sme = s.kind[perf] == Kind.SME
    burn = m.params["sme_equity_burn"] * np.maximum(s.equity_stock[perf], 0.0)
    vc = np.where(sme & (s.rd_budget[perf] > 0), burn / np.where(s.rd_budget[perf] > 0, s.rd_budget[perf], 1.0), 0.0)
    vc = np.clip(vc, 0.0, 1.0 - pub)
    out[:, : Funder.MISSION + 1] = pub[:, None] * pub_split
    out[:, Funder.VC] = vc
    out[:, Funder.ENTERPRISE] = np.clip(1.0 - pub - vc, 0.0, 1.0)
    rs = row_sums(out)
    out[rs <= 0, Funder.ENTERPRISE] = 1.0
    return out / np.maximum(row_sums(out), 1e-12)[:, None]


def _funded(raw: np.ndarray, running: np.ndarray) -> np.ndarray:
    """Channels that run a project: a new one needs MIN_SHARE of the performer's research, a running
    one goes on above a quarter of that (so that a share near the threshold does not flicker); the
    shares of the funded channels are renormalised (a performer's own money takes the rest).
    """
    keep = np.where(running, raw >= 0.25 * MIN_SHARE, raw >= MIN_SHARE)
    out = np.where(keep, raw, 0.0)
    none = row_sums(out) <= 0
    out[none, Funder.ENTERPRISE] = 1.0
    return out / row_sums(out)[:, None]


def horizons(m: InnovationModel, perf: np.ndarray) -> np.ndarray:
    """Planning horizon (quarters, >= 1) of a project of each funder for each performer."""
    p = m.params
    s = m.s
    years = np.empty((perf.size, N_FUNDERS))
    years[:, Funder.CENTRAL_STABLE] = p["stable_horizon_years"]
    years[:, Funder.CENTRAL_PROJECT] = p["project_cycle_years"]
    years[:, Funder.LOCAL] = p["project_cycle_years"]
    years[:, Funder.MISSION] = max(float(p["mission_years"]), p["project_cycle_years"])
    lh = (s.kind[perf] == Kind.PRIVATE) & (s.long_horizon[perf] == 1)
    years[:, Funder.ENTERPRISE] = np.where(lh, p["private_long_horizon_years"], p["enterprise_horizon_years"])
    years[:, Funder.VC] = p["vc_horizon_years"]
    return np.maximum(np.rint(4.0 * years), 1).astype(np.int64)


def penalties(m: InnovationModel) -> np.ndarray:
    """Probability that a failed project of each funder is dropped at its evaluation."""
    p = m.params
    pen = np.full(N_FUNDERS, p["project_failure_penalty"])
    pen[Funder.CENTRAL_STABLE] = p["stable_failure_penalty"]
    return pen


def mean_maturity(m: InnovationModel, horizon: np.ndarray) -> np.ndarray:
    """Mean maturity 1 - exp(-age / G) of a fresh risky line over its first ``horizon`` quarters."""
    g = 4.0 * m.params["risk_gestation_years"]
    h = np.maximum(horizon.astype(float), 1.0)
    return 1.0 - g / h * (1.0 - np.exp(-h / g))


def maturity(m: InnovationModel, rows: np.ndarray) -> np.ndarray:
    """Maturity of the risky line of each project now (age counted from the line's start)."""
    g = 4.0 * m.params["risk_gestation_years"]
    age = np.maximum(m.steps - m.projects.line_start[rows], 0)
    return 1.0 - np.exp(-age / g)


def choose_risk(m: InnovationModel, horizon: np.ndarray, funder: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Risk share chosen for fresh projects: logistic in the expected gain of risk over safety."""
    p = m.params
    gain = p["risk_return"] * mean_maturity(m, horizon) - 1.0 - penalties(m)[funder]
    noise = p["risk_choice_noise"]
    z = gain / max(noise, 1e-6) + rng.standard_normal(horizon.size) if noise > 0 else np.sign(gain) * 50.0
    return 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))


def real_projects(m: InnovationModel, perf: np.ndarray, funder: np.ndarray) -> np.ndarray:
    """Real projects a project row stands for: its performer's weight, times the share of the performer's
    real actors holding a grant of the funder where the funder awards grants in calls (an agent's call
    project stands for its real actors' grants, not for all of them).
    """
    return m.s.weight[perf] * m.grants.held_share(perf, funder)


def _start(m: InnovationModel, perf: np.ndarray, funder: np.ndarray, line_start: np.ndarray, risk: np.ndarray) -> None:
    s = m.s
    pr = m.projects
    hz = take_pairs(horizons(m, perf), np.arange(perf.size), funder)
    rows = pr.add(
        perf=perf,
        uid=s.uid[perf],
        funder=funder,
        budget=0.0,
        share=0.0,
        start=m.steps,
        line_start=line_start,
        duration=hz,
        risk=risk,
        weight=real_projects(m, perf, funder),
    )
    pr.active[perf, funder] = rows
    w = pr.weight[rows]
    m.flow["projects_started"] += np.bincount(funder, w, minlength=N_FUNDERS)
    m.flow["project_years_started"] += float(np.sum(w * hz / 4.0))


def init_projects(m: InnovationModel) -> None:
    """Projects at the start: one per channel of every performer, at a random point of its cycle."""
    s = m.s
    m.projects = Projects()
    pr = m.projects
    pr.index(s.capacity)
    rng = m.streams[STREAM]
    perf = s.of_group(PERFORMERS)
    sh = _funded(channel_shares(m, perf), np.zeros((perf.size, N_FUNDERS), dtype=bool))
    i, f = np.nonzero(sh > 0)
    slots = perf[i]
    hz = horizons(m, slots)[np.arange(slots.size), f]
    risk = choose_risk(m, hz, f, rng)
    age = np.floor(rng.random(slots.size) * hz).astype(np.int64)
    rows = pr.add(
        perf=slots,
        uid=s.uid[slots],
        funder=f,
        budget=0.0,
        share=sh[i, f],
        start=-age,
        line_start=-age,
        duration=hz,
        risk=risk,
        weight=s.weight[slots],  # every real performer has one project per channel at the start
    )
    pr.active[slots, f] = rows
    _update_risk(m)


def _update_risk(m: InnovationModel) -> None:
    """Performers' share of effort in risky lines (the research mechanism reads it)."""
    s = m.s
    pr = m.projects
    n = s.n
    rows = pr.running()
    s.risk[:n] = 0.0
    np.add.at(s.risk, pr.perf[rows], pr.share[rows] * pr.risk[rows])


def team_quality(m: InnovationModel, slots: np.ndarray) -> np.ndarray:
    """Quality of a performer's research team: capability x (0.5 + track record) x (1 + doctoral share),
    relative to the country's researcher-weighted mean (1 = the mean researcher).
    """
    s = m.s
    perf = s.of_group(PERFORMERS)

    def base(x: np.ndarray) -> np.ndarray:
        return np.maximum(s.know[x], 1e-6) * (0.5 + s.track_record[x]) * (1.0 + s.phd_share[x])

    wt = s.weight[perf] * np.maximum(s.researchers[perf], 0.0)
    ref = float(np.sum(wt * base(perf)) / max(float(np.sum(wt)), 1e-12))
    return base(slots) / max(ref, 1e-12)


#: Score of an ended project in its performer's track record, by outcome.
TRACK_SCORE = {ProjectOutcome.FAILURE: 0.0, ProjectOutcome.INCREMENTAL: 0.5, ProjectOutcome.BREAKTHROUGH: 1.0}


def _track_record(m: InnovationModel, perf: np.ndarray, outcome: np.ndarray) -> None:
    """Move each performer's track record toward the mean score of its projects that ended judged."""
    s = m.s
    score = np.full(outcome.size, np.nan)
    for oc, v in TRACK_SCORE.items():
        score[outcome == oc] = v
    judged = ~np.isnan(score)
    if not judged.any():
        return
    cnt = np.bincount(perf[judged], minlength=s.capacity)
    tot = np.bincount(perf[judged], score[judged], minlength=s.capacity)
    who = np.flatnonzero(cnt > 0)
    a = 1.0 - (1.0 - m.params["track_record_memory"]) ** cnt[who]
    s.track_record[who] = (1.0 - a) * s.track_record[who] + a * tot[who] / cnt[who]


def _end(m: InnovationModel, rows: np.ndarray, outcome: np.ndarray) -> None:
    pr = m.projects
    pr.end(rows, outcome)
    pr.active[pr.perf[rows], pr.funder[rows]] = -1
    w = real_projects(m, pr.perf[rows], pr.funder[rows])
    fl = m.flow
    fl["project_breakthroughs"] += np.bincount(pr.funder[rows], w * pr.bt[rows], minlength=N_FUNDERS)
    _track_record(m, pr.perf[rows], outcome)
    for oc, key in (
        (ProjectOutcome.FAILURE, "projects_failed"),
        (ProjectOutcome.INCREMENTAL, "projects_incremental"),
        (ProjectOutcome.BREAKTHROUGH, "projects_breakthrough"),
        (ProjectOutcome.ABANDONED, "projects_abandoned"),
    ):
        fl[key] += float(np.sum(w[outcome == oc]))


def step(m: InnovationModel) -> None:
    """End projects whose cycle is over, renew or drop them, and start projects for new money."""
    s = m.s
    pr = m.projects
    rng = m.streams[STREAM]
    act = pr.index(s.capacity)
    rows = pr.running()
    unbound = rows[pr.uid[rows] < 0]  # projects set up before the agents were made
    pr.uid[unbound] = s.uid[pr.perf[unbound]]
    # projects of dead performers (or of a reused slot) end abandoned
    gone = rows[~s.alive[pr.perf[rows]] | (s.uid[pr.perf[rows]] != pr.uid[rows])]
    if gone.size:
        pr.end(gone, ProjectOutcome.ABANDONED)
        w = pr.weight[gone]  # the slot's grants are gone with it: the real projects at their start
        m.flow["projects_abandoned"] += float(np.sum(w))
        m.flow["project_breakthroughs"] += np.bincount(pr.funder[gone], w * pr.bt[gone], minlength=N_FUNDERS)
        mine = act[pr.perf[gone], pr.funder[gone]] == gone
        act[pr.perf[gone][mine], pr.funder[gone][mine]] = -1
    perf = s.of_group(PERFORMERS)
    sh = _funded(channel_shares(m, perf), take_rows(act, perf) >= 0)
    share_of = np.zeros((s.capacity, N_FUNDERS))
    share_of[perf] = sh
    rows = pr.running()
    # end of cycle: outcome and renewal
    due = rows[m.steps - pr.start[rows] >= pr.duration[rows]]
    if due.size:
        w = real_projects(m, pr.perf[due], pr.funder[due])
        p_bt = np.minimum(pr.bt[due], 1.0)
        u = rng.random(due.size)
        outcome = np.where(
            u < p_bt,
            ProjectOutcome.BREAKTHROUGH,
            np.where(u < p_bt + (1.0 - p_bt) * pr.risk[due], ProjectOutcome.FAILURE, ProjectOutcome.INCREMENTAL),
        ).astype(np.int8)
        _end(m, due, outcome)
        paid = take_pairs(share_of, pr.perf[due], pr.funder[due]) > 0
        dropped = (outcome == ProjectOutcome.FAILURE) & (rng.random(due.size) < penalties(m)[pr.funder[due]])
        renew = due[paid & ~dropped]
        m.flow["projects_renewed"] += float(np.sum(w[paid & ~dropped]))
        if renew.size:
            _start(m, pr.perf[renew], pr.funder[renew], pr.line_start[renew], pr.risk[renew])
    # channels that stopped paying: the project is abandoned
    rows = pr.running()
    stopped = rows[take_pairs(share_of, pr.perf[rows], pr.funder[rows]) <= 0]
    if stopped.size:
        _end(m, stopped, np.full(stopped.size, ProjectOutcome.ABANDONED, dtype=np.int8))
    # channels that pay and run no project: a fresh line
    i, f = np.nonzero((sh > 0) & (take_rows(act, perf) < 0))
    if i.size:
        slots = perf[i]
        hz = take_pairs(horizons(m, slots), np.arange(slots.size), f)
        _start(m, slots, f, np.full(slots.size, m.steps), choose_risk(m, hz, f, rng))
    rows = pr.running()
    pr.share[rows] = take_pairs(share_of, pr.perf[rows], pr.funder[rows])
    # a project is as good as its team; one paid by a grant as good as the proposal that won the grant
    team = team_quality(m, pr.perf[rows])
    pr.quality[rows] = m.grants.quality_of(pr.perf[rows], pr.funder[rows], team)
    _update_risk(m)


def _by_funder(m: InnovationModel) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The running rows, their funders, the real projects each stands for and the real projects per funder."""
    pr = m.projects
    rows = pr.running()
    funder = pr.funder[rows]
    w = real_projects(m, pr.perf[rows], funder)
    return rows, funder, w, np.bincount(funder, w, minlength=N_FUNDERS)


def _active_by_funder(m: InnovationModel, value: str) -> np.ndarray:
    """Real running projects per funder (``value="count"``) or their weighted mean of a project column.

    The quarter's record asks three times: the running rows' funders and real projects are worked out
    once per record (abm.indicators.Indicators.shared).
    """
    rows, funder, w, n = m.indicators.shared("projects_by_funder", lambda: _by_funder(m))
    if value == "count":
        return n.copy()
    v = np.bincount(funder, w * getattr(m.projects, value)[rows], minlength=N_FUNDERS)
    return np.where(n > 0, v / np.where(n > 0, n, 1.0), 0.0)


CONTRACT = Mechanism(
    name="projects",
    stream=STREAM,
    step=step,
    doc="Research projects by funder: risk chosen against the funder's cycle and penalty, outcomes, renewal.",
    outputs=(
        Output(
            "projects_started_{}",
            "projects",
            FLOW,
            "Research projects started (fresh lines and renewals) paid by this funder.",
            per="funder",
            key="projects_started",
        ),
        Output(
            "project_breakthroughs_{}",
            "breakthroughs",
            FLOW,
            "Breakthroughs of the projects of this funder that ended this quarter (counted at the project's end).",
            per="funder",
            key="project_breakthroughs",
        ),
        Output("projects_renewed", "projects", FLOW, "Projects renewed at the end of their cycle (the line goes on)."),
        Output("projects_failed", "projects", FLOW, "Projects that ended judged a failure (risky, no breakthrough)."),
        Output("projects_incremental", "projects", FLOW, "Projects that ended with an incremental gain."),
        Output("projects_breakthrough", "projects", FLOW, "Projects that ended with a breakthrough."),
        Output(
            "projects_abandoned", "projects", FLOW, "Projects ended early: their money stopped or their performer died."
        ),
        Output("project_years_started", "years", FLOW, "Planned years of the projects started (sum)."),
        Output(
            "projects_active_{}",
            "projects",
            STOCK,
            "Research projects running, paid by this funder.",
            per="funder",
            measure=lambda m: _active_by_funder(m, "count"),
        ),
        Output(
            "project_risk_{}",
            "share",
            STOCK,
            "Mean risk (share of effort in the risky line) of running projects of this funder.",
            per="funder",
            measure=lambda m: _active_by_funder(m, "risk"),
        ),
        Output(
            "project_years_{}",
            "years",
            STOCK,
            "Mean planned duration of running projects of this funder.",
            per="funder",
            measure=lambda m: _active_by_funder(m, "duration") / 4.0,
        ),
    ),
)

__all__ = ["CONTRACT", "Projects", "init_projects", "maturity", "step"]
