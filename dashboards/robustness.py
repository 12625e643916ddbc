"""The shipped policy questions with their answers and robustness, for the "How sure?" tab.

Reads ``dashboards/robustness.json``, which ``python -m experiments.robustness --publish`` writes from
the runs of ``experiments.robustness`` (the dashboard never imports ``experiments``). Each question: a
scenario compared with a reference (or a level), one outcome over a window, the answer (paired
difference over seeds: mean, 95% interval, share of seeds with its sign), the Morris sensitivity of the
answer to the assumed parameters (mu* over each parameter's plausible range) and the verdict
(docs/validation.md: *holds* when the interval excludes 0 and at least 90% of the design points share
the sign; otherwise it *depends on* the two parameters with the largest mu*).

No UI code: texts come from :mod:`dashboards.labels` and :mod:`dashboards.i18n_zh` in the current
language; frames for the chart are plain pandas.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

import pandas as pd

from dashboards.i18n_zh import SCENARIO_ZH
from dashboards.i18n_zh import unit as unit_text
from dashboards.labels import INDICATORS, LABELS, current_language, language, t

FILE = "robustness.json"
#: mu (the signed mean elementary effect) is called a direction only when it is at least this share of mu*;
#: below it, raising the parameter moves the effect up at some design points and down at others.
DIRECTION_SHARE = 0.5
DIRECTIONS = ("rob.dir.up", "rob.dir.down", "rob.dir.mixed")
DIRECTION_COLOURS = {"rob.dir.up": "#2ca02c", "rob.dir.down": "#d62728", "rob.dir.mixed": "#7f7f7f"}


@lru_cache(maxsize=1)
def load() -> dict[str, Any]:
    """The published file (``about``, ``command``, ``published``, ``commits``, ``questions``)."""
    return json.loads(resources.files("dashboards").joinpath(FILE).read_text(encoding="utf-8"))


def bases() -> list[str]:
    """The bases the answers were run on, in the file's order: "" (the parameter-table defaults, each scenario
    file as written) and e.g. "calendar_calibrated" (every scenario laid on the calibrated policy calendar).
    """
    d = load()
    return list(d.get("bases") or dict.fromkeys(e.get("base", "") for e in d["questions"]))


@lru_cache(maxsize=1)
def _by_base() -> dict[str, dict[str, dict[str, Any]]]:
    """The published questions grouped once: base -> question key -> entry (the file's order)."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for e in load()["questions"]:
        out.setdefault(e.get("base", ""), {})[e["question"]] = e
    return out


def questions(base: str = "") -> dict[str, dict[str, Any]]:
    """Every published question on ``base`` by key, in the order of the file (``experiments.robustness.QUESTIONS``)."""
    return _by_base().get(base, {})


def for_scenario(scenario: str, base: str = "") -> dict[str, Any] | None:
    """The question on ``base`` whose scenario is ``scenario``, or None (not a shipped policy question)."""
    return next((e for e in questions(base).values() if e["scenario"] == scenario), None)


def _base_label(prefix: str, base: str, fallback: str) -> str:
    """The label ``prefix.<base>`` (``prefix.defaults`` for the defaults), or ``fallback`` with the base's name."""
    key = f"{prefix}.{base or 'defaults'}"
    return t(key, name=scenario_name(base)) if key in LABELS["en"] else t(fallback, name=scenario_name(base))


def base_name(base: str) -> str:
    """What a base is, in words (the defaults, or the named scenario the answers were laid on)."""
    return _base_label("rob.base", base, "rob.base.named")


def base_short(base: str) -> str:
    """A base's name in the picker: its own short label, or the scenario's name."""
    return _base_label("rob.base.short", base, "rob.base.short.named")


def scenario_name(key: str | None) -> str:
    """A shipped scenario's display name: its key in English (as in the picker), its Chinese name in Chinese."""
    if key is None:
        return ""
    return SCENARIO_ZH.get(key, {}).get("name", key) if current_language() == "zh" else key


def title(e: dict[str, Any]) -> str:
    """'scenario vs reference', or 'scenario (level)'."""
    if e["reference"] is None:
        return t("rob.level_title", scenario=scenario_name(e["scenario"]))
    return t("rob.vs", scenario=scenario_name(e["scenario"]), reference=scenario_name(e["reference"]))


def outcome_name(e: dict[str, Any]) -> str:
    """The outcome's name in the current language (the indicator's column name when it has no label)."""
    row = INDICATORS.get(e["outcome"])
    if row is None:
        return e["outcome"]
    return row[1] if current_language() == "zh" else row[0]


def kind(e: dict[str, Any]) -> str:
    """How the effect is measured: 'relative' (% of the reference), 'pp' (a share: percentage points) or 'units'."""
    if e["relative"]:
        return "relative"
    return "pp" if e["unit"].startswith("share") else "units"


def factor(e: dict[str, Any]) -> float:
    """Multiplier from the file's values to the shown ones (100 for % and percentage points)."""
    return 1.0 if kind(e) == "units" else 100.0


def effect_unit(e: dict[str, Any]) -> str:
    """The unit of the answer, the design range and mu*, as shown (axis titles, table)."""
    k = kind(e)
    if k == "relative":
        return t("rob.unit.relative", unit=unit_text(e["unit"]), reference=scenario_name(e["reference"]))
    if k == "pp":
        return t("rob.unit.pp", unit=unit_text(e["unit"]))
    return t("rob.unit.capability") if e["unit"] == "capability" else unit_text(e["unit"])


def fmt(v: float, e: dict[str, Any], sign: bool = True) -> str:
    """A value of the answer's unit as in docs/validation.md: +4.8%, +0.31 pp, +0.0671."""
    k = kind(e)
    s = "+" if sign else ""
    if k == "relative":
        return f"{_nonzero(100 * v, 1, s)}%"
    if k == "pp":
        return f"{_nonzero(100 * v, 2, s)} {t('rob.pp')}"
    return f"{v:{s}.3g}"


def _nonzero(x: float, decimals: int, s: str) -> str:
    """``x`` with ``decimals`` decimals, or one significant digit where that would show a non-zero as 0
    (-0.004 pp, not -0.00 pp).
    """
    out = f"{x:{s}.{decimals}f}"
    if x != 0 and float(out) == 0:
        return f"{x:{s}.1g}"
    return out


def window(e: dict[str, Any]) -> str:
    """The outcome's window: 'in 2030', 'summed over 2021-2024', 'mean of 2021-2030'."""
    y0, y1 = e["years"]
    if y0 == y1:
        return t("rob.window.year", year=y0)
    return t(f"rob.window.{e['how']}", first=y0, last=y1)


def answer_text(e: dict[str, Any]) -> str:
    """Mean [95% interval], share of seeds with its sign, number of seeds."""
    a = e["answer"]
    return t(
        "rob.answer_text",
        mean=fmt(a["mean"], e),
        low=fmt(a["ci_low"], e),
        high=fmt(a["ci_high"], e),
        share=f"{100 * e['share_same_sign']:.0f}",
        n=a["n"],
    )


def design_text(e: dict[str, Any]) -> str:
    """The effect's range over the Morris design points and the share of them with the answer's sign."""
    lo, hi = e["design_range"]
    return t(
        "rob.design_text",
        low=fmt(lo, e),
        high=fmt(hi, e),
        points=e["design_points"],
        share=f"{100 * e['design_same_sign']:.0f}",
        seeds=e["point_seeds"],
    )


def holds(e: dict[str, Any]) -> bool | None:
    """True if the verdict is 'holds', False if it 'depends on', None for a level (no comparison)."""
    if e["reference"] is None:
        return None
    return e["verdict"] == "holds over the plausible ranges"


def verdict_text(e: dict[str, Any]) -> str:
    """The verdict in plain words, in the current language."""
    h = holds(e)
    if h is None:
        top = e["morris"][:2]
        return t("rob.verdict.level", a=top[0]["parameter"], b=top[1]["parameter"])
    if h:
        return t("rob.verdict.holds")
    top = e["morris"][:2]
    return t("rob.verdict.depends", a=top[0]["parameter"], b=top[1]["parameter"])


def verdict_short(e: dict[str, Any]) -> str:
    """The verdict in a few words (the overview table)."""
    h = holds(e)
    if h is None:
        return t("rob.short.level")
    if h:
        return t("rob.short.holds")
    return t("rob.short.depends", a=e["morris"][0]["parameter"], b=e["morris"][1]["parameter"])


def how_sure(scenario: str, lang: str) -> str | None:
    """A lesson's paragraph on how sure its answer is, in ``lang``, written from the published file: the
    answer of the question whose scenario is ``scenario`` on the defaults (what the lesson runs), its range
    over the design points, the verdict, and the calibrated calendar's answer beside it. None when no shipped
    question has this scenario.
    """
    with language(lang):
        e = for_scenario(scenario)
        if e is None:
            return None
        cal = for_scenario(scenario, "calendar_calibrated")
        parts = [
            t(
                "rob.lesson",
                question=title(e),
                outcome=outcome_name(e),
                window=window(e),
                answer=answer_text(e),
                design=design_text(e),
                verdict=verdict_text(e),
            )
        ]
        if cal is not None:
            c = cal["answer"]
            answer = f"{fmt(c['mean'], cal)} [{fmt(c['ci_low'], cal)}, {fmt(c['ci_high'], cal)}]"
            level = holds(cal) is None
            parts.append(
                t("rob.lesson.cal_level" if level else "rob.lesson.cal", answer=answer, verdict=verdict_short(cal))
            )
        parts.append(t("rob.lesson.source"))
        return ("" if lang == "zh" else " ").join(parts)  # no spaces between Chinese sentences


def direction(m: dict[str, Any]) -> str:
    """Label key of how raising a parameter moves the effect (sign of mu when |mu| >= DIRECTION_SHARE * mu*)."""
    if m["mu_star"] == 0 or abs(m["mu"]) < DIRECTION_SHARE * m["mu_star"]:
        return "rob.dir.mixed"
    return "rob.dir.up" if m["mu"] > 0 else "rob.dir.down"


def morris_frame(e: dict[str, Any]) -> pd.DataFrame:
    """One row per assumed parameter, largest mu* first: mu* and sigma in the shown unit, range, direction."""
    from abm.params import PARAMS_BY_NAME
    from dashboards.i18n_zh import param_meaning

    f = factor(e)
    rows = []
    for i, m in enumerate(e["morris"]):
        p = PARAMS_BY_NAME.get(m["parameter"])
        lo, hi = m["range"]
        rows.append(
            {
                "parameter": m["parameter"],
                "rank": i + 1,
                "mu_star": f * m["mu_star"],
                "sigma": f * m["sigma"],
                "mu": f * m["mu"],
                "range": f"{lo:g} - {hi:g}" + (f" {unit_text(p.unit)}" if p is not None and p.unit else ""),
                "direction": t(direction(m)),
                "meaning": param_meaning(p) if p is not None else "",
            }
        )
    return pd.DataFrame(rows)


def effect_frame(e: dict[str, Any]) -> pd.DataFrame:
    """Two rows in the shown unit: the answer (mean, 95% interval over seeds) and the design points' range."""
    f = factor(e)
    a = e["answer"]
    lo, hi = e["design_range"]
    return pd.DataFrame(
        [
            {
                "row": t("rob.row.answer", n=a["n"]),
                "lo": f * a["ci_low"],
                "hi": f * a["ci_high"],
                "mean": f * a["mean"],
                "what": t("rob.what.interval"),
            },
            {
                "row": t("rob.row.design", points=e["design_points"]),
                "lo": f * lo,
                "hi": f * hi,
                "mean": None,
                "what": t("rob.what.range"),
            },
        ]
    )


def provenance_text(e: dict[str, Any]) -> str:
    """Where the numbers come from: the run's commit, date and command, the base it ran on, scale and seeds."""
    run, s = e["run"], e["seeds"]
    return t(
        "rob.provenance",
        base=base_name(e.get("base", "")),
        commit=run["commit"][:7],
        date=run["date"],
        command=run["command"],
        scale=f"{e['scale']:g}",
        a0=s["answer"][0],
        a1=s["answer"][1],
        d0=s["design_points"][0],
        d1=s["design_points"][1],
    )
