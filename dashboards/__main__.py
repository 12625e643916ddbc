"""Command-line shortcut: ``python -m dashboards [--host HOST] [--port PORT] [--servers N] [--scenarios DIR]``.

Starts ``solara run dashboards/app.py`` bound to 127.0.0.1 (this machine only) unless ``--host`` says
otherwise; ``--host 0.0.0.0`` serves every network interface (a classroom on a LAN).

``--servers N`` (a class on a machine with N cores) starts N servers on the next N ports and a front
on ``--port`` that sends each newly opened page to the next server in turn (an HTTP redirect that keeps
the path and query, so lesson links work): one address to hand out, and the class spread over N
processes. A Solara server runs its Python on one core at a time, so one server cannot use two cores.
Each browser tab keeps its own run on the server it was sent to; the page's share link points at the
front, so a shared link spreads the class too.

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
import threading
import time
from collections.abc import Callable
from http.server import ThreadingHTTPServer
from pathlib import Path

from dashboards.front import FRONT_PORT_ENV, front_server

APP = Path(__file__).resolve().parent / "app.py"
FORWARDED = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP") if hasattr(signal, name))
GRACE_SECONDS = 5.0  # after a forwarded signal, the server has this long before SIGKILL
MAX_SERVERS = 16


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
    return serve_many([cmd], env)


def serve_many(cmds: list[list[str]], env: dict[str, str], front: ThreadingHTTPServer | None = None) -> int:
    """Run server commands (and the front, if any) until a stop signal or until one server exits.

    Stop signals are forwarded to every server's process group; when one server ends on its own the
    others are stopped too. After a forwarded signal the servers have ``GRACE_SECONDS`` before SIGKILL,
    and whatever a server left in its group is killed at the end.

    Returns:
        0 when stopped by a forwarded signal, else the exit status of the server that ended first.
    """
    procs = [subprocess.Popen(c, env=env, start_new_session=True, preexec_fn=_die_with_parent()) for c in cmds]
    if front is not None:
        threading.Thread(target=front.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()
    signalled: list[int] = []
    first: int | None = None  # exit status of the server that ended first

    def kill_all(signum: int) -> None:
        for proc in procs:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signum)

    def forward(signum: int, _frame: object) -> None:
        signalled.append(signum)
        kill_all(signum)

    previous = {sig: signal.signal(sig, forward) for sig in FORWARDED}
    try:
        deadline = None
        while True:
            ended = [p.poll() for p in procs]
            if first is None and any(c is not None for c in ended):
                first = next(c for c in ended if c is not None)
                if not signalled and not all(c is not None for c in ended):
                    kill_all(signal.SIGTERM)  # one server died: stop the rest too
                    deadline = time.monotonic() + GRACE_SECONDS
            if all(c is not None for c in ended):
                break
            if signalled and deadline is None:
                deadline = time.monotonic() + GRACE_SECONDS
            if deadline is not None and time.monotonic() > deadline:
                kill_all(signal.SIGKILL)
            time.sleep(0.2)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if front is not None:
            front.shutdown()
            front.server_close()
        kill_all(signal.SIGKILL)  # helpers a server left in its group, or an exception in this loop
        for proc in procs:
            proc.wait()
    return 0 if signalled else int(first or 0)


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
    ap.add_argument(
        "--servers",
        type=int,
        default=1,
        metavar="N",
        help="serve from N processes (one per core, for a class): servers on the next N ports, "
        "and --port sends each new page to the next one (default 1)",
    )
    ap.add_argument("--dev", action="store_true", help="development mode (auto-reload, tracebacks in the page)")
    args = ap.parse_args(argv)
    if not 1 <= args.servers <= MAX_SERVERS:
        print(f"--servers {args.servers}: allowed 1 to {MAX_SERVERS} (one per core is enough)", file=sys.stderr)
        return 2
    from abm import ParameterError
    from dashboards.replay import shared_quarters

    try:
        shared_quarters()  # a server setting: wrong, it would stop every page at its first step
    except ParameterError as e:
        print(e, file=sys.stderr)
        return 2
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
    ports = [args.port] if args.servers == 1 else [args.port + i for i in range(args.servers + 1)]
    for port in ports:
        if port_in_use(args.host, port):
            print(
                f"Port {port} on {args.host} is already in use (another dashboard still running?). "
                f"Stop that server, or choose another port with --port, e.g. --port {ports[-1] + 1}.",
                file=sys.stderr,
            )
            return 2
    print(f"Dashboard: http://{local}:{args.port}/", file=sys.stderr)
    if args.servers == 1:
        return serve(build_command(args.host, args.port, production=not args.dev), env)
    env[FRONT_PORT_ENV] = str(args.port)
    backends = ports[1:]
    print(
        f"  {args.servers} servers on ports {backends[0]}-{backends[-1]}; new pages are sent to each in turn",
        file=sys.stderr,
    )
    cmds = [build_command(args.host, p, production=not args.dev) for p in backends]
    return serve_many(cmds, env, front_server(args.host, args.port, backends))


if __name__ == "__main__":
    raise SystemExit(main())
