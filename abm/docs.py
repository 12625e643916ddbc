"""Regenerate the generated docs: docs/ODD.md's parameter table and docs/columns.md (column glossary).

Run ``python -m abm.docs`` after changing :mod:`abm.params`; a test fails while the docs are stale.
"""

from __future__ import annotations

from pathlib import Path

from abm.params import parameter_table_markdown

ODD = Path(__file__).resolve().parent.parent / "docs" / "ODD.md"
BEGIN = "<!-- BEGIN GENERATED PARAMETER TABLE (python -m abm.docs) -->"
END = "<!-- END GENERATED PARAMETER TABLE -->"


def render(text: str) -> str:
    """Return ``text`` with the block between the markers replaced by the current table."""
    if BEGIN not in text or END not in text:
        raise ValueError(f"{ODD}: markers for the generated parameter table are missing")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{parameter_table_markdown()}\n{END}{tail}"


COLUMNS = ODD.parent / "columns.md"


def main() -> None:
    """Rewrite docs/ODD.md's parameter table and docs/columns.md (the column glossary) in place."""
    from abm.glossary import markdown

    ODD.write_text(render(ODD.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"updated {ODD}")
    COLUMNS.write_text(markdown() + "\n", encoding="utf-8")
    print(f"updated {COLUMNS}")


if __name__ == "__main__":
    main()
