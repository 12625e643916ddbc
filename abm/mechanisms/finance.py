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
from abm.mechanisms import funds
from abm.sampling import running_sum_by_group, split_by_group

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

    Columns: sme (slot), vc (slot), fund (row of the funds table, abm.mechanisms.funds; -1 for a guidance
    fund investing directly), invested (real yuan), stake (share of each SME actor), financings (real
    financings the row stands for: its money over the round size), step, open (bool), proceeds (real yuan).
    """

    def __init__(self) -> None:
        self.n = 0
        cap = 1024
        self.sme = np.zeros(cap, dtype=np.int64)
        self.vc = np.zeros(cap, dtype=np.int64)
        self.fund = np.full(cap, -1, dtype=np.int64)
        self.invested = np.zeros(cap)
        self.stake = np.zeros(cap)
        self.financings = np.zeros(cap)
        self.step = np.zeros(cap, dtype=np.int64)
        self.open = np.zeros(cap, dtype=bool)
        self.proceeds = np.zeros(cap)
        self.exit = np.zeros(cap, dtype=np.int8)  # abm.kinds.ExitReason

    def add(
        self,
        sme: np.ndarray,
        vc: np.ndarray,
        invested: np.ndarray,
        stake: np.ndarray,
        step: int,
        fund: np.ndarray | int = -1,
        financings: np.ndarray | float = 1.0,
    ) -> None:
        """Append new financings (``fund``: the investing fund's row, -1 for direct guidance investments;
        ``financings``: real financings each row stands for).
        """
        k = sme.size
        if self.n + k > self.sme.size:
            new = max(self.n + k, 2 * self.sme.size)
            for name in ("sme", "vc", "fund", "invested", "stake", "financings", "step", "open", "proceeds", "exit"):
                old = getattr(self, name)
                arr = np.zeros(new, dtype=old.dtype)
                arr[: self.n] = old[: self.n]
                setattr(self, name, arr)
        sl = slice(self.n, self.n + k)
        self.sme[sl], self.vc[sl], self.invested[sl], self.stake[sl] = sme, vc, invested, stake
        self.step[sl] = step
        self.fund[sl] = fund
        self.financings[sl] = financings
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
    fund = d.fund[rows]
    inf = fund >= 0
    if inf.any():
        f = m.vc_funds
        np.add.at(f.cash, fund[inf], paid[inf])
        np.add.at(f.pending, fund[inf], paid[inf])
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


def _fill_share(real: np.ndarray, prior: np.ndarray, limit: np.ndarray | float) -> np.ndarray:
    """Share of each deal's real start-ups financed when ``prior`` of the limit is already taken.

    A deal is an agent's real start-ups taking a round each; where the money left covers only part of
    them, that part is financed (whole deals at 1, the marginal one in between, the rest at 0). So what an
    investor deploys does not depend on how many real start-ups an agent stands for (issue 13, item 5).
    """
    return np.clip((limit - prior) / np.maximum(real, 1e-300), 0.0, 1.0)


def _within_limits(inv: np.ndarray, real: np.ndarray, limit: np.ndarray) -> np.ndarray:
    """Share of each deal that goes ahead: an investor takes its deals in order until ``limit[inv]`` is used."""
    order, taken = running_sum_by_group(inv, real)
    share = np.zeros(real.size)
    share[order] = _fill_share(real[order], taken - real[order], limit[inv[order]])
    return share


def _pairs(real: np.ndarray, units: np.ndarray, weight: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split deals' money over investing units in proportion to ``weight``: an agent's real start-ups go
    to many real investors, as real deals do (north-west corner, at most deals + units pairs).

    Returns:
        Index into the deals, index into ``units`` and money, per pair.
    """
    if real.size == 0 or units.size == 0 or weight.sum() <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
    return split_by_group(np.zeros(real.size, dtype=np.int64), real, np.zeros(units.size, dtype=np.int64), weight, 1)


def _assign_direct(
    m: InnovationModel, units: np.ndarray, avail: np.ndarray, real: np.ndarray, sl: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Guidance funds investing directly: each deal's money is split over the funds in proportion to what
    they can deploy, and no fund spends more than its cash.

    Returns:
        Per pair: index into the deals, the investing agent, the fund row (-1) and the money.
    """
    s = m.s
    i, j, amt = _pairs(real, units, avail)
    inv = units[j]
    limit = np.zeros(s.capacity)
    limit[units] = s.weight[units] * np.maximum(s.cash[units], 0.0)
    amt = amt * _within_limits(inv, amt, limit)
    keep = amt > 0
    return i[keep], inv[keep], np.full(int(keep.sum()), -1, dtype=np.int64), amt[keep]


def _assign_funds(
    m: InnovationModel, units: np.ndarray, avail: np.ndarray, real: np.ndarray, sl: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """VC funds: a start-up one of ``units`` holds is followed on by that fund (its latest); any other's
    money is split over the funds in their investment period in proportion to what they can deploy (funds
    past it make no new investments). No fund spends more than its cash; follow-ons come first.

    Returns:
        Per pair: index into the deals, the managing agent, the fund row and the money.
    """
    f = m.vc_funds
    d = m.deals
    rows = d.open_rows()
    in_group = np.zeros(f.n, dtype=bool)
    in_group[units] = True
    rows = rows[d.fund[rows] >= 0]
    rows = rows[in_group[d.fund[rows]]]
    holder = np.full(m.s.capacity, -1, dtype=np.int64)
    np.maximum.at(holder, d.sme[rows], d.fund[rows])
    fund = holder[sl]
    new = np.flatnonzero(fund < 0)
    old = np.flatnonzero(fund >= 0)
    act = funds.active(m)
    act = act[in_group[act]]
    i, j, amt = _pairs(real[new], act, funds.pace(m, act))
    idx = np.concatenate([old, new[i]])
    fund = np.concatenate([fund[old], act[j]])
    amt = np.concatenate([real[old], amt])
    limit = np.zeros(f.n)
    limit[units] = np.maximum(f.cash[units], 0.0)
    amt = amt * _within_limits(fund, amt, limit)
    keep = amt > 0
    idx, fund, amt = idx[keep], fund[keep], amt[keep]
    return idx, f.vc[fund], fund, amt


def _investors(m: InnovationModel, vcs: np.ndarray) -> list[tuple[str, np.ndarray, np.ndarray, float]]:
    """The investing groups: (name, units, what each unit deploys this quarter, catch-up bonus).

    Private VC funds without a guidance LP, guided funds (they honour the guidance LP's target fields:
    the catch-up bonus), and guidance funds investing directly with the share of their money not
    earmarked for LP commitments.
    """
    p = m.params
    s = m.s
    f = m.vc_funds
    rows = f.open_rows()
    guided = f.gslot[rows] >= 0
    gf = vcs[s.subtype[vcs] == VCType.GUIDANCE_FUND]
    direct = (1.0 - p["guidance_lp_share"]) * s.weight[gf] * np.maximum(s.cash[gf], 0.0) * p["vc_deploy_rate"]
    return [
        ("private", rows[~guided], funds.pace(m, rows[~guided]), 0.0),
        ("guided", rows[guided], funds.pace(m, rows[guided]), p["guidance_catch_up_bonus"]),
        ("guidance", gf, direct, p["guidance_catch_up_bonus"]),
    ]


def _invest(m: InnovationModel, vcs: np.ndarray, seekers: np.ndarray, rng: np.random.Generator) -> None:
    """Each group of investors screens the seekers on a noisy signal and funds the best it can afford."""
    p = m.params
    s = m.s
    fl = m.flow
    f = m.vc_funds
    funded_mask = np.zeros(seekers.size, dtype=bool)
    catch_up = (m.world.klass == "catch-up")[s.field[seekers]]  # per field, then per seeker
    for group, units, avail, bonus in _investors(m, vcs):
        noise_key, threshold_key = SCREENING[VCType.GUIDANCE_FUND if group == "guidance" else VCType.PRIVATE_VC]
        if units.size == 0 or seekers.size == 0:
            continue
        budget = float(avail.sum())
        if budget <= 0:
            continue
        # start-ups already financed are judged on investors' expectation, new ones on a fresh noisy signal
        fresh = s.quality[seekers] + p[noise_key] * rng.standard_normal(seekers.size)
        known = s.vc_post[seekers] > 0
        signal = np.where(known, s.vc_belief[seekers], fresh) + bonus * catch_up
        cand = np.flatnonzero(~funded_mask & (signal > p[threshold_key]))
        if cand.size == 0:
            continue
        cand = cand[np.argsort(-signal[cand], kind="stable")]
        sl = seekers[cand]
        rnd = p["round_size"] * np.maximum(1.0, 4.0 * s.revenue[sl] / 5e6) ** 0.5
        real = s.weight[sl] * rnd
        part = _fill_share(real, np.cumsum(real) - real, budget)  # the group's money, best first
        take = part > 0
        cand, sl, rnd, real = cand[take], sl[take], rnd[take], real[take] * part[take]
        if sl.size == 0:
            continue
        assign = _assign_direct if group == "guidance" else _assign_funds
        idx, inv, fund, pay = assign(m, units, avail, real, sl)
        if idx.size == 0:
            continue
        got = np.bincount(idx, pay, minlength=sl.size)
        ok = got > 0
        # share of each agent's real start-ups financed (1 but where the investors' money ran out)
        frac = got[ok] / (s.weight[sl[ok]] * rnd[ok])
        cand, sl, rnd = cand[ok], sl[ok], rnd[ok]
        pos = np.cumsum(ok) - 1  # deal index -> index among the financed
        idx = pos[idx]
        follow = s.vc_post[sl] > 0
        s.vc_belief[sl] = np.where(follow, s.vc_belief[sl], fresh[cand])
        # price from investors' expectation of the start-up's value (new shares are issued)
        pre = np.maximum(valuation(m, sl, s.vc_belief[sl]), p["vc_min_premoney_rounds"] * rnd)
        stake = rnd / (pre + rnd)
        # an agent's row is the mean of its real start-ups: the financed part takes the round
        _dilute(m, sl, frac * stake)
        fl["vc_follow_on_rounds"] += float((s.weight[sl] * frac)[follow].sum())
        fl["vc_down_rounds"] += float((s.weight[sl] * frac)[follow & (pre < s.vc_post[sl])].sum())
        s.vc_post[sl] = pre + rnd
        m.acc.pay("vc_investment", inv, sl[idx], pay)
        s.equity_in[sl] += frac * rnd
        # each investor's stake: its money over the round's money, times the round's share
        m.deals.add(sl[idx], inv, pay, pay / (s.weight[sl[idx]] * rnd[idx]) * stake[idx], m.steps, fund, pay / rnd[idx])
        if group != "guidance":
            np.subtract.at(f.cash, fund, pay)
            np.add.at(f.invested, fund, pay)
        funded_mask[cand] = True
        fl["vc_invested"] += float(pay.sum())
        fl["vc_deals"] += float((s.weight[sl] * frac).sum())
        if group == "guidance":
            fl["guidance_invested"] += float(pay.sum())
        elif group == "guided":
            fl["guided_fund_invested"] += float(pay.sum())


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
    """Direct guidance stakes held past ``guidance_horizon_years`` are sold at a discount to their valuation.

    Stakes of VC funds are sold when their fund is wound up (abm.mechanisms.funds).
    """
    p = m.params
    d = m.deals
    rows = d.open_rows()
    rows = rows[d.fund[rows] < 0]
    if not rows.size:
        return
    due = rows[(m.steps - d.step[rows]) >= p["guidance_horizon_years"] * 4]
    if due.size:
        m.flow["vc_exit_proceeds"] += close_rows(
            m, due, ExitReason.HORIZON_SALE, (1.0 - p["vc_secondary_discount"]) * valuation(m, d.sme[due])
        )


def step(m: InnovationModel) -> None:
    """Screen and fund start-ups, list start-ups, sell direct guidance stakes past their horizon.

    Fund-raising, distributions to LPs and the winding-up of funds are in abm.mechanisms.funds; guidance
    funds keep what their direct stakes return (they recycle it).
    """
    s = m.s
    rng = m.streams[STREAM]
    n = s.n
    s.equity_in[:n] = 0.0
    vcs = s.of_kind(Kind.VC)
    _news(m)
    _invest(m, vcs, _seekers(m), rng)
    _ipos(m)
    _horizon_sales(m)
    s.proceeds_in[vcs] = 0.0


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
        Output("vc_invested", "yuan", FLOW, "VC and guidance-fund money invested in start-ups."),
        Output("guidance_invested", "yuan", FLOW, "Part of vc_invested invested by state guidance funds directly."),
        Output(
            "guided_fund_invested",
            "yuan",
            FLOW,
            "Part of vc_invested invested by private VC funds with a guidance fund as LP.",
        ),
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
        Output("ipos", "firms", FLOW, "Start-ups that listed (and became private firms)."),
        Output("vc_cash", "yuan", STOCK, "Cash held by VC firms and guidance funds.", measure=_vc_cash),
    ),
)
