"""``manage.py bench_run``: measure every registered operation (bench/operations.py).

Run it through ``make bench`` / ``python -m bench``, which set the bench environment
(bench/env.py: production-like settings, the throwaway keys the data was encrypted with,
PostgreSQL). For each operation: the SQL query count in-process (Django test client and
CaptureQueriesContext, plus a second page to prove the count is fixed), p50/p95 over
``--requests`` requests through gunicorn (2 workers) on loopback after warm-up, and the
floor: the operation's main query run directly through psycopg2.
"""

from __future__ import annotations

import json
import os
import platform
import tempfile
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from bench import bare, runner, seeders
from bench import operations as ops
from bench.env import BENCH_DIR
from bench.interpreter import interpreter_line


class Command(BaseCommand):
    help = "Measure the registered operations against the bench data set (see make bench)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0)
        parser.add_argument("--requests", type=int, default=200)
        parser.add_argument(
            "--only", default="", help="Comma-separated operation names (names hold no comma)."
        )
        parser.add_argument(
            "--floor-runs", type=int, default=None, help="Runs of each floor query (--requests)."
        )
        parser.add_argument(
            "--seed-if-needed",
            action="store_true",
            help="(Re)seed when the database does not hold a complete data set at --scale.",
        )
        parser.add_argument(
            "--bench-database",
            action="store_true",
            help="With HRDCASE_DEBUG off, confirm that --seed-if-needed may (re)seed here.",
        )
        parser.add_argument(
            "--no-http", action="store_true", help="Query counts and floor only (no gunicorn)."
        )

    def handle(self, *args, scale, requests, only, floor_runs, seed_if_needed, no_http, **options):
        self._check_options(requests, seed_if_needed, options["bench_database"])
        self._ensure_data(scale, seed_if_needed)
        self._check_keys()
        # before anything else runs: after the probes (their workers, the database's aftermath
        # of a flood) the same interpreter read 264 ms, against 153-163 in runs without them
        interpreter = interpreter_line()
        ctx = ops.prepare_context()
        wanted = {name.strip() for name in only.split(",") if name.strip()}
        selected = [op for op in ops.operations() if not wanted or op.name in wanted]
        results = []
        # Where the bare views' specs go (bench/bare.py); the gunicorn workers inherit it.
        os.environ.setdefault("BENCH_BARE_DIR", tempfile.mkdtemp(prefix="hrdcase-bench-bare-"))
        for operation in selected:
            result = runner.measure_queries(operation, ctx)
            runner.measure_floor(result, floor_runs or requests)
            if operation.bare:
                found = bare.prepare(operation, ctx)
                result.errors += found.pop("errors")
                result.extra.update(found)
            results.append(result)
        if not no_http:
            self._measure_http(selected, results, ctx, requests)
        results += self._run_probes(wanted, ctx, requests, no_http)
        self._report(results, scale, requests, ctx, interpreter)
        self.stdout.write(f"bare views' statements, load runs' access logs: {bare.spec_dir()}")
        if any(r.passed is False for r in results):
            raise CommandError("at least one operation is over its budget or failed")

    @staticmethod
    def _check_options(requests: int, seed_if_needed: bool, bench_database: bool) -> None:
        if requests < 100:
            raise CommandError("--requests must be at least 100 (p95 needs the samples)")
        if seed_if_needed and not settings.DEBUG and not bench_database:
            raise CommandError(
                "--seed-if-needed drops and writes bench data: with HRDCASE_DEBUG off, add "
                "--bench-database to confirm this is a throwaway benchmark database"
            )

    def _run_probes(self, wanted: set[str], ctx, requests: int, no_http: bool):
        results = []
        for probe in ops.probes():
            if (wanted and probe.name not in wanted) or (no_http and probe.http):
                continue
            self.stdout.write(f"probe: {probe.name}")
            try:
                outcome = probe.run(ctx, requests)
            except Exception as error:  # one broken probe must not lose the others' figures
                outcome = ops.ProbeOutcome([], errors=[f"{type(error).__name__}: {error}"])
            if not isinstance(outcome, ops.ProbeOutcome):
                outcome = ops.ProbeOutcome(list(outcome))
            samples = outcome.samples
            results.append(
                runner.Result(
                    probe.name,
                    probe.target_p95_ms,
                    p50=runner.percentile(samples, 0.5) if samples else None,
                    p95=runner.percentile(samples, 0.95) if samples else None,
                    errors=list(outcome.errors),
                    note=outcome.note,
                    extra=outcome.extra,
                    verdict=outcome.passed,
                )
            )
            self.stdout.write(f"  {outcome.note or outcome.errors}")
        return results

    # --- data ---------------------------------------------------------------------------------

    def _ensure_data(self, scale: float, seed_if_needed: bool) -> None:
        dataset = seeders.current_dataset()
        if dataset is not None and dataset.finished_at and abs(dataset.scale - scale) < 1e-9:
            self.stdout.write(f"bench data at scale {scale} already seeded")
            return
        if not seed_if_needed:
            raise CommandError(
                f"the database holds {dataset or 'no bench data'}, not scale {scale}: "
                "run bench_seed or pass --seed-if-needed"
            )
        if dataset is not None or seeders.bench_organisations().exists():
            self.stdout.write("dropping the bench data of another scale")
            seeders.reset_bench_data(log=self.stdout.write)
        self.stdout.write(f"seeding bench data at scale {scale}")
        try:
            ctx = seeders.seed_dataset(scale, log=self.stdout.write)
        except seeders.SeedRefused as refused:
            raise CommandError(f"refused: {refused}") from None
        self.stdout.write(f"seeded in {ctx.timings['total']:.1f} s: {ctx.counts}")

    def _check_keys(self) -> None:
        from cases.models import Case
        from hrdcase.crypto import DecryptionError

        # unscoped: one bench row, only to prove this process holds the data set's keys.
        case = Case.objects.unscoped().filter(organisation__code__startswith="BX").first()
        try:
            case and case.summary  # noqa: B018 (decrypts)
        except DecryptionError:
            raise CommandError(
                "the bench data was encrypted with other keys than this process has: run "
                "through make bench (keys in var/bench/keys.env) or bench_seed --reset"
            ) from None

    # --- gunicorn ---------------------------------------------------------------------------

    def _measure_http(self, selected, results, ctx, requests: int) -> None:
        # One gunicorn per settings module (the dummy-cache one, the shared-cache one).
        groups: dict[str, list] = {}
        for operation, result in zip(selected, results, strict=True):
            groups.setdefault(operation.web_settings, []).append((operation, result))
        for settings_module, measured in groups.items():
            self._measure_with(settings_module, measured, ctx, requests)

    def _measure_with(self, settings_module: str, measured, ctx, requests: int) -> None:
        from bench.loadclient import BenchClient, signed_in_client

        port = runner.free_port()
        self.stdout.write(f"starting gunicorn (2 workers, {settings_module}) on 127.0.0.1:{port}")
        process = runner.start_gunicorn(port, settings_module=settings_module)
        try:
            clients: dict[tuple[str, str], BenchClient] = {}
            for operation, result in measured:
                if operation.warm_with:
                    self.stdout.write(f"  warming: {operation.warm_with}")
                    runner.warm_in_subprocess(operation.warm_with, settings_module)
                key = (operation.actor, operation.auth)
                if key not in clients:
                    user = ctx.users[operation.actor]
                    clients[key] = signed_in_client(port, user, operation.auth)
                self._measure_one(clients[key], operation, result, ctx, requests)
        finally:
            runner.stop(process)

    def _measure_one(self, client, operation, result, ctx, requests: int) -> None:
        path = operation.path(ctx)
        bare_path = result.extra.get("bare_path")
        if bare_path:
            samples, bare_samples, statuses, bare_statuses = runner.measure_http_interleaved(
                client, path, bare_path, requests
            )
            if bare_statuses != {200}:
                result.errors.append(f"bare view: HTTP {sorted(bare_statuses)} through gunicorn")
            result.bare_p50 = runner.percentile(bare_samples, 0.50)
            result.bare_p95 = runner.percentile(bare_samples, 0.95)
        else:
            samples, statuses = runner.measure_http(client, path, requests)
        if statuses != {200}:
            result.errors.append(f"HTTP {sorted(statuses)} through gunicorn")
        result.p50 = runner.percentile(samples, 0.50)
        result.p95 = runner.percentile(samples, 0.95)
        line = f"  {operation.name}: p95 {result.p95:.1f} ms"
        if result.bare_p95 is not None:
            line += f", bare view p95 {result.bare_p95:.1f} ms (interleaved)"
        self.stdout.write(line)

    # --- output -------------------------------------------------------------------------------

    def _report(self, results, scale: float, requests: int, ctx, interpreter: str) -> None:
        from cases.models import Case

        officer = ctx.users["officer"]
        visible = Case.objects.visible_to(officer).count()
        cpu = platform.processor() or platform.machine()
        try:
            with open("/proc/cpuinfo") as info:
                cpu = next(
                    (line.split(":", 1)[1].strip() for line in info if "model name" in line), cpu
                )
        except OSError:
            pass
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()" if connection.vendor == "postgresql" else "SELECT 1")
            database = str(cursor.fetchone()[0]).split(",")[0]
        header = (
            f"bench at scale {scale}: {requests} requests per operation after 20 warm-up, "
            f"bench officer sees {visible} cases\n"
            f"machine: {os.cpu_count()} CPU ({cpu}), {database}, gunicorn 2 workers x 4 threads\n"
            f"{interpreter}"
        )
        self.stdout.write("")
        self.stdout.write(header)
        self.stdout.write(runner.render_table(results))
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        out = BENCH_DIR / f"results-{scale:g}-{int(time.time())}.json"
        out.write_text(
            json.dumps(
                {
                    "at": timezone.now().isoformat(),
                    "scale": scale,
                    "requests": requests,
                    "visible_to_officer": visible,
                    "machine": header,
                    "debug": settings.DEBUG,
                    "results": [
                        {
                            "operation": r.operation,
                            "p50_ms": r.p50,
                            "p95_ms": r.p95,
                            "queries": r.queries,
                            "probe_queries": r.probe_queries,
                            "floor_p50_ms": r.floor_p50,
                            "floor_p95_ms": r.floor_p95,
                            "bare_p50_ms": r.bare_p50,
                            "bare_p95_ms": r.bare_p95,
                            "real_bare_p50_p95": r.real_bare,
                            "target_p95_ms": r.target_p95_ms,
                            "issue24_p95_ms": r.issue24_p95_ms,
                            "issue24_passed": r.issue24_passed,
                            "passed": r.passed,
                            "errors": r.errors,
                            "main_sql": r.main_sql,
                            "floor_queries": len(r.floor_sqls) or (1 if r.main_sql else 0),
                            "floor_sqls": r.floor_sqls,
                            "guide_p95_ms": r.guide_p95_ms,
                            "note": r.note,
                            **r.extra,
                        }
                        for r in results
                    ],
                },
                indent=2,
            )
        )
        self.stdout.write(f"results written to {out}")
