"""The parameter table: validation, completeness, and the model signature (issue 2, item 8)."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from abm import InnovationModel, ParameterError
from abm.params import DEFAULTS, PARAMETERS, parameter_table_markdown, validate_params

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ("MP", "SSF", "OUT", "NT", "DT")


def test_every_row_is_complete():
    names = [p.name for p in PARAMETERS]
    assert len(names) == len(set(names))
    for p in PARAMETERS:
        assert p.unit and p.meaning and p.source and p.group, p.name
        assert p.validate(p.default) == p.default, p.name
        if p.kind in ("float", "int"):
            assert p.low <= p.default <= p.high, p.name


def test_every_lever_cites_a_seed_or_says_it_has_none():
    for p in PARAMETERS:
        if p.lever:
            cites = any(re.search(rf"\b{s}:\d", p.source) for s in SEEDS)
            assert cites or "no seed passage" in p.source, f"lever {p.name} cites no seed passage: {p.source}"


@pytest.mark.parametrize(
    ("name", "value", "fragment"),
    [
        ("stable_share", 1.5, "out of range"),
        ("stable_share", "half", "wrong type"),
        ("phd_output", 1.5, "must be an integer"),
        ("mission_field", "quantum", "not one of the choices"),
        ("cutoff_fields", "chips_ict,moon", "unknown field 'moon'"),
        ("scale", float("nan"), "must be finite"),
        ("regions", 3, "not one of the choices"),
        ("stable_share", True, "wrong type"),
    ],
)
def test_bad_values_name_parameter_value_and_allowed(name, value, fragment):
    with pytest.raises(ParameterError) as err:
        InnovationModel(**{name: value})
    msg = str(err.value)
    assert f"'{name}'" in msg and repr(value) in msg and "allowed" in msg and fragment in msg


def test_unknown_parameter_suggests_a_name():
    with pytest.raises(ParameterError, match="did you mean 'stable_share'"):
        validate_params({"stabel_share": 0.3})


def test_schedule_is_validated():
    with pytest.raises(ParameterError, match=r"schedule\[0\].*'stable_share'.*out of range"):
        InnovationModel(schedule=[{"year": 2020, "param": "stable_share", "value": 3}])
    with pytest.raises(ParameterError, match="fixed for a run"):
        InnovationModel(schedule=[(2020, "scale", 0.1)])
    with pytest.raises(ParameterError, match=r"schedule\[0\].year"):
        InnovationModel(schedule=[(1990, "stable_share", 0.3)])


def test_schedule_applies_at_the_start_of_its_year():
    m = InnovationModel(seed=1, schedule=[(2016, "stable_share", 0.6)])
    m.run(steps=4)
    assert m.params["stable_share"] == DEFAULTS["stable_share"]
    m.step()
    assert m.params["stable_share"] == 0.6


def test_signature_lists_every_parameter_with_its_default():
    sig = inspect.signature(InnovationModel.__init__)
    for p in PARAMETERS:
        assert sig.parameters[p.name].default == p.default
    assert {"seed", "rng", "schedule"} <= set(sig.parameters)


def test_odd_parameter_table_is_the_generated_one():
    odd = (ROOT / "docs" / "ODD.md").read_text(encoding="utf-8")
    assert parameter_table_markdown() in odd, "docs/ODD.md is stale: run `python -m abm.docs`"


def test_column_glossary_doc_is_the_generated_one():
    from abm.glossary import markdown

    doc = (ROOT / "docs" / "columns.md").read_text(encoding="utf-8")
    assert doc == markdown() + "\n", "docs/columns.md is stale: run `python -m abm.docs`"
