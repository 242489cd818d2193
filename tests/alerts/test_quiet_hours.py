"""Quiet hours (issue 22, item 5): a non-urgent notification's e-mail and Signal message wait
until the user's quiet hours end, in the user's time zone; urgent alerts ignore them."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from alerts.models import ChannelDelivery, Notification, SignalNumber
from alerts.services.notify import notify
from alerts.services.preferences import notification_preferences_save
from alerts.services.quiet_hours import quiet_until
from alerts.services.sweep import sweep
from tests.alerts.channel_servers import signal_server

BOGOTA = ZoneInfo("America/Bogota")  # UTC-5, no daylight saving
PARIS = ZoneInfo("Europe/Paris")


def _at(zone, *args):
    return datetime(*args, tzinfo=zone)


@pytest.mark.parametrize(
    ("local", "until"),
    [
        ((2026, 12, 5, 23, 30), (2026, 12, 6, 7, 0)),  # after the start: tomorrow morning
        ((2026, 12, 6, 3, 0), (2026, 12, 6, 7, 0)),  # after midnight: this morning
        ((2026, 12, 6, 7, 0), None),  # the end itself is outside
        ((2026, 12, 6, 12, 0), None),
        ((2026, 12, 5, 22, 0), (2026, 12, 6, 7, 0)),  # the start itself is inside
    ],
)
def test_quiet_hours_across_midnight(local, until):
    now = _at(BOGOTA, *local).astimezone(UTC)
    expected = _at(BOGOTA, *until) if until else None
    assert quiet_until(now, time(22), time(7), BOGOTA) == expected


def test_quiet_hours_within_a_day_and_none():
    now = _at(BOGOTA, 2026, 12, 6, 13, 30)
    assert quiet_until(now, time(13), time(14), BOGOTA) == _at(BOGOTA, 2026, 12, 6, 14, 0)
    assert quiet_until(now, None, None, BOGOTA) is None
    assert quiet_until(now, time(13), time(13), BOGOTA) is None


def test_quiet_hours_end_on_the_wall_clock_across_a_daylight_saving_change():
    # the night Paris moves from summer to winter time (2026-10-25, 03:00 -> 02:00)
    now = _at(PARIS, 2026, 10, 25, 1, 0)
    until = quiet_until(now, time(22), time(7), PARIS)
    assert until.astimezone(PARIS).hour == 7
    # six hours on the clock, seven in fact: the clock goes back an hour that night
    assert until.astimezone(UTC) - now.astimezone(UTC) == timedelta(hours=7)


@pytest.mark.django_db
def test_a_non_urgent_notification_waits_until_the_quiet_hours_end(
    officer, django_capture_on_commit_callbacks
):
    officer.time_zone = "America/Bogota"
    officer.save(update_fields=["time_zone"])
    notification_preferences_save(
        user=officer, email={}, quiet=(time(22), time(7)), acting_user=officer
    )
    night = _at(BOGOTA, 2026, 12, 5, 23, 30)
    with mock.patch("django.utils.timezone.now", return_value=night.astimezone(UTC)):
        notify(recipients=[officer], kind="follow_up", subject="Due", dedupe_key="f")
        notify(recipients=[officer], kind="alert", subject="Urgent", dedupe_key="a")
    quiet = Notification.objects.for_recipient(officer).get(kind="follow_up")
    urgent = Notification.objects.for_recipient(officer).get(kind="alert")
    assert quiet.deliver_after == _at(BOGOTA, 2026, 12, 6, 7, 0)
    assert quiet.status == "pending" and quiet.queued_at is None
    assert urgent.deliver_after is None and urgent.queued_at is not None  # ignores them

    with (
        mock.patch("alerts.tasks.dispatch_notifications_task.apply_async") as apply_async,
        django_capture_on_commit_callbacks(execute=True),
    ):
        sweep(now=_at(BOGOTA, 2026, 12, 6, 3, 0).astimezone(UTC))  # still quiet
        queued = [pk for call in apply_async.call_args_list for pk in call.kwargs["args"][0]]
        assert str(quiet.pk) not in queued
        # nor can a stray message send it early: the claim checks deliver_after
        from alerts.services.dispatch import notification_send

        with mock.patch("django.utils.timezone.now", return_value=_at(BOGOTA, 2026, 12, 6, 3, 0)):
            assert notification_send(notification_id=quiet.pk) is False
        sweep(now=_at(BOGOTA, 2026, 12, 6, 7, 1).astimezone(UTC))  # over: queued
    queued = [pk for call in apply_async.call_args_list for pk in call.kwargs["args"][0]]
    assert str(quiet.pk) in queued


def _queued_ids(apply_async) -> list[str]:
    return [pk for call in apply_async.call_args_list for pk in call.kwargs["args"][0]]


@pytest.mark.django_db
def test_a_non_urgent_signal_message_waits_until_the_quiet_hours_end_an_urgent_one_does_not(
    settings, officer, django_capture_on_commit_callbacks
):
    from alerts.services.dispatch import delivery_send

    officer.time_zone = "America/Bogota"
    officer.save(update_fields=["time_zone"])
    with signal_server() as server:
        settings.SIGNAL_URL, settings.SIGNAL_NUMBER = server.url, "+4915100000000"
        SignalNumber.objects.create(
            user=officer, number="+573001234567", verified_at=datetime(2026, 12, 1, tzinfo=UTC)
        )
        notification_preferences_save(
            user=officer,
            email={},
            signal={"follow_up": True},
            quiet=(time(22), time(7)),
            acting_user=officer,
        )
        night = _at(BOGOTA, 2026, 12, 5, 23, 30).astimezone(UTC)
        with (
            mock.patch("django.utils.timezone.now", return_value=night),
            mock.patch("alerts.tasks.dispatch_notifications_task.apply_async"),  # e-mails
            mock.patch("alerts.tasks.dispatch_deliveries_task.apply_async") as apply_async,
            django_capture_on_commit_callbacks(execute=True),
        ):
            notify(recipients=[officer], kind="follow_up", subject="Due", dedupe_key="f")
            notify(recipients=[officer], kind="alert", subject="Urgent", dedupe_key="a")
        deliveries = ChannelDelivery.objects.unscoped().filter(channel="signal")
        quiet = deliveries.get(notification__kind="follow_up")
        urgent = deliveries.get(notification__kind="alert")
        assert quiet.deliver_after == _at(BOGOTA, 2026, 12, 6, 7, 0)
        assert quiet.status == "pending" and quiet.queued_at is None
        assert urgent.deliver_after is None and urgent.queued_at is not None
        # notify queues the urgent one at once, not the quiet one
        assert _queued_ids(apply_async) == [str(urgent.pk)]

        three = _at(BOGOTA, 2026, 12, 6, 3, 0).astimezone(UTC)
        with mock.patch("django.utils.timezone.now", return_value=three):
            assert delivery_send(delivery_id=urgent.pk) is True  # urgent: sent in the night
            assert delivery_send(delivery_id=quiet.pk) is False  # the claim refuses it
        (sent,) = server.accepted
        assert "Urgent" in sent["message"]
        quiet.refresh_from_db()
        assert (quiet.status, quiet.attempts) == ("pending", 0)

        with (
            mock.patch("alerts.tasks.dispatch_notifications_task.apply_async"),  # e-mails
            mock.patch("alerts.tasks.dispatch_deliveries_task.apply_async") as apply_async,
            django_capture_on_commit_callbacks(execute=True),
        ):
            sweep(now=three)  # still quiet: not queued
            assert str(quiet.pk) not in _queued_ids(apply_async)
            seven = _at(BOGOTA, 2026, 12, 6, 7, 1).astimezone(UTC)
            sweep(now=seven)  # over: queued (on the default queue: no queue named)
        assert mock.call(args=[[str(quiet.pk)]]) in apply_async.call_args_list
        with mock.patch("django.utils.timezone.now", return_value=seven):
            assert delivery_send(delivery_id=quiet.pk) is True
        assert len(server.accepted) == 2 and "Due" in server.accepted[1]["message"]


@pytest.mark.django_db
def test_quiet_hours_need_both_ends(officer):
    with pytest.raises(ValidationError, match="both the start and the end"):
        notification_preferences_save(
            user=officer, email={}, quiet=(time(22), None), acting_user=officer
        )
