"""Where the packages find what they ship and where the generators write.

Everything the packages read at run time (scenarios, observed data, lessons, experiment specs,
templates) lies inside the packages and is read through :mod:`importlib.resources`, so an installed
wheel works from any folder. Nothing reads ``../shared`` or anything else outside the packages.

The generators (``python -m abm.docs``, the calibration, the handouts and the teacher guide) write
where they are told. Without a target they write into the source checkout, and only when they run
from one: :func:`checkout_root` finds it by the project's ``pyproject.toml`` next to the packages.
An installed copy without a target stops with a message that names the option to give.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

PROJECT = "nis-abm"


class NoCheckoutError(RuntimeError):
    """A generator has no target: it was not told where to write and does not run from a checkout."""


def shipped(package: str, *parts: str) -> Traversable:
    """A file or folder shipped inside ``package`` (``shipped("abm", "data", "scenarios")``)."""
    node = files(package)
    for part in parts:
        node = node / part
    return node


def shipped_path(package: str, *parts: str) -> Path:
    """Like :func:`shipped`, as a ``pathlib.Path`` (for globbing and loaders that want real paths).

    pip installs packages as files, so this is the package's own folder; a package imported from a zip
    archive has no such path.

    Raises:
        FileNotFoundError: ``package`` is not installed as files.
    """
    node = shipped(package, *parts)
    if not isinstance(node, Path):
        raise FileNotFoundError(f"{package}: installed as an archive ({node}); install it as files (pip install)")
    return node


def checkout_root() -> Path | None:
    """The repository root when the packages run from a source checkout, else None.

    A checkout is recognised by the project's ``pyproject.toml`` in the folder that holds ``abm/``;
    an installed copy lies in ``site-packages``, which has none.
    """
    root = Path(__file__).resolve().parent.parent
    try:
        text = (root / "pyproject.toml").read_text(encoding="utf-8")
    except OSError:
        return None
    return root if f'name = "{PROJECT}"' in text else None


def default_target(*parts: str, option: str) -> Path:
    """``parts`` under the checkout root, the default target of a generator.

    Raises:
        NoCheckoutError: Not running from a checkout; the message names ``option``.
    """
    root = checkout_root()
    if root is None:
        raise NoCheckoutError(
            f"not running from a source checkout of {PROJECT}, so there is no default for "
            f"'{'/'.join(parts)}': pass {option} to say where to write"
        )
    return root.joinpath(*parts)
