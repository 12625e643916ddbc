"""The live dashboard: a plain Solara app with one model per browser session.

Run ``solara run dashboards/app.py`` or ``python -m dashboards`` (see docs/dashboard.md).
Each browser tab gets its own :class:`dashboards.session.Session` (built in ``solara.use_memo``
inside the page), so tabs never share a run. Only the charts of the visible tab are redrawn.
"""

# ruff: noqa: N802  (Solara components are named like classes, as in Solara's and Mesa's own code)
from __future__ import annotations

import sys
import threading
import time
import traceback
from html import escape as esc
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # `solara run dashboards/app.py` loads this file as a plain module
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import dashboards._env  # noqa: F401, I001 - first: telemetry and Solara's checks off before the server starts
import solara
import solara.lab
from markdown_it import MarkdownIt

from abm import PARAMETERS, ParameterError, ScenarioError
from abm.components import COMPONENT_NAMES
from abm.fields import FIELD_NAMES, FIELDS
from abm.params import GROUPS
from dashboards import charts, data, inputs, share
from dashboards import robustness as rob
from dashboards.vega import VegaView, bundle_path, ensure_bundle
from dashboards.i18n_zh import field_label, param_meaning, scenario_text
from dashboards.labels import LANGUAGES, indicator_label, set_language_source, t
from dashboards.lessons import Lesson, load_lessons
from dashboards.lessons import markdown as lesson_markdown
from dashboards.lessons.handouts import handout_html, handout_name, scenario_name
from dashboards.session import (
    COMPARE_INDICATORS,
    INSPECT_KINDS,
    RESET_ONLY,
    VARIABLE_UNITS,
    Session,
    scenario_choices,
    scenario_label,
)

ensure_bundle()

# The language of this browser tab: a module-level reactive has one value per kernel (browser tab).
# Every component that calls t() reads it and so redraws when the language changes.
LANG = solara.reactive("en")
set_language_source(lambda: LANG.value)

GROUP_ORDER = (
    "funding",
    "firms",
    "finance",
    "talent",
    "transfer",
    "partners",
    "shocks",
    "growth",
    "research",
    "assumptions",
    "simulation",
)
GROUP_ORDER = tuple(g for g in GROUP_ORDER if g in GROUPS) + tuple(g for g in GROUPS if g not in GROUP_ORDER)
TABS = ("overview", "agents", "system", "firms", "projects", "talent", "compare", "inspector", "robustness")
SPEEDS = [1, 2, 4, 8]
FULL_RENDER_SECONDS = 30.0  # while playing, the page is re-rendered at most this often (live views are pushed)
WARMUP = 4  # quarters run before the page shows a run: every chart has its first year at once
CELL = "flex: 0 0 auto; width: auto; max-width: 680px;"
CAPTION = "font-size: 12px; color: #555; line-height: 1.25; margin: -6px 0 10px 0;"
TAB_CHARTS = {tab: [c for c, (ct, _title) in charts.CHARTS.items() if ct == tab] for tab in TABS}
CSS = """
.nis-status-line { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 16px; }
.nis-time { font-weight: bold; font-size: 18px; }
.nis-share { font-size: 13px; }
.nis-monitors { display: flex; flex-wrap: wrap; gap: 10px; margin: 6px 0 4px 0; }
.nis-monitor { border: 1px solid #ddd; border-radius: 6px; padding: 4px 12px; min-width: 120px; background: #fafafa; }
.nis-monitor-label { font-size: 12px; color: #555; }
.nis-monitor-value { font-size: 26px; font-weight: bold; line-height: 1.15; }
.nis-monitor-unit { font-size: 11px; color: #777; }
.nis-projector .nis-monitor-value { font-size: 40px; }
.nis-projector .nis-monitor-label, .nis-projector .nis-monitor-unit { font-size: 16px; }
.nis-marked { outline: 3px solid #ff9800; outline-offset: 3px; border-radius: 4px; }
.nis-mark { color: #e65100; font-size: 12px; font-weight: bold; }
.nis-lesson-text { font-size: 14px; line-height: 1.45; }
.nis-lesson-text h3 { font-size: 15px; margin: 14px 0 4px 0; letter-spacing: 0.03em; }
.nis-cell { max-width: 100% !important; min-width: 0; }
.nis-main-row { flex-wrap: nowrap; }
@media (max-width: 1400px) {
  .nis-sidebar { width: 270px !important; }
  .nis-lesson { width: 340px !important; }
}
@media (max-width: 1150px) {  /* a small screen: the lesson text goes below the charts */
  .nis-main-row { flex-wrap: wrap; }
  .nis-lesson { width: 100% !important; flex: 1 1 100% !important; max-height: none !important; }
}
.nis-projector .nis-sidebar { width: 230px !important; }
.nis-chart { max-width: 100%; }
.nis-vega svg.marks { max-width: 100%; height: auto; }
.nis-projector .nis-cell { flex: 1 1 420px !important; }
.nis-projector .nis-vega svg.marks { width: 100%; height: auto; }
.nis-lesson-compare { height: auto !important; min-height: 30px; padding: 4px 12px !important; }
.nis-lesson-compare .v-btn__content { white-space: normal; text-align: left; flex: 1 1 auto; }
.nis-projector .nis-lesson-text p, .nis-projector .nis-lesson-text li { font-size: 20px !important; line-height: 1.45; }
.nis-projector .nis-lesson-text h3 { font-size: 24px !important; }
.nis-projector .nis-time { font-size: 28px !important; }
.nis-projector .nis-help { font-size: 17px !important; max-width: 560px !important; }
.nis-projector .v-btn { font-size: 18px !important; }
.nis-projector .nis-title { font-size: 30px !important; }
.nis-rob-table table { border-collapse: collapse; font-size: 12px; width: 100%; table-layout: auto; }
.nis-rob-table th, .nis-rob-table td { border-bottom: 1px solid #ddd; padding: 3px 6px; text-align: left;
  vertical-align: top; overflow-wrap: anywhere; }
.nis-rob-table tr.nis-rob-current td { background: #fff3e0; font-weight: bold; }
.nis-rob-facts { font-size: 13px; line-height: 1.4; max-width: 760px; }
.nis-rob-facts dt { font-weight: bold; color: #555; font-size: 12px; margin-top: 4px; }
.nis-rob-facts dd { margin: 0 0 2px 0; overflow-wrap: anywhere; }
.nis-rob-verdict { border-radius: 4px; padding: 4px 10px; margin: 4px 0; font-size: 13px; max-width: 760px; }
.nis-rob-holds { background: #e8f5e9; border-left: 4px solid #2ca02c; }
.nis-rob-depends { background: #fff3e0; border-left: 4px solid #ff9800; }
.nis-rob-level { background: #f5f5f5; border-left: 4px solid #7f7f7f; }
"""
USER_ERRORS = (ParameterError, ScenarioError, ValueError, KeyError, OSError)


def friendly(err: BaseException) -> str:
    """A one-paragraph message for an error (no traceback)."""
    text = str(err).strip("'\"") or type(err).__name__
    return text if isinstance(err, (ParameterError, ScenarioError)) else f"{type(err).__name__}: {text}"


class Notice:
    """Per-session message line: kind is 'info', 'success', 'warning' or 'error'."""

    def __init__(self) -> None:
        self.state = solara.reactive(("info", ""))

    def set(self, kind: str, text: str) -> None:
        """Show a message."""
        self.state.value = (kind, text)

    def guard(self, fn: Any, *args: Any, success: bool = True) -> Any:
        """Run fn; show its returned text, or a readable message if it fails. Never raises."""
        try:
            out = fn(*args)
        except USER_ERRORS as err:
            self.set("error", friendly(err))
            return None
        except Exception as err:
            traceback.print_exc()
            self.set("error", f"Unexpected problem ({type(err).__name__}: {err}). The session keeps running.")
            return None
        if success and isinstance(out, str) and out:
            self.set("success", out)
        return out


@solara.component
def NoticeBar(notice: Notice):
    """The message line under the status bar."""
    kind, text = notice.state.value
    if not text:
        return
    with solara.Row(style="align-items: center;", classes=["nis-notice"]):
        if kind == "error":
            solara.Error(label=f"{t('msg.error_title')}: {text}", dense=True, classes=["nis-error"])
        elif kind == "warning":
            solara.Warning(label=text, dense=True)
        elif kind == "success":
            solara.Success(label=text, dense=True)
        else:
            solara.Info(label=text, dense=True)
        solara.Button(icon_name="mdi-close", icon=True, small=True, on_click=lambda: notice.set("info", ""))


@solara.component
def Chart(parts: tuple[dict[str, Any], dict[str, Any]], name: str, on_click: Any = None):
    """A Vega-Lite chart: ``parts`` from :func:`dashboards.charts.view` (spec, datasets).

    The spec is sent when the chart or the language changes, the datasets every step; the browser
    swaps them into the drawn chart (:mod:`dashboards.vega`). Its "…" menu saves the chart as PNG or
    SVG in the browser, at no cost to the server.
    """
    spec, datasets = parts
    with solara.Column(gap="0px", classes=["nis-chart", f"nis-chart-{name}"]):
        VegaView.element(
            spec=spec,
            datasets=datasets,
            bundle_path=bundle_path(),
            listen_to_click=on_click is not None,
            on_click_handler=on_click,
        )


def html_markdown(text: str) -> str:
    """Markdown to HTML on the server (Solara's Markdown loads KaTeX from a CDN in the browser)."""
    return _MD.render(text)


_MD = MarkdownIt("commonmark", {"html": False}).enable("table")


def Help(key: str, **values: Any):
    """A one-line explanation under a chart."""
    solara.Div(
        children=[t(key, **values)],
        classes=["nis-help"],
        style="font-size: 12px; color: #555; max-width: 430px; margin: 0 0 12px 0;",
    )


# ---------------------------------------------------------------------------------------------
# run controls
# ---------------------------------------------------------------------------------------------
@solara.component
def RunControls(
    session: Session,
    tick: solara.Reactive[int],
    playing: solara.Reactive[bool],
    version: solara.Reactive[int],
    notice: Notice,
):
    """Play / pause / step / reset, speed, delay, stop year and seed; runs the play loop."""
    speed = solara.use_reactive(1)
    delay = solara.use_reactive(100)
    _ = version.value  # redraw when a scenario or lesson is loaded
    seed_text = solara.use_reactive(session.seed)
    stop_year = solara.use_reactive(session.stop_year)

    def sync():  # a lesson or a scenario sets the session's seed and stop year: show them
        seed_text.set(session.seed)
        stop_year.set(session.stop_year)

    solara.use_effect(sync, [session.run_token])

    def set_stop(v: int):
        stop_year.set(v)
        session.stop_year = v

    last_render = [time.monotonic()]

    def loop():
        if not playing.value:
            return
        while playing.value:
            if session.at_stop():
                playing.value = False
                notice.set("info", t("msg.stopped", year=session.stop_year))
                break
            try:
                session.advance(speed.value, delay.value / 1000)  # into the drawn widgets: status; charts when due
            except Exception as err:
                traceback.print_exc()
                playing.value = False
                notice.set("error", friendly(err))
                break
            if time.monotonic() - last_render[0] > FULL_RENDER_SECONDS:
                last_render[0] = time.monotonic()
                tick.value += 1  # the rest of the page (inspector table, file names) now and then
            if delay.value:
                time.sleep(delay.value / 1000)
        tick.value += 1  # paused or stopped: the whole page up to date

    solara.lab.use_task(loop, dependencies=[playing.value], prefer_threaded=True)

    def do_step():
        notice.guard(session.step, speed.value)
        tick.value += 1

    def do_reset():
        playing.value = False
        if notice.guard(lambda: session.reset(seed=int(seed_text.value))) is not None:
            version.value += 1
            tick.value += 1

    with solara.Row(gap="6px", style="flex-wrap: wrap; align-items: center;"):
        if playing.value:
            solara.Button(
                t("ctl.pause"),
                icon_name="mdi-pause",
                color="warning",
                on_click=lambda: playing.set(False),
                classes=["nis-pause"],
            )
        else:
            solara.Button(
                t("ctl.play"),
                icon_name="mdi-play",
                color="primary",
                on_click=lambda: playing.set(True),
                classes=["nis-play"],
            )
        solara.Button(
            t("ctl.step"), icon_name="mdi-step-forward", on_click=do_step, disabled=playing.value, classes=["nis-step"]
        )
        solara.Button(t("ctl.reset"), icon_name="mdi-restore", on_click=do_reset, classes=["nis-reset"])
    solara.Text(t("ctl.speed"), style="font-size: 12px; color: #555;")
    solara.ToggleButtonsSingle(value=speed, values=SPEEDS)
    solara.Text(t("ctl.delay"), style="font-size: 12px; color: #555;")
    with solara.Row(gap="4px", style="align-items: center;", classes=["nis-delay"]):
        solara.SliderInt("", value=delay, min=0, max=1000, step=50, thumb_label=False)
        solara.Text(f"{delay.value} ms", classes=["nis-slider-value"], style="min-width: 56px; font-size: 13px;")
    with solara.Row(gap="8px"):
        solara.InputInt(t("ctl.run_to"), value=stop_year.value, on_value=set_stop, continuous_update=False)
        solara.InputInt(t("ctl.seed"), value=seed_text, continuous_update=False)


def status_html(session: Session, lesson_key: str) -> str:
    """The live status line and monitors as HTML: time, scenario, agents, the share link, four big numbers."""
    m = session.model
    step = m.steps
    year, quarter = (m.start_year, 0) if step == 0 else (m.start_year + (step - 1) // 4, (step - 1) % 4 + 1)
    label = t("status.start", year=year) if step == 0 else t("status.time", year=year, quarter=quarter, step=step)
    scen = t("status.scenario", name=scenario_text(session.scenario, session.meta, "name"), seed=session.seed)
    view = (lesson_key or None, LANG.value, session.scenario, session.seed, m.year)
    query = session.memo(  # it changes once a year: not worked out (nor the scenario files listed) every quarter
        ("share_link", *view),
        lambda: share.link(lesson=view[0], lang=view[1], scenario=view[2], seed=view[3], year=view[4]),
    )
    href = session.link_base + query
    mon = session.chart_data("monitors")
    cells = [
        ("rd", f"{mon['rd_intensity']:.2f}", t("mon.rd_unit", year=m.year)),
        ("controlled", f"{mon['controlled']}", t("mon.controlled_unit", n=mon["fields"])),
        ("startups", f"{mon['startups']:,.0f}", t("mon.startups_unit", year=m.year)),
        ("researchers", f"{mon['researchers'] / 1e6:.2f}", t("mon.researchers_unit")),
    ]
    monitors = "".join(
        f'<div class="nis-monitor nis-monitor-{k}"><div class="nis-monitor-label">{esc(t(f"mon.{k}"))}</div>'
        f'<div class="nis-monitor-value">{esc(v)}</div><div class="nis-monitor-unit">{esc(u)}</div></div>'
        for k, v, u in cells
    )
    return (
        f'<div class="nis-status-line"><span class="nis-time">{esc(label)}</span>'
        f'<span class="nis-scenario">{esc(scen)}</span><span class="nis-agents">'
        f"{esc(t('status.agents', n=len(m.agents)))}</span>"
        f'<a class="nis-share" href="{esc(href)}" target="_blank" title="{esc(t("share.help"))}">'
        f'{esc(t("share.link"))}</a></div><div class="nis-monitors">{monitors}</div>'
    )


@solara.component
def StatusBar(session: Session, step: int, lesson_key: str = ""):
    """Time, scenario, agents, the share link and the monitors (pushed every step), the CSV download."""
    el = solara.widgets.HTML.element(
        tag="div", unsafe_innerHTML=status_html(session, lesson_key), attributes={"class": "nis-status"}
    )
    current = solara.use_ref(lesson_key)
    current.current = lesson_key

    def register():
        widget = solara.get_widget(el)

        def push():
            html = status_html(session, current.current)
            if html != widget.unsafe_innerHTML:
                widget.unsafe_innerHTML = html

        session.live["status"] = push
        return lambda: session.live.pop("status", None) if session.live.get("status") is push else None

    solara.use_effect(register, [])
    with solara.Row(style="align-items: center; flex-wrap: wrap; gap: 16px;"):
        solara.FileDownload(
            session.csv,
            filename=session.csv_name(),
            label=t("ctl.download_csv"),
            mime_type="text/csv",
            icon_name="mdi-file-delimited-outline",
        )
        solara.Text(t("ctl.png_hint"), style="font-size: 12px; color: #555;")


@solara.component
def ScenarioPicker(
    session: Session,
    tick: solara.Reactive[int],
    playing: solara.Reactive[bool],
    version: solara.Reactive[int],
    notice: Notice,
    tab: solara.Reactive[int],
):
    """Scenario select (shipped files and files in NIS_DASHBOARD_SCENARIOS) and a file drop; for a shipped
    policy question, its answer and verdict with a button to the "How sure?" tab.
    """
    _ = version.value
    choices = scenario_choices()
    if session.scenario not in choices:
        choices = [*choices, session.scenario]

    def load(key: str | None):
        if not key:
            return
        playing.value = False
        notice.guard(session.load, key)
        version.value += 1  # redraw the picker even on failure, so it shows the scenario still running
        tick.value += 1

    def on_file(f: dict[str, Any]):
        playing.value = False
        notice.guard(session.load_file, f["name"], f["data"])
        version.value += 1
        tick.value += 1

    solara.Select(
        t("ctl.scenario"), value=session.scenario, values=choices, on_value=load, classes=["nis-scenario-select"]
    )
    if session.meta.question:
        solara.Div(children=[scenario_text(session.scenario, session.meta, "question")], style=CAPTION)
    answer = rob.for_scenario(session.scenario)
    if answer is not None:  # a shipped policy question: its answer and how sure it is, one click to the details
        solara.Div(
            children=[
                t(
                    "rob.sidebar",
                    n=answer["answer"]["n"],
                    answer=f"{rob.outcome_name(answer)} {rob.window(answer)} {rob.fmt(answer['answer']['mean'], answer)}",
                    verdict=rob.verdict_short(answer),
                )
            ],
            classes=["nis-rob-hint"],
            style=CAPTION,
        )
        solara.Button(
            t("rob.open"),
            icon_name="mdi-scale-balance",
            small=True,
            text=True,
            color="primary",
            on_click=lambda: tab.set(TABS.index("robustness")),
            classes=["nis-rob-open"],
            style="text-transform: none; align-self: flex-start;",
        )
    solara.FileDrop(label=t("ctl.upload"), on_file=on_file, lazy=False)


def _fmt(v: Any) -> str:
    return inputs.fmt(v)


@solara.component
def ParamControl(p: Any, value: Any, default: Any, pending: bool, error: str, on_change: Any, on_error: Any):
    """One control generated from a row of the parameter table, with its unit, meaning and own error line.

    Typed numbers are parsed strictly (:func:`dashboards.inputs.parse`); money is shown and typed in
    bn or million yuan; a refused value shows its message here and the field goes back to the value
    in effect (the parent redraws the control). Sliders show their value beside them.
    """
    label = p.name + (" •" if pending else "")
    cls = [f"nis-param-{p.name}"]

    def typed(text: str):
        try:
            on_change(inputs.parse(p, text))
        except ParameterError as err:
            on_error(str(err))

    if p.kind == "bool":
        solara.Checkbox(label=label, value=bool(value), on_value=on_change, classes=cls)
    elif p.kind == "choice":
        solara.Select(label, value=value, values=list(p.choices), on_value=on_change, classes=cls)
    elif p.kind == "fields":
        chosen = [] if value == "none" else value.split(",")
        solara.SelectMultiple(
            label,
            values=chosen,
            all_values=list(FIELD_NAMES),
            classes=cls,
            on_value=lambda vs: on_change(",".join(vs) if vs else "none"),
        )
    elif p.kind == "components":
        chosen = [] if value == "none" else value.split(",")
        solara.SelectMultiple(
            label,
            values=chosen,
            all_values=list(COMPONENT_NAMES),
            classes=cls,
            on_value=lambda vs: on_change(",".join(vs) if vs else "none"),
        )
    elif p.name == "scale":  # a short list capped by the server, never a slider: one click must not build a country
        solara.Select(label, value=value, values=inputs.scale_choices(value), on_value=on_change, classes=cls)
    elif p.kind == "int" and p.high - p.low <= 100:
        solara.Text(label, style="font-size: 14px; margin-top: 4px;")  # above: a narrow column keeps the slider wide
        with solara.Row(gap="4px", style="align-items: center;", classes=cls):
            solara.SliderInt(
                "", value=int(value), min=int(p.low), max=int(p.high), on_value=on_change, thumb_label=False
            )
            solara.Text(str(int(value)), classes=["nis-slider-value"], style="min-width: 48px; font-size: 13px;")
    elif (p.high is not None and p.high <= 10 and p.low >= 0) or (p.low < 0 and p.high <= 1):
        step = (p.high - p.low) / 200
        solara.Text(label, style="font-size: 14px; margin-top: 4px;")
        with solara.Row(gap="4px", style="align-items: center;", classes=cls):
            # the slider snaps the shown value to its grid and reports it: ignore moves below one step
            solara.SliderFloat(
                "",
                value=float(value),
                min=p.low,
                max=p.high,
                step=step,
                thumb_label=False,
                on_value=lambda v: on_change(v) if abs(v - float(value)) > step / 2 else None,
            )
            solara.Text(inputs.fmt(value), classes=["nis-slider-value"], style="min-width: 48px; font-size: 13px;")
    else:
        solara.InputText(
            f"{label} ({inputs.display_unit(p)})",
            value=inputs.fmt(inputs.to_display(p, value)),
            on_value=typed,
            continuous_update=False,
            error=error or False,
            classes=cls,
        )
    typed_in = p.kind in ("int", "float") and p.name != "scale" and not _is_slider(p)
    if error and not typed_in:  # a text field shows its error itself
        solara.Div(children=[error], classes=["nis-param-error"], style="color: #b00020; font-size: 12px;")
    when = t("ctl.only_reset") if p.name in RESET_ONLY else ""
    lever = f"[{t('ctl.lever_badge')}] " if p.lever else ""
    caption = (
        f"{lever}{inputs.display_unit(p)} · {param_meaning(p)} "
        f"({t('ctl.default')} {inputs.fmt(inputs.to_display(p, default))}){' · ' + when if when else ''}"
    )
    solara.Div(children=[caption], style=CAPTION)


def _is_slider(p: Any) -> bool:
    if p.kind == "int":
        return p.high - p.low <= 100
    return (
        p.kind == "float"
        and p.name != "scale"
        and ((p.high is not None and p.high <= 10 and p.low >= 0) or (p.low < 0 and p.high <= 1))
    )


@solara.component
def Levers(
    session: Session,
    tick: solara.Reactive[int],
    playing: solara.Reactive[bool],
    version: solara.Reactive[int],
    notice: Notice,
):
    """Parameter controls by group (one group shown at a time), the pending banner and apply buttons."""
    _ = version.value
    group = solara.use_reactive("funding")
    values = session.values()
    defaults = {**{p.name: p.default for p in PARAMETERS}, **session.meta.params}

    errors = solara.use_reactive({})  # parameter -> message, shown at its control
    confirm = solara.use_reactive(False)

    def change(name: str, value: Any):
        try:
            if name == "scale":
                inputs.check_scale(value)
            session.set_value(name, value)
            errors.set({k: v for k, v in errors.value.items() if k != name})
        except USER_ERRORS as err:
            errors.set({**errors.value, name: friendly(err)})
        version.value += 1  # redraw the control: with the new value, or back to the one in effect

    def refuse(name: str, message: str):
        errors.set({**errors.value, name: message})
        version.value += 1

    def apply_now():
        if notice.guard(session.apply_now) is not None:
            version.value += 1
            tick.value += 1

    def reset_with(confirmed: bool = False):
        new_scale = session.pending.get("scale")
        if (
            new_scale is not None
            and new_scale > max(inputs.CLASSROOM_SCALE, session.model.params["scale"])
            and not confirmed
        ):
            confirm.set(True)  # a larger model than a classroom's: ask first
            return
        playing.value = False
        if notice.guard(session.reset) is not None:
            version.value += 1
            tick.value += 1

    solara.Text(t("ctl.levers"), style="font-weight: bold;")
    with solara.Row(gap="2px", style="flex-wrap: wrap;"):
        for g in GROUP_ORDER:
            solara.Button(
                t(f"group.{g}").split(" (")[0].split("(")[0],
                small=True,
                text=g != group.value,
                color="primary" if g == group.value else None,
                on_click=lambda g=g: group.set(g),
                classes=[f"nis-group-{g}"],
            )
    solara.Text(t(f"group.{group.value}"), style="font-size: 13px; font-weight: bold; margin-top: 6px;")
    msg = session.pending_message()
    warns = session.warnings()
    if msg:
        solara.Warning(msg, dense=True, classes=["nis-pending"])
        with solara.Row(gap="6px", style="flex-wrap: wrap;"):
            solara.Button(
                t("ctl.apply_now"),
                color="primary",
                small=True,
                on_click=apply_now,
                classes=["nis-apply-now"],
                disabled=all(n in RESET_ONLY for n in session.pending),
            )
            solara.Button(t("ctl.apply_reset"), small=True, on_click=lambda: reset_with(), classes=["nis-apply-reset"])
            solara.Button(
                t("ctl.discard"),
                small=True,
                text=True,
                on_click=lambda: (session.discard(), version.set(version.value + 1)),
            )
    for w in warns:
        solara.Warning(w, dense=True)
    if confirm.value and "scale" in session.pending:
        now_scale, new_scale = session.model.params["scale"], session.pending["scale"]
        n_now = len(session.model.agents)
        solara.lab.ConfirmationDialog(
            confirm,
            title=t("input.scale_confirm_title"),
            ok=t("input.scale_yes"),
            cancel=t("input.scale_no"),
            content=t(
                "input.scale_confirm",
                scale=f"{new_scale:g}",
                agents=int(n_now * new_scale / now_scale),
                now=n_now,
                factor=new_scale / now_scale,
            ),
            on_ok=lambda: reset_with(confirmed=True),
        )
    params = sorted((p for p in PARAMETERS if p.group == group.value), key=lambda p: not p.lever)
    with solara.Column(gap="0px", style="margin-top: 8px;"):
        for p in params:
            ParamControl(
                p,
                values[p.name],
                defaults[p.name],
                p.name in session.pending,
                errors.value.get(p.name, ""),
                lambda v, name=p.name: change(name, v),
                lambda msg, name=p.name: refuse(name, msg),
            ).key(f"{p.name}-{version.value}")


# ---------------------------------------------------------------------------------------------
# chart tabs
# ---------------------------------------------------------------------------------------------
@solara.component
def Cell(name: str, marked: bool, children: list | None = None):
    """A chart cell; a chart the lesson talks about gets an orange frame and a tag."""
    mark = [solara.Text(f"\u2605 {t('lesson.mark')}", classes=["nis-mark"])] if marked else []
    solara.Column(
        gap="0px",
        style=CELL,
        classes=["nis-cell", f"nis-cell-{name}"] + (["nis-marked"] if marked else []),
        children=[*mark, *(children or [])],
    )


YEARLY_CHARTS = ("rd_intensity", "rd_by_performer", "rd_by_type", "smes_vc", "researchers")
# recomputed at most once a year (their data cost more, or change slowly): drawn from the state when first shown
# in a year of the run
YEARLY_CHARTS += (
    "projects_outcomes",
    "projects_durations",
    "entry_exit",
    "vc_multiples",
    "vc_invested",
    "vc_funds",
    "partner_network",
    "partner_stats",
)


def chart_parts(session: Session, name: str, *opts: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """(spec, datasets) of chart ``name`` from the session's current state, cached.

    Charts of completed years are cached per year, the others per quarter: a push of an unchanged
    chart costs a dictionary lookup.
    """
    m = session.model
    when = m.steps // 4 if name in YEARLY_CHARTS else m.steps
    return session.memo(
        ("parts", session.run_token, when, LANG.value, name, *opts), lambda: _make_parts(session, name, *opts)
    )


def _make_parts(session: Session, name: str, *opts: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    m = session.model
    if name == "rd_intensity":
        out = charts.view(
            "intensity", {"main": session.chart_data("intensity")}, m.start_year, max(2030, session.stop_year)
        )
    elif name == "rd_by_performer":
        out = charts.view("share", {"main": session.chart_data("performers")}, "chart.performers")
    elif name == "rd_by_type":
        out = charts.view("share", {"main": session.chart_data("types")}, "chart.types")
    elif name == "capability":
        out = charts.view("capability", {"main": session.chart_data("capability")})
    elif name == "supply_components":
        fields = tuple(field_label(f.name, f.label) for f in FIELDS)
        threshold = float(m.params["control_threshold"])
        out = charts.view("supply", {"main": session.chart_data("supply")}, fields, threshold, key="")
    elif name == "supply_over_time":
        controlled, output = session.chart_data("supply_time")
        fields = tuple(field_label(f.name, f.label) for f in FIELDS)
        p = m.params
        cut = p["cutoff_fields"] != "none" or p["cutoff_components"] != "none"
        hi = max(session.stop_year, m.year + 1)
        out = charts.view(
            "supply_time",
            {"controlled": controlled, "output": output},
            m.start_year,
            hi,
            fields,
            int(p["cutoff_start_year"]) if cut else None,
            key="time",
        )
    elif name == "smes_vc":
        out = charts.view("sme", {"main": session.chart_data("sme")})
    elif name == "firm_sizes":
        out = charts.view("size", {"main": session.chart_data("size")})
    elif name == "researchers":
        out = charts.view("talent", {"main": session.chart_data("talent")})
    elif name == "people_flows":
        out = charts.view("flow", {"main": session.chart_data("people")}, "chart.talent_flows", "axis.people")
    elif name == "money_flows":
        out = charts.view("flow", {"main": session.chart_data("money", *opts)}, "chart.money", "axis.bn_yuan")
    elif name == "network":
        nodes, edges = session.chart_data("network", *opts)
        out = charts.view(
            "network",
            {"nodes": nodes, "edges": edges},
            opts[0] if opts else "region",
            tuple(dict.fromkeys(nodes["x"])),
            tuple(dict.fromkeys(nodes["y"])),
        )
    elif name == "agent_history":  # opts: variable, kind and id of the watched actor
        variable, kind, uid = opts
        title = f"{t('chart.agent')}: {kind} #{uid}"
        out = charts.view(
            "agent",
            {"main": data.agent_history_frame(session.history, variable)},
            variable,
            title,
            t(VARIABLE_UNITS.get(variable, "unit.index")),
            key="time",
        )
    elif name == "projects_outcomes":
        out = charts.view("projects", {"main": session.chart_data("projects")[0]}, key="")
    elif name == "projects_durations":
        out = charts.view("durations", {"main": session.chart_data("projects")[1]}, key="")
    elif name == "entry_exit":
        out = charts.view("entry_exit", {"main": session.chart_data("entry_exit")})
    elif name == "vc_multiples":
        hist, shares = session.chart_data("vc_multiples")
        out = charts.view("vc_multiples", {"hist": hist, "shares": shares}, key="")
    elif name == "vc_invested":
        out = charts.view("vc_invested", {"main": session.chart_data("vc_invested")})
    elif name == "vc_funds":
        out = charts.view("vc_funds", {"main": session.chart_data("vc_funds")}, key="")
    elif name == "partner_network":
        nodes, edges, _total = session.chart_data("partner_network")
        out = charts.view("partner_network", {"nodes": nodes, "edges": edges}, key="")
    elif name == "partner_stats":
        clustering, table, degree = session.chart_data("partner_stats")
        out = charts.view("partner_stats", {"clustering": clustering, "table": table, "degree": degree}, key="")
    elif name == "actors":
        dots, lines, _total = session.chart_data("actors")
        fields = tuple(field_label(f.name, f.label) for f in FIELDS)
        out = charts.view("actors", {"dots": dots, "lines": lines}, fields, tuple(m.region_names), key="")
    else:
        raise KeyError(name)
    return out


@solara.component
def LiveChart(session: Session, name: str, step: int, opts: tuple = (), on_click: Any = None):
    """Chart ``name`` drawn once, then kept up to date by :meth:`Session.push` (no page re-render per step).

    ``step`` (the page's step counter) makes a re-render of the page re-render the chart with current
    data: reacton re-applies an element's arguments to its widget, and those of an element left from
    an older render would put old data back over what was pushed.
    """
    spec, datasets = chart_parts(session, name, *opts)
    with solara.Column(gap="0px", classes=["nis-chart", f"nis-chart-{name}"]):
        el = VegaView.element(
            spec=spec,
            datasets=datasets,
            bundle_path=bundle_path(),
            listen_to_click=on_click is not None,
            on_click_handler=on_click,
        )
    current = solara.use_ref(opts)
    current.current = opts

    def register():
        widget = solara.get_widget(el)
        key = f"chart:{name}"

        sent = [spec, datasets]  # what the widget shows (traitlets keeps copies: compare what we sent)

        def push():
            spec2, datasets2 = chart_parts(session, name, *current.current)
            if sent[0] is not spec2:
                widget.spec = sent[0] = spec2
            if sent[1] is not datasets2:
                widget.datasets = sent[1] = datasets2

        session.live[key] = push

        def cleanup():
            if session.live.get(key) is push:
                del session.live[key]

        return cleanup

    solara.use_effect(register, [])


@solara.component
def MoneyCell(session: Session, step: int, marked: bool):
    """Money flows between groups, with the markets checkbox."""
    markets = solara.use_reactive(False)
    with Cell("money_flows", marked):
        LiveChart(session, "money_flows", step, (markets.value,))
        solara.Checkbox(label=t("chart.money.markets"), value=markets)
        Help("chart.money.help")


@solara.component
def NetworkCell(session: Session, step: int, marked: bool):
    """The aggregated network, grouped by region or field."""
    by = solara.use_reactive("region")
    with Cell("network", marked):
        LiveChart(session, "network", step, (by.value,))
        with solara.Row(style="align-items: center;"):
            solara.Text(t("chart.network.by"))
            solara.ToggleButtonsSingle(value=by, values=["region", "field"])
        Help("chart.network.help", by=by.value)


@solara.component
def ActorsCell(session: Session, step: int, marked: bool, tab: solara.Reactive[int] | None):
    """Every actor as a dot by field and region; a click follows that actor in the inspector."""
    _dots, lines, total = session.chart_data("actors")

    def clicked(datum: dict[str, Any]):
        uid = datum.get("id") if isinstance(datum, dict) else None
        if uid is None:
            return
        try:
            session.watch_id(int(uid))
        except KeyError:  # the actor left the model between the draw and the click
            return
        if tab is not None:
            tab.set(TABS.index("inspector"))

    with Cell("actors", marked):
        LiveChart(session, "actors", step, (), clicked)
        Help("chart.actors.help", n=len(lines) // 2, total=f"{total:,}")


@solara.component
def PartnerNetworkCell(session: Session, step: int, marked: bool):
    """The sampled real actors' collaboration network, with how many actors it draws."""
    nodes, _edges, total = session.chart_data("partner_network")
    with Cell("partner_network", marked):
        LiveChart(session, "partner_network", step)
        Help("chart.partner_network.help", n=f"{len(nodes):,}", total=f"{total:,}")


HELP = {
    "rd_intensity": "chart.intensity.help",
    "rd_by_performer": "chart.performers.help",
    "rd_by_type": "chart.types.help",
    "capability": "chart.capability.help",
    "supply_components": "chart.supply.help",
    "supply_over_time": "chart.supply_time.help",
    "smes_vc": "chart.sme.help",
    "firm_sizes": "chart.size.help",
    "researchers": "chart.talent.help",
    "people_flows": "chart.talent_flows.help",
    "projects_outcomes": "chart.projects.help",
    "projects_durations": "chart.durations.help",
    "entry_exit": "chart.entry_exit.help",
    "vc_multiples": "chart.vc_multiples.help",
    "vc_invested": "chart.vc_invested.help",
    "vc_funds": "chart.vc_funds.help",
    "partner_stats": "chart.partner_stats.help",
}


def _simple_chart(session: Session, name: str, step: int) -> None:
    """The chart ``name`` (an id of charts.CHARTS without controls of its own) and its help line."""
    if name not in HELP:
        raise KeyError(name)
    LiveChart(session, name, step)
    Help(HELP[name])


@solara.component
def ChartCells(
    session: Session,
    step: int,
    names: tuple[str, ...],
    marked: tuple[str, ...],
    tab: solara.Reactive[int] | None = None,
):
    """The charts ``names`` side by side (wrapping); those in ``marked`` framed."""
    with solara.Row(style="flex-wrap: wrap; gap: 14px;", classes=["nis-cells"]):
        for name in names:
            if name == "actors":
                ActorsCell(session, step, name in marked, tab).key(name)
            elif name == "money_flows":
                MoneyCell(session, step, name in marked).key(name)
            elif name == "network":
                NetworkCell(session, step, name in marked).key(name)
            elif name == "partner_network":
                PartnerNetworkCell(session, step, name in marked).key(name)
            elif name == "vc_funds" and not session.has_funds():
                continue  # the model records no VC funds: no funds chart
            else:
                with Cell(name, name in marked).key(name):
                    _simple_chart(session, name, step)


@solara.component
def CompareTab(session: Session, notice: Notice, request: solara.Reactive[dict | None]):
    """Two scenarios, same seed, overlaid with their difference.

    ``request`` (a lesson's comparison button) sets A, B, years and indicators and runs at once.
    """
    choices = scenario_choices()
    a = solara.use_reactive("baseline")
    b = solara.use_reactive(session.scenario if session.scenario != "baseline" else "funding_reform")
    years = solara.use_reactive(10)
    seeds = solara.use_reactive(5)
    chosen = solara.use_reactive(["rd_intensity", "enterprise_share", "basic_share", "n_sme"])
    result = solara.use_reactive(session.compare_result)
    progress = solara.use_reactive(0.0)
    runs = solara.use_reactive(0)
    req = request.value

    def consume():
        if req and req["nonce"] != getattr(session, "compare_nonce", 0):
            session.compare_nonce = req["nonce"]
            a.set(req["a"])
            b.set(req["b"])
            years.set(req["years"])
            if req["indicators"]:
                chosen.set(list(req["indicators"]))
            runs.set(runs.value + 1)

    solara.use_effect(consume, [req["nonce"] if req else 0])

    def run():
        if runs.value == 0:
            return
        out = notice.guard(
            session.compare,
            a.value,
            b.value,
            int(years.value),
            lambda f: progress.set(f),
            int(seeds.value),
            success=False,
        )
        if out is not None:
            result.value = out
            notice.set(
                "success",
                t(
                    "cmp.done",
                    a=scenario_label(out["a"]),
                    b=scenario_label(out["b"]),
                    years=out["years"],
                    seeds=", ".join(map(str, out["seeds"])),
                    secs=out["seconds"],
                ),
            )
        progress.value = 0.0

    task = solara.lab.use_task(run, dependencies=[runs.value], prefer_threaded=True)
    with solara.Row(style="flex-wrap: wrap; gap: 12px; align-items: center;"):
        solara.Select(t("cmp.a"), value=a, values=choices, classes=["nis-cmp-a"])
        solara.Select(t("cmp.b"), value=b, values=choices, classes=["nis-cmp-b"])
        for label, value, hi, cls in (
            (t("cmp.years"), years, 40, "nis-cmp-years"),
            (t("cmp.seeds"), seeds, 10, "nis-cmp-seeds"),
        ):
            with solara.Row(gap="4px", style="align-items: center; flex: 1 1 200px; min-width: 200px;", classes=[cls]):
                solara.SliderInt(label, value=value, min=1, max=hi, thumb_label=False)
                solara.Text(str(value.value), classes=["nis-slider-value"], style="min-width: 24px;")
        solara.Button(
            t("cmp.run"),
            color="primary",
            on_click=lambda: runs.set(runs.value + 1),
            disabled=task.pending,
            classes=["nis-cmp-run"],
        )
    solara.SelectMultiple(t("cmp.indicators"), values=chosen, all_values=list(COMPARE_INDICATORS))
    if task.pending:
        solara.ProgressLinear(value=100 * progress.value)
        solara.Text(t("cmp.running"))
    res = result.value
    if res is None:
        solara.Info(t("cmp.empty"), dense=True)
        return
    if not chosen.value:
        return
    names = (
        f"A: {scenario_name(scenario_label(res['a']), LANG.value)}",
        f"B: {scenario_name(scenario_label(res['b']), LANG.value)}",
    )
    if names[0][3:] == names[1][3:]:
        names = (names[0] + " (A)", names[1] + " (B)")
    chosen_list = list(chosen.value)
    bands, diff = data.compare_bands(res["runs"], chosen_list, names, {i: indicator_label(i) for i in chosen_list})
    Chart(charts.view("compare", {"bands": bands, "diff": diff}, names, len(res["seeds"])), "compare")
    Help("chart.compare.help")
    solara.FileDownload(
        session.compare_csv,
        filename=f"compare_{scenario_label(res['a'])}_vs_{scenario_label(res['b'])}_{len(res['seeds'])}seeds.csv",
        label=t("cmp.csv"),
        mime_type="text/csv",
        icon_name="mdi-file-delimited-outline",
    )


def state_html(session: Session) -> str:
    """The watched actor's last recorded state as an HTML table (variable, value, unit)."""
    hist = session.history
    last = hist[-1] if hist else (session.watch.state() if session.watch is not None else {})
    rows = "\n".join(
        f"| {k} | {_fmt(v)} | {t(VARIABLE_UNITS[k]) if k in VARIABLE_UNITS else ''} |"
        for k, v in last.items()
        if not k.startswith("_")
    )
    return html_markdown(f"| variable | value | unit |\n|---|---|---|\n{rows}")


@solara.component
def LiveState(session: Session, step: int):
    """The inspector's state table, pushed every step like the charts."""
    el = solara.widgets.HTML.element(
        tag="div", unsafe_innerHTML=state_html(session), attributes={"class": "nis-state", "style": "font-size: 12px;"}
    )

    def register():
        widget = solara.get_widget(el)

        def push():
            html = state_html(session)
            if html != widget.unsafe_innerHTML:
                widget.unsafe_innerHTML = html

        session.live["state"] = push
        return lambda: session.live.pop("state", None) if session.live.get("state") is push else None

    solara.use_effect(register, [])


@solara.component
def InspectorTab(session: Session, step: int, notice: Notice):
    """Pick an actor and see its state and its history."""
    kind = solara.use_reactive("sme")
    how = solara.use_reactive("largest")
    variable = solara.use_reactive("revenue")
    picked = solara.use_reactive(0)
    _ = picked.value

    def pick():
        if notice.guard(session.pick, kind.value, how.value, success=False) is not None:
            picked.value += 1

    hows = ["largest", "median", "smallest", "random"]
    with solara.Row(style="flex-wrap: wrap; gap: 12px; align-items: center;"):
        solara.Select(t("ins.kind"), value=kind, values=list(INSPECT_KINDS), classes=["nis-ins-kind"])
        solara.ToggleButtonsSingle(value=how, values=hows)
        solara.Button(t("ins.pick"), color="primary", on_click=pick, classes=["nis-ins-pick"])
    agent = session.watch
    if agent is None:
        solara.Info(t("ins.none"), dense=True)
        return
    if session.watch_gone:
        solara.Warning(t("ins.gone", when=session.watch_gone), dense=True)
    hist = session.history
    last = hist[-1] if hist else agent.state()
    numeric = [k for k, v in last.items() if isinstance(v, (int, float)) and not k.startswith("_") and k != "unique_id"]
    if variable.value not in numeric and numeric:
        variable.value = numeric[0]
    with solara.Row(style="flex-wrap: wrap; gap: 24px; align-items: flex-start;"):
        with solara.Column(gap="0px", style="min-width: 320px;"):
            solara.Text(t("ins.state"), style="font-weight: bold;")
            LiveState(session, step)
        with solara.Column(gap="0px", style=CELL):
            solara.Select(t("ins.variable"), value=variable, values=numeric)
            LiveChart(session, "agent_history", step, (variable.value, last.get("kind"), last.get("unique_id")))
            when = hist[0]["_quarter"] if hist else ""
            Help("ins.since", when=when)


def _verdict_class(e: dict[str, Any]) -> str:
    h = rob.holds(e)
    return "nis-rob-level" if h is None else "nis-rob-holds" if h else "nis-rob-depends"


def robustness_html(e: dict[str, Any]) -> str:
    """One question's facts as HTML: question, outcome and window with units, answer, range, verdict, run."""
    rows = [
        ("rob.h.question", rob.title(e)),
        (
            "rob.h.outcome",
            t("rob.outcome_text", outcome=rob.outcome_name(e), window=rob.window(e), unit=rob.effect_unit(e)),
        ),
        ("rob.h.answer", rob.answer_text(e)),
        ("rob.h.design", rob.design_text(e)),
    ]
    facts = "".join(f"<dt>{esc(t(k))}</dt><dd>{esc(v)}</dd>" for k, v in rows)
    return (
        f'<dl class="nis-rob-facts">{facts}</dl>'
        f'<div class="nis-rob-verdict {_verdict_class(e)}"><b>{esc(t("rob.h.verdict"))}:</b> '
        f"{esc(rob.verdict_text(e))}</div>"
        f'<div style="{CAPTION} margin: 2px 0 8px 0;">{esc(rob.provenance_text(e))}</div>'
    )


def robustness_table_html(current: str, base: str = "") -> str:
    """Every shipped policy question on ``base`` in one table (question, outcome, answer, verdict); ``current`` marked."""
    head = "".join(
        f"<th>{esc(t(k))}</th>" for k in ("rob.h.question", "rob.h.outcome", "rob.h.answer", "rob.h.verdict")
    )
    body = []
    for key, e in rob.questions(base).items():
        a = e["answer"]
        answer = f"{rob.fmt(a['mean'], e)} [{rob.fmt(a['ci_low'], e)}, {rob.fmt(a['ci_high'], e)}]"
        cls = ' class="nis-rob-current"' if key == current else ""
        cells = (rob.title(e), f"{rob.outcome_name(e)}, {rob.window(e)}", answer, rob.verdict_short(e))
        body.append(f"<tr{cls}>" + "".join(f"<td>{esc(c)}</td>" for c in cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


@solara.component
def RobustnessTab(session: Session):
    """'How sure?': a shipped policy question (the running scenario's when it is one), its answer, the
    range of the effect over the plausible assumptions, the Morris mu* of each assumption and the verdict;
    below, every question in one table. Numbers from dashboards/robustness.json.
    """
    bases = rob.bases()
    # the answers of the model the session runs: the calibrated calendar's when the session runs it
    base = solara.use_reactive(session.scenario if session.scenario in bases else bases[0])
    questions = rob.questions(base.value)
    own = rob.for_scenario(session.scenario, base.value)
    picked = solara.use_reactive(own["question"] if own else next(iter(questions)))
    e = questions[picked.value]
    names = {rob.title(q): k for k, q in questions.items()}
    base_names = {rob.base_short(b): b for b in bases}
    first = next(iter(questions.values()))
    solara.Div(
        children=[t("rob.intro", reps=first["reps"], file="dashboards/robustness.json")],
        style=CAPTION + " max-width: 760px; margin: 0 0 8px 0;",
    )
    with solara.Row(style="flex-wrap: wrap; gap: 12px; max-width: 1000px;"):
        with solara.Column(style="width: 520px; max-width: 100%; min-width: 0;"):
            solara.Select(
                t("rob.pick"),
                value=rob.title(e),
                values=list(names),
                on_value=lambda title: picked.set(names.get(title or "", picked.value)),
                classes=["nis-rob-select"],
            )
        if len(bases) > 1:
            with solara.Column(style="width: 400px; max-width: 100%; min-width: 0;"):
                solara.Select(
                    t("rob.base.pick"),
                    value=rob.base_short(base.value),
                    values=list(base_names),
                    on_value=lambda name: base.set(base_names.get(name or "", base.value)),
                    classes=["nis-rob-base"],
                )
    solara.HTML(tag="div", unsafe_innerHTML=robustness_html(e), classes=["nis-rob-detail"])
    with solara.Column(gap="0px", style=CELL, classes=["nis-cell", "nis-cell-robustness"]):
        Chart(
            charts.view(
                "robustness",
                {"effect": rob.effect_frame(e), "morris": rob.morris_frame(e)},
                rob.effect_unit(e),
                len(e["morris"]),
                key="",
            ),
            "robustness",
        )
        Help("rob.help")
    solara.Text(t("rob.h.all"), style="font-weight: bold; margin-top: 8px;")
    solara.HTML(tag="div", unsafe_innerHTML=robustness_table_html(e["question"], base.value), classes=["nis-rob-table"])


@solara.component
def ChartTabs(
    session: Session,
    step: int,
    notice: Notice,
    tab: solara.Reactive[int],
    lesson: Lesson | None,
    compare_req: solara.Reactive[dict | None],
):
    """Tabs; only the selected tab's charts are built and sent to the browser. Lesson charts are framed."""
    marked = lesson.charts if lesson else ()
    with solara.lab.Tabs(value=tab):
        for i, name in enumerate(TABS):
            star = " \u2605" if any(c in marked for c in TAB_CHARTS[name]) else ""
            with solara.lab.Tab(t(f"tab.{name}") + star, classes=[f"nis-tab-{name}"]):
                if i != tab.value:
                    continue
                if name == "compare":
                    CompareTab(session, notice, compare_req)
                elif name == "inspector":
                    InspectorTab(session, step, notice)
                elif name == "robustness":
                    RobustnessTab(session)
                else:
                    ChartCells(session, step, tuple(TAB_CHARTS[name]), marked, tab)


@solara.component
def ProjectorView(
    session: Session,
    step: int,
    notice: Notice,
    tab: solara.Reactive[int],
    lesson: Lesson | None,
    compare_req: solara.Reactive[dict | None],
):
    """Projector mode: only the lesson's charts (or the R&D tab without a lesson), or the comparison."""
    names = lesson.charts if lesson else tuple(TAB_CHARTS["overview"])
    cmp_index = TABS.index("compare")
    showing_compare = tab.value == cmp_index
    home = TABS.index(lesson.tab) if lesson else 0
    with solara.Row(gap="8px"):
        solara.Button(
            t("lesson.charts_button"),
            text=showing_compare,
            color="primary",
            on_click=lambda: tab.set(home),
            classes=["nis-proj-charts"],
        )
        solara.Button(
            t("tab.compare"),
            text=not showing_compare,
            color="primary",
            on_click=lambda: tab.set(cmp_index),
            classes=["nis-proj-compare"],
        )
    if showing_compare:
        CompareTab(session, notice, compare_req)
    else:
        ChartCells(session, step, tuple(names), (), tab)


@solara.component
def Live(
    session: Session,
    tick: solara.Reactive[int],
    notice: Notice,
    tab: solara.Reactive[int],
    lesson: Lesson | None,
    projector: bool,
    compare_req: solara.Reactive[dict | None],
):
    """The only component that listens to the step counter: one render pass per step.

    (Every component that reads a reactive value triggers its own pass over the whole tree, so
    the step number is passed down as a plain argument instead.)
    """
    step = tick.value
    StatusBar(session, step, lesson.key if lesson else "")
    NoticeBar(notice)
    if projector:
        ProjectorView(session, step, notice, tab, lesson, compare_req)
    else:
        ChartTabs(session, step, notice, tab, lesson, compare_req)


# ---------------------------------------------------------------------------------------------
# lessons, language and projector mode
# ---------------------------------------------------------------------------------------------
@solara.component
def LessonPicker(
    session: Session,
    tick: solara.Reactive[int],
    playing: solara.Reactive[bool],
    version: solara.Reactive[int],
    notice: Notice,
    lesson_key: solara.Reactive[str],
    tab: solara.Reactive[int],
):
    """The lesson select: loads the lesson's scenario, seed, run length and controls, and its tab."""
    lessons = load_lessons()
    none = t("ctl.lesson_none")
    titles = {x.title(LANG.value): k for k, x in lessons.items()}
    current = lessons[lesson_key.value].title(LANG.value) if lesson_key.value in lessons else none

    def pick(title: str | None):
        key = titles.get(title or "", "")
        if not key:
            lesson_key.set("")
            return
        lesson = lessons[key]
        playing.value = False
        ok = notice.guard(
            session.start_lesson, lesson.scenario, lesson.overrides, lesson.years, lesson.seed, success=False
        )
        if ok is None and session.scenario != lesson.scenario:
            return  # the error is shown; the running scenario is kept
        lesson_key.set(key)
        tab.set(TABS.index(lesson.tab))
        notice.set(
            "success",
            t(
                "lesson.loaded",
                title=lesson.title(LANG.value),
                scenario=scenario_name(lesson.scenario, LANG.value),
                seed=lesson.seed,
            ),
        )
        version.value += 1
        tick.value += 1

    solara.Select(t("ctl.lesson"), value=current, values=[none, *titles], on_value=pick, classes=["nis-lesson-select"])


@solara.component
def LessonPanel(
    lesson: Lesson,
    lang: str,
    tab: solara.Reactive[int],
    compare_req: solara.Reactive[dict | None],
    lesson_key: solara.Reactive[str],
    projector: bool,
):
    """The lesson's text beside the charts, its comparison buttons and its handout."""

    def run_compare(c: Any):
        old = compare_req.value
        compare_req.set(
            {
                "a": c.a,
                "b": c.b,
                "years": c.years,
                "indicators": c.indicators,
                "nonce": (old["nonce"] if old else 0) + 1,
            }
        )
        tab.set(TABS.index("compare"))

    width = "flex: 0 0 36%;" if projector else "width: 440px; flex: none;"
    with solara.Column(
        gap="6px",
        classes=["nis-lesson"],
        style=f"{width} max-height: calc(100vh - 90px); overflow-y: auto; "
        "padding: 4px 10px; border-left: 3px solid #ff9800; background: #fffaf2;",
    ):
        with solara.Row(style="align-items: center; justify-content: space-between;"):
            solara.Text(lesson.title(lang), style="font-size: 18px; font-weight: bold;", classes=["nis-lesson-title"])
            solara.Button(
                icon_name="mdi-close",
                icon=True,
                small=True,
                on_click=lambda: lesson_key.set(""),
                classes=["nis-lesson-close"],
            )
        for c in lesson.comparisons:
            solara.Button(
                t("lesson.compare", a=scenario_name(c.a, lang), b=scenario_name(c.b, lang), years=c.years),
                icon_name="mdi-compare-horizontal",
                color="primary",
                small=not projector,
                on_click=lambda c=c: run_compare(c),
                classes=["nis-lesson-compare"],
                style="text-transform: none; justify-content: flex-start;",
            )
        solara.FileDownload(
            lambda: handout_html(lesson, lang),
            filename=handout_name(lesson, lang),
            label=t("lesson.handout"),
            mime_type="text/html",
            icon_name="mdi-printer",
        )
        solara.Text(t("lesson.seed_note", seed=lesson.seed), style="font-size: 12px; color: #555;")
        with solara.Column(gap="0px", classes=["nis-lesson-text"]):
            solara.HTML(tag="div", unsafe_innerHTML=html_markdown(lesson_markdown(lesson, lang)), style="padding: 0;")


@solara.component
def Header(projector: solara.Reactive[bool]):
    """Title, language switch and projector switch."""
    lang = LANG.value
    with solara.Row(style="align-items: center; flex-wrap: wrap; gap: 16px;"):
        solara.Text(t("app.title"), style="font-size: 22px; font-weight: bold;", classes=["nis-title"])
        if not projector.value:
            solara.Text(t("app.subtitle"), style="font-size: 13px; color: #555;")
        solara.v.Spacer()
        with solara.Row(gap="2px", style="align-items: center;", classes=["nis-lang"]):
            for code, name in LANGUAGES.items():
                solara.Button(
                    name,
                    small=True,
                    text=code != lang,
                    color="primary" if code == lang else None,
                    on_click=lambda code=code: LANG.set(code),
                    classes=[f"nis-lang-{code}"],
                    style="text-transform: none;",
                )
        solara.Switch(label=t("ctl.projector"), value=projector, classes=["nis-projector-switch"])


# ---------------------------------------------------------------------------------------------
# the page
# ---------------------------------------------------------------------------------------------
_SESSIONS_LOCK = threading.Lock()
SESSION_COUNT = {"n": 0}


def _new_session(view: share.View | None = None) -> Session:
    with _SESSIONS_LOCK:
        SESSION_COUNT["n"] += 1
    at: dict[str, Any] = {}  # a link's scenario and seed: built at once, not rebuilt (a lesson sets its own)
    if view is not None and not view.lesson:
        at = {k: v for k, v in (("scenario", view.scenario), ("seed", view.seed)) if v is not None}
    session = Session(warmup=WARMUP, **at)
    if view is not None:
        share.open_view(session, view, load_lessons())
    return session


@solara.component
def Page():
    """The dashboard page (one Session per browser tab)."""
    router = solara.use_router()
    view, ignored = solara.use_memo(lambda: share.parse(router.search, load_lessons()), [])
    session = solara.use_memo(lambda: _new_session(view), [])
    session.link_base = share.link_base(solara.lab.headers.value)
    notice = solara.use_memo(Notice, [])
    tick = solara.use_reactive(0)
    playing = solara.use_reactive(False)
    version = solara.use_reactive(0)
    first_lesson = load_lessons().get(view.lesson or "")
    tab = solara.use_reactive(TABS.index(first_lesson.tab) if first_lesson else 0)
    lesson_key = solara.use_reactive(view.lesson or "")

    def arrive():  # the link's language (one value per browser tab) and what it asked for that was ignored
        if view.lang:
            LANG.set(view.lang)
        if ignored:
            notice.set("warning", t("share.ignored", parts=", ".join(ignored)))

    solara.use_effect(arrive, [])
    projector = solara.use_reactive(False)
    compare_req = solara.use_reactive(None)
    lang = LANG.value
    lesson = load_lessons().get(lesson_key.value)
    solara.Title(t("app.title"))
    solara.Style(CSS)
    with solara.Column(
        style="padding: 8px 16px;", gap="4px", classes=["nis-root"] + (["nis-projector"] if projector.value else [])
    ):
        Header(projector)
        with solara.Row(style="align-items: flex-start; gap: 20px;", classes=["nis-main-row"]):
            with solara.Column(
                gap="6px",
                style=f"width: {'250px' if projector.value else '360px'}; flex: none; "
                "max-height: calc(100vh - 80px); overflow-y: auto; padding-right: 8px;",
                classes=["nis-sidebar"],
            ):
                LessonPicker(session, tick, playing, version, notice, lesson_key, tab)
                RunControls(session, tick, playing, version, notice)
                if not projector.value:
                    ScenarioPicker(session, tick, playing, version, notice, tab)
                    Levers(session, tick, playing, version, notice)
            with solara.Column(gap="4px", style="flex: 1; min-width: 0; overflow-x: auto;"):
                Live(session, tick, notice, tab, lesson, projector.value, compare_req)
            if lesson is not None:
                LessonPanel(lesson, lang, tab, compare_req, lesson_key, projector.value)
