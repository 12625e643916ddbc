"""docs/extending.md's worked example runs as written (issue 9: a newcomer adds a mechanism)."""

from __future__ import annotations

import re
import sys
import types
from pathlib import Path

import pytest

import abm.mechanisms
import abm.params
from abm import InnovationModel, glossary
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
from tests.conftest import assert_conserved, run_with_stocks

DOC = Path(__file__).resolve().parents[1] / "docs" / "extending.md"


def _blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


@pytest.fixture
def with_patent_bonus(monkeypatch):
    blocks = _blocks()
    param_code = next(b for b in blocks if b.startswith('Param("patent_bonus"'))
    module_code = next(b for b in blocks if 'CONTRACT = Mechanism(\n    name="patent_bonus"' in b)
    order_code = next(b for b in blocks if b.startswith("ORDER = ("))
    param = eval(param_code, {"Param": abm.params.Param})
    module = types.ModuleType("abm.mechanisms.patent_bonus")
    exec(compile(module_code, "docs/extending.md", "exec"), module.__dict__)
    monkeypatch.setitem(sys.modules, module.__name__, module)
    names = {
        "funding": funding,
        "finance": finance,
        "funds": funds,
        "supply": supply,
        "markets": markets,
        "projects": projects,
        "research": research,
        "transfer": transfer,
        "talent": talent,
        "entry": entry,
        "consortia": consortia,
        "partners": partners,
        "growth": growth,
        "location": location,
        "dual": dual,
        "patent_bonus": module,
    }
    scope: dict = dict(names)
    exec(order_code, scope)
    monkeypatch.setattr(abm.mechanisms, "ORDER", scope["ORDER"])
    monkeypatch.setattr(abm.params, "PARAMETERS", (*abm.params.PARAMETERS, param))
    monkeypatch.setattr(abm.params, "PARAMS_BY_NAME", {**abm.params.PARAMS_BY_NAME, param.name: param})
    monkeypatch.setattr(abm.params, "DEFAULTS", {**abm.params.DEFAULTS, param.name: param.default})
    return module


def test_the_worked_example_adds_a_column_and_conserves_money(with_patent_bonus):
    model = InnovationModel(seed=4, patent_bonus=5e4)
    stocks = run_with_stocks(model, 8)
    assert_conserved(model, stocks)
    y = model.yearly()
    assert (y["patent_bonuses"] > 0).all()
    # the bonus is 5e4 yuan per firm patent
    firm_patents = y["patents_soe"] + y["patents_private"] + y["patents_sme"]
    assert y["patent_bonuses"].to_numpy() == pytest.approx(5e4 * firm_patents.to_numpy(), rel=1e-9)
    info = glossary.lookup("patent_bonuses")
    assert info.unit == "yuan" and info.mechanism == "patent_bonus" and info.kind == "flow"
    assert "patent_bonuses" in glossary.yearly_columns()


def test_the_worked_example_at_zero_changes_nothing_else(with_patent_bonus):
    from tests.test_behaviour_preserved import DEFAULT_RUN, _frame_hash

    q = InnovationModel(seed=1, patent_bonus=0.0).run(years=20).quarterly()
    assert (q["patent_bonuses"] == 0).all()
    q = q.drop(columns=["patent_bonuses"])
    assert _frame_hash(q[sorted(q.columns)]) == DEFAULT_RUN  # the pinned default run, value for value
