"""Measuring the registered operations: query counts in-process, latency through gunicorn,
and the floor (the operation's main SQL query run directly through psycopg2)."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.module_loading import import_string

from bench.operations import Operation, RunContext

BASE_DIR = Path(__file__).resolve().parent.parent


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile (p95 of 200 samples is the 190th fastest)."""
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    rank = max(1, round(fraction * len(ordered) + 0.5 - 1e-9))
    return ordered[min(len(ordered), rank) - 1]


@dataclass
class Result:
    operation: str
    target_p95_ms: float | None
    queries: int | None = None
    probe_queries: int | None = None
    status: int | None = None
    main_sql: str = ""
    #: with ``Operation.floor == "all"``: every SELECT of the page, run in turn as the floor.
    floor_sqls: list[str] = field(default_factory=list)
    guide_p95_ms: float | None = None
    #: a probe's own line (e.g. "burst of 1,000: all sent in 12.3 s, 0 lost").
    note: str = ""
    extra: dict = field(default_factory=dict)
    p50: float | None = None
    p95: float | None = None
    floor_p50: float | None = None
    floor_p95: float | None = None
    #: its bare view (bench/bare.py), measured interleaved with it through gunicorn.
    bare_p50: float | None = None
    bare_p95: float | None = None
    errors: list[str] = field(default_factory=list)
    #: a probe's own pass/fail where no p95 target applies (the load run's req/s).
    verdict: bool | None = None
    #: issue 24's target for the page (``Operation.issue24_p95_ms``).
    issue24_p95_ms: float | None = None

    @property
    def fixed_queries(self) -> bool:
        return self.probe_queries is None or self.probe_queries == self.queries

    @property
    def ratio(self) -> float | None:
        if self.p50 is None or not self.floor_p50:
            return None
        return self.p50 / self.floor_p50

    @property
    def real_bare(self) -> tuple[float, float] | None:
        """(p50, p95) of the page over (p50, p95) of its bare view."""
        if not (self.bare_p50 and self.bare_p95) or self.p50 is None or self.p95 is None:
            return None
        return self.p50 / self.bare_p50, self.p95 / self.bare_p95

    @property
    def bare_passed(self) -> bool | None:
        """Issue 24: real/bare at p95 <= 1.5 (``bare.REAL_BARE_TARGET``)."""
        from bench.bare import REAL_BARE_TARGET

        ratio = self.real_bare
        return None if ratio is None else ratio[1] <= REAL_BARE_TARGET

    @property
    def issue24_passed(self) -> bool | None:
        if self.issue24_p95_ms is None or self.p95 is None:
            return None
        return self.p95 <= self.issue24_p95_ms

    @property
    def passed(self) -> bool | None:
        if self.errors or not self.fixed_queries or self.bare_passed is False:
            return False
        if self.issue24_passed is False:
            return False
        if self.target_p95_ms is None or self.p95 is None:
            return self.verdict
        return self.p95 <= self.target_p95_ms


# --- in-process: query counts and the main query ---------------------------------------------


def client_for(operation: Operation, ctx: RunContext) -> Client:
    user = ctx.users[operation.actor]
    if operation.auth == "none":  # a secret URL (the iCal feed): nobody signs in
        return Client()
    if operation.auth == "token":
        from knox.models import AuthToken

        _instance, token = AuthToken.objects.create(user=user)
        return Client(HTTP_AUTHORIZATION=f"Token {token}")
    from accounts.testing import verified_client

    return verified_client(user, device_name="bench")


def _count(client: Client, path: str) -> tuple[int, int, list[dict]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, secure=True)
    return response.status_code, len(captured.captured_queries), captured.captured_queries


def clear_cache() -> None:
    # The dashboards cache their figures, the menu its badges: every counted request
    # computes them (the count is the worst case; through gunicorn, the page as served).
    from django.conf import settings
    from django.core.cache import caches

    for alias in settings.CACHES:
        caches[alias].clear()


def measure_queries(operation: Operation, ctx: RunContext) -> Result:
    result = Result(
        operation.name,
        operation.target_p95_ms,
        guide_p95_ms=operation.guide_p95_ms,
        issue24_p95_ms=operation.issue24_p95_ms,
    )
    client = client_for(operation, ctx)
    path = operation.path(ctx)
    client.get(path, secure=True)  # warm caches (content types, translations)
    clear_cache()
    if operation.warm_with:
        import_string(operation.warm_with)()
    result.status, result.queries, captured = _count(client, path)
    if result.status != 200:
        result.errors.append(f"HTTP {result.status} in-process")
    if operation.probe_path is not None:
        clear_cache()
        if operation.warm_with:
            import_string(operation.warm_with)()
        probe_status, result.probe_queries, _ = _count(client, operation.probe_path(ctx))
        # An error page costs its own number of queries: "the same count" must compare pages.
        if probe_status != 200:
            result.errors.append(f"HTTP {probe_status} in-process on the second page")
    if operation.floor == "all":
        result.floor_sqls = [
            q["sql"] for q in captured if q["sql"].lstrip().upper().startswith("SELECT")
        ]
        return result
    if not operation.main_table:
        return result
    table = f'"{operation.main_table}"'
    candidates = [
        q
        for q in captured
        if table in q["sql"]
        and operation.main_match in q["sql"]
        and q["sql"].lstrip().startswith("SELECT")
    ]
    if candidates:
        result.main_sql = max(candidates, key=lambda q: float(q["time"]))["sql"]
    return result


# --- the floor: the main query straight through psycopg2 -------------------------------------


def measure_floor(result: Result, requests: int) -> None:
    sqls = result.floor_sqls or ([result.main_sql] if result.main_sql else [])
    if not sqls or connection.vendor != "postgresql":
        return
    import psycopg2

    params = connection.get_connection_params()
    raw = psycopg2.connect(**params)
    raw.autocommit = True
    samples = []
    try:
        with raw.cursor() as cursor:
            warmup = min(20, requests)
            for n in range(requests + warmup):
                started = time.perf_counter()
                for sql in sqls:
                    cursor.execute(sql)
                    cursor.fetchall()
                if n >= warmup:
                    samples.append((time.perf_counter() - started) * 1000)
    finally:
        raw.close()
    result.floor_p50 = percentile(samples, 0.50)
    result.floor_p95 = percentile(samples, 0.95)


# --- through the real stack: gunicorn ---------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def warm_in_subprocess(function: str, settings_module: str) -> None:
    """Run ``function`` (a dotted path) in a fresh process with the web workers' settings,
    so what it caches lands in the cache they share (beat's refresh, as in production)."""
    code = (
        "import django; django.setup(); "
        "from django.core.cache import cache; cache.clear(); "
        f"from django.utils.module_loading import import_string; import_string({function!r})()"
    )
    env = dict(os.environ, DJANGO_SETTINGS_MODULE=settings_module)
    subprocess.run([sys.executable, "-c", code], cwd=BASE_DIR, env=env, check=True)


def start_gunicorn(
    port: int, workers: int = 2, settings_module: str = "bench.web_settings"
) -> subprocess.Popen:
    """gunicorn as the Dockerfile runs it (gthread, 4 threads), ``workers`` processes, with
    one difference: ``settings_module``, by default ``bench.web_settings`` (a dummy cache,
    so the dashboards compute their figures on every request instead of serving a cached
    copy)."""
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "hrdcase.wsgi:application",
        "--config=python:hrdcase.gunicorn_conf",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        "--threads=4",
        "--graceful-timeout=5",
        "--no-control-socket",
    ]
    return spawn_gunicorn(command, dict(os.environ, DJANGO_SETTINGS_MODULE=settings_module))


def spawn_gunicorn(command: list[str], env: dict[str, str]) -> subprocess.Popen:
    """Start ``command`` (a gunicorn on loopback) and return once it answers ``/healthz``."""
    port = next(int(a.rsplit(":", 1)[1]) for a in command if a.startswith("--bind="))
    process = subprocess.Popen(command, cwd=BASE_DIR, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        # The master listens before its workers have imported the application: wait for
        # an answer, not for the socket.
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz", headers={"X-Forwarded-Proto": "https"})
            conn.getresponse().read()
            conn.close()
            return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise RuntimeError("gunicorn did not start within 60 s")


def stop(process: subprocess.Popen, timeout: float = 15) -> None:
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def measure_http(client, path: str, requests: int, warmup: int = 20) -> tuple[list[float], set]:
    statuses = set()
    for _ in range(warmup):
        client.timed_get(path)
    samples = []
    for _ in range(requests):
        elapsed, status = client.timed_get(path)
        samples.append(elapsed)
        statuses.add(status)
    return samples, statuses


def measure_http_interleaved(
    client, path: str, bare_path: str, requests: int, warmup: int = 20
) -> tuple[list[float], list[float], set, set]:
    """The page and its bare view, one request each in turn on the same connection (so a
    busy moment of the machine weighs on both alike): samples and statuses of each."""
    for _ in range(warmup):
        client.timed_get(path)
        client.timed_get(bare_path)
    real, bare, real_statuses, bare_statuses = [], [], set(), set()
    for n in range(requests):
        # Alternate which goes first, so neither always follows the other.
        order = [(path, real, real_statuses), (bare_path, bare, bare_statuses)]
        for url, samples, statuses in order if n % 2 == 0 else order[::-1]:
            elapsed, status = client.timed_get(url)
            samples.append(elapsed)
            statuses.add(status)
    return real, bare, real_statuses, bare_statuses


# --- the table ---------------------------------------------------------------------------------


def _fmt(value, spec: str = ".1f") -> str:
    return "-" if value is None else format(value, spec)


def _real_bare(r: Result) -> str:
    from bench.bare import REAL_BARE_TARGET

    ratio = r.real_bare
    if ratio is None:
        return "-"
    verdict = "pass" if r.bare_passed else "FAIL"
    return f"{ratio[0]:.2f} / {ratio[1]:.2f} (p95 <= {REAL_BARE_TARGET:g} {verdict})"


def _issue24(r: Result) -> str:
    if r.issue24_p95_ms is None:
        return "-"
    verdict = {True: " pass", False: " FAIL", None: ""}[r.issue24_passed]
    return f"<= {r.issue24_p95_ms:g} ms{verdict}"


def render_table(results: list[Result]) -> str:
    header = [
        "operation",
        "p50 ms",
        "p95 ms",
        "queries",
        "floor p50",
        "ratio",
        "real/bare",
        "target p95",
        "issue 24 p95",
        "result",
    ]
    rows = []
    for r in results:
        queries = _fmt(r.queries, "d")
        if not r.fixed_queries:
            queries += f" (N+1: {r.probe_queries})"
        verdict = {True: "pass", False: "FAIL", None: "-"}[r.passed]
        target = "-" if r.target_p95_ms is None else f"<= {r.target_p95_ms:g} ms"
        if r.target_p95_ms is None and r.guide_p95_ms is not None:
            target = f"- (guide {r.guide_p95_ms:g})"
            if r.p95 is not None and r.p95 > r.guide_p95_ms and r.issue24_passed is not False:
                verdict = "- (over guide)"
        if r.note:
            verdict += f"; {r.note}"
        rows.append(
            [
                r.operation,
                _fmt(r.p50),
                _fmt(r.p95),
                queries,
                _fmt(r.floor_p50, ".2f"),
                "-" if r.ratio is None else f"{r.ratio:.0f}x",
                _real_bare(r),
                target,
                _issue24(r),
                verdict + (f" ({'; '.join(r.errors)})" if r.errors else ""),
            ]
        )
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]

    def line(cells):
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    separator = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(header), separator, *(line(row) for row in rows)])
