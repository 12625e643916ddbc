"""Classroom lessons: one TOML file per lesson in this folder, each in English and Simplified Chinese.

A lesson file holds the lesson's scenario, seed, run length, control overrides, the dashboard tab
and the charts it talks about, one or more comparisons (scenario A vs B), its seed sources, and for
each language the sections of NetLogo's Models Library: WHAT IS IT, HOW IT WORKS, HOW TO USE IT,
THINGS TO NOTICE (questions), THINGS TO TRY, EXTENDING THE MODEL. Each THINGS TO NOTICE question
has an *answer recipe* (``[[answers]]``, same order): which indicator, which years, which scenario or
comparison. ``python -m dashboards.lessons.teaching`` runs the recipes on real replicated runs and
writes the answers into docs/teaching.md; nobody writes them by hand.

No user-interface code here: the dashboard (dashboards/app.py), the handouts
(:mod:`dashboards.lessons.handouts`) and the teacher guide (:mod:`dashboards.lessons.teaching`)
all read lessons through :func:`load_lessons`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from abm.resources import shipped
from dashboards.labels import LANGUAGES, t
from dashboards.robustness import how_sure

LESSON_DIR: Traversable = shipped("dashboards", "lessons")  # the lesson files ship in this package
SECTIONS = ("what_is_it", "how_it_works", "how_to_use_it", "things_to_notice", "things_to_try", "extending_the_model")
LIST_SECTIONS = ("things_to_notice", "things_to_try")
ANSWER_KINDS = ("level", "change", "compare", "rank")
UNITS = ("percent", "pp", "count", "bn_yuan", "persons", "index", "number")


class LessonError(ValueError):
    """A lesson file is missing a key or has a wrong value."""


@dataclass(frozen=True)
class Comparison:
    """A one-click comparison: scenario ``a`` vs ``b`` for ``years`` with the lesson's seed."""

    a: str
    b: str
    years: int
    indicators: tuple[str, ...]


@dataclass(frozen=True)
class Source:
    """A seed passage the lesson draws on: file, line range, and a note per language."""

    file: str
    lines: str
    note: dict[str, str]

    def span(self) -> tuple[int, int]:
        """First and last line number."""
        lo, _, hi = self.lines.partition("-")
        return int(lo), int(hi or lo)


@dataclass(frozen=True)
class Answer:
    """How to compute the answer to one THINGS TO NOTICE question from runs.

    kind: 'level' (value in ``scenario``), 'change' (value in the last year minus the first),
    'compare' (B minus A, paired by seed) or 'rank' (which of ``indicators`` is largest).
    indicator: a column of ``InnovationModel.yearly()`` or a ``DataFrame.eval`` expression of columns.
    years: first and last year; agg: 'mean', 'sum' or 'last' over those years.
    """

    kind: str
    indicator: str
    years: tuple[int, int]
    unit: str
    label: dict[str, str]
    scenario: str = ""
    a: str = ""
    b: str = ""
    agg: str = "mean"
    indicators: tuple[str, ...] = ()
    labels: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Lesson:
    """One classroom lesson (see the module docstring)."""

    key: str
    order: int
    scenario: str
    seed: int
    years: int
    tab: str
    charts: tuple[str, ...]
    overrides: dict[str, Any]
    comparisons: tuple[Comparison, ...]
    sources: tuple[Source, ...]
    answers: tuple[Answer, ...]
    text: dict[str, dict[str, Any]]

    def title(self, lang: str) -> str:
        """The lesson's title in ``lang``."""
        return self.text[lang]["title"]

    def section(self, lang: str, name: str) -> Any:
        """A section's text (str) or items (list of str)."""
        return self.text[lang][name]


def _need(d: dict[str, Any], key: str, where: str) -> Any:
    if key not in d:
        raise LessonError(f"{where}: missing key '{key}'")
    return d[key]


def parse(path: Path | Traversable) -> Lesson:
    """Read one lesson file.

    Raises:
        LessonError: A required key is missing.
    """
    where = path.name
    try:
        d = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise LessonError(f"{where}: {err}") from err
    lesson = _need(d, "lesson", where)
    comparisons = tuple(
        Comparison(c["a"], c["b"], int(c.get("years", 20)), tuple(c.get("indicators", ())))
        for c in d.get("compare", [])
    )
    sources = tuple(
        Source(s["file"], str(s["lines"]), {k: s[k] for k in LANGUAGES if k in s}) for s in _need(d, "sources", where)
    )
    first = comparisons[0] if comparisons else None
    answers = []
    for i, a in enumerate(d.get("answers", [])):
        w = f"{where} answers[{i}]"
        years = _need(a, "years", w)
        answers.append(
            Answer(
                kind=_need(a, "kind", w),
                indicator=a.get("indicator", ""),
                years=(int(years[0]), int(years[-1])),
                unit=a.get("unit", "number"),
                label={k: a["label"][k] for k in LANGUAGES if k in a.get("label", {})},
                scenario=a.get("scenario", lesson.get("scenario", "")),
                a=a.get("a", first.a if first else ""),
                b=a.get("b", first.b if first else ""),
                agg=a.get("agg", "mean"),
                indicators=tuple(a.get("indicators", ())),
                labels={k: tuple(v) for k, v in a.get("labels", {}).items()},
            )
        )
    text = {lang: dict(d.get(lang, {})) for lang in LANGUAGES}
    return Lesson(
        key=path.name.removesuffix(".toml"),
        order=int(lesson.get("order", 99)),
        scenario=_need(lesson, "scenario", where),
        seed=int(lesson.get("seed", 42)),
        years=int(lesson.get("years", 20)),
        tab=lesson.get("tab", "overview"),
        charts=tuple(lesson.get("charts", ())),
        overrides=dict(d.get("overrides", {})),
        comparisons=comparisons,
        sources=sources,
        answers=tuple(answers),
        text=text,
    )


@lru_cache(maxsize=1)
def load_lessons() -> dict[str, Lesson]:
    """Every lesson in this folder by key, in teaching order."""
    files = sorted((p for p in LESSON_DIR.iterdir() if p.name.endswith(".toml")), key=lambda p: p.name)
    lessons = [parse(p) for p in files]
    return {x.key: x for x in sorted(lessons, key=lambda x: (x.order, x.key))}


def get(key: str) -> Lesson:
    """The lesson ``key``; raises KeyError naming the known lessons."""
    lessons = load_lessons()
    if key not in lessons:
        raise KeyError(f"no lesson '{key}'; known: {', '.join(lessons)}")
    return lessons[key]


def source_line(src: Source, lang: str) -> str:
    """One citation in Markdown: file, lines and the note."""
    return (
        f"`{src.file}`, lines {src.lines}: {src.note.get(lang, '')}"
        if lang == "en"
        else f"`{src.file}` 第 {src.lines} 行:{src.note.get(lang, '')}"
    )


def section_markdown(lesson: Lesson, lang: str, name: str) -> str:
    """The body of one section as Markdown (lists numbered for questions, bulleted for things to try)."""
    if name == "sources":
        return "\n".join(f"- {source_line(s, lang)}" for s in lesson.sources)
    if name == "how_sure":
        return how_sure(lesson.scenario, lang) or ""
    value = lesson.section(lang, name)
    if name == "things_to_notice":
        return "\n".join(f"{i}. {q}" for i, q in enumerate(value, 1))
    if name in LIST_SECTIONS:
        return "\n".join(f"- {q}" for q in value)
    text = str(value).strip()
    if lang == "zh":  # a line break inside Chinese prose must not become a space
        text = re.sub(r"(?<=[^\n])\n(?=[^\n\d])", "", text)
    return text


def markdown(lesson: Lesson, lang: str, level: int = 3) -> str:
    """The whole lesson text in ``lang`` as Markdown, one heading per section, sources last."""
    hashes = "#" * level
    parts = []
    for name in (*SECTIONS, "sources"):
        parts.append(f"{hashes} {t(f'lesson.{name}', lang)}\n\n{section_markdown(lesson, lang, name)}")
        sure = section_markdown(lesson, lang, "how_sure") if name == "how_it_works" else ""
        if sure:
            parts.append(f"{hashes} {t('lesson.how_sure', lang)}\n\n{sure}")
    return "\n\n".join(parts)


def problems(lesson: Lesson) -> list[str]:
    """Everything wrong with a lesson's text and structure (empty list = fine); used by the tests."""
    out = []
    seen: dict[str, str] = {}
    for lang in LANGUAGES:
        text = lesson.text.get(lang, {})
        if not str(text.get("title", "")).strip():
            out.append(f"{lesson.key} [{lang}]: empty title")
        for name in SECTIONS:
            value = text.get(name)
            items = value if isinstance(value, list) else [value]
            if name in LIST_SECTIONS and not isinstance(value, list):
                out.append(f"{lesson.key} [{lang}] {name}: must be a list of items")
            if value is None or not items or any(not str(v or "").strip() for v in items):
                out.append(f"{lesson.key} [{lang}] {name}: missing or empty")
                continue
            for v in items:
                norm = " ".join(str(v).split()).lower()
                if norm in seen:
                    out.append(f"{lesson.key} [{lang}] {name}: repeats {seen[norm]}")
                seen[norm] = f"[{lang}] {name}"
        if lang == "zh" and not any("\u4e00" <= ch <= "\u9fff" for ch in str(text.get("what_is_it", ""))):
            out.append(f"{lesson.key} [zh]: what_is_it has no Chinese characters")
    n_q = {lang: len(lesson.text.get(lang, {}).get("things_to_notice") or []) for lang in LANGUAGES}
    if len(set(n_q.values())) != 1:
        out.append(f"{lesson.key}: THINGS TO NOTICE counts differ between languages: {n_q}")
    if len(lesson.answers) != n_q.get("en", 0):
        out.append(f"{lesson.key}: {len(lesson.answers)} answer recipes for {n_q.get('en', 0)} questions")
    n_t = {lang: len(lesson.text.get(lang, {}).get("things_to_try") or []) for lang in LANGUAGES}
    if len(set(n_t.values())) != 1:
        out.append(f"{lesson.key}: THINGS TO TRY counts differ between languages: {n_t}")
    if not lesson.sources:
        out.append(f"{lesson.key}: no sources")
    for s in lesson.sources:
        for lang in LANGUAGES:
            if not s.note.get(lang, "").strip():
                out.append(f"{lesson.key}: source {s.file}:{s.lines} has no {lang} note")
    for a in lesson.answers:
        if a.kind not in ANSWER_KINDS:
            out.append(f"{lesson.key}: answer kind '{a.kind}' not in {ANSWER_KINDS}")
        if a.unit not in UNITS:
            out.append(f"{lesson.key}: answer unit '{a.unit}' not in {UNITS}")
        if a.agg not in ("mean", "sum", "last"):
            out.append(f"{lesson.key}: answer agg '{a.agg}' not mean/sum/last")
        for lang in LANGUAGES:
            if a.kind != "rank" and not a.label.get(lang, "").strip():
                out.append(f"{lesson.key}: answer for '{a.indicator}' has no {lang} label")
            if a.kind == "rank" and len(a.labels.get(lang, ())) != len(a.indicators):
                out.append(f"{lesson.key}: rank answer needs one {lang} label per indicator")
    return out
