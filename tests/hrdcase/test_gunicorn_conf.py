"""The gunicorn settings every server of hrdcase runs with (issue 24: full garbage
collections stalled every thread of a worker; frozen after the warm-up)."""

from __future__ import annotations

import gc
from pathlib import Path
from types import SimpleNamespace

import pytest

from hrdcase import gunicorn_conf

BASE_DIR = Path(__file__).resolve().parents[2]


def test_a_worker_freezes_what_it_holds_once_after_its_warm_up(monkeypatch):
    frozen = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))
    worker = SimpleNamespace()
    for _ in range(gunicorn_conf.FREEZE_AFTER - 1):
        gunicorn_conf.post_request(worker, None, {}, None)
    assert frozen == []
    for _ in range(3 * gunicorn_conf.FREEZE_AFTER):
        gunicorn_conf.post_request(worker, None, {}, None)
    assert frozen == [True]


def test_freezing_leaves_later_objects_to_the_collector():
    gc.collect()
    before = gc.get_freeze_count()
    gunicorn_conf.post_request(
        SimpleNamespace(hrdcase_served=gunicorn_conf.FREEZE_AFTER - 1), None, {}, None
    )
    try:
        assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()


@pytest.mark.parametrize(
    "launcher",
    [
        "Dockerfile",
        "bench/runner.py",
        "hrdcase/management/commands/run_embedded.py",
        ".ci/schemathesis",
    ],
)
def test_every_server_runs_with_these_settings(launcher):
    assert "python:hrdcase.gunicorn_conf" in (BASE_DIR / launcher).read_text()


def test_the_access_log_leaves_query_strings_and_referrers_out():
    line = gunicorn_conf.access_log_format
    assert "%(U)s" in line
    assert not any(part in line for part in ("%(q)s", "%(r)s", "%(f)s", "%({"))


def _config(*args: str):
    from gunicorn.config import Config

    config = Config()
    for arg in args:
        name, value = arg.split("=")
        config.set(name, value)
    return config


def test_a_worker_takes_no_more_connections_than_its_threads_and_two():
    """8 keep-alive clients can never all land on one worker of two (issue 24)."""
    config = _config("threads=4")
    gunicorn_conf.on_starting(SimpleNamespace(cfg=config))
    assert config.worker_connections == 6 < 8
    assert config.worker_connections - config.threads > 0  # room for a kept-alive connection


def test_a_deployment_s_own_worker_connections_stay():
    config = _config("threads=4", "worker_connections=50")
    gunicorn_conf.on_starting(SimpleNamespace(cfg=config))
    assert config.worker_connections == 50
