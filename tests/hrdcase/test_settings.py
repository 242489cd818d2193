"""Settings come from the environment through strict readers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from hrdcase.env import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parents[2]


def test_it_rejects_a_malformed_boolean(monkeypatch):
    monkeypatch.setenv("HRDCASE_REQUIRE_2FA", "maybe")
    with pytest.raises(ImproperlyConfigured, match="HRDCASE_REQUIRE_2FA"):
        env_bool("HRDCASE_REQUIRE_2FA", default=True)


def test_it_reads_booleans_integers_and_lists(monkeypatch):
    monkeypatch.setenv("A_FLAG", "off")
    monkeypatch.setenv("A_NUMBER", "42")
    monkeypatch.setenv("A_LIST", "a.example, b.example,")
    assert env_bool("A_FLAG", default=True) is False
    assert env_int("A_NUMBER", 1) == 42
    assert env_list("A_LIST", []) == ["a.example", "b.example"]
    assert env_bool("UNSET_FLAG_XYZ", default=True) is True


def test_it_rejects_a_malformed_or_too_small_integer(monkeypatch):
    monkeypatch.setenv("A_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="integer"):
        env_int("A_NUMBER", 1)
    monkeypatch.setenv("A_NUMBER", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("A_NUMBER", 5, minimum=1)


def _import_settings(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("HRDCASE_", "DATABASE_"))}
    clean.pop("CELERY_BROKER_URL", None)
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import hrdcase.settings"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_keys(tmp_path):
    result = _import_settings({"HRDCASE_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "HRDCASE_SECRET_KEY must be set" in result.stderr
    assert not (tmp_path / "secrets.json").exists()


def test_embedded_mode_generates_its_keys_once(tmp_path):
    env = {"HRDCASE_DEBUG": "1", "HRDCASE_VAR_DIR": str(tmp_path)}
    assert _import_settings(env).returncode == 0
    secrets_file = tmp_path / "secrets.json"
    first = secrets_file.read_text()
    assert oct(secrets_file.stat().st_mode & 0o777) == "0o600"
    assert _import_settings(env).returncode == 0
    assert secrets_file.read_text() == first


def test_every_beat_entry_names_a_registered_task():
    """A misspelt task name in the beat schedule would fail silently in production."""
    from django.conf import settings

    from hrdcase.celery import app

    app.loader.import_default_modules()
    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "dashboards.tasks.warm_network_figures_task" in names
    assert names <= set(app.tasks)


def test_postgresql_connections_run_without_jit_and_keep_the_urls_options(tmp_path):
    env = {
        "HRDCASE_DEBUG": "1",
        "HRDCASE_VAR_DIR": str(tmp_path),
        "DATABASE_URL": "postgres://u@db.example:5432/hrdcase?options=-c%20statement_timeout%3D5000",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import hrdcase.settings as s; print(s.DATABASES['default']['OPTIONS']['options'])",
        ],
        cwd=ROOT,
        env={**{k: v for k, v in os.environ.items() if not k.startswith("HRDCASE_")}, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "-c statement_timeout=5000 -c jit=off", result.stderr


@pytest.mark.postgresql
@pytest.mark.django_db
def test_the_applications_postgresql_sessions_have_jit_off():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_a_hung_mail_server_fails_the_send_instead_of_holding_a_worker(settings):
    """A server that accepts the connection and never answers: the send gives up after
    EMAIL_TIMEOUT (default 30 s, 1 s here) and the notification is retried later."""
    import smtplib
    import socket

    from django.core.mail import send_mail

    from hrdcase import settings as project_settings

    assert project_settings.EMAIL_TIMEOUT == 30
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.getsockname()[1]
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_TIMEOUT = 1
        with pytest.raises((TimeoutError, smtplib.SMTPServerDisconnected)):
            send_mail("Subject", "Body", None, ["officer@example.org"])
    finally:
        server.close()


def test_production_does_not_install_the_benchmark():
    """The bench app (its data-set table, its seeding commands) exists only under
    bench/settings.py, which make bench uses: never in a production deployment."""
    from importlib import import_module

    production = import_module("hrdcase.settings").INSTALLED_APPS
    assert "bench" not in production
    web = ("web_settings", "web_settings_shared_cache", "web_settings_first_view")
    for name in ("settings", *web):
        installed = import_module(f"bench.{name}").INSTALLED_APPS
        assert installed == [*production, "bench"], name
