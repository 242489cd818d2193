"""Urgent work has the right of way (alerts.services.right_of_way): an urgent dispatch marks
urgent work in flight, and a worker of the default queue waits between its sends while the
mark stands, at most a bounded time. The real workers are exercised in
tests/integration/test_alerts_pipeline.py (the default worker sends nothing meanwhile)."""

from __future__ import annotations

import threading
import time
from unittest import mock

import pytest
from django.core.cache import cache

from alerts.models import Notification
from alerts.services import right_of_way
from alerts.services.dispatch import notifications_send
from alerts.services.notify import notify
from tests.alerts.factories import raise_alert

pytestmark = pytest.mark.django_db

DISPATCH = "alerts.tasks.dispatch_notifications_task"


@pytest.fixture(autouse=True)
def _clear_mark():
    cache.delete(right_of_way.KEY)
    yield
    cache.delete(right_of_way.KEY)


@pytest.fixture
def gives_way(monkeypatch):
    """This process as a worker of the default queue (hrdcase.celery sets it there)."""
    monkeypatch.setattr("hrdcase.celery._yielding", True)


def _in_flight() -> bool:
    return cache.get(right_of_way.KEY) is not None


def test_raising_an_alert_marks_urgent_work_and_a_reminder_does_not(
    case, officer, admin_user, django_capture_on_commit_callbacks
):
    with mock.patch(f"{DISPATCH}.apply_async"), django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[officer], kind="follow_up", subject="Due", dedupe_key="f")
        assert not _in_flight()
        raise_alert(case, officer)
    assert _in_flight()


def test_the_mark_lapses_on_its_own(settings):
    settings.ALERTS_URGENT_HOLD_SECONDS = 1
    right_of_way.urgent_work_started()
    assert _in_flight()
    time.sleep(1.1)
    assert not _in_flight()


def _reminders(officer, count: int) -> list[str]:
    with mock.patch(f"{DISPATCH}.apply_async"):
        notes = [
            notify(recipients=[officer], kind="follow_up", subject="Due", dedupe_key=f"r{n}")[0]
            for n in range(count)
        ]
    return [str(note.pk) for note in notes]


def test_a_default_worker_sends_once_urgent_work_is_done(gives_way, officer, mailoutbox):
    ids = _reminders(officer, 2)
    right_of_way.urgent_work_started()
    done = threading.Timer(0.4, cache.delete, args=[right_of_way.KEY])  # the alert is sent
    done.start()
    started = time.monotonic()
    result = notifications_send(notification_ids=ids)
    assert time.monotonic() - started >= 0.4  # nothing went out before
    assert result.sent == 2 and len(mailoutbox) == 2
    done.join()


def test_a_storm_of_urgent_work_slows_the_reminders_but_never_stops_them(
    gives_way, officer, mailoutbox, settings
):
    settings.ALERTS_URGENT_MAX_PAUSE_SECONDS = 0.2
    settings.ALERTS_URGENT_HOLD_SECONDS = 60  # urgent work all along
    ids = _reminders(officer, 2)
    right_of_way.urgent_work_started()
    started = time.monotonic()
    assert notifications_send(notification_ids=ids).sent == 2
    assert 0.4 <= time.monotonic() - started < 2  # 0.2 s before each send, no more
    assert len(mailoutbox) == 2


def test_the_urgent_worker_never_waits(officer, mailoutbox, settings):
    # A wait would last 5 s a send: the bound tells a wait from a slow machine.
    settings.ALERTS_URGENT_MAX_PAUSE_SECONDS = 5
    settings.ALERTS_URGENT_HOLD_SECONDS = 60
    right_of_way.urgent_work_started()  # its own alert's mark
    started = time.monotonic()
    assert notifications_send(notification_ids=_reminders(officer, 2)).sent == 2
    assert time.monotonic() - started < 5
    assert right_of_way.wait_for_urgent_work() == 0


def test_without_a_cache_an_alert_is_still_raised_and_nothing_waits(
    gives_way, case, officer, admin_user, settings, django_capture_on_commit_callbacks
):
    settings.CACHES = {
        **settings.CACHES,
        # nothing listens on port 1: every call to this cache fails
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        },
    }
    with mock.patch(f"{DISPATCH}.apply_async"), django_capture_on_commit_callbacks(execute=True):
        alert = raise_alert(case, officer)
    assert Notification.objects.unscoped().filter(alert=alert).exists()
    assert right_of_way.wait_for_urgent_work() == 0
