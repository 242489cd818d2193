"""``make run`` end to end: the embedded mode starts from nothing and stops cleanly.

Runs ``manage.py run_embedded`` as a user would, with no database, broker or key in the
environment, so it must fall back to SQLite + the filesystem broker in a fresh var dir and
generate its own keys there.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
START_TIMEOUT = 90
STOP_TIMEOUT = 30


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _processes() -> dict[int, tuple[str, int, int]]:
    """pid -> (state, ppid, pgid) for every live process, read from /proc."""
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat_line = (entry / "stat").read_text()
        except OSError:
            continue  # exited meanwhile
        fields = stat_line.rsplit(")", 1)[1].split()
        table[int(entry.name)] = (fields[0], int(fields[1]), int(fields[2]))
    return table


def _descendants(root: int) -> set[int]:
    table = _processes()
    found: set[int] = set()
    frontier = {root}
    while frontier:
        frontier = {pid for pid, (_, ppid, _) in table.items() if ppid in frontier} - found
        found |= frontier
    return found


def _alive(pids: set[int], groups: set[int]) -> set[int]:
    """Which of ``pids``, or any member of the process ``groups``, still runs (not a zombie)."""
    return {
        pid
        for pid, (state, _, pgid) in _processes().items()
        if state != "Z" and (pid in pids or pgid in groups)
    }


def _wait_for(predicate: Callable[[], bool], timeout: float, what: str, output: list[str]) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}; output:\n" + "".join(output))
        time.sleep(0.5)


def _health(url: str) -> dict | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (local URL)
            if response.status == 200:
                return json.load(response)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        pass
    return None


@dataclass
class Run:
    process: subprocess.Popen[str]
    port: int
    output: list[str] = field(default_factory=list)
    children: set[int] = field(default_factory=set)

    def text(self) -> str:
        return "".join(self.output)


@pytest.fixture
def embedded_env(tmp_path: Path) -> dict[str, str]:
    # Nothing of the test run's configuration may leak in: no HRDCASE_* (tests/settings.py
    # sets keys and a var dir), no DATABASE_URL / CELERY_BROKER_URL, no test settings module.
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("HRDCASE_")
        and name not in {"DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["HRDCASE_DEBUG"] = "1"
    env["HRDCASE_VAR_DIR"] = str(tmp_path / "var")
    return env


@pytest.fixture
def run_embedded(embedded_env: dict[str, str]) -> Iterator[Run]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "run_embedded", "--bind", f"127.0.0.1:{port}"],
        cwd=BASE_DIR,
        env=embedded_env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    run = Run(process, port)
    assert process.stdout is not None
    reader = threading.Thread(target=lambda: run.output.extend(process.stdout), daemon=True)
    reader.start()
    try:
        yield run
    finally:
        # Whatever happened in the test, leave no process behind.
        children = _descendants(process.pid) | run.children
        if process.poll() is None:
            process.kill()
            process.wait()
        for pid in _alive(children, children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        reader.join(timeout=5)


@pytest.mark.integration
def test_it_runs_web_worker_and_beat_and_stops_them_on_ctrl_c(
    run_embedded: Run, embedded_env: dict[str, str]
) -> None:
    run = run_embedded
    health: dict | None = None

    def healthy() -> bool:
        nonlocal health
        if run.process.poll() is not None:
            pytest.fail(f"run_embedded exited with {run.process.returncode}:\n{run.text()}")
        health = _health(f"http://127.0.0.1:{run.port}/healthz")
        return health is not None

    _wait_for(healthy, START_TIMEOUT, "GET /healthz to answer 200", run.output)
    assert health is not None
    assert (health["status"], health["database"], health["broker"]) == ("ok", "ok", "ok")

    # The child's output is prefixed with its name by run_embedded.
    def logged(child: str, needle: str) -> Callable[[], bool]:
        return lambda: any(line.startswith(child) and needle in line for line in run.output)

    _wait_for(logged("worker ", " ready."), START_TIMEOUT, "the Celery worker", run.output)
    # The urgent queue's own worker (docs/alerts.md, "Queues"); the default one skips it.
    _wait_for(logged("urgent ", " ready."), START_TIMEOUT, "the urgent worker", run.output)
    assert any(line.startswith("urgent ") and ".> urgent " in line for line in run.output)
    assert not any(line.startswith("worker ") and ".> urgent " in line for line in run.output)
    _wait_for(logged("beat ", "beat: Starting"), START_TIMEOUT, "Celery beat", run.output)

    var_dir = Path(embedded_env["HRDCASE_VAR_DIR"])
    secrets_file = var_dir / "secrets.json"
    assert secrets_file.exists()
    assert stat.S_IMODE(secrets_file.stat().st_mode) == 0o600
    assert set(json.loads(secrets_file.read_text())) >= {
        "HRDCASE_SECRET_KEY",
        "HRDCASE_FIELD_KEYS",
        "HRDCASE_BLIND_INDEX_KEY",
    }
    assert (var_dir / "hrdcase.sqlite3").exists()
    # The operator is told how to log in.
    assert "Demo accounts (password for all: demo-hrdcase-2026)" in run.text()
    assert "ana.officer@demo.hrdcase.test" in run.text()

    table = _processes()
    children = run.children = _descendants(run.process.pid)
    direct = {pid for pid in children if table.get(pid, ("", 0, 0))[1] == run.process.pid}
    assert len(direct) == 4, f"expected web, worker, urgent worker and beat, found {direct}"

    run.process.send_signal(signal.SIGINT)
    try:
        returncode = run.process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"run_embedded did not stop within {STOP_TIMEOUT} s:\n{run.text()}")
    assert returncode == 0, run.text()

    # Each child leads its own process group: checking the groups catches processes that
    # were started after the snapshot too (a gunicorn worker respawned, a Celery pool child).
    _wait_for(lambda: not _alive(children, direct), 5, "all children to exit", run.output)
