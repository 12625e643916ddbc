"""Structure-of-arrays state of all actors.

Every actor (Mesa agent) owns one slot ``i`` in these arrays; mechanisms work on whole arrays so the
model scales to ~900k agents. Values are *per real actor*: an agent of weight ``w`` stands for ``w``
identical real actors, so national totals are ``sum(w * x)``.
"""

from __future__ import annotations

import numpy as np

FLOAT_COLUMNS = (
    "weight",
    "cash",  # yuan
    "revenue",  # yuan per quarter
    "size",  # revenue capacity (arbitrary units, market share weight)
    "rd_budget",  # yuan per quarter planned
    "rd_spend",  # yuan per quarter performed (last quarter)
    "rd_basic",
    "rd_applied",
    "rd_dev",
    "researchers",  # persons (FTE)
    "phd_share",  # share of researchers with a doctorate
    "students",  # research-track postgraduates (universities)
    "know",  # capability relative to world frontier
    "patents",  # stock of patents (per actor)
    "quality",  # latent idea quality (start-ups)
    "stable_frac",  # EMA of stable share of public funding
    "project_frac",  # EMA of project share of public funding
    "local_frac",  # EMA of local-government share of public funding
    "mission_frac",  # EMA of mission share of funding
    "gov_in",  # public money received last quarter (yuan per actor)
    "subsidy_in",  # subsidies and tax credit received last quarter
    "contract_in",  # contract research received last quarter
    "equity_in",  # VC money received last quarter
    "equity_stock",  # VC money received and not yet spent on R&D (start-ups)
    "proceeds_in",  # exit proceeds received by a VC firm since its last payout
    "breakthroughs",  # real breakthroughs last quarter (per actor)
    "patents_new",  # patents last quarter (per actor)
)
INT_COLUMNS = ("kind", "subtype", "region", "field", "born", "partner", "node", "long_horizon")
BOOL_COLUMNS = ("alive", "reformed")


class State:
    """Arrays of actor state with free-slot reuse.

    Attributes:
        n: Number of slots in use (alive or dead); arrays have capacity >= n.
    """

    def __init__(self, capacity: int) -> None:
        self.n = 0
        self._cap = max(16, int(capacity))
        for c in FLOAT_COLUMNS:
            setattr(self, c, np.zeros(self._cap))
        for c in INT_COLUMNS:
            setattr(self, c, np.zeros(self._cap, dtype=np.int64))
        for c in BOOL_COLUMNS:
            setattr(self, c, np.zeros(self._cap, dtype=bool))
        self.partner[:] = -1

    @property
    def capacity(self) -> int:
        """Allocated length of every array."""
        return self._cap

    def _grow(self, need: int) -> None:
        new_cap = max(need, int(self._cap * 1.5) + 16)
        for c in (*FLOAT_COLUMNS, *INT_COLUMNS, *BOOL_COLUMNS):
            old = getattr(self, c)
            arr = np.zeros(new_cap, dtype=old.dtype)
            if c == "partner":
                arr[:] = -1
            arr[: self._cap] = old
            setattr(self, c, arr)
        self._cap = new_cap

    def allocate(self, k: int) -> np.ndarray:
        """Return ``k`` fresh slots (dead slots are reused first), zeroed and marked alive."""
        if k <= 0:
            return np.zeros(0, dtype=np.int64)
        free = np.flatnonzero(~self.alive[: self.n])[:k]
        extra = k - free.size
        if extra > 0:
            if self.n + extra > self._cap:
                self._grow(self.n + extra)
            new = np.arange(self.n, self.n + extra)
            self.n += extra
            slots = np.concatenate([free, new])
        else:
            slots = free
        for c in FLOAT_COLUMNS:
            getattr(self, c)[slots] = 0.0
        for c in INT_COLUMNS:
            getattr(self, c)[slots] = 0
        self.partner[slots] = -1
        self.reformed[slots] = False
        self.alive[slots] = True
        return slots

    def of_kind(self, kind: int) -> np.ndarray:
        """Slots of alive actors of a kind."""
        n = self.n
        return np.flatnonzero(self.alive[:n] & (self.kind[:n] == kind))
