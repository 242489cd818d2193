"""Throughput (issue 24): concurrent keep-alive connections against the production gunicorn.

Each load probe starts gunicorn with the Dockerfile's own command (its ``CMD``: the
``--config=python:hrdcase.gunicorn_conf`` settings, threads, timeouts), changed only where
it must be: the bind address (a free loopback port), the access log (a file in the bench's
temporary directory instead of stdout) and the settings module (``bench.web_settings``: the
worker's pid in ``X-Bench-Worker``). Workers: the image's ``WEB_CONCURRENCY`` (the
Dockerfile's ``ENV``), unless ``BENCH_WEB_CONCURRENCY`` (or ``WEB_CONCURRENCY``) says
otherwise; a ``workers`` setting in hrdcase/gunicorn_conf.py wins over all, as in production.

``BENCH_CONCURRENCY`` (default 8) connections, each a thread of this process with its own
keep-alive connection of the same signed-in user (``BenchClient.clone``), first make 20
requests each (warm-up: every worker passes gunicorn_conf's ``FREEZE_AFTER``), then as many
as they can for ``BENCH_LOAD_SECONDS`` (default 10). Printed: req/s over that window,
p50/p95/p99, the workers gunicorn runs and how requests and connections spread over them.
A run where every connection lands on one worker of several fails, as does a rate under the
target (150 req/s for the case list, 300 for the API case list). The client runs on the
same machine and takes CPU from the server (as wrk would, less efficiently).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from bench import cpu, runner
from bench.operations import Probe, ProbeOutcome, RunContext, register_probe

CASE_LIST_REQ_S = 150
API_LIST_REQ_S = 300
WARMUP_PER_CONNECTION = 20


def concurrency() -> int:
    return int(os.environ.get("BENCH_CONCURRENCY", "8"))


def load_seconds() -> float:
    return float(os.environ.get("BENCH_LOAD_SECONDS", "10"))


# --- the production command --------------------------------------------------------------------


def dockerfile_command(dockerfile: Path | None = None) -> list[str]:
    """The Dockerfile's ``CMD`` (exec form), as a list."""
    text = (dockerfile or runner.BASE_DIR / "Dockerfile").read_text()
    match = re.search(r"^CMD\s*(\[.*?\])\s*$", text.replace("\\\n", " "), re.M | re.S)
    if match is None:
        raise RuntimeError("no exec-form CMD in the Dockerfile")
    return json.loads(match.group(1))


def dockerfile_env(dockerfile: Path | None = None) -> dict[str, str]:
    """The Dockerfile's ``ENV`` settings (``KEY=value`` form), as a dict."""
    text = (dockerfile or runner.BASE_DIR / "Dockerfile").read_text().replace("\\\n", " ")
    env: dict[str, str] = {}
    for line in re.findall(r"^ENV\s+(.*)$", text, re.M):
        env.update(re.findall(r"(\w+)=(\S+)", line))
    return env


def web_concurrency(dockerfile: Path | None = None) -> str:
    """The workers the image runs (its ``WEB_CONCURRENCY``), unless ``BENCH_WEB_CONCURRENCY``
    or ``WEB_CONCURRENCY`` say otherwise; 2 if the Dockerfile sets none."""
    image = dockerfile_env(dockerfile).get("WEB_CONCURRENCY", "2")
    return os.environ.get("BENCH_WEB_CONCURRENCY", os.environ.get("WEB_CONCURRENCY", image))


def production_command(port: int, access_log: Path, dockerfile: Path | None = None) -> list[str]:
    command = dockerfile_command(dockerfile)
    if Path(command[0]).name != "gunicorn":
        raise RuntimeError(f"the Dockerfile's CMD runs {command[0]}, not gunicorn")
    out = [str(Path(sys.executable).parent / "gunicorn")]
    for arg in command[1:]:
        if arg.startswith("--bind="):
            arg = f"--bind=127.0.0.1:{port}"
        elif arg.startswith("--access-logfile="):
            arg = f"--access-logfile={access_log}"
        out.append(arg)
    return out


def worker_pids(master_pid: int) -> list[str]:
    """The master's child processes (Linux /proc), i.e. its workers."""
    return sorted(cpu.children(master_pid))


# --- the load run -----------------------------------------------------------------------------


@dataclass
class Connection:
    """What one connection saw in the measured window."""

    samples: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    workers: Counter = field(default_factory=Counter)
    reconnects: int = 0


def run_load(
    clients,
    path: str,
    seconds: float,
    warmup: int = WARMUP_PER_CONNECTION,
    meter: cpu.CpuMeter | None = None,
):
    """``clients`` (one per connection) request ``path`` concurrently: ``warmup`` requests
    each, then as many as they can for ``seconds``. Returns the connections' records, the
    measured window's length in seconds and, given a ``meter``, the CPU the window took."""
    records = [Connection() for _ in clients]
    window: dict[str, float] = {}

    def open_window() -> None:  # run once, by the last thread to arrive, before any leaves
        if meter is not None:
            meter.start()
        window["start"] = time.perf_counter()
        window["end"] = window["start"] + seconds

    ready = threading.Barrier(len(clients) + 1, action=open_window)

    def work(client, record: Connection) -> None:
        try:
            for _ in range(warmup):
                client.timed_get(path)
        finally:
            ready.wait()
        start_reconnects = client.reconnects
        while time.perf_counter() < window["end"]:
            elapsed, status = client.timed_get(path)
            record.samples.append(elapsed)
            record.statuses[status] += 1
            record.workers[client.last_worker] += 1
        record.reconnects = client.reconnects - start_reconnects

    threads = [
        threading.Thread(target=work, args=(client, record), daemon=True)
        for client, record in zip(clients, records, strict=True)
    ]
    for thread in threads:
        thread.start()
    ready.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - window["start"]
    return records, elapsed, (meter.stop() if meter is not None else None)


def _cpu_note(use: cpu.CpuUse, requests: int) -> tuple[str, dict]:
    cores = os.cpu_count() or 1
    per = use.per_request_ms(requests)
    ceiling = use.ceiling_req_s(requests, cores)
    note = (
        f"; CPU a request: web {per['web']:.1f} ms, PostgreSQL {per['database']:.1f} ms, "
        f"client {per['client']:.1f} ms: at most {ceiling:.0f} req/s on {cores} cores"
    )
    return note, {"cpu_ms_per_request": per, "cpu_ceiling_req_per_s": ceiling, "cores": cores}


def summarise(
    records: list[Connection],
    elapsed: float,
    target_req_s: float,
    workers: list[str],
    cpu_use: cpu.CpuUse | None = None,
):
    """The load run as a ProbeOutcome: req/s against its target, percentiles, the spread,
    and (given ``cpu_use``) what a request cost in CPU and the rate that bounds."""
    samples = [s for record in records for s in record.samples]
    statuses = sum((record.statuses for record in records), Counter())
    by_worker = sum((record.workers for record in records), Counter())
    # A connection belongs to the worker that answered most of its requests.
    connections = Counter(r.workers.most_common(1)[0][0] for r in records if r.workers)
    rate = len(samples) / elapsed if elapsed > 0 else 0.0
    seen = sorted(set(by_worker) | set(workers))
    errors = []
    if set(statuses) != {200}:
        errors.append(f"HTTP {dict(sorted(statuses.items()))}")
    if "" in by_worker:
        errors.append("answers without X-Bench-Worker (not the bench web settings?)")
    if len(seen) > 1 and len(connections) == 1:
        errors.append(f"every connection on one worker of {len(seen)}")
    total = sum(by_worker.values()) or 1
    spread = ", ".join(
        f"{pid or '?'}: {100 * by_worker[pid] / total:.0f}% of requests, {connections[pid]} conn"
        for pid in seen
    )
    p99 = runner.percentile(samples, 0.99) if samples else float("nan")
    verdict = "pass" if rate >= target_req_s else "FAIL"
    note = (
        f"{rate:.1f} req/s (>= {target_req_s} {verdict}) at concurrency {len(records)}, "
        f"p99 {p99:.1f} ms; {len(seen)} workers: {spread}"
    )
    extra = {
        "req_per_s": rate,
        "target_req_per_s": target_req_s,
        "concurrency": len(records),
        "window_s": elapsed,
        "p99_ms": p99,
        "statuses": {str(k): v for k, v in statuses.items()},
        "requests_by_worker": dict(by_worker),
        "connections_by_worker": dict(connections),
        "workers": seen,
        "reconnects": sum(record.reconnects for record in records),
    }
    if cpu_use is not None:
        cpu_note, cpu_extra = _cpu_note(cpu_use, len(samples))
        note += cpu_note
        extra.update(cpu_extra)
    passed = not errors and rate >= target_req_s
    return ProbeOutcome(samples, note=note, errors=errors, extra=extra, passed=passed)


@contextmanager
def production_server() -> Iterator[tuple[int, subprocess.Popen]]:
    """The production gunicorn (the Dockerfile's command) on a free loopback port, with
    ``WEB_CONCURRENCY`` workers as above: yields (its port, its master process)."""
    port = runner.free_port()
    log_dir = Path(os.environ.get("BENCH_BARE_DIR") or tempfile.mkdtemp(prefix="hrdcase-bench-"))
    log_dir.mkdir(parents=True, exist_ok=True)
    command = production_command(port, log_dir / f"access-{port}.log")
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="bench.web_settings")
    env["WEB_CONCURRENCY"] = web_concurrency()
    print(f"  gunicorn: {' '.join(command[1:])} (WEB_CONCURRENCY={env['WEB_CONCURRENCY']})")
    process = runner.spawn_gunicorn(command, env)
    try:
        yield port, process
    finally:
        runner.stop(process)


def connections(port: int, user, auth: str):
    """``concurrency()`` clients of ``user``, each on a keep-alive connection of its own."""
    from bench.loadclient import signed_in_client

    first = signed_in_client(port, user, auth)
    return [first] + [first.clone() for _ in range(concurrency() - 1)]


def load_probe(ctx: RunContext, requests: int, *, actor: str, auth: str, path: str, target: float):
    """A probe: the production gunicorn, ``concurrency()`` connections on ``path``."""
    with production_server() as (port, process):
        clients = connections(port, ctx.users[actor], auth)
        try:
            meter = cpu.CpuMeter(process.pid)
            records, elapsed, cpu_use = run_load(clients, path, load_seconds(), meter=meter)
            return summarise(records, elapsed, target, worker_pids(process.pid), cpu_use)
        finally:
            for client in clients:
                client.close()


def _register() -> None:
    for name, actor, auth, path, target in [
        ("throughput: case list", "officer", "session", "/cases/", CASE_LIST_REQ_S),
        ("throughput: API case list", "officer", "token", "/api/v1/cases/", API_LIST_REQ_S),
    ]:
        run = partial(load_probe, actor=actor, auth=auth, path=path, target=target)
        register_probe(Probe(name=name, run=run, target_p95_ms=None, http=True))


_register()
