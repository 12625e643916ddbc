"""Printable student handouts, one per lesson and language, built from the lesson files.

``python -m dashboards.lessons.handouts`` writes ``docs/handouts/<lesson>.<lang>.html`` of the source
checkout (committed, so a teacher can print them without running anything; tests/test_lessons.py checks
they are up to date); ``--out DIR`` writes them elsewhere (required outside a checkout).
The dashboard builds the same HTML on demand for its download button (:func:`handout_html`).
"""

from __future__ import annotations

import argparse
import html
import sys
from pathlib import Path

import markdown as md

from abm.resources import NoCheckoutError, default_target
from dashboards.i18n_zh import SCENARIO_ZH
from dashboards.labels import LANGUAGES, t
from dashboards.lessons import Lesson, load_lessons, section_markdown

OUT_PARTS = ("docs", "handouts")  # under the checkout root

CSS = """
body { font-family: "Noto Sans", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif;
       max-width: 46em; margin: 1.5em auto; line-height: 1.45; color: #111; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; } h2 { font-size: 1.15em; margin-top: 1.2em; border-bottom: 1px solid #999; }
.meta { display: flex; gap: 3em; margin: 0.8em 0 1em 0; } .meta span { flex: 1; border-bottom: 1px solid #333; }
ol.questions li { margin-bottom: 0.4em; } .answer { border: 1px solid #aaa; height: 5.5em; margin: 0.3em 0 1em 0; }
ul.try { list-style: none; padding-left: 0; } ul.try li::before { content: "\\2610  "; }
.small { font-size: 0.85em; color: #444; } footer { margin-top: 2em; font-size: 0.8em; color: #666; }
@media print { body { margin: 0; max-width: none; } .answer { page-break-inside: avoid; } h2 { page-break-after: avoid; } }
"""


def scenario_name(key: str, lang: str) -> str:
    """A shipped scenario's display name in ``lang`` (the key itself in English, as in the picker)."""
    return SCENARIO_ZH.get(key, {}).get("name", key) if lang == "zh" else key


def handout_html(lesson: Lesson, lang: str) -> str:
    """The handout of ``lesson`` in ``lang`` as a self-contained printable HTML page."""
    e = html.escape
    title = lesson.title(lang)
    parts = [
        f'<!DOCTYPE html>\n<html lang="{"zh-Hans" if lang == "zh" else "en"}">\n<head>\n<meta charset="utf-8">',
        f"<title>{e(title)}: {e(t('handout.title', lang))}</title>\n<style>{CSS}</style>\n</head>\n<body>",
        f'<h1>{e(title)}</h1>\n<div class="small">{e(t("handout.title", lang))}</div>',
        f'<div class="meta"><span>{e(t("handout.name", lang))}:</span><span>{e(t("handout.date", lang))}:</span></div>',
        f"<h2>{e(t('lesson.what_is_it', lang))}</h2>",
        md.markdown(section_markdown(lesson, lang, "what_is_it")),
        f"<h2>{e(t('handout.setup', lang))}</h2>",
        "<p>"
        + e(
            t(
                "handout.setup_text",
                lang,
                title=title,
                scenario=scenario_name(lesson.scenario, lang),
                seed=lesson.seed,
                stop=2015 + lesson.years,
            )
        )
        + "</p>",
    ]
    for c in lesson.comparisons:
        button = t("lesson.compare", lang, a=scenario_name(c.a, lang), b=scenario_name(c.b, lang), years=c.years)
        parts.append(
            "<p>"
            + e(
                t(
                    "handout.compare_text",
                    lang,
                    button=button,
                    a=scenario_name(c.a, lang),
                    b=scenario_name(c.b, lang),
                    years=c.years,
                )
            )
            + "</p>"
        )
    parts.append(f'<h2>{e(t("handout.questions", lang))}</h2>\n<ol class="questions">')
    for q in lesson.section(lang, "things_to_notice"):
        parts.append(f'<li>{md.markdown(q)[3:-4]}<div class="answer"></div></li>')
    parts.append(f'</ol>\n<h2>{e(t("handout.try", lang))}</h2>\n<ul class="try">')
    parts += [f"<li>{md.markdown(x)[3:-4]}</li>" for x in lesson.section(lang, "things_to_try")]
    parts.append(f"</ul>\n<h2>{e(t('lesson.sources', lang))}</h2>")
    parts.append(f'<div class="small">{md.markdown(section_markdown(lesson, lang, "sources"))}</div>')
    parts.append(f"<footer>{e(t('handout.footer', lang, lesson=lesson.key))}</footer>\n</body>\n</html>\n")
    return "\n".join(parts)


def handout_name(lesson: Lesson, lang: str) -> str:
    """File name of a handout."""
    return f"{lesson.key}.{lang}.html"


def write_all(out: Path | None = None) -> list[Path]:
    """Write every lesson's handout in every language into ``out`` (default docs/handouts of the checkout).

    Raises:
        NoCheckoutError: No ``out`` and not running from a source checkout.
    """
    out = out or default_target(*OUT_PARTS, option="--out DIR")
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for lesson in load_lessons().values():
        for lang in LANGUAGES:
            path = out / handout_name(lesson, lang)
            path.write_text(handout_html(lesson, lang), encoding="utf-8")
            paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    """Command line: write the handouts."""
    ap = argparse.ArgumentParser(prog="python -m dashboards.lessons.handouts", description=__doc__.splitlines()[0])
    ap.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help=f"folder (default {'/'.join(OUT_PARTS)} of the source checkout)",
    )
    args = ap.parse_args(argv)
    try:
        paths = write_all(args.out)
    except NoCheckoutError as err:
        print(f"python -m dashboards.lessons.handouts: {err}", file=sys.stderr)
        return 2
    for p in paths:
        print(p)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
