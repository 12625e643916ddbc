"""Micro moments of the calibration, computed from a finished model's ledger (read-only; abm/ is not changed).

``model.yearly()`` has the national indicators; the calibration's micro targets need who earned what,
which only the money ledger (:meth:`abm.model.InnovationModel.ledger`) holds. :func:`micro_moments`
turns it into one row per calendar year with these columns (all flows summed over the year's quarters;
a ledger row of step s belongs to year ``start_year + (s - 1) // 4``, as in the model's step):

- ``inst_licence_income``: yuan universities and labs received for licences and transfers (ledger kind
  ``technology_contract`` into the nodes ``university`` and ``lab``). Observed counterpart: the contract
  value of transfers, licences and equity of universities and institutes (China S&T Achievement
  Transformation Annual Report).
- ``income_<kind>_<source>`` for kind in :data:`INCOME_KINDS` and source in :data:`INCOME_SOURCES`: the
  share of that source in everything the kind received (all ledger kinds into its node); ``other`` is the
  rest. This is the income composition the issue asks for (it is reported, not fitted: no observed value).
- ``enterprise_tech_output_share``: share of the official technology-contract turnover sold by enterprises,
  1 - (institutions' licence income + their registered technical services ``tech_services_from_institutions``
  + all contract research, which only universities and labs receive) / ``tech_contract_turnover``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from abm.model import InnovationModel

INCOME_KINDS = ("university", "lab")
#: Ledger kinds of institutions' income, in the order of the composition table.
INCOME_SOURCES = (
    "stable_funding",
    "project_funding",
    "local_funding",
    "contract_research",
    "technical_service",
    "technology_contract",
)


def micro_moments(model: InnovationModel, years: list[int] | None = None) -> pd.DataFrame:
    """The micro moments of a finished run, one row per calendar year (column ``year``).

    Args:
        model: A model that has run.
        years: The years of its yearly table (default: read from ``model.yearly()``).
    """
    led = model.ledger("money")
    led = led.assign(year=model.start_year + (led["step"] - 1) // 4)
    years = sorted(set(model.yearly()["year"])) if years is None else sorted(years)
    out = pd.DataFrame({"year": years}).set_index("year")
    into = led[led["target"].isin(INCOME_KINDS)]
    by = into.groupby(["year", "target", "kind"])["amount"].sum()
    total = into.groupby(["year", "target"])["amount"].sum()
    lic = into[into["kind"] == "technology_contract"].groupby("year")["amount"].sum()
    out["inst_licence_income"] = lic.reindex(years, fill_value=0.0)
    for k in INCOME_KINDS:
        tot = total.xs(k, level="target").reindex(years) if k in total.index.get_level_values("target") else None
        named = np.zeros(len(years))
        for src in INCOME_SOURCES:
            try:
                x = by.xs((k, src), level=("target", "kind")).reindex(years, fill_value=0.0).to_numpy()
            except KeyError:
                x = np.zeros(len(years))
            named = named + x
            out[f"income_{k}_{src}"] = x / tot.to_numpy() if tot is not None else np.nan
        out[f"income_{k}_other"] = 1.0 - named / tot.to_numpy() if tot is not None else np.nan
    return out.reset_index()


def with_micro(yearly: pd.DataFrame, model: InnovationModel) -> pd.DataFrame:
    """``yearly`` with the micro moments joined on year, and the enterprise share of technology output."""
    y = yearly.merge(micro_moments(model, yearly["year"].tolist()), on="year", how="left")
    inst = y["inst_licence_income"] + y["tech_services_from_institutions"] + y["contract_research"]
    y["enterprise_tech_output_share"] = 1.0 - inst / y["tech_contract_turnover"]
    return y
