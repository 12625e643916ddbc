"""Command-line shortcut: ``python -m dashboards [--host HOST] [--port PORT] [--scenarios DIR]``.

Starts ``solara run dashboards/app.py`` bound to 127.0.0.1 (this machine only) unless ``--host`` says
otherwise; ``--host 0.0.0.0`` serves every network interface (a classroom on a LAN).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

APP = Path(__file__).resolve().parent / "app.py"


def build_command(host: str, port: int, *, production: bool = True) -> list[str]:
    """The solara command line that serves the dashboard."""
    cmd = [sys.executable, "-m", "solara", "run", str(APP), "--host", host, "--port", str(port), "--no-open"]
    if production:
        cmd.append("--production")
    return cmd


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run the server until interrupted."""
    ap = argparse.ArgumentParser(prog="python -m dashboards", description="Live dashboard of the innovation-system model.")
    ap.add_argument("--host", default="127.0.0.1",
                    help="address to bind (default 127.0.0.1: this machine only; 0.0.0.0 serves the whole LAN)")
    ap.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    ap.add_argument("--scenarios", default=None, metavar="DIR",
                    help="extra folder of scenario .toml files to offer in the scenario picker")
    ap.add_argument("--dev", action="store_true", help="development mode (auto-reload, tracebacks in the page)")
    args = ap.parse_args(argv)
    env = dict(os.environ)
    if args.scenarios:
        env["NIS_DASHBOARD_SCENARIOS"] = str(Path(args.scenarios).resolve())
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(APP.parent.parent), env.get("PYTHONPATH", "")]))
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"Serving on {args.host}:{args.port}: anyone who can reach this machine can open the dashboard.",
              file=sys.stderr)
    local = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host  # noqa: S104 - a comparison, not a bind
    print(f"Dashboard: http://{local}:{args.port}/",
          file=sys.stderr)
    try:
        return subprocess.call(build_command(args.host, args.port, production=not args.dev), env=env)
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
