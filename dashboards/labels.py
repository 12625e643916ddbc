"""Every text the dashboard shows, in one place (a later issue adds a Chinese translation).

Use :func:`t` to look a label up; ``t("key", n=3)`` fills ``{n}`` placeholders. A missing key in a
language falls back to English, and a missing English key raises ``KeyError`` (tests check that
every key used by the app exists).
"""

from __future__ import annotations

from typing import Any

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "app.title": "China's national innovation system: live model",
        "app.subtitle": "Agent-based model (Mesa). One step is a quarter; values are national (scaled up from agents).",
        # controls
        "ctl.play": "Play",
        "ctl.pause": "Pause",
        "ctl.step": "Step",
        "ctl.reset": "Reset",
        "ctl.speed": "Quarters per update",
        "ctl.delay": "Pause between updates (ms)",
        "ctl.seed": "Random seed",
        "ctl.run_to": "Stop at year",
        "ctl.scenario": "Scenario",
        "ctl.upload": "…or drop a scenario file (.toml) here",
        "ctl.apply_now": "Apply now",
        "ctl.apply_reset": "Reset with changes",
        "ctl.discard": "Discard changes",
        "ctl.download_csv": "Indicators (CSV)",
        "ctl.png_hint": "Save any chart as PNG or SVG from its \u2026 menu (top right of the chart).",
        "ctl.levers": "Policy levers and parameters",
        "ctl.lever_badge": "lever",
        "ctl.only_reset": "takes effect on Reset only",
        "ctl.default": "default",
        "msg.pending": "{n} change(s) not applied yet: {names}. "
        "'Apply now' changes the running model from the next quarter ({when}); "
        "'Reset with changes' restarts from {start} with them.",
        "msg.pending_reset_only": "{names} can only change on Reset (they fix the model's size and calendar).",
        "msg.applied_now": "Applied from {when}: {names}.",
        "msg.reset_done": "Restarted '{scenario}' (seed {seed}) from {start}.",
        "msg.error_title": "That did not work",
        "msg.scenario_loaded": "Scenario '{name}' loaded: {question}",
        "msg.no_effect_mission": "mission_budget is above 0 but mission_field is 'none': the mission budget has no effect.",
        "msg.no_effect_cutoff": "cutoff_fields is 'none': the cut-off settings have no effect.",
        "msg.start_hint": "Press Play (or Step) to run the model: the charts fill in quarter by quarter.",
        "msg.stopped": "Reached {year}: paused. Raise 'Stop at year' to go on.",
        "status.time": "{year} Q{quarter} · step {step}",
        "status.scenario": "Scenario: {name} · seed {seed}",
        "status.agents": "{n} agents",
        # groups
        "group.funding": "Funding (government)",
        "group.firms": "Firms",
        "group.finance": "Finance (venture capital, guidance funds)",
        "group.talent": "Talent",
        "group.transfer": "Technology transfer",
        "group.shocks": "Shocks",
        "group.research": "Research (advanced)",
        "group.simulation": "Simulation (Reset only)",
        # tabs
        "tab.overview": "R&D",
        "tab.system": "Money & capability",
        "tab.firms": "Firms & VC",
        "tab.talent": "Talent & network",
        "tab.compare": "Compare",
        "tab.inspector": "Inspector",
        # charts
        "chart.intensity": "R&D intensity (R&D spending / GDP)",
        "chart.intensity.help": "Model (line) against the observed NBS series (dots) and the national targets "
        "of 2.5% in 2020 and 2.8% in 2030 (diamonds). The current year is annualised.",
        "chart.performers": "Who performs R&D",
        "chart.performers.help": "Share of R&D spending by performer: enterprises (SOEs, private firms, SMEs), "
        "research institutes (labs), universities. Observed 2015: 77% / 15% / 7%.",
        "chart.types": "What kind of R&D",
        "chart.types.help": "Share of R&D spending on basic research, applied research and experimental "
        "development. Observed 2020: 6% / 11% / 83%.",
        "chart.money": "Money flows between actor groups",
        "chart.money.help": "The largest flows of the current year (yuan, annualised), from one group to another. "
        "Tick the box to add sales, suppliers, imports and R&D wages and materials.",
        "chart.money.markets": "Include markets and R&D spending (sales, suppliers, imports, wages)",
        "chart.capability": "Domestic capability vs world frontier",
        "chart.capability.help": "Capability per technology field relative to the world frontier (1 = at the "
        "frontier). Red: field 'controlled by others' (foreign dependence above the threshold).",
        "chart.sme": "SMEs, venture capital, births and deaths",
        "chart.sme.help": "Start-up births and deaths per year, the number of tech SMEs, and venture "
        "capital invested (private VC and state guidance funds).",
        "chart.size": "Firm-size distribution (log-log)",
        "chart.size.help": "Number of firms (weighted to national numbers) per revenue bin, both axes "
        "logarithmic. A straight falling line is a power law (Zipf).",
        "chart.talent": "Researchers by sector",
        "chart.talent.help": "Researchers (full-time equivalents) employed by each sector, year end.",
        "chart.talent_flows": "Flows of people this year",
        "chart.talent_flows.help": "The largest flows of people in the current year (annualised): "
        "graduates, hires, job changes, retirements, study abroad and returns.",
        "chart.network": "Technology-transfer and contract network",
        "chart.network.help": "Links of the last 8 quarters, aggregated by kind of actor and {by}. "
        "Circle size: actors' links; line width: number of links between two groups.",
        "chart.network.by": "Group actors by",
        "chart.compare": "Scenario A vs scenario B (same seed)",
        "chart.compare.help": "Both runs use the same seed; solid line = A, dashed = B. The right column "
        "shows B minus A.",
        "chart.agent": "History of the selected actor",
        # compare
        "cmp.a": "Scenario A",
        "cmp.b": "Scenario B",
        "cmp.years": "Years",
        "cmp.run": "Run both",
        "cmp.indicators": "Indicators",
        "cmp.running": "Running…",
        "cmp.empty": "Pick two scenarios and press 'Run both'.",
        "cmp.done": "Ran '{a}' and '{b}' for {years} years with seed {seed} in {secs:.1f} s.",
        # inspector
        "ins.kind": "Kind of actor",
        "ins.how": "Pick",
        "ins.largest": "largest",
        "ins.median": "median size",
        "ins.smallest": "smallest",
        "ins.random": "at random",
        "ins.pick": "Pick actor",
        "ins.none": "No actor picked yet: choose a kind and press 'Pick actor'.",
        "ins.gone": "This actor has left the model (closed, acquired or listed) at {when}.",
        "ins.since": "History recorded since you picked it ({when}); press Play or Step to extend it.",
        "ins.state": "Current state (per real actor; weight = real actors it stands for)",
        "ins.variable": "Variable to plot",
        # kinds and series
        "kind.soe": "State-owned enterprises",
        "kind.private": "Private firms",
        "kind.sme": "Tech SMEs & start-ups",
        "kind.university": "Universities",
        "kind.lab": "Research institutes (labs)",
        "kind.vc": "VC firms & guidance funds",
        "kind.gov": "Government bodies",
        "series.model": "model",
        "series.observed": "observed (NBS)",
        "series.target": "target",
        "series.enterprises": "enterprises",
        "series.institutes": "research institutes",
        "series.universities": "universities",
        "series.basic": "basic research",
        "series.applied": "applied research",
        "series.development": "development",
        "series.births": "start-up births",
        "series.deaths": "SME deaths",
        "series.n_sme": "tech SMEs (number)",
        "series.vc_invested": "VC invested (bn yuan)",
        "series.guidance_invested": "guidance funds invested (bn yuan)",
        "axis.year": "year",
        "axis.percent": "% of GDP",
        "axis.share": "share of R&D",
        "axis.bn_yuan": "bn yuan per year",
        "axis.people": "persons per year",
        "axis.capability": "capability (1 = world frontier)",
        "axis.revenue": "revenue per firm (yuan per year)",
        "axis.firms": "number of firms",
        "axis.researchers": "researchers (FTE)",
        "axis.flow": "flow",
        "node.gov_central": "Central government",
        "node.gov_local": "Local governments",
        "node.fiscal": "Treasury",
        "node.soe": "SOEs",
        "node.private": "Private firms",
        "node.sme": "SMEs",
        "node.university": "Universities",
        "node.lab": "Research institutes",
        "node.private_vc": "Private VC",
        "node.guidance_fund": "Guidance funds",
        "node.market": "Customers",
        "node.suppliers": "Suppliers",
        "node.households": "Researchers' pay",
        "node.foreign": "Abroad",
        "node.investors": "Investors (LPs)",
        "node.capital_market": "Capital market",
        "node.founders": "Founders",
        "node.students": "Students",
        "node.pool": "Job seekers",
        "node.enrolment": "New students",
        "node.other_jobs": "Other jobs",
        "node.retirement": "Retirement",
        "node.abroad": "Abroad",
    },
}

LANGUAGE = "en"


def t(key: str, lang: str | None = None, **values: Any) -> str:
    """Return the label ``key`` in ``lang`` (default: English), with ``{placeholders}`` filled in."""
    table = LABELS.get(lang or LANGUAGE, LABELS["en"])
    text = table.get(key)
    if text is None:
        text = LABELS["en"][key]
    return text.format(**values) if values else text


def node(name: str) -> str:
    """Readable name of a ledger node, or the node name itself."""
    key = f"node.{name}"
    return t(key) if key in LABELS["en"] else name
