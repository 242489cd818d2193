"""A worker of the default queue only yields the CPU (hrdcase/celery.py): on a machine it
shares, a flood of reminders never takes the CPU from the web or the urgent worker. The
real workers' scheduling is checked by the flood test (tests/integration)."""

from __future__ import annotations

import pytest

from hrdcase.celery import yields_cpu


@pytest.fixture(autouse=True)
def _urgent_queue(settings):
    settings.ALERTS_URGENT_QUEUE = "urgent"
    settings.DEFAULT_WORKER_YIELDS_CPU = True


def test_a_default_queue_worker_yields_the_cpu():
    assert yields_cpu({"celery"}, runs_beat=False)


@pytest.mark.parametrize(
    ("queues", "runs_beat"),
    [
        ({"urgent"}, False),  # the urgent worker
        ({"celery", "urgent"}, False),  # one worker for both (a single small machine)
        ({"celery"}, True),  # its embedded beat schedules the urgent sweep
    ],
)
def test_a_worker_with_urgent_work_keeps_its_share_of_the_cpu(queues, runs_beat):
    assert not yields_cpu(queues, runs_beat=runs_beat)


def test_the_deployment_may_turn_it_off(settings):
    settings.DEFAULT_WORKER_YIELDS_CPU = False
    assert not yields_cpu({"celery"}, runs_beat=False)
