"""Mechanisms of one quarter, each a module with a ``CONTRACT`` (:class:`abm.contract.Mechanism`).

:data:`ORDER` is the order of a step (docs/ODD.md, "Process overview"): budgets -> VC funds -> finance ->
supply (components, foreign frontier firms) -> markets -> public procurement -> research projects -> research ->
consortia (pathways, sharing) -> partnerships (joint projects) -> technology transfer -> technical services -> talent ->
entry and exit -> local governments' bids for firms (location) -> dual appointments -> national capability -> technology in use and GDP (growth).
The model then records the quarter's indicators (:mod:`abm.indicators`). To add a mechanism, write
a module with ``STREAM``, ``step(model)`` and ``CONTRACT``, and put its contract in ORDER
(docs/extending.md).
"""

from __future__ import annotations

from abm.contract import Mechanism
from abm.mechanisms import (
    consortia,
    dual,
    entry,
    finance,
    funding,
    funds,
    growth,
    location,
    markets,
    partners,
    projects,
    research,
    supply,
    talent,
    transfer,
)

ORDER: tuple[Mechanism, ...] = (
    funding.CONTRACT,
    funds.CONTRACT,
    finance.CONTRACT,
    supply.CONTRACT,
    markets.CONTRACT,
    growth.PROCUREMENT,
    projects.CONTRACT,
    research.CONTRACT,
    consortia.CONTRACT,
    partners.CONTRACT,
    transfer.CONTRACT,
    transfer.SERVICES,
    talent.CONTRACT,
    entry.CONTRACT,
    location.CONTRACT,
    dual.CONTRACT,
    research.CAPABILITY,
    growth.CONTRACT,
)

__all__ = ["ORDER"]
