"""The mechanism contract: what a mechanism is, what it produces, and the quarter's flow record.

A mechanism is one module of :mod:`abm.mechanisms` that defines ``CONTRACT = Mechanism(...)``:

- ``name`` and ``stream``: its name and the name of its random stream (its own
  ``numpy.random.Generator``, derived from the run's seed and the stream's name, so switching one
  mechanism's draws never shifts another's);
- ``outputs``: the indicators it produces, each an :class:`Output` with name, unit, flow or stock
  and meaning. A *flow* output without ``measure`` is accumulated by the mechanism during the
  quarter in ``model.flow[key]``; an output with ``measure`` is read from the state when the
  quarter is recorded. Flows are summed over the quarters of a year, stocks taken at year end;
- ``step``: the function ``step(model)`` that carries out one quarter.

:data:`abm.mechanisms.ORDER` lists the mechanisms in the order of a step. The model's indicator
table, the column glossary (:mod:`abm.glossary`) and experiment-spec validation are all read from
these declarations; nothing is inferred from a column's name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from abm.fields import FIELD_NAMES, N_FIELDS
from abm.kinds import FUNDER_NAMES, KIND_NAMES, N_FUNDERS, N_KINDS, PERFORMERS

if TYPE_CHECKING:
    from abm.model import InnovationModel

FLOW = "flow"
STOCK = "stock"
RATIO = "ratio"
OUTPUT_KINDS = (FLOW, STOCK, RATIO)
#: What a per-item output is indexed by: None (a scalar), a field, a performing kind, or any kind.
PER = (None, "field", "performer", "kind", "funder")


@dataclass(frozen=True)
class Output:
    """One indicator a mechanism produces.

    Attributes:
        name: Column name; for per-item outputs a template with ``{}`` (the field or kind label).
        unit: Unit of the value in the quarterly table (yearly flows are the sum of quarters).
        kind: "flow" (summed over a year), "stock" (value at the year's end) or "ratio"
            (recomputed from yearly sums).
        meaning: One line on what the column says.
        per: None, "field", "performer", "kind" or "funder" (abm.kinds.Funder).
        key: Key in the quarter's flow record (flows without ``measure``); defaults to ``name``.
        measure: Function of the model returning the value (a float, or an array over fields or
            kinds) when the quarter is recorded. None for flows the mechanism accumulates.
        dtype: "float" or "int".
    """

    name: str
    unit: str
    kind: str
    meaning: str
    per: str | None = None
    key: str = ""
    measure: Callable[[InnovationModel], Any] | None = None
    dtype: str = "float"

    def __post_init__(self) -> None:
        if self.kind not in OUTPUT_KINDS:
            raise ValueError(f"output {self.name!r}: kind {self.kind!r} is not one of {OUTPUT_KINDS}")
        if self.per not in PER:
            raise ValueError(f"output {self.name!r}: per {self.per!r} is not one of {PER}")
        if (self.per is None) == ("{}" in self.name):
            raise ValueError(f"output {self.name!r}: per-item outputs need '{{}}' in the name, scalars must not")
        if self.measure is None and self.kind != FLOW:
            raise ValueError(f"output {self.name!r}: a {self.kind} needs a measure")
        if self.measure is None and self.per is not None and not self.key:
            raise ValueError(f"output {self.name!r}: an accumulated per-item flow needs a key")

    @property
    def flow_key(self) -> str:
        """Key in the quarter's flow record (accumulated flows only)."""
        return self.key or self.name

    def items(self) -> tuple[tuple[int, str], ...]:
        """(index, label) pairs of a per-item output (index into its array)."""
        if self.per == "field":
            return tuple(enumerate(FIELD_NAMES))
        if self.per == "performer":
            return tuple((int(k), k.label) for k in PERFORMERS)
        if self.per == "kind":
            return tuple(enumerate(KIND_NAMES))
        if self.per == "funder":
            return tuple(enumerate(FUNDER_NAMES))
        return ()

    def columns(self) -> list[str]:
        """Column names this output fills."""
        if self.per is None:
            return [self.name]
        return [self.name.format(label) for _, label in self.items()]

    def empty(self) -> float | np.ndarray:
        """Zero value of an accumulated flow (a float, or zeros over fields / kinds)."""
        if self.per is None:
            return 0.0
        return np.zeros({"field": N_FIELDS, "funder": N_FUNDERS}.get(self.per, N_KINDS))


@dataclass(frozen=True)
class Mechanism:
    """Declaration of a mechanism: name, random stream, outputs and its quarterly step.

    Attributes:
        name: Name of the mechanism.
        stream: Name of its random stream ("" if it draws no random numbers).
        outputs: Indicators it produces.
        step: ``step(model)``: one quarter of the mechanism.
        doc: One line on what it does (shown in the glossary and docs/extending.md).
    """

    name: str
    stream: str
    outputs: tuple[Output, ...]
    step: Callable[[InnovationModel], None]
    doc: str = ""
    reads: tuple[str, ...] = field(default=())
    writes: tuple[str, ...] = field(default=())


class Quarter(dict):
    """The flows of one quarter: every key declared by a mechanism's outputs, nothing else.

    Created fresh by the model at the start of each quarter (:func:`new_quarter`); mechanisms add
    to their keys (``model.flow["sales"] += x``). Assigning an undeclared key raises, so a typo never
    creates a silent column. ``links`` collects the quarter's collaboration links (2 x k slot arrays,
    buyer first) and ``link_weights`` the real deals each stands for (one array per links entry).
    """

    __slots__ = ("link_weights", "links")

    def __setitem__(self, key: str, value: Any) -> None:
        if key not in self:
            raise KeyError(f"flow '{key}' is not declared by any mechanism's outputs")
        super().__setitem__(key, value)

    def __reduce__(self) -> tuple[Any, ...]:
        # copy.deepcopy and pickle rebuild a dict subclass key by key through __setitem__ on an empty
        # instance, which refuses every key: rebuild it whole instead
        return (_rebuilt_quarter, (dict(self), self.links, self.link_weights))


def _rebuilt_quarter(flows: dict[str, Any], links: list[Any], link_weights: list[Any]) -> Quarter:
    q = Quarter()
    dict.update(q, flows)
    q.links = links
    q.link_weights = link_weights
    return q


def new_quarter(mechanisms: Iterable[Mechanism]) -> Quarter:
    """An empty flow record holding every accumulated flow declared by ``mechanisms``."""
    q = Quarter()
    first, arrays = _quarter_plan(mechanisms)
    dict.update(q, first)  # every key in declaration order (zero floats; arrays follow)
    for size, keys in arrays:  # the zero arrays of one length: rows of one new block
        dict.update(q, zip(keys, np.zeros((len(keys), size)), strict=True))
    q.links = []
    q.link_weights = []
    return q


_PLAN: list[Any] = [None, None]  # the last mechanisms given to new_quarter, and their plan


def _quarter_plan(mechanisms: Iterable[Mechanism]) -> tuple[dict[str, Any], list[tuple[int, list[str]]]]:
    """What :func:`new_quarter` puts in a quarter's record, worked out once per tuple of mechanisms: the
    accumulated flows' keys in declaration order with their zero floats (None for arrays), and the keys of
    its zero arrays by their length.
    """
    if _PLAN[0] is mechanisms:
        return _PLAN[1]
    first: dict[str, Any] = {}
    for mech in mechanisms:
        for out in mech.outputs:
            if out.measure is None:
                first[out.flow_key] = out.empty()
    by_size: dict[int, list[str]] = {}
    for k, v in first.items():
        if isinstance(v, np.ndarray):
            by_size.setdefault(v.size, []).append(k)
            first[k] = None
    plan = (first, list(by_size.items()))
    if isinstance(mechanisms, tuple):  # a tuple cannot change: keep its plan
        _PLAN[:] = [mechanisms, plan]
    return plan
