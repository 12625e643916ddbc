"""Offline browser assets: let Solara's asset cache answer the Vega requests of its chart widget.

Solara's chart widget asks its CDN proxy for ``vega@5``, ``vega-lite@5`` and ``vega-embed@6``; the
``solara-assets`` package ships them under full version numbers (``vega@5.21.0`` ...) in Solara's
proxy cache. With no internet access (a classroom LAN, CI) the short names miss the cache and the
charts stay blank. :func:`ensure_offline_assets` adds the short names as links to the shipped
versions, which is what the proxy itself would store after a first download.
"""

from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger(__name__)
ALIASES = {"vega@5": "vega@", "vega-lite@5": "vega-lite@", "vega-embed@6": "vega-embed@"}


def cache_dir() -> Path | None:
    """Solara's asset proxy cache folder, or None if Solara's server settings cannot be read."""
    try:
        from solara.server import settings
    except ImportError:
        return None
    return Path(settings.assets.proxy_cache_dir)


def ensure_offline_assets(folder: Path | None = None) -> list[str]:
    """Link the short asset names to shipped versions where missing; returns the names linked."""
    folder = folder or cache_dir()
    if folder is None or not folder.is_dir():
        return []
    done = []
    for short, prefix in ALIASES.items():
        target = folder / short
        if target.exists():
            continue
        major = short.split("@")[1]
        candidates = sorted(p for p in folder.glob(f"{prefix}{major}.*") if (p / "build").is_dir())
        if not candidates:
            log.warning("no shipped %s* in %s: charts need internet access (pip install solara-assets)", prefix, folder)
            continue
        try:
            target.symlink_to(candidates[-1].name, target_is_directory=True)
            done.append(short)
        except OSError as err:  # read-only install: the proxy will try the CDN instead
            log.warning("could not link %s -> %s: %s", target, candidates[-1].name, err)
    return done
