"""Runs shared by the tabs of one server: a class that plays the same link steps the model once.

A run is fixed by its seed, its parameters and its dated policy inputs, and the model is deterministic,
so every tab that opens the same lesson, scenario and seed goes through the same quarters. A
:class:`SharedRun` keeps those quarters as frozen models (one per quarter); a tab holds the one of its
quarter, and stepping means taking the next, which the first tab to need it makes (a deep copy of its
quarter, stepped once). Thirty tabs on one link then cost one model step per quarter, plus what each
spends on its own charts.

A frozen quarter is never changed. A tab that changes anything of its run (a lever applied while it
runs) first takes a private deep copy of its quarter and leaves the shared run; a reset with other
settings or another seed opens another shared run.

A tab alone on its run (its own seed, say) keeps nothing and copies nothing: it steps its model in place,
as without sharing. Quarters are kept from the moment a second tab joins the run; the newcomer makes
the early quarters it needs, and the tabs after it find them.

The quarters kept are capped (``NIS_DASHBOARD_SHARED_QUARTERS``, default 240: a deep copy at year 10
is about 8 MB at the default scale): past the cap, the least recently used run is dropped. A tab whose
next quarter was dropped makes it again from its own (the same quarter, by determinism). 0 turns sharing
off: every tab steps its own model.
"""

from __future__ import annotations

import copy
import os
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

from abm import InnovationModel, ParameterError

SHARED_QUARTERS_ENV = "NIS_DASHBOARD_SHARED_QUARTERS"
DEFAULT_SHARED_QUARTERS = 240


def shared_quarters() -> int:
    """The cap on quarters kept by all shared runs (from the environment; 0 = no sharing).

    Raises:
        ParameterError: The setting is not a whole number >= 0.
    """
    raw = os.environ.get(SHARED_QUARTERS_ENV, "").strip()
    if not raw:
        return DEFAULT_SHARED_QUARTERS
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if value < 0:
        raise ParameterError(
            f"{SHARED_QUARTERS_ENV}={raw!r} is not allowed: give a whole number of quarters >= 0 "
            f"(0 turns sharing off; default {DEFAULT_SHARED_QUARTERS})"
        )
    return value


def run_key(seed: int, params: Mapping[str, Any], schedule: Any) -> tuple:
    """What fixes a run: its seed, its parameters (validated, every one) and its dated inputs."""
    return (int(seed), tuple(sorted((k, repr(v)) for k, v in params.items())), repr(schedule))


class SharedRun:
    """The quarters of one run, each a model frozen at the end of that quarter (0 = as built).

    Ask the store for the run of a key at every use (:meth:`RunStore.run`): a run it has dropped gets
    no more quarters kept.
    """

    def __init__(self, key: tuple, store: RunStore) -> None:
        self.key = key
        self.store = store
        self.quarters: dict[int, InnovationModel] = {}
        self.lock = threading.Lock()
        self.steps_run = 0  # quarters this run stepped (one per quarter made), for tests and benchmarks
        self.copies = 0  # deep copies made (none while a tab is alone on the run)
        self.tabs: weakref.WeakSet[Any] = weakref.WeakSet()  # sessions on this run (gone when they are)

    def join(self, tab: Any) -> None:
        """``tab`` (a session) runs on this run from now on."""
        with self.lock:
            self.tabs.add(tab)

    def leave(self, tab: Any) -> None:
        """``tab`` no longer runs on this run."""
        with self.lock:
            self.tabs.discard(tab)

    def start(self, build: Callable[[], InnovationModel], tab: Any = None) -> InnovationModel:
        """The run's model as built (made by ``build`` if this run has not kept it); ``tab`` joins the run.

        Joining under the same lock: a tab alone on the run could otherwise step the very model returned
        here in place before the newcomer counts as a second tab.
        """
        with self.lock:
            m = self.quarters.get(0)
            if m is None:
                m = build()
                self.quarters[0] = m
                self.store.kept(self)
            if tab is not None:  # once built: a build that fails leaves no tab on the run
                self.tabs.add(tab)
            return m

    def next(self, model: InnovationModel, tab: Any = None) -> InnovationModel:
        """The quarter after ``model`` (a quarter of this run that ``tab`` holds), made if nobody has made it.

        Made as a frozen copy while other tabs run on this run; stepped in place when ``tab`` is alone
        on it (then no quarter is kept: nobody else could use it).
        """
        with self.lock:
            after = self.quarters.get(model.steps + 1)
            if after is not None:
                return after
            if tab is not None and not any(t is not tab for t in self.tabs):
                self.quarters.clear()  # they may hold the model itself, which changes now
                model.step()
                self.steps_run += 1
                return model
            after = copy.deepcopy(model)
            self.copies += 1
            after.step()
            self.steps_run += 1
            self.quarters[after.steps] = after
            self.store.kept(self)
            return after


class RunStore:
    """The shared runs of one server process, least recently used first."""

    def __init__(self, cap: int | None = None) -> None:
        self.cap = shared_quarters() if cap is None else cap
        self.runs: OrderedDict[tuple, SharedRun] = OrderedDict()
        self.lock = threading.Lock()

    def run(self, key: tuple) -> SharedRun | None:
        """The shared run of ``key`` (a new one if none is kept); None when sharing is off."""
        if self.cap <= 0:
            return None
        with self.lock:
            r = self.runs.get(key)
            if r is None:
                r = self.runs[key] = SharedRun(key, self)
            self.runs.move_to_end(key)
            return r

    def kept(self, run: SharedRun) -> None:
        """A quarter was added to ``run``: drop the least recently used runs while over the cap.

        The run just added to is dropped last: then its oldest quarters go (a tab that holds one keeps it).
        """
        with self.lock:
            if run.key in self.runs:
                self.runs.move_to_end(run.key)
            while self.quarters() > self.cap:
                oldest = next(iter(self.runs.values()))
                if oldest is run:
                    first = min(run.quarters)
                    if len(run.quarters) <= 1:
                        break
                    del run.quarters[first]
                else:
                    del self.runs[oldest.key]

    def quarters(self) -> int:
        """Quarters kept by all runs."""
        return sum(len(r.quarters) for r in self.runs.values())


STORE = RunStore()
