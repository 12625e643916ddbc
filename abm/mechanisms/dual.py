"""Dual appointments: researchers of universities and labs who hold a part-time post at a firm.

SSF:397-400 asks for "mutual recognition of research identities among research institutes, colleges,
enterprises" so that researchers "enjoy the same research environment while increasing their income
through their involvement in the innovation development of enterprises"; OUT:200 lets "innovative talent
in different job positions" make returns from commercialisation. The rules decide how many may do so:
``dual_appointment_cap`` is the share of an institution's researchers allowed to hold such a post (0 =
not allowed, the default; relaxing the rules raises it).

- **Who.** Each quarter an institution fills ``dual_take_up`` of its open posts (cap x researchers minus
  posts held). Its researchers go to a firm of their field: a firm it remembers as a joint-project
  partner (abm.mechanisms.partners) if it has one, else a firm of the same field and region (any region
  if none), drawn in proportion to revenue (bigger firms seek more staff). The firm takes the appointee
  only if the academic knows more than it does (it has something to gain) and it can pay a year of the
  post from its cash.
- **Time and pay.** An appointee spends ``dual_time_share`` of their time at the firm, which pays the
  institution that share of an enterprise FTE's cost each quarter (contract revenue of the institution,
  counted in its ``contract_in``, which its evaluation counts under the impact basis). A post ends after
  ``dual_tenure_years`` on average, when either side leaves the model, when the firm cannot pay, or when
  the cap falls below the posts held (posts are cut pro rata).
- **People are conserved.** An appointee stays one person on the institution's staff (``researchers``
  does not change); the institution lends ``dual_time_share`` of the appointee's FTE to the firm
  (``dual_out``, ``dual_in``), so research effort (abm.mechanisms.research.effort) counts it at the firm
  and not at the institution: the national FTE total is unchanged by construction.
- **Knowledge both ways.** Each quarter the firm's capability in each component rises by
  ``dual_knowledge`` x the appointees' FTE share of its staff x how far the academic knows more; the
  institution's rises by ``dual_knowledge`` x the appointees' FTE share of its staff x how far the firm
  knows more (applied relevance).
Not modelled: enterprise researchers who hold part-time professorships at universities (the other
direction of SSF:397-400).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from abm.components import scatter_rows
from abm.contract import FLOW, STOCK, Mechanism, Output
from abm.fields import N_FIELDS
from abm.kinds import FIRMS, INSTITUTIONS, in_group
from abm.mechanisms.research import fte_cost
from abm.mechanisms.supply import sync_know
from abm.sampling import grouped_choice
from abm.state import slot_groups

if TYPE_CHECKING:
    from abm.model import InnovationModel

STREAM = "dual"
_COLS = ("inst", "firm", "inst_uid", "firm_uid", "start")


class Appointments:
    """Running dual appointments, one row per (institution agent, firm agent, cohort of posts).

    Arrays: inst and firm (slots), inst_uid and firm_uid (agent ids, to detect slot reuse), start (step
    the posts began) and persons (real researchers holding these posts: headcount at the institution).
    """

    def __init__(self) -> None:
        for c in _COLS:
            setattr(self, c, np.zeros(0, dtype=np.int64))
        self.persons = np.zeros(0)

    @property
    def n(self) -> int:
        """Number of rows."""
        return int(self.persons.size)

    def keep(self, mask: np.ndarray) -> None:
        """Keep only the rows where ``mask`` holds."""
        for c in (*_COLS, "persons"):
            setattr(self, c, getattr(self, c)[mask])

    def add(self, m: InnovationModel, inst: np.ndarray, firm: np.ndarray, persons: np.ndarray) -> None:
        """Append posts of ``persons`` researchers of ``inst`` at ``firm`` starting now."""
        s = m.s
        new = {
            "inst": inst,
            "firm": firm,
            "inst_uid": s.uid[inst],
            "firm_uid": s.uid[firm],
            "start": np.full(inst.size, m.steps, dtype=np.int64),
        }
        for c in _COLS:
            setattr(self, c, np.concatenate([getattr(self, c), new[c]]))
        self.persons = np.concatenate([self.persons, persons])


def init_dual(m: InnovationModel) -> None:
    """No dual appointments at the start."""
    m.dual = Appointments()


def _fee(m: InnovationModel, firm: np.ndarray, persons: np.ndarray) -> np.ndarray:
    """What a firm pays per quarter for ``persons`` appointees: their time share of an enterprise FTE."""
    return m.params["dual_time_share"] * persons * fte_cost(m, firm) / 4.0


def _end(m: InnovationModel, rng: np.random.Generator) -> None:
    """Posts end when a side left (or its slot was reused), at random after their tenure, or when the cap
    falls below the posts an institution holds (cut pro rata).
    """
    s = m.s
    d = m.dual
    if d.n == 0:
        return
    ok = s.alive[d.inst] & s.alive[d.firm] & (s.uid[d.inst] == d.inst_uid) & (s.uid[d.firm] == d.firm_uid)
    ok &= rng.random(d.n) >= 1.0 / (4.0 * m.params["dual_tenure_years"])
    d.keep(ok)
    if d.n == 0:
        return
    held = np.bincount(d.inst, d.persons, minlength=s.n)
    allowed = m.params["dual_appointment_cap"] * s.weight[: s.n] * np.maximum(s.researchers[: s.n], 0.0)
    factor = np.minimum(1.0, allowed / np.maximum(held, 1e-300))
    d.persons = d.persons * factor[d.inst]
    d.keep(d.persons > 1e-12)


def _open_posts(m: InnovationModel, rng: np.random.Generator) -> None:
    """Institutions fill part of their open posts at firms of their field (partners first)."""
    p = m.params
    s = m.s
    d = m.dual
    n = s.n
    inst = s.of_group(INSTITUTIONS)  # alive actors of the group, in slot order (cached until the roster changes)
    firms = s.of_group(FIRMS)
    if inst.size == 0 or firms.size == 0:
        return
    held = np.bincount(d.inst, d.persons, minlength=n)[inst]
    allowed = p["dual_appointment_cap"] * s.weight[inst] * np.maximum(s.researchers[inst], 0.0)
    new = np.maximum(allowed - held, 0.0) * p["dual_take_up"]
    go = new > 1e-9
    inst, new = inst[go], new[go]
    if inst.size == 0:
        return
    # a remembered joint-project partner that is a firm of the field, else a firm of field and region
    al = s.allies[inst]
    safe = np.maximum(al, 0)
    valid = (al >= 0) & s.alive[safe] & (s.uid[safe] == s.ally_uid[inst])
    valid &= in_group(s.kind[safe], FIRMS) & (s.field[safe] == s.field[inst][:, None])
    ally = np.where(valid[:, 0], al[:, 0], np.where(valid[:, 1], al[:, 1], -1))
    weight = s.weight[firms] * np.maximum(s.revenue[firms], 0.0)
    nr = m.n_regions
    pick = grouped_choice(
        rng, s.field[inst] * nr + s.region[inst], firms, s.field[firms] * nr + s.region[firms], weight, N_FIELDS * nr
    )
    anywhere = grouped_choice(rng, s.field[inst], firms, s.field[firms], weight, N_FIELDS)
    firm = np.where(ally >= 0, ally, np.where(pick >= 0, pick, anywhere))
    ok = firm >= 0
    inst, new, firm = inst[ok], new[ok], firm[ok]
    # the firm takes the appointee if the academic knows more and it can pay a year of the post
    gain = s.know[inst] > s.know[firm]
    afford = s.weight[firm] * np.maximum(s.cash[firm], 0.0) >= 4.0 * _fee(m, firm, new)
    take = gain & afford
    if take.any():
        d.add(m, inst[take], firm[take], new[take])


def _pay(m: InnovationModel) -> None:
    """Firms pay the institutions for their appointees' time; posts a firm cannot pay end."""
    s = m.s
    d = m.dual
    if d.n == 0:
        return
    fee = _fee(m, d.firm, d.persons)
    owed = np.bincount(d.firm, fee, minlength=s.n)
    can = s.weight[d.firm] * np.maximum(s.cash[d.firm], 0.0) >= owed[d.firm]
    d.keep(can)
    fee = fee[can]
    if d.n == 0:
        return
    m.acc.pay("dual_appointment_fees", d.firm, d.inst, fee)
    np.add.at(s.contract_in, d.inst, fee / s.weight[d.inst])
    m.flow["dual_fees"] += float(fee.sum())


def _exchange(m: InnovationModel) -> None:
    """Knowledge moves both ways between each firm and the institutions whose researchers work there."""
    s = m.s
    d = m.dual
    phi = m.params["dual_knowledge"]
    if d.n == 0 or phi <= 0:
        return
    fte = m.params["dual_time_share"] * d.persons
    touched, i = slot_groups(np.concatenate([d.inst, d.firm]), s.n)
    i_inst, i_firm = i[: d.n], i[d.n :]
    nt = touched.size
    k_inst, k_firm = s.know_c[d.inst], s.know_c[d.firm]
    # staff FTE: the firm's own researchers plus the appointees' time; the institution's own researchers
    lent_in = np.bincount(i_firm, fte, minlength=nt)
    staff = s.weight[touched] * np.maximum(s.researchers[touched], 0.0)
    to_firm = scatter_rows(i_firm, fte[:, None] * np.maximum(k_inst - k_firm, 0.0), nt)
    to_inst = scatter_rows(i_inst, fte[:, None] * np.maximum(k_firm - k_inst, 0.0), nt)
    add = phi * (to_firm / np.maximum(staff + lent_in, 1e-9)[:, None] + to_inst / np.maximum(staff, 1e-9)[:, None])
    s.know_c[touched] += add
    sync_know(m, touched)


def _columns(m: InnovationModel) -> None:
    """Posts held per actor: ``dual_out`` at institutions, ``dual_in`` at firms (persons per actor)."""
    s = m.s
    d = m.dual
    n = s.n
    s.dual_out[:n] = 0.0
    s.dual_in[:n] = 0.0
    if d.n:
        np.add.at(s.dual_out, d.inst, d.persons / s.weight[d.inst])
        np.add.at(s.dual_in, d.firm, d.persons / s.weight[d.firm])


def step(m: InnovationModel) -> None:
    """End, open and pay this quarter's dual appointments; knowledge moves both ways."""
    if m.params["dual_appointment_cap"] <= 0 and m.dual.n == 0:
        return
    rng = m.streams[STREAM]
    _end(m, rng)
    if m.params["dual_appointment_cap"] > 0:
        _open_posts(m, rng)
    _pay(m)
    _exchange(m)
    _columns(m)


def _appointees(m: InnovationModel) -> float:
    return float(m.dual.persons.sum())


def _host_firms(m: InnovationModel) -> float:
    s = m.s
    n = s.n
    host = s.alive[:n] & (s.dual_in[:n] > 0)
    return float(np.sum(s.weight[:n][host]))


CONTRACT = Mechanism(
    name="dual",
    stream=STREAM,
    step=step,
    doc="Dual appointments: institutions' researchers hold part-time posts at firms, paid by the firm, "
    "carrying knowledge both ways.",
    outputs=(
        Output(
            "dual_appointees",
            "persons",
            STOCK,
            "Researchers of universities and labs holding a part-time post at a firm (counted once, at the institution).",
            measure=_appointees,
        ),
        Output(
            "dual_fte",
            "FTE",
            STOCK,
            "Research time the appointees spend at firms (dual_time_share x appointees), counted at the firms.",
            measure=lambda m: m.params["dual_time_share"] * _appointees(m),
        ),
        Output("dual_host_firms", "firms", STOCK, "Firms with at least one dual appointee.", measure=_host_firms),
        Output("dual_fees", "yuan", FLOW, "What firms paid institutions for their appointees' time."),
    ),
)
