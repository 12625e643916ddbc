"""Charts drawn by a local Vega bundle whose versions match Altair's specs, with data updated in place.

Solara's own chart widget loads Vega 5, Vega-Lite 5.2 and vega-embed 6 from its CDN proxy, while
Altair 6 writes Vega-Lite 6 specs (a warning per chart in the browser console), and it re-embeds
the whole chart whenever anything changes. :class:`VegaView` instead:

- loads Vega, Vega-Lite and vega-embed from one script built by vl-convert (installed with
  Altair's PNG export; it ships the Vega-Lite versions Altair writes), written once into Solara's
  asset cache and served by the Solara server itself: no CDN, works offline;
- takes the chart (``spec``, without changing data) and its named datasets (``datasets``) as
  two properties: a step sends only the datasets, and the browser swaps them into the running
  view (``view.data``), without rebuilding the chart. Each dataset is one JSON text by column
  (:func:`dashboards.charts.columns_json`): the widget layer passes a string on instead of walking
  thousands of row objects, and the browser turns it into rows (:func:`rows` does it in Python).
"""

from __future__ import annotations

import json
import logging
import os
from functools import cache
from pathlib import Path
from typing import Any

import ipyvuetify as v
import traitlets

from abm.resources import shipped_path

log = logging.getLogger(__name__)
VUE = shipped_path("dashboards", "vega_view.vue")
BUNDLE_FILE = "vega-bundle.js"


def altair_vl_minor() -> str:
    """The Vega-Lite version Altair writes, as major.minor (e.g. '6.4')."""
    import altair as alt

    return ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])


@cache
def versions() -> dict[str, str]:
    """Versions of the libraries in the bundle: vega, vega-lite (major.minor), vega-embed."""
    import vl_convert as vlc

    vl = altair_vl_minor()
    if vl not in vlc.get_vegalite_versions():
        vl = vlc.get_vegalite_versions()[-1]
    return {"vega": vlc.get_vega_version(), "vega-lite": vl, "vega-embed": vlc.get_vega_embed_version()}


def bundle_dir_name() -> str:
    """Folder of the bundle in Solara's asset cache; an exact version, so browsers may cache it for good."""
    ver = versions()
    return f"nis-vega@{ver['vega']}+vl{ver['vega-lite']}.embed{ver['vega-embed']}"


def cache_dir() -> Path:
    """Solara's asset (CDN proxy) cache folder, served at /_solara/cdn/."""
    from solara.server import settings

    return Path(settings.assets.proxy_cache_dir)


@cache
def ensure_bundle(folder: Path | None = None) -> Path | None:
    """Write the bundle into Solara's asset cache unless it is there; returns its path (None if it cannot)."""
    target = (folder or cache_dir()) / bundle_dir_name() / BUNDLE_FILE
    if target.exists():
        return target
    try:
        import vl_convert as vlc

        text = vlc.javascript_bundle(vl_version=versions()["vega-lite"])
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)
        return target
    except Exception as err:  # read-only install or vl-convert missing: charts cannot be drawn offline
        log.warning("could not write the Vega bundle to %s: %s", target, err)
        return None


def bundle_path() -> str:
    """Path of the bundle under Solara's asset cache (served at <root>/_solara/cdn/)."""
    return f"{bundle_dir_name()}/{BUNDLE_FILE}"


def rows(text: str) -> list[dict[str, Any]]:
    """The rows of one dataset of :attr:`VegaView.datasets` (JSON by column), as the browser builds them."""
    cols = json.loads(text)
    n = len(next(iter(cols.values()))) if cols else 0
    return [{k: v[i] for k, v in cols.items()} for i in range(n)]


class VegaView(v.VuetifyTemplate):
    """A Vega-Lite chart: ``spec`` without its changing data, ``datasets`` (name -> JSON by column) swapped in place."""

    template_file = str(VUE)
    spec = traitlets.Dict().tag(sync=True)
    datasets = traitlets.Dict().tag(sync=True)
    bundle_path = traitlets.Unicode("").tag(sync=True)
    listen_to_click = traitlets.Bool(False).tag(sync=True)
    on_click_handler = traitlets.Callable(None, allow_none=True)

    def vue_on_click(self, datum: Any) -> None:
        """A mark was clicked in the browser: pass its datum on."""
        if self.on_click_handler is not None:
            self.on_click_handler(datum)
