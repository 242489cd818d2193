"""The benchmark's bare views and load run (issue 24), at scale 0.01 and without gunicorn:
the bare page replays the real page's own statements for its user only; the load run
counts requests, percentiles and the spread over workers (against a local threaded server
that names a "worker" per connection); the production command is the Dockerfile's."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test.utils import override_settings

from bench import bare, runner, seeders, throughput
from bench import operations as ops
from bench.loadclient import BenchClient
from bench.middleware import WORKER_HEADER
from tests.queries import get_counting

SCALE = 0.01


@pytest.fixture
def seeded(db, tmp_path, monkeypatch):
    monkeypatch.setenv("BENCH_BARE_DIR", str(tmp_path))
    seeders.seed_dataset(SCALE, log=lambda message: None)
    return ops.prepare_context()


def test_replayed_statements_are_the_page_s_own_selects():
    page = ["SELECT session", "SELECT user", "SELECT cases", "UPDATE x", "SELECT user"]
    middleware = ["SELECT session", "SELECT user"]
    replay, skipped = bare.replayed_statements(page, middleware)
    assert replay == ["SELECT cases", "SELECT user"]
    assert skipped == ["UPDATE x"]


@pytest.mark.parametrize("name", ["case list", "case logbook", "case overview"])
def test_the_bare_view_runs_the_real_page_s_statements(seeded, name):
    operation = next(op for op in ops.operations() if op.name == name)
    assert operation.bare
    found = bare.prepare(operation, seeded)
    assert found["errors"] == []
    assert found["bare_statements"] > 0
    assert found["bare_path"] == bare.bare_path(name)
    # Through the bench URLconf, signed in as the bench user: the same number of queries
    # as the real page (less any write), and the rows rendered.
    client = runner.client_for(operation, seeded)
    with override_settings(ROOT_URLCONF=bare.BARE_URLCONF):
        client.get(found["bare_path"], secure=True)
        response = get_counting(
            client,
            found["bare_path"],
            contains="<tr>",
            queries=found["bare_queries"],
            secure=True,
        )
    assert response.content.count(b"<tr>") > 0


def test_the_bare_view_answers_its_bench_user_only(seeded):
    operation = next(op for op in ops.operations() if op.name == "case list")
    found = bare.prepare(operation, seeded)
    other = ops.Operation(
        name="case list", actor="coordinator", path=operation.path, target_p95_ms=None
    )
    client = runner.client_for(other, seeded)
    with override_settings(ROOT_URLCONF=bare.BARE_URLCONF):
        assert client.get(found["bare_path"], secure=True).status_code == 404
        assert client.get(bare.bare_path("no such page"), secure=True).status_code == 404


def test_the_bench_web_settings_route_bare_views_and_name_the_worker():
    from bench import web_settings

    assert web_settings.ROOT_URLCONF == "bench.urls"
    assert web_settings.MIDDLEWARE[0] == "bench.middleware.WorkerPidMiddleware"


def test_the_first_view_cache_keeps_todays_network_figures_but_never_a_period_s():
    """ "another period: first view" is a first view on every request only if the period's
    copy is never kept; today's open-case figures (beat's copy) must be."""
    from django.core.cache.backends.locmem import LocMemCache

    from bench import web_settings_first_view
    from bench.cache import PeriodCopiesDropped

    assert web_settings_first_view.CACHES["default"]["BACKEND"] == "bench.cache.FirstViewCache"
    cache = type("Dropping", (PeriodCopiesDropped, LocMemCache), {})("first-view", {})
    from types import SimpleNamespace

    from dashboards.caching import TODAY, _key

    network = SimpleNamespace(pk="n1", members_version=0)
    today, period = _key(network, TODAY, "en"), _key(network, "2025", "en")
    cache.set_many({today: "open cases", period: "2025's", "menu:badge": 3})
    assert cache.get_many([today, period, "menu:badge"]) == {today: "open cases", "menu:badge": 3}


def test_the_worker_pid_middleware_names_the_process(rf):
    import os

    from bench.middleware import WorkerPidMiddleware

    response = WorkerPidMiddleware(lambda request: __import__("django").http.HttpResponse())(
        rf.get("/")
    )
    assert response[WORKER_HEADER] == str(os.getpid())


def test_the_table_prints_real_over_bare_and_fails_over_the_target():
    ok = runner.Result("case list", None, p50=12, p95=15, bare_p50=10, bare_p95=12)
    slow = runner.Result("case detail", None, p50=30, p95=40, bare_p50=10, bare_p95=20)
    assert ok.passed is None and ok.bare_passed is True
    assert slow.passed is False and slow.real_bare == (3.0, 2.0)
    table = runner.render_table([ok, slow])
    assert "real/bare" in table
    assert "1.20 / 1.25 (p95 <= 1.5 pass)" in table
    assert "3.00 / 2.00 (p95 <= 1.5 FAIL)" in table


def test_the_table_prints_issue_24_s_target_beside_the_budget_and_fails_over_it():
    """Issue 24's page targets (20 ms for the case list...) are printed with their own
    verdict; a page within DESIGN.md's 50 ms but over its issue 24 target fails."""
    from bench.operations import operations

    case_list = next(op for op in operations() if op.name == "case list")
    assert (case_list.target_p95_ms, case_list.issue24_p95_ms) == (50, 20)
    within = runner.Result("case list", 50, p50=15, p95=19, issue24_p95_ms=20)
    over = runner.Result("case list (search)", 50, p50=20, p95=30, issue24_p95_ms=25)
    plain = runner.Result("iCal feed (officer)", 100, p50=20, p95=30)
    guided = runner.Result("organisation dashboard", None, p95=60, guide_p95_ms=50)
    guided_over = runner.Result(
        "organisation dashboard", None, p95=60, guide_p95_ms=50, issue24_p95_ms=40
    )
    assert (within.passed, over.passed, plain.passed) == (True, False, True)
    assert (guided.passed, guided_over.passed) == (None, False)
    assert runner.render_table([within, over, plain]).count("FAIL") == 2
    table = runner.render_table([within, over, plain])
    assert "issue 24 p95" in table
    assert "<= 20 ms pass" in table and "<= 25 ms FAIL" in table
    rows = runner.render_table([guided, guided_over]).splitlines()[2:]
    assert "- (over guide)" in rows[0] and "FAIL" not in rows[0]
    assert "<= 40 ms FAIL | FAIL" in rows[1]


def test_the_load_run_uses_the_dockerfile_s_gunicorn_command(tmp_path):
    command = throughput.production_command(8123, tmp_path / "access.log")
    assert command[0].endswith("gunicorn")
    assert "--config=python:hrdcase.gunicorn_conf" in command
    assert "--bind=127.0.0.1:8123" in command
    assert f"--access-logfile={tmp_path / 'access.log'}" in command
    assert not any(arg.startswith("--bind=0.0.0.0") for arg in command)


def test_the_load_run_has_as_many_workers_as_the_image_unless_told(tmp_path, monkeypatch):
    monkeypatch.delenv("BENCH_WEB_CONCURRENCY", raising=False)
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    assert throughput.web_concurrency() == throughput.dockerfile_env()["WEB_CONCURRENCY"]
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(
        "FROM python:3.11-slim\nENV PYTHONUNBUFFERED=1 \\\n    WEB_CONCURRENCY=5\nCMD []\n"
    )
    assert throughput.web_concurrency(dockerfile) == "5"
    monkeypatch.setenv("BENCH_WEB_CONCURRENCY", "2")
    assert throughput.web_concurrency(dockerfile) == "2"


class _Server:
    """A local threaded HTTP server; ``worker_of(port_of_client)`` names its "worker"."""

    def __init__(self, worker_of):
        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                body = b"ok"
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.send_header(WORKER_HEADER, worker_of(self.client_address[1]))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def _load(worker_of, target: float):
    with _Server(worker_of) as server:
        first = BenchClient(server.port)
        clients = [first] + [first.clone() for _ in range(3)]
        records, elapsed, _cpu = throughput.run_load(clients, "/", seconds=0.5, warmup=2)
        for client in clients:
            client.close()
    return throughput.summarise(records, elapsed, target, workers=["1", "2"])


def test_the_load_run_reports_rate_percentiles_and_spread():
    outcome = _load(lambda client_port: str(1 + client_port % 2), target=1)
    assert outcome.samples and outcome.extra["concurrency"] == 4
    assert outcome.extra["req_per_s"] == pytest.approx(
        len(outcome.samples) / outcome.extra["window_s"]
    )
    assert sum(outcome.extra["requests_by_worker"].values()) == len(outcome.samples)
    assert outcome.extra["p99_ms"] >= runner.percentile(outcome.samples, 0.95)
    assert ">= 1 pass" in outcome.note and "2 workers" in outcome.note
    # Ports of four connections: both parities are likely but not certain; the verdict
    # follows the spread actually seen.
    one_worker = len(outcome.extra["connections_by_worker"]) == 1
    assert outcome.passed is not one_worker


def test_the_load_run_fails_when_one_worker_takes_every_connection_or_rate_is_low():
    outcome = _load(lambda client_port: "1", target=10**9)
    assert outcome.passed is False
    assert outcome.errors == ["every connection on one worker of 2"]
    assert "(>= 1000000000 FAIL)" in outcome.note


def test_the_load_run_fails_under_its_rate_target_alone():
    outcome = _load(lambda client_port: str(1 + client_port % 2), target=10**9)
    assert outcome.passed is False
    assert "(>= 1000000000 FAIL)" in outcome.note


def test_load_probes_are_registered_with_names_bench_only_can_select():
    names = {probe.name for probe in ops.probes()}
    assert {"throughput: case list", "throughput: API case list"} <= names
    # bench_run --no-http skips them (they start gunicorn).
    assert all(probe.http for probe in ops.probes() if probe.name.startswith("throughput: "))
    assert not any("," in name for name in names)


def test_the_middleware_s_statements_match_whatever_the_time():
    page = ["SELECT s WHERE expire_date > '2026-12-05 22:02:57.429797' AND k = 'a'", "SELECT c"]
    middleware = ["SELECT s WHERE expire_date > '2026-12-05 22:02:57.509563' AND k = 'a'"]
    assert bare.replayed_statements(page, middleware) == (["SELECT c"], [])


def test_a_server_side_cursor_replays_as_the_select_it_declares():
    declared = 'DECLARE "_django_curs_1_sync_7" NO SCROLL CURSOR WITH HOLD FOR SELECT "a" FROM "t"'
    assert bare.replayed_statements([declared], []) == (['SELECT "a" FROM "t"'], [])
