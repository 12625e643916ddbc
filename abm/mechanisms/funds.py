"""VC funds: vintages with a life cycle, fund-raising on track record, guidance funds as LPs.

A private VC firm (a management company) invests through funds. A fund is closed with the capital its
limited partners (LPs) commit: private LPs (the ``investors`` node) and, for a guided fund, one state
guidance fund as an LP (fund-of-funds, the dominant real form of guidance money: OUT:236 "guide and drive
investment of social capital"; SSF:424-436). The capital is paid in at the close (a simplification: no
capital calls). The fund makes new investments only during its investment period
(``vc_investment_period_years``), after that only follow-ons in start-ups it holds; at the end of its life
(``vc_horizon_years``, short for Chinese RMB funds: MP:84) its remaining stakes are sold at the secondary
discount and all its cash goes back to the LPs. Each quarter it pays a management fee and passes a share
of the exit proceeds it received (``vc_investor_payout``) to its LPs through a waterfall: return of capital
(the guidance LP first when ``guidance_principal_first``), then profit split by commitment after the
manager's carried interest, the guidance LP ceding ``guidance_profit_cede`` of its profit to private LPs
(SSF:429-430: government capital returned once firms are stable; the rest of the rule is a lever).

A firm raises its next fund when the current one is mostly invested (``vc_next_fund_invested_share``) or
its investment period is over. Private LP money (``vc_fundraising`` a year, growing with GDP) is offered
each quarter to the firms in proportion to their franchise (the size of their first fund) times their
track record: the net multiple their private LPs have earned on their mature funds relative to the
market's, to the power ``vc_track_record_elasticity``; it waits for the firm's next close, which takes
all of it. Fund-raising thus follows performance, and the guidance
rule changes what private LPs earn in guided funds, hence how much the guided managers raise next.

Values in the funds table are real yuan summed over the agent's ``weight`` identical firms.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from abm.contract import FLOW, STOCK, Mechanism, Output
from abm.kinds import ExitReason, Kind, VCType
from abm.sampling import running_sum_by_group

if TYPE_CHECKING:
    from abm.model import InnovationModel

STREAM = "funds"
#: Status of a fund.
OPEN, CLOSED = 0, 1
#: A fund counts in its manager's track record from this age on (quarters; younger marks say little).
MATURE_QUARTERS = 8
#: Track-record factor of a firm's next fund is kept within [1/TRACK_CLIP, TRACK_CLIP].
TRACK_CLIP = 4.0

_COLS = {
    "vc": np.int64,  # managing VC agent (slot)
    "vintage": np.int64,  # step of the close
    "committed": float,  # all LPs
    "committed_g": float,  # guidance LP
    "gslot": np.int64,  # the guidance LP's slot (-1: none)
    "cash": float,
    "invested": float,
    "gross": float,  # cumulative distributions incl. carry
    "dist_g": float,
    "dist_p": float,
    "carry": float,
    "fees": float,
    "pending": float,  # exit proceeds received since the last distribution
    "status": np.int8,
}


class Funds:
    """Growable table of VC funds (one row per fund of one VC agent) and the private LPs' waiting money."""

    def __init__(self) -> None:
        self.n = 0
        #: Private LP money waiting for each VC agent's next fund (real yuan per slot, outside the system).
        self.accrued = np.zeros(0)
        #: Each VC agent's standing with LPs apart from its track record: its first fund's size (real yuan).
        self.franchise = np.zeros(0)
        for name, dt in _COLS.items():
            setattr(self, name, np.zeros(64, dtype=dt))

    def add(self, vc: np.ndarray, step: int, committed: np.ndarray, committed_g: np.ndarray, gslot: np.ndarray) -> None:
        """Append newly closed funds (capital paid in: cash = committed)."""
        k = vc.size
        if self.n + k > self.vc.size:
            new = max(self.n + k, 2 * self.vc.size)
            for name in _COLS:
                old = getattr(self, name)
                arr = np.zeros(new, dtype=old.dtype)
                arr[: self.n] = old[: self.n]
                setattr(self, name, arr)
        sl = slice(self.n, self.n + k)
        for name in _COLS:
            getattr(self, name)[sl] = 0
        self.vc[sl], self.vintage[sl], self.committed[sl] = vc, step, committed
        self.committed_g[sl], self.gslot[sl], self.cash[sl] = committed_g, gslot, committed
        self.status[sl] = OPEN
        self.n += k

    def open_rows(self) -> np.ndarray:
        """Indices of funds not yet liquidated."""
        return np.flatnonzero(self.status[: self.n] == OPEN)


def _quarters(p: dict, key: str) -> int:
    return max(1, round(4 * p[key]))


def life_quarters(p: dict) -> int:
    """Life of a fund in quarters: its term (``vc_horizon_years``) plus the extension (``vc_extension_years``)."""
    return max(1, round(4 * (p["vc_horizon_years"] + p["vc_extension_years"])))


def active(m: InnovationModel) -> np.ndarray:
    """Open funds in their investment period (they may make new investments)."""
    f = m.vc_funds
    rows = f.open_rows()
    return rows[(m.steps - f.vintage[rows]) < _quarters(m.params, "vc_investment_period_years")]


def pace(m: InnovationModel, rows: np.ndarray) -> np.ndarray:
    """What each fund is willing to invest this quarter (real yuan).

    In its investment period a fund spreads its cash over the quarters left; after it, it spends at most
    ``vc_deploy_rate`` of its cash on follow-ons.
    """
    f = m.vc_funds
    p = m.params
    left = _quarters(p, "vc_investment_period_years") - (m.steps - f.vintage[rows])
    cash = np.maximum(f.cash[rows], 0.0)
    return np.where(left > 0, cash / np.maximum(left, 1), p["vc_deploy_rate"] * cash)


def init_funds(m: InnovationModel) -> None:
    """One fund per private VC agent holding its starting cash, vintages spread over an investment period."""
    s = m.s
    p = m.params
    f = m.vc_funds
    rng = m.streams[STREAM]
    vcs = s.of_kind(Kind.VC)
    priv = vcs[s.subtype[vcs] == VCType.PRIVATE_VC]
    ipq = _quarters(p, "vc_investment_period_years")
    vintage = -rng.integers(0, ipq, size=priv.size)
    f.add(priv, 0, s.weight[priv] * s.cash[priv], np.zeros(priv.size), np.full(priv.size, -1))
    f.vintage[f.n - priv.size : f.n] = vintage
    f.franchise = np.zeros(s.capacity)
    f.franchise[priv] = s.weight[priv] * s.cash[priv]
    # LP money waiting at the start: what each firm accrued since its first fund closed
    f.accrued = np.zeros(s.capacity)
    if priv.size and f.franchise.sum() > 0:
        f.accrued[priv] = _lp_inflow(m) * (1 - vintage) * f.franchise[priv] / f.franchise.sum()


def _lp_inflow(m: InnovationModel) -> float:
    """Private LP money offered to VC this quarter (grows with GDP)."""
    return m.params["vc_fundraising"] / 4.0 * (m.nation.gdp_q / m.nation.gdp0_q)


def nav(m: InnovationModel, rows: np.ndarray) -> np.ndarray:
    """Value of each fund's open stakes at investors' marks (their expectation of quality), real yuan."""
    from abm.mechanisms.finance import valuation

    f = m.vc_funds
    d = m.deals
    out = np.zeros(rows.size)
    if f.n == 0 or d.n == 0:
        return out
    held = d.open_rows()
    held = held[d.fund[held] >= 0]
    if held.size == 0:
        return out
    sme = d.sme[held]
    val = d.stake[held] * valuation(m, sme, m.s.vc_belief[sme]) * m.s.weight[sme]
    per = np.bincount(d.fund[held], val, minlength=f.n)
    return per[rows]


def waterfall(m: InnovationModel, rows: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cumulative shares of guidance LP, private LPs and manager when funds ``rows`` have paid out ``x`` in all.

    Capital first (the guidance LP before private LPs if ``guidance_principal_first``, else pro rata), then
    profit: ``vc_carry`` to the manager, the rest by commitment, the guidance LP ceding ``guidance_profit_cede``
    of its part to private LPs. Each share is non-decreasing in ``x`` and the three sum to ``x``.
    """
    f = m.vc_funds
    p = m.params
    k = f.committed[rows]
    kg = f.committed_g[rows]
    principal = np.minimum(x, k)
    profit = np.maximum(x - k, 0.0)
    rg = np.minimum(principal, kg) if p["guidance_principal_first"] else principal * kg / np.maximum(k, 1e-09)
    carry = p["vc_carry"] * profit
    lp_profit = profit - carry
    pg = (1.0 - p["guidance_profit_cede"]) * lp_profit * kg / np.maximum(k, 1e-9)
    eg = rg + pg
    ep = x - eg - carry
    return eg, ep, carry


def _distribute(m: InnovationModel, rows: np.ndarray, amount: np.ndarray) -> None:
    """Funds ``rows`` pay ``amount`` (real yuan, at most their cash) through the waterfall."""
    f = m.vc_funds
    keep = amount > 0
    rows, amount = rows[keep], amount[keep]
    if rows.size == 0:
        return
    x0 = f.gross[rows]
    g0, p0, c0 = waterfall(m, rows, x0)
    g1, p1, c1 = waterfall(m, rows, x0 + amount)
    dg, dp, dc = g1 - g0, p1 - p0, c1 - c0
    vc = f.vc[rows]
    m.acc.pay("vc_distribution", vc, "investors", dp)
    guided = f.gslot[rows] >= 0
    if guided.any():
        m.acc.pay("guidance_lp_return", vc[guided], f.gslot[rows][guided], dg[guided])
    m.acc.pay("vc_carry", vc, "households", dc)
    f.cash[rows] -= amount
    f.gross[rows] += amount
    f.dist_g[rows] += dg
    f.dist_p[rows] += dp
    f.carry[rows] += dc
    fl = m.flow
    fl["vc_distributions"] += float(dp.sum() + dg.sum())
    fl["guidance_lp_returned"] += float(dg.sum())
    fl["vc_carry"] += float(dc.sum())


def _fees(m: InnovationModel, rows: np.ndarray) -> None:
    """Management fee on committed capital, paid from the fund's cash to the manager's costs."""
    f = m.vc_funds
    fee = np.minimum(m.params["vc_management_fee"] / 4.0 * f.committed[rows], np.maximum(f.cash[rows], 0.0))
    if fee.sum() <= 0:
        return
    m.acc.pay("vc_management_fee", f.vc[rows], "suppliers", fee)
    f.cash[rows] -= fee
    f.fees[rows] += fee
    m.flow["vc_management_fees"] += float(fee.sum())


def _liquidate(m: InnovationModel) -> None:
    """Funds at the end of their life sell their remaining stakes at a discount and return all cash."""
    from abm.mechanisms.finance import close_rows, valuation

    f = m.vc_funds
    d = m.deals
    p = m.params
    rows = f.open_rows()
    due = rows[(m.steps - f.vintage[rows]) >= life_quarters(p)]
    if due.size == 0:
        return
    is_due = np.zeros(f.n, dtype=bool)
    is_due[due] = True
    held = d.open_rows()
    held = held[(d.fund[held] >= 0)]
    held = held[is_due[d.fund[held]]]
    if held.size:
        m.flow["vc_exit_proceeds"] += close_rows(
            m, held, ExitReason.HORIZON_SALE, (1.0 - p["vc_secondary_discount"]) * valuation(m, d.sme[held])
        )
    _distribute(m, due, np.maximum(f.cash[due], 0.0))
    f.pending[due] = 0.0
    f.status[due] = CLOSED
    m.flow["vc_funds_closed"] += float(m.s.weight[f.vc[due]].sum())


def private_lp_multiple(m: InnovationModel, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """What private LPs of funds ``rows`` would hold in all if the fund were wound up at its marks now.

    Returns:
        (value to private LPs: paid out plus their waterfall share of cash and marks, their commitment).
    """
    f = m.vc_funds
    x = f.gross[rows] + np.maximum(f.cash[rows], 0.0) + nav(m, rows)
    _, ep, _ = waterfall(m, rows, x)
    return ep, f.committed[rows] - f.committed_g[rows]


def track_record(m: InnovationModel, vcs: np.ndarray) -> np.ndarray:
    """Each firm's private-LP net multiple on its mature funds relative to the market's, to the elasticity."""
    f = m.vc_funds
    rows = np.flatnonzero((m.steps - f.vintage[: f.n]) >= MATURE_QUARTERS)
    out = np.ones(vcs.size)
    if rows.size == 0:
        return out
    val, kp = private_lp_multiple(m, rows)
    ok = kp > 0
    rows, val, kp = rows[ok], val[ok], kp[ok]
    if rows.size == 0 or kp.sum() <= 0:
        return out
    market = val.sum() / kp.sum()
    cap = m.s.capacity
    v = np.bincount(f.vc[rows], val, minlength=cap)[vcs]
    k = np.bincount(f.vc[rows], kp, minlength=cap)[vcs]
    own = np.divide(v, k, out=np.full(vcs.size, market), where=k > 0)
    rel = np.maximum(own, 1e-6) / max(market, 1e-6)
    return np.clip(rel ** m.params["vc_track_record_elasticity"], 1.0 / TRACK_CLIP, TRACK_CLIP)


def _latest(m: InnovationModel, vcs: np.ndarray) -> np.ndarray:
    """Latest fund (row) of each VC agent (-1: none)."""
    f = m.vc_funds
    last = np.full(m.s.capacity, -1, dtype=np.int64)
    if f.n:
        np.maximum.at(last, f.vc[: f.n], np.arange(f.n))
    return last[vcs]


def _accrue(m: InnovationModel, priv: np.ndarray) -> None:
    """This quarter's private LP money is earmarked for the firms in proportion to franchise x track record."""
    f = m.vc_funds
    if priv.size == 0:
        return
    target = f.franchise[priv] * track_record(m, priv)
    if target.sum() <= 0:
        return
    f.accrued[priv] += _lp_inflow(m) * target / target.sum()


def _raise(m: InnovationModel, priv: np.ndarray) -> None:
    """Firms whose latest fund is mostly invested (or past its investment period) close a new fund.

    A new fund takes the private LP money accrued for the firm since its last close, and a guidance LP
    adds its part.
    """
    p = m.params
    f = m.vc_funds
    if priv.size == 0:
        return
    last = _latest(m, priv)
    has = last >= 0
    lk = np.where(has, last, 0)
    invested = f.invested[lk] >= p["vc_next_fund_invested_share"] * f.committed[lk]
    over = (m.steps - f.vintage[lk]) >= _quarters(p, "vc_investment_period_years")
    ready = (~has | invested | over) & (f.accrued[priv] > 0)
    if not ready.any():
        return
    vc = priv[ready]
    private = f.accrued[vc].copy()
    f.accrued[vc] = 0.0
    g_amt, gslot = _guidance_commitments(m, vc, private)
    m.acc.pay("vc_fundraising", "investors", vc, private)
    guided = gslot >= 0
    if guided.any():
        m.acc.pay("guidance_lp_commitment", gslot[guided], vc[guided], g_amt[guided])
    f.add(vc, m.steps, private + g_amt, g_amt, gslot)
    fl = m.flow
    fl["vc_fundraising"] += float(private.sum() + g_amt.sum())
    fl["guidance_lp_committed"] += float(g_amt.sum())
    fl["vc_funds_raised"] += float(m.s.weight[vc].sum())


def _guidance_commitments(m: InnovationModel, vc: np.ndarray, private: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One guidance fund per new fund commits up to ``guidance_lp_max_share`` of it, from its LP earmark.

    The guidance LP is drawn in proportion to its earmarked cash (``guidance_lp_share`` of its cash); no
    guidance fund commits more than its earmark.
    """
    p = m.params
    s = m.s
    share, cap = p["guidance_lp_share"], p["guidance_lp_max_share"]
    none = np.zeros(vc.size), np.full(vc.size, -1, dtype=np.int64)
    if share <= 0 or cap <= 0:
        return none
    vcs = s.of_kind(Kind.VC)
    gf = vcs[s.subtype[vcs] == VCType.GUIDANCE_FUND]
    if gf.size == 0:
        return none
    earmark = share * s.weight[gf] * np.maximum(s.cash[gf], 0.0)
    if earmark.sum() <= 0:
        return none
    rng = m.streams[STREAM]
    pick = rng.choice(gf.size, size=vc.size, p=earmark / earmark.sum())
    want = private * cap / (1.0 - cap) if cap < 1.0 else private
    # each guidance fund honours commitments in order until its earmark is used
    order, prior = running_sum_by_group(pick, want, inclusive=False)  # committed before this fund
    po, wo = pick[order], want[order]
    got_o = np.clip(earmark[po] - prior, 0.0, wo)
    got = np.zeros(vc.size)
    got[order] = got_o
    gslot = np.where(got > 0, gf[pick], -1)
    return got, gslot


def step(m: InnovationModel) -> None:
    """LP money arrives; funds at the end of life are wound up; the rest pay fees and distribute; firms raise."""
    s = m.s
    f = m.vc_funds
    _liquidate(m)
    rows = f.open_rows()
    _fees(m, rows)
    pay = np.minimum(m.params["vc_investor_payout"] * f.pending[rows], np.maximum(f.cash[rows], 0.0))
    _distribute(m, rows, pay)
    f.pending[rows] = 0.0
    vcs = s.of_kind(Kind.VC)
    priv = vcs[s.subtype[vcs] == VCType.PRIVATE_VC]
    _accrue(m, priv)
    _raise(m, priv)


def frame(m: InnovationModel) -> pd.DataFrame:
    """The funds table: one row per fund (real yuan over the agent's firms)."""
    f = m.vc_funds
    k = f.n
    rows = np.arange(k)
    nv = nav(m, rows) + np.maximum(f.cash[:k], 0.0)
    nv = np.where(f.status[:k] == OPEN, nv, 0.0)
    called = f.committed[:k]
    dist = f.dist_g[:k] + f.dist_p[:k]
    safe = np.maximum(called, 1e-9)
    return pd.DataFrame(
        {
            "fund": rows,
            "vc_slot": f.vc[:k],
            "kind": np.where(f.gslot[:k] >= 0, "guided", "private"),
            "vintage_step": f.vintage[:k],
            "committed": f.committed[:k],
            "called": called,
            "invested": f.invested[:k],
            "distributed": dist,
            "nav": nv,
            "status": np.where(f.status[:k] == OPEN, "open", "closed"),
            "tvpi": (dist + nv) / safe,
            "dpi": dist / safe,
            "guidance_committed": f.committed_g[:k],
            "guidance_returned": f.dist_g[:k],
            "carry": f.carry[:k],
            "fees": f.fees[:k],
        }
    )


def _closed_dpi(m: InnovationModel) -> float:
    """Pooled multiple (distributed / called) of the funds wound up so far (0 if none)."""
    f = m.vc_funds
    done = np.flatnonzero(f.status[: f.n] == CLOSED)
    called = float(f.committed[done].sum())
    return float((f.dist_g[done] + f.dist_p[done]).sum()) / called if called > 0 else 0.0


def _open_funds(m: InnovationModel) -> float:
    f = m.vc_funds
    return float(m.s.weight[f.vc[f.open_rows()]].sum())


CONTRACT = Mechanism(
    name="funds",
    stream=STREAM,
    step=step,
    doc="VC funds with a life cycle: raising on track record, guidance funds as LPs, fees, waterfall, wind-up.",
    outputs=(
        Output(
            "vc_fundraising",
            "yuan",
            FLOW,
            "Capital committed to newly closed private VC funds (private LPs and guidance LPs).",
        ),
        Output("vc_funds_raised", "funds", FLOW, "New private VC funds closed (real funds)."),
        Output("vc_funds_closed", "funds", FLOW, "Private VC funds wound up at the end of their life (real funds)."),
        Output("vc_open_funds", "funds", STOCK, "Private VC funds not yet wound up (real funds).", measure=_open_funds),
        Output("guidance_lp_committed", "yuan", FLOW, "Part of vc_fundraising committed by guidance funds as LPs."),
        Output(
            "vc_distributions", "yuan", FLOW, "Money private VC funds paid back to their LPs (guidance LPs included)."
        ),
        Output("guidance_lp_returned", "yuan", FLOW, "Part of vc_distributions paid to guidance funds as LPs."),
        Output("vc_management_fees", "yuan", FLOW, "Management fees private VC funds paid to their managers."),
        Output("vc_carry", "yuan", FLOW, "Carried interest private VC funds paid to their managers."),
        Output(
            "vc_closed_dpi",
            "multiple",
            STOCK,
            "Pooled distributed / paid-in capital of the VC funds wound up so far (their TVPI = DPI).",
            measure=_closed_dpi,
        ),
    ),
)
