"""The benchmark's process environment: production-like settings with throwaway keys.

The keys are generated once into ``var/bench/keys.env`` (git-ignored ``var/``): the data
set is encrypted with them by ``bench_seed`` and read with them by the gunicorn workers of
``bench_run``, so both must see the same file. They protect fictional data only.
"""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = BASE_DIR / "var" / "bench"
KEYS_FILE = BENCH_DIR / "keys.env"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/hrdcase_bench"


def _new_keys() -> dict[str, str]:
    return {
        "HRDCASE_SECRET_KEY": secrets.token_urlsafe(50),
        "HRDCASE_FIELD_KEYS": "bench1:"
        + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "HRDCASE_BLIND_INDEX_KEY": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
    }


def load_keys() -> dict[str, str]:
    if KEYS_FILE.exists():
        pairs = (line.split("=", 1) for line in KEYS_FILE.read_text().splitlines() if "=" in line)
        return {key.strip(): value.strip() for key, value in pairs}
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    keys = _new_keys()
    KEYS_FILE.touch(mode=0o600)
    KEYS_FILE.write_text("".join(f"{k}={v}\n" for k, v in keys.items()))
    return keys


def bench_environment(base: dict[str, str] | None = None) -> dict[str, str]:
    """``base`` (default ``os.environ``) with the bench settings: HRDCASE_DEBUG off, the bench
    keys, PostgreSQL from DATABASE_URL, TLS assumed terminated by a proxy on loopback."""
    env = dict(os.environ if base is None else base)
    env.pop("HRDCASE_DEBUG", None)
    env.update(load_keys())
    env.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    # The production settings with the bench app (bench/settings.py): never installed in
    # production, so its data-set table and commands exist only here.
    env["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    # The alert dispatch probe (bench/dispatch.py) runs a live worker on this Redis database
    # (a number of its own: the probe flushes it first). Nothing else sends tasks.
    env["CELERY_BROKER_URL"] = env.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/11")
    env["HRDCASE_ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
    # As behind the production proxy: the client sends X-Forwarded-Proto: https, so secure
    # cookies, HSTS and the SSL redirect stay as in production.
    env["HRDCASE_BEHIND_PROXY"] = "1"
    env["HRDCASE_STATIC_ROOT"] = str(BENCH_DIR / "static")
    env.setdefault("HRDCASE_LOG_LEVEL", "WARNING")
    return env
