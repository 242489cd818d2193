"""``manage.py bench_seed --scale 1.0``: the benchmark data set (see bench/seeders.py)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bench import seeders


class Command(BaseCommand):
    help = "Generate the benchmark data set (bulk inserts); --reset drops it."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=None, help="1.0 = the budget's data set")
        parser.add_argument("--reset", action="store_true", help="Drop the bench data first.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even though the database holds data the benchmark did not write.",
        )
        parser.add_argument(
            "--bench-database",
            action="store_true",
            help="Run with HRDCASE_DEBUG off (bench_run's production-like settings): you "
            "confirm this database is a throwaway benchmark database.",
        )

    def handle(self, *args, scale, reset, force, bench_database, **options):
        if not settings.DEBUG and not bench_database:
            raise CommandError(
                "bench_seed writes a large fake data set: it runs with HRDCASE_DEBUG=1, or "
                "with --bench-database to confirm this is a throwaway benchmark database."
            )
        if not reset and scale is None:
            raise CommandError("give --scale (1.0 is the full data set) and/or --reset")
        if reset:
            deleted = seeders.reset_bench_data(log=self.stdout.write)
            total = sum(deleted.values())
            self.stdout.write(f"bench data dropped ({total} rows)")
        if scale is None:
            return
        self.stdout.write(f"seeding bench data at scale {scale}")
        try:
            ctx = seeders.seed_dataset(scale, force=force, log=self.stdout.write)
        except seeders.SeedRefused as refused:
            raise CommandError(f"refused: {refused}") from None
        for label, n in ctx.counts.items():
            self.stdout.write(f"  {label}: {n}")
        self.stdout.write(self.style.SUCCESS(f"seeded in {ctx.timings['total']:.1f} s"))
