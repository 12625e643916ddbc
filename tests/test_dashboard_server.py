"""The dashboard server's life cycle: `python -m dashboards` and `scripts/run.sh` stop the server they
started when they get SIGTERM (no orphan holds the port), and a busy port is reported with `--port`."""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("solara")

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env() -> dict[str, str]:
    return dict(
        os.environ,
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")])),
        SOLARA_TELEMETRY_MIXPANEL_ENABLE="False",
    )


def _descendants(pid: int) -> set[int]:
    """Every live process below ``pid`` (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    out, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.add(child)
            todo.append(child)
    return out


def _stat(pid: int) -> tuple[str, int] | None:
    """State and start time of a process, or None if there is none."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return fields[0], int(fields[19])


def _alive(proc: tuple[int, int]) -> bool:
    """Whether the process (pid, start time) still runs (a reused pid is another process)."""
    st = _stat(proc[0])
    return st is not None and st[0] != "Z" and st[1] == proc[1]


def _family(pid: int) -> set[tuple[int, int]]:
    return {(p, st[1]) for p in _descendants(pid) if (st := _stat(p)) is not None}


def _port_answers(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _leave_nothing_running(proc: subprocess.Popen, family: set[tuple[int, int]]) -> None:
    """Kill what a test started and left alive (only those processes), then reap the wrapper."""
    for member in family:
        if _alive(member):
            with contextlib.suppress(ProcessLookupError):
                os.kill(member[0], signal.SIGKILL)
    if proc.poll() is None:
        proc.kill()
    proc.wait(timeout=10)


def _start_and_stop(cmd: list[str], port: int, cwd: Path) -> None:
    """Start a server command, wait until the page answers, SIGTERM the command, check nothing is left."""
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    family: set[tuple[int, int]] = set()
    try:
        deadline = time.time() + 90
        while True:
            assert proc.poll() is None, f"exited early ({proc.returncode}): {proc.stderr.read().decode()[-2000:]}"
            family |= _family(proc.pid)
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            assert time.time() < deadline, "the dashboard did not answer within 90 s"
            time.sleep(0.3)
        family |= _family(proc.pid)
        assert family, "the server runs as a child of the wrapper"
        os.kill(proc.pid, signal.SIGTERM)  # the wrapper only, as `kill PID` does
        assert proc.wait(timeout=20) == 0
        deadline = time.time() + 10
        while (_port_answers(port) or any(map(_alive, family))) and time.time() < deadline:
            time.sleep(0.2)
        assert not _port_answers(port), f"port {port} still answers after SIGTERM"
        assert not [p for p in family if _alive(p)], "a child of the wrapper survived SIGTERM"
    finally:  # whatever failed, leave nothing running (only the processes this test started)
        _leave_nothing_running(proc, family)


@pytest.mark.slow
def test_sigterm_stops_the_server_it_started(tmp_path):
    port = _free_port()
    _start_and_stop([sys.executable, "-m", "dashboards", "--port", str(port)], port, tmp_path)


@pytest.mark.slow
def test_run_sh_passes_sigterm_on_to_the_server(tmp_path):
    """scripts/run.sh as committed, in a stand-in checkout: set-up stubbed, .venv/bin/python this Python.

    run.sh `exec`s the Python entry point, so the SIGTERM sent to run.sh's PID reaches the wrapper.
    """
    repo = tmp_path / "repo"
    (repo / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "run.sh", repo / "scripts" / "run.sh")
    (repo / "scripts" / "setup.sh").write_text("#!/usr/bin/env bash\nexit 0\n")
    (repo / "dashboards").symlink_to(ROOT / "dashboards", target_is_directory=True)
    venv_py = repo / ".venv" / "bin" / "python"
    venv_py.parent.mkdir(parents=True)
    venv_py.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    venv_py.chmod(venv_py.stat().st_mode | stat.S_IXUSR)
    port = _free_port()
    _start_and_stop(["bash", str(repo / "scripts" / "run.sh"), "--port", str(port)], port, tmp_path)


def test_busy_port_names_the_port_option():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        t0 = time.time()
        done = subprocess.run(
            [sys.executable, "-m", "dashboards", "--port", str(port)],
            env=_env(),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 2
    assert f"Port {port}" in done.stderr and "--port" in done.stderr
    assert time.time() - t0 < 30  # reported at once, before any server starts


def _free_ports(n: int) -> int:
    """A port p with p .. p+n-1 all free on the loopback."""
    for _ in range(50):
        base = _free_port()
        if base + n < 65536 and not any(_port_answers(base + i) for i in range(n)):
            return base
    raise RuntimeError("no run of free ports")


def test_front_sends_new_pages_to_each_server_in_turn_keeping_the_query():
    from dashboards.front import front_server

    port = _free_ports(1)
    front = front_server("127.0.0.1", port, [port + 1, port + 2])
    thread = threading.Thread(target=front.serve_forever, daemon=True)
    thread.start()
    try:
        got = []
        for _ in range(3):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/?lesson=consortia&lang=zh&seed=42", headers={"Host": f"10.1.2.3:{port}"})
            r = conn.getresponse()
            got.append((r.status, r.getheader("Location"), r.getheader("Cache-Control")))
            conn.close()
    finally:
        front.shutdown()
        front.server_close()
    q = "/?lesson=consortia&lang=zh&seed=42"
    assert got == [
        (307, f"http://10.1.2.3:{port + 1}{q}", "no-store"),
        (307, f"http://10.1.2.3:{port + 2}{q}", "no-store"),
        (307, f"http://10.1.2.3:{port + 1}{q}", "no-store"),
    ]


def test_share_links_point_at_the_front_behind_one():
    from dashboards.share import link_base

    assert link_base({"host": ["10.1.2.3:8766"]}, {}) == ""  # a single server: the page's own address
    env = {"NIS_DASHBOARD_FRONT_PORT": "8765"}
    assert link_base({"Host": ["10.1.2.3:8766"]}, env) == "http://10.1.2.3:8765/"
    assert link_base({"host": ["[::1]:8767"]}, env) == "http://[::1]:8765/"
    assert link_base(None, env) == ""  # no request headers known (a test render): relative link


@pytest.mark.slow
def test_two_servers_behind_one_front_serve_pages_and_stop_together(tmp_path):
    port = _free_ports(3)
    cmd = [sys.executable, "-m", "dashboards", "--port", str(port), "--servers", "2"]
    proc = subprocess.Popen(
        cmd, cwd=tmp_path, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    family: set[tuple[int, int]] = set()
    try:
        served: set[str] = set()
        deadline = time.time() + 120
        while len(served) < 2:
            assert proc.poll() is None, f"exited early ({proc.returncode}): {proc.stderr.read().decode()[-2000:]}"
            family |= _family(proc.pid)
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/?seed=3", timeout=5) as r:
                    if r.status == 200 and r.geturl().endswith("/?seed=3"):
                        served.add(r.geturl())
            except OSError:
                pass
            assert time.time() < deadline, f"pages from two servers within 120 s: {served}"
            time.sleep(0.3)
        assert served == {f"http://127.0.0.1:{port + i}/?seed=3" for i in (1, 2)}
        family |= _family(proc.pid)
        os.kill(proc.pid, signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
        deadline = time.time() + 10
        while (any(_port_answers(port + i) for i in range(3)) or any(map(_alive, family))) and time.time() < deadline:
            time.sleep(0.2)
        assert not [port + i for i in range(3) if _port_answers(port + i)], "a port still answers after SIGTERM"
        assert not [p for p in family if _alive(p)], "a server survived SIGTERM"
    finally:
        _leave_nothing_running(proc, family)
