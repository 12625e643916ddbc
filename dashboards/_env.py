"""Keep the dashboard server from phoning home. Imported by dashboards/app.py before Solara.

Solara, as installed (checked in solara/server/telemetry.py, solara/checks.py and
solara/__main__.py of solara 1.64):

- sends Mixpanel telemetry and asks api.ipify.org for the public IP at server start and on every
  connection, unless ``settings.telemetry.mixpanel_enable`` is False (env
  ``SOLARA_TELEMETRY_MIXPANEL_ENABLE``);
- in development mode (``solara run`` without ``--production``) adds a hidden iframe from
  solara.dev to the page once per machine (``solara.checks``);
- shows a "This website runs on Solara" banner in the page's bottom-right corner, over content
  (``SOLARA_THEME_SHOW_BANNER``);
- ``solara run`` asks pypi.org for its latest version *before* it imports the app
  (``--check-version``, on by default): no app code can stop that; ``python -m dashboards`` passes
  ``--no-check-version`` and ``solara run dashboards/app.py --no-check-version`` does too.

Settings already chosen by the environment are kept (``os.environ.setdefault``), so an operator
who wants telemetry can still switch it on.
"""

from __future__ import annotations

import os

OFF = {
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
    "SOLARA_THEME_SHOW_BANNER": "False",
}


def quiet_solara() -> None:
    """Switch telemetry, the solara.dev check and the banner off (environment and live settings)."""
    for key, value in OFF.items():
        os.environ.setdefault(key, value)
    try:
        import solara.checks
        import solara.server.settings as server_settings
    except ImportError:  # the dashboard extra is not installed: nothing to switch off
        return
    if os.environ["SOLARA_TELEMETRY_MIXPANEL_ENABLE"].lower() in ("false", "0", "no", "off"):
        server_settings.telemetry.mixpanel_enable = False
    if os.environ["SOLARA_THEME_SHOW_BANNER"].lower() in ("false", "0", "no", "off"):
        server_settings.theme.show_banner = False
    # the hidden solara.dev iframe of development mode (solara.server.server reads this at every page load)
    solara.checks.should_perform_solara_check = lambda: False
    solara.checks.should_perform_jupyter_check = lambda: False


quiet_solara()
