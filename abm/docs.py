"""Regenerate the generated docs: docs/ODD.md's parameter table and docs/columns.md (column glossary).

Run ``python -m abm.docs`` after changing :mod:`abm.params` or a mechanism's outputs; a test fails while
the docs are stale. ``python -m abm.docs --out PATH`` updates another copy of the ODD and writes the
glossary beside it as columns.md (required outside a checkout).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from abm.params import parameter_table_markdown
from abm.resources import NoCheckoutError, default_target

BEGIN = "<!-- BEGIN GENERATED PARAMETER TABLE (python -m abm.docs) -->"
END = "<!-- END GENERATED PARAMETER TABLE -->"


def render(text: str, where: str = "docs/ODD.md") -> str:
    """Return ``text`` with the block between the markers replaced by the current table."""
    if BEGIN not in text or END not in text:
        raise ValueError(f"{where}: markers for the generated parameter table are missing")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{parameter_table_markdown()}\n{END}{tail}"


def main(argv: list[str] | None = None) -> int:
    """Rewrite the ODD (docs/ODD.md of the checkout, or ``--out``) in place and columns.md beside it."""
    from abm.glossary import markdown

    ap = argparse.ArgumentParser(prog="python -m abm.docs", description=__doc__.splitlines()[0])
    ap.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="PATH",
        help="the ODD file to update (default: docs/ODD.md of the source checkout)",
    )
    args = ap.parse_args(argv)
    try:
        odd = args.out or default_target("docs", "ODD.md", option="--out PATH")
    except NoCheckoutError as err:
        print(f"python -m abm.docs: {err}", file=sys.stderr)
        return 2
    if not odd.is_file():
        print(f"python -m abm.docs: no such file {odd}", file=sys.stderr)
        return 2
    try:
        odd.write_text(render(odd.read_text(encoding="utf-8"), str(odd)), encoding="utf-8")
    except ValueError as err:
        print(f"python -m abm.docs: {err}", file=sys.stderr)
        return 2
    print(f"updated {odd}")
    columns = odd.with_name("columns.md")
    columns.write_text(markdown() + "\n", encoding="utf-8")
    print(f"updated {columns}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
