"""The front of a multi-server dashboard (``python -m dashboards --servers N``): one address for a class.

A Solara server runs its Python on one core at a time, so a class on an N-core machine is served by N
server processes. The front listens on the address handed out and redirects each newly opened page to
the next server in turn (HTTP 307, never cached), keeping path and query so lesson and share links
work. Standard library only: the command-line wrapper imports it without Solara.
"""

from __future__ import annotations

import itertools
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

#: Set for the servers behind a front: the front's port (dashboards.share.link_base points shared links there,
#: so a shared link spreads its class over the servers too).
FRONT_PORT_ENV = "NIS_DASHBOARD_FRONT_PORT"


def host_name(host_header: str) -> str:
    """The host part of an HTTP Host header (``10.0.0.5:8765`` -> ``10.0.0.5``; IPv6 in brackets kept)."""
    if host_header.startswith("["):
        return host_header[: host_header.index("]") + 1]
    return host_header.rsplit(":", 1)[0] if ":" in host_header else host_header


def front_server(host: str, port: int, backends: list[int]) -> ThreadingHTTPServer:
    """An HTTP server on ``host:port`` that redirects every request to the next of the ``backends``
    ports in turn, on the host name the browser used, keeping path and query (a 307, never cached).
    """
    turn: Iterator[int] = itertools.cycle(backends)
    lock = threading.Lock()

    class Front(BaseHTTPRequestHandler):
        def _redirect(self) -> None:
            with lock:
                backend = next(turn)
            name = host_name(self.headers.get("Host") or str(self.server.server_address[0]))
            self.send_response(307)
            self.send_header("Location", f"http://{name}:{backend}{self.path}")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_GET = do_HEAD = _redirect  # noqa: N815 - http.server's method names

        def log_message(self, format: str, *args: object) -> None:
            pass  # a page load per pupil is not worth a log line

    class Server(ThreadingHTTPServer):
        address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        daemon_threads = True
        allow_reuse_address = True  # as uvicorn does: a port in TIME_WAIT does not count

    return Server((host, port), Front)
