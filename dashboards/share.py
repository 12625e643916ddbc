"""Shareable state: the query string of a link that reopens the same lesson, language, scenario, seed
and year (``?lesson=funding_reform&lang=zh&scenario=funding_reform&seed=42&year=2020``). No UI code.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode

from abm import list_scenarios
from dashboards.front import FRONT_PORT_ENV, host_name
from dashboards.labels import LANGUAGES

MAX_YEARS = 60  # a link never asks the server for more than this many years of run


@dataclass(frozen=True)
class View:
    """What a link carries; None: not given (or not valid)."""

    lesson: str | None = None
    lang: str | None = None
    scenario: str | None = None
    seed: int | None = None
    year: int | None = None


def link(*, lesson: str | None, lang: str, scenario: str, seed: int, year: int) -> str:
    """The query string (starting with '?') of the current view; uploaded scenario files are not shareable."""
    q: dict[str, Any] = {}
    if lesson:
        q["lesson"] = lesson
    q["lang"] = lang
    if scenario in list_scenarios():
        q["scenario"] = scenario
    q["seed"] = seed
    q["year"] = year
    return "?" + urlencode(q)


def link_base(headers: dict[str, list[str]] | None, environ: dict[str, str] | None = None) -> str:
    """Where shared links point: "" (this page's own address) for a single server; with several servers,
    the front address (the host this tab reached, at the front port), e.g. ``http://10.0.0.5:8765/``.
    """
    port = (os.environ if environ is None else environ).get(FRONT_PORT_ENV, "")
    hosts = {k.lower(): v for k, v in (headers or {}).items()}.get("host") or []
    if not port.isdigit() or not hosts:
        return ""
    return f"http://{host_name(hosts[0])}:{port}/"


def parse(search: str | None, lessons: dict[str, Any]) -> tuple[View, list[str]]:
    """The view a query string asks for, and the parts ignored (unknown lesson, bad number, ...)."""
    q = {k: v[-1] for k, v in parse_qs((search or "").lstrip("?")).items()}
    ignored = []
    lesson = q.get("lesson")
    if lesson is not None and lesson not in lessons:
        ignored.append(f"lesson={lesson}")
        lesson = None
    lang = q.get("lang")
    if lang is not None and lang not in LANGUAGES:
        ignored.append(f"lang={lang}")
        lang = None
    scenario = q.get("scenario")
    if scenario is not None and scenario not in list_scenarios():
        ignored.append(f"scenario={scenario}")
        scenario = None
    seed = _int(q, "seed", 0, 2**31 - 1, ignored)
    year = _int(q, "year", 1900, 2200, ignored)
    return View(lesson, lang, scenario, seed, year), ignored


def _int(q: dict[str, str], key: str, lo: int, hi: int, ignored: list[str]) -> int | None:
    if key not in q:
        return None
    text = q[key]
    if not text.isdigit() or not lo <= int(text) <= hi:
        ignored.append(f"{key}={text}")
        return None
    return int(text)


def open_view(session: Any, view: View, lessons: dict[str, Any]) -> None:
    """Bring a fresh session to the view: lesson, then scenario, seed and year (run to that year's end)."""
    if view.lesson:
        les = lessons[view.lesson]
        session.start_lesson(les.scenario, les.overrides, les.years, les.seed)
    if view.scenario and view.scenario != session.scenario:
        session.load(view.scenario)
    if view.seed is not None and view.seed != session.seed:
        session.reset(seed=view.seed)
    if view.year is not None:
        start = session.model.start_year
        year = min(max(view.year, start), start + MAX_YEARS - 1)
        target = 4 * (year - start + 1)
        if target > session.model.steps:
            session.stop_year = max(session.stop_year, year + 1)
            session.step(target - session.model.steps)
