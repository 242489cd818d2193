"""``python -m bench`` (what ``make bench`` runs): prepare PostgreSQL, seed, measure.

Steps: the bench environment (bench/env.py), the database from DATABASE_URL created when
missing, ``migrate``, ``collectstatic`` (production static storage), ``bench_seed`` when
the database does not hold a complete data set at BENCH_SCALE, then ``bench_run``.
"""

from __future__ import annotations

import argparse
import os
import sys


def _create_database_if_missing(url: str) -> None:
    import dj_database_url
    import psycopg2
    from psycopg2 import sql

    config = dj_database_url.parse(url)
    if "postgresql" not in config["ENGINE"]:
        sys.exit(f"make bench measures PostgreSQL; DATABASE_URL is {config['ENGINE']}")
    params = {
        "host": config["HOST"] or None,
        "port": config["PORT"] or None,
        "user": config["USER"] or None,
        "password": config["PASSWORD"] or None,
    }
    admin = psycopg2.connect(dbname="postgres", **params)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if cursor.fetchone() is None:
            print(f"creating database {config['NAME']}")
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
    admin.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--scale", type=float, default=float(os.environ.get("BENCH_SCALE", "1.0")))
    parser.add_argument(
        "--requests", type=int, default=int(os.environ.get("BENCH_REQUESTS", "200"))
    )
    parser.add_argument("--only", default=os.environ.get("BENCH_ONLY", ""))
    parser.add_argument("--floor-runs", type=int, default=None)
    args = parser.parse_args(argv)

    from bench.env import bench_environment

    env = bench_environment()
    os.environ.pop("HRDCASE_DEBUG", None)
    os.environ.update(env)
    _create_database_if_missing(os.environ["DATABASE_URL"])

    import django
    from django.core.management import CommandError, call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    try:
        call_command(
            "bench_run",
            scale=args.scale,
            requests=args.requests,
            only=args.only,
            floor_runs=args.floor_runs,
            seed_if_needed=True,
            bench_database=True,
        )
    except CommandError as error:
        sys.exit(f"bench: {error}")


if __name__ == "__main__":
    main()
