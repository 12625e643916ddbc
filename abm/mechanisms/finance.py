"""Finance: venture capital and state guidance funds.

Private VC firms raise money from investors; state guidance funds get government money
(SSF:424-436, OUT:236). Each quarter both screen start-ups that need money on a noisy signal of
their latent quality (guidance funds on a noisier signal, with a preference for catch-up fields),
fund the best signals they can afford, and hold equity stakes. Rounds are priced from investors'
expectations: a start-up's expected value uses their belief about its quality (set by the signal at the
first round, so optimistic for the chosen few, then moved toward the truth by news each quarter) and its
recent revenue growth; a start-up financed before is judged on that belief (a follow-on round), and each
new round issues shares that dilute every earlier stake. Stakes end in an IPO, an acquisition
(bought by a large firm of the field), a sale when the fund's horizon is reached (private VC has a
short horizon, MP:84; sold at a discount), or a write-off when the start-up dies. Private VC pays most proceeds back to
its investors; guidance funds recycle them. Every closed stake records its multiple, so the skew of
returns can be checked against the data (most financings return less than invested).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from abm.contract import FLOW, STOCK, Mechanism, Output
from abm.kinds import ExitReason, Kind, VCType

if TYPE_CHECKING:
    from abm.model import InnovationModel

STREAM = "finance"
#: Screening parameters of each type of fund: (signal noise, signal threshold).
SCREENING = {
    VCType.PRIVATE_VC: ("screening_noise", "vc_signal_threshold"),
    VCType.GUIDANCE_FUND: ("guidance_screening_noise", "guidance_signal_threshold"),
}

#: Investors' estimate of revenue growth: weight of the latest quarter (a moving average over about a year),
#: and the largest quarterly log change counted (a first sale from almost nothing is not a growth rate).
GROWTH_WEIGHT = 0.25
GROWTH_CLIP = 0.5


class Deals:
    """Growable table of VC stakes (one row per financing).

    Columns: sme (slot), vc (slot), invested (real yuan), stake (share of each SME actor),
    step, open (bool), proceeds (real yuan).
    """

    def __init__(self) -> None:
        self.n = 0
        cap = 1024
        self.sme = np.zeros(cap, dtype=np.int64)
        self.vc = np.zeros(cap, dtype=np.int64)
        self.invested = np.zeros(cap)
        self.stake = np.zeros(cap)
        self.step = np.zeros(cap, dtype=np.int64)
        self.open = np.zeros(cap, dtype=bool)
        self.proceeds = np.zeros(cap)
        self.exit = np.zeros(cap, dtype=np.int8)  # abm.kinds.ExitReason

    def add(self, sme: np.ndarray, vc: np.ndarray, invested: np.ndarray, stake: np.ndarray, step: int) -> None:
        """Append new financings."""
        k = sme.size
        if self.n + k > self.sme.size:
            new = max(self.n + k, 2 * self.sme.size)
            for name in ("sme", "vc", "invested", "stake", "step", "open", "proceeds", "exit"):
                old = getattr(self, name)
                arr = np.zeros(new, dtype=old.dtype)
                arr[: self.n] = old[: self.n]
                setattr(self, name, arr)
        sl = slice(self.n, self.n + k)
        self.sme[sl], self.vc[sl], self.invested[sl], self.stake[sl] = sme, vc, invested, stake
        self.step[sl] = step
        self.open[sl] = True
        self.proceeds[sl] = 0.0
        self.exit[sl] = ExitReason.OPEN
        self.n += k

    def open_rows(self) -> np.ndarray:
        """Indices of open stakes."""
        return np.flatnonzero(self.open[: self.n])

    def multiples(self) -> np.ndarray:
        """Proceeds / invested of every closed stake."""
        closed = np.flatnonzero(~self.open[: self.n])
        return self.proceeds[closed] / np.maximum(self.invested[closed], 1e-9)


def valuation(m: InnovationModel, slots: np.ndarray, quality: np.ndarray | None = None) -> np.ndarray:
    """Equity value per start-up actor (yuan): revenue multiple scaled by capability and quality.

    With ``quality`` given (investors' expectation of it), the value investors expect; without, the
    value an exit realises (the market sees the start-up's true quality).
    """
    s = m.s
    rel = s.know[slots] - m.world.capability[s.field[slots]]
    q = s.quality[slots] if quality is None else quality
    p = m.params
    growth = p["valuation_growth_quarters"] * s.revenue_growth[slots]
    return (
        p["valuation_revenue_multiple"] * 4.0 * s.revenue[slots] * np.exp(np.clip(1.5 * rel + 0.4 * q + growth, -5, 5))
    )


def _news(m: InnovationModel) -> None:
    """Investors learn about each financed start-up: their expectation of its quality moves toward the truth."""
    s = m.s
    smes = s.of_kind(Kind.SME)
    seen = smes[s.revenue_last[smes] > 0]
    g = np.clip(np.log(np.maximum(s.revenue[seen], 1.0) / s.revenue_last[seen]), -GROWTH_CLIP, GROWTH_CLIP)
    s.revenue_growth[seen] += GROWTH_WEIGHT * (g - s.revenue_growth[seen])
    s.revenue_last[smes] = np.maximum(s.revenue[smes], 1.0)
    held = smes[s.vc_post[smes] > 0]
    s.vc_belief[held] += m.params["vc_belief_learning"] * (s.quality[held] - s.vc_belief[held])


def close_rows(
    m: InnovationModel,
    rows: np.ndarray,
    how: ExitReason,
    price: np.ndarray | None,
    payer: str | np.ndarray = "capital_market",
) -> float:
    """Close the stakes ``rows``; holders get ``stake * price`` per start-up actor.

    Args:
        m: The model.
        rows: Deal rows to close (open stakes).
        how: How the stakes end.
        price: Equity value per start-up actor for each row (None for write-offs).
        payer: "capital_market", or the paying acquirer slot for each row.

    Returns:
        Real yuan paid to the VC holders.
    """
    d = m.deals
    s = m.s
    if rows.size == 0:
        return 0.0
    d.open[rows] = False
    d.exit[rows] = how
    if price is None:
        return 0.0
    paid = d.stake[rows] * price * s.weight[d.sme[rows]]
    d.proceeds[rows] = paid
    m.acc.pay("vc_exit", payer, d.vc[rows], paid)
    np.add.at(s.proceeds_in, d.vc[rows], paid / s.weight[d.vc[rows]])
    return float(np.sum(paid))


def close_stakes(
    m: InnovationModel,
    sme: np.ndarray,
    how: ExitReason,
    price_per_actor: np.ndarray | None,
    payer: str | np.ndarray = "capital_market",
) -> np.ndarray:
    """Close all open stakes in start-ups ``sme`` (prices and payers aligned with ``sme``).

    Returns:
        Real yuan paid to VC holders for each start-up (aligned with ``sme``).
    """
    d = m.deals
    rows = d.open_rows()
    if rows.size == 0 or sme.size == 0:
        return np.zeros(sme.size)
    order = np.argsort(sme)
    pos = np.searchsorted(sme[order], d.sme[rows])
    pos = np.clip(pos, 0, sme.size - 1)
    hit = sme[order][pos] == d.sme[rows]
    rows = rows[hit]
    idx = order[pos[hit]]
    price = None if price_per_actor is None else price_per_actor[idx]
    pay = payer if isinstance(payer, str) else payer[idx]
    close_rows(m, rows, how, price, pay)
    return np.bincount(idx, d.proceeds[rows], minlength=sme.size)


def _fundraise(m: InnovationModel, priv: np.ndarray) -> None:
    """Private VC firms raise money from investors, growing with GDP."""
    raise_total = m.params["vc_fundraising"] / 4.0 * (m.nation.gdp_q / m.nation.gdp0_q)
    if priv.size:
        s = m.s
        wts = s.weight[priv] * np.sqrt(np.maximum(s.cash[priv], 1.0))
        m.acc.pay("vc_fundraising", "investors", priv, wts * raise_total / wts.sum())
        m.flow["vc_fundraising"] += raise_total


def _seekers(m: InnovationModel) -> np.ndarray:
    """Young start-ups whose cash would last less than vc_need_runway_quarters."""
    p = m.params
    s = m.s
    smes = s.of_kind(Kind.SME)
    age = m.steps - s.born[smes]
    need = (age <= p["vc_max_age_quarters"]) & (
        s.cash[smes] < p["vc_need_runway_quarters"] * (p["sme_fixed_cost"] + s.rd_spend[smes] + 1.0)
    )
    return smes[need]


def _assign_to_funds(
    rng: np.random.Generator, m: InnovationModel, funds: np.ndarray, avail: np.ndarray, real: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Assign each deal to one fund in proportion to what it can deploy; drop over-commitments.

    Returns:
        The investing fund of each deal and whether the deal goes ahead.
    """
    s = m.s
    budget = float(avail.sum())
    inv = funds[rng.choice(funds.size, size=real.size, p=avail / budget)]
    order = np.argsort(inv, kind="stable")
    inv_o, real_o = inv[order], real[order]
    starts = np.r_[0, np.flatnonzero(np.diff(inv_o)) + 1]
    csum = np.cumsum(real_o)
    before = np.repeat(np.r_[0.0, csum[starts[1:] - 1]], np.diff(np.r_[starts, inv_o.size]))
    limit = s.weight[inv_o] * np.maximum(s.cash[inv_o], 0.0)
    ok_o = (csum - before) <= limit
    ok = np.zeros(real.size, dtype=bool)
    ok[order] = ok_o
    return inv, ok


def _invest(m: InnovationModel, vcs: np.ndarray, seekers: np.ndarray, rng: np.random.Generator) -> None:
    """Each type of fund screens the seekers on a noisy signal and funds the best it can afford."""
    p = m.params
    s = m.s
    fl = m.flow
    funded_mask = np.zeros(seekers.size, dtype=bool)
    catch_up = m.world.klass[s.field[seekers]] == "catch-up"
    for sub, (noise_key, threshold_key) in SCREENING.items():
        funds = vcs[s.subtype[vcs] == sub]
        if funds.size == 0 or seekers.size == 0:
            continue
        avail = s.weight[funds] * np.maximum(s.cash[funds], 0.0) * p["vc_deploy_rate"]
        budget = float(avail.sum())
        if budget <= 0:
            continue
        # start-ups already financed are judged on investors' expectation, new ones on a fresh noisy signal
        fresh = s.quality[seekers] + p[noise_key] * rng.standard_normal(seekers.size)
        known = s.vc_post[seekers] > 0
        signal = np.where(known, s.vc_belief[seekers], fresh)
        if sub == VCType.GUIDANCE_FUND:
            signal = signal + p["guidance_catch_up_bonus"] * catch_up
        cand = np.flatnonzero(~funded_mask & (signal > p[threshold_key]))
        if cand.size == 0:
            continue
        cand = cand[np.argsort(-signal[cand], kind="stable")]
        sl = seekers[cand]
        rnd = p["round_size"] * np.maximum(1.0, 4.0 * s.revenue[sl] / 5e6) ** 0.5
        real = s.weight[sl] * rnd
        take = np.cumsum(real) <= budget
        cand, sl, rnd, real = cand[take], sl[take], rnd[take], real[take]
        if sl.size == 0:
            continue
        inv, ok = _assign_to_funds(rng, m, funds, avail, real)
        cand, sl, rnd, real, inv = cand[ok], sl[ok], rnd[ok], real[ok], inv[ok]
        follow = s.vc_post[sl] > 0
        s.vc_belief[sl] = np.where(follow, s.vc_belief[sl], fresh[cand])
        # price from investors' expectation of the start-up's value (new shares are issued)
        pre = np.maximum(valuation(m, sl, s.vc_belief[sl]), p["vc_min_premoney_rounds"] * rnd)
        stake = rnd / (pre + rnd)
        _dilute(m, sl, stake)
        fl["vc_follow_on_rounds"] += float(s.weight[sl][follow].sum())
        fl["vc_down_rounds"] += float(s.weight[sl][follow & (pre < s.vc_post[sl])].sum())
        s.vc_post[sl] = pre + rnd
        m.acc.pay("vc_investment", inv, sl, real)
        s.equity_in[sl] += rnd
        m.deals.add(sl, inv, real, stake, m.steps)
        funded_mask[cand] = True
        fl["vc_invested"] += float(real.sum())
        fl["vc_deals"] += float(s.weight[sl].sum())
        if sub == VCType.GUIDANCE_FUND:
            fl["guidance_invested"] += float(real.sum())


def _dilute(m: InnovationModel, sl: np.ndarray, stake: np.ndarray) -> None:
    """A new round of ``stake`` in each start-up ``sl`` shrinks every open stake in it by (1 - stake)."""
    d = m.deals
    rows = d.open_rows()
    if rows.size == 0 or sl.size == 0:
        return
    keep = np.ones(m.s.capacity)
    keep[sl] = 1.0 - stake
    before = d.stake[rows]
    d.stake[rows] = before * keep[d.sme[rows]]
    m.flow["vc_dilution"] += float(np.sum((before - d.stake[rows]) * m.s.weight[d.sme[rows]]))


def _ipos(m: InnovationModel) -> None:
    """Start-ups above the valuation threshold list and become private firms."""
    p = m.params
    s = m.s
    smes = s.of_kind(Kind.SME)
    val = valuation(m, smes)
    ipo = smes[(val > p["ipo_valuation"]) & (m.steps - s.born[smes] >= p["ipo_min_age_quarters"])]
    if not ipo.size:
        return
    v = valuation(m, ipo)
    m.flow["vc_exit_proceeds"] += float(close_stakes(m, ipo, ExitReason.IPO, v).sum())
    m.acc.pay("ipo_raise", "capital_market", ipo, s.weight[ipo] * p["ipo_raise_share"] * v)
    m.flow["ipos"] += float(s.weight[ipo].sum())
    from abm.agents import convert_kind

    for slot in ipo:
        convert_kind(m, int(slot), Kind.PRIVATE)


def _horizon_sales(m: InnovationModel) -> None:
    """Stakes held past the fund's horizon are sold at their valuation."""
    p = m.params
    s = m.s
    d = m.deals
    rows = d.open_rows()
    if not rows.size:
        return
    guidance = s.subtype[d.vc[rows]] == VCType.GUIDANCE_FUND
    horizon = np.where(guidance, p["guidance_horizon_years"], p["vc_horizon_years"]) * 4
    due = rows[(m.steps - d.step[rows]) >= horizon]
    if due.size:
        m.flow["vc_exit_proceeds"] += close_rows(
            m, due, ExitReason.HORIZON_SALE, (1.0 - p["vc_secondary_discount"]) * valuation(m, d.sme[due])
        )


def _distributions(m: InnovationModel, vcs: np.ndarray, priv: np.ndarray) -> None:
    """Private VC pays investors a share of what it received from exits, never more than it holds."""
    s = m.s
    if priv.size:
        got = s.weight[priv] * s.proceeds_in[priv]
        if got.sum() > 0:
            share = m.params["vc_investor_payout"]
            due = share * got
            held = s.weight[priv] * np.maximum(s.cash[priv], 0.0)
            capped = due > held
            pay = np.where(capped, held, due)
            m.acc.pay("vc_distribution", priv, "investors", pay)
            m.flow["vc_distributions"] += float(pay.sum()) if capped.any() else float(share * got.sum())
    s.proceeds_in[vcs] = 0.0


def step(m: InnovationModel) -> None:
    """Raise funds, screen and fund start-ups, list start-ups, sell stakes past the horizon, pay out."""
    s = m.s
    rng = m.streams[STREAM]
    n = s.n
    s.equity_in[:n] = 0.0
    vcs = s.of_kind(Kind.VC)
    priv = vcs[s.subtype[vcs] == VCType.PRIVATE_VC]
    _fundraise(m, priv)
    _news(m)
    _invest(m, vcs, _seekers(m), rng)
    _ipos(m)
    _horizon_sales(m)
    _distributions(m, vcs, priv)


def _vc_cash(m: InnovationModel) -> float:
    s = m.s
    n = s.n
    vcs = s.alive[:n] & (s.kind[:n] == Kind.VC)
    return float(np.sum((s.weight[:n] * s.cash[:n])[vcs]))


CONTRACT = Mechanism(
    name="finance",
    stream=STREAM,
    step=step,
    doc="Venture capital and state guidance funds: fund-raising, screening, rounds, IPOs, horizon sales, payouts.",
    outputs=(
        Output("vc_fundraising", "yuan", FLOW, "New money private VC firms raised from investors."),
        Output("vc_invested", "yuan", FLOW, "VC and guidance-fund money invested in start-ups."),
        Output("guidance_invested", "yuan", FLOW, "Part of vc_invested invested by state guidance funds."),
        Output("vc_deals", "financings", FLOW, "Number of start-up financings (real start-ups funded)."),
        Output("vc_follow_on_rounds", "financings", FLOW, "Part of vc_deals in start-ups that VC had financed before."),
        Output(
            "vc_down_rounds", "financings", FLOW, "Follow-on rounds priced below the post-money of the previous round."
        ),
        Output(
            "vc_dilution",
            "start-ups",
            FLOW,
            "Equity of start-ups earlier VC holders gave up to new rounds (sum of stake lost x start-ups).",
        ),
        Output(
            "vc_exit_proceeds", "yuan", FLOW, "Money VC holders received from IPOs, acquisitions and horizon sales."
        ),
        Output("vc_distributions", "yuan", FLOW, "Money private VC firms paid back to their investors."),
        Output("ipos", "firms", FLOW, "Start-ups that listed (and became private firms)."),
        Output("vc_cash", "yuan", STOCK, "Cash held by VC firms and guidance funds.", measure=_vc_cash),
    ),
)
