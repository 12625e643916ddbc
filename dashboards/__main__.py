"""Command-line shortcut: ``python -m dashboards [--host HOST] [--port PORT] [--scenarios DIR]``.

Starts ``solara run dashboards/app.py`` bound to 127.0.0.1 (this machine only) unless ``--host`` says
otherwise; ``--host 0.0.0.0`` serves every network interface (a classroom on a LAN).

The server runs as a child in its own process group. SIGTERM, SIGINT and SIGHUP sent to this process
(``kill``, Ctrl-C, a closed terminal, or any of them sent to ``scripts/run.sh``, which ``exec``s this
module) are forwarded to that whole group, so stopping the wrapper stops the server: no orphan keeps
the port. On Linux the server is also told to stop should this process die without a chance to
forward (``PR_SET_PDEATHSIG``). A port that is already taken is reported before anything starts.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

APP = Path(__file__).resolve().parent / "app.py"
FORWARDED = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP") if hasattr(signal, name))
GRACE_SECONDS = 5.0  # after a forwarded signal, the server has this long before SIGKILL


def build_command(host: str, port: int, *, production: bool = True) -> list[str]:
    """The solara command line that serves the dashboard (no version check: a classroom tool stays offline)."""
    cmd = [
        sys.executable,
        "-m",
        "solara",
        "run",
        str(APP),
        "--host",
        host,
        "--port",
        str(port),
        "--no-open",
        "--no-check-version",
    ]
    if production:
        cmd.append("--production")
    return cmd


def port_in_use(host: str, port: int) -> bool:
    """True if ``host:port`` cannot be bound (another server listens there)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: TIME_WAIT does not count
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False


def _die_with_parent() -> Callable[[], None] | None:
    """A pre-exec hook asking Linux to send the child SIGTERM when this process dies (None elsewhere)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None
    parent = os.getpid()

    def hook() -> None:
        libc.prctl(1, int(signal.SIGTERM))  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the parent died before the request took effect
            os.kill(os.getpid(), signal.SIGTERM)

    return hook


def serve(cmd: list[str], env: dict[str, str]) -> int:
    """Run the server command until it exits; forward stop signals to its process group.

    Returns:
        The server's exit status, or 0 when it was stopped by a forwarded signal.
    """
    proc = subprocess.Popen(cmd, env=env, start_new_session=True, preexec_fn=_die_with_parent())
    stop: list[int] = []

    def forward(signum: int, _frame: object) -> None:
        stop.append(signum)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signum)

    previous = {sig: signal.signal(sig, forward) for sig in FORWARDED}
    try:
        deadline = None
        while True:
            try:
                code = proc.wait(timeout=0.2)
                break
            except subprocess.TimeoutExpired:
                if stop and deadline is None:
                    deadline = time.monotonic() + GRACE_SECONDS
                if deadline is not None and time.monotonic() > deadline:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if proc.poll() is None:  # an exception in this loop: never leave the server behind
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    with contextlib.suppress(ProcessLookupError):  # helpers the server left in its group
        os.killpg(proc.pid, signal.SIGKILL)
    return 0 if stop else code


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run the server until interrupted."""
    ap = argparse.ArgumentParser(
        prog="python -m dashboards", description="Live dashboard of the innovation-system model."
    )
    ap.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to bind (default 127.0.0.1: this machine only; 0.0.0.0 serves the whole LAN)",
    )
    ap.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    ap.add_argument(
        "--scenarios",
        default=None,
        metavar="DIR",
        help="extra folder of scenario .toml files to offer in the scenario picker",
    )
    ap.add_argument("--dev", action="store_true", help="development mode (auto-reload, tracebacks in the page)")
    args = ap.parse_args(argv)
    env = dict(os.environ)
    if args.scenarios:
        env["NIS_DASHBOARD_SCENARIOS"] = str(Path(args.scenarios).resolve())
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(APP.parent.parent), env.get("PYTHONPATH", "")]))
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(
            f"Serving on {args.host}:{args.port}: anyone who can reach this machine can open the dashboard.",
            file=sys.stderr,
        )
    local = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host  # noqa: S104 - a comparison, not a bind
    if port_in_use(args.host, args.port):
        print(
            f"Port {args.port} on {args.host} is already in use (another dashboard still running?). "
            f"Stop that server, or choose another port with --port, e.g. --port {args.port + 1}.",
            file=sys.stderr,
        )
        return 2
    print(f"Dashboard: http://{local}:{args.port}/", file=sys.stderr)
    return serve(build_command(args.host, args.port, production=not args.dev), env)


if __name__ == "__main__":
    raise SystemExit(main())
