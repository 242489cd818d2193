"""Check-ins: the schedule and the check-ins of a case (pages and services), the alert a
missed check-in raises, and their dates following the plausible-date rule (issue 17: a
schedule ending in year 9999 or a check-in heard in year 1 is refused with the message,
400, nothing written)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from alerts.models import Alert, CheckIn, CheckInSchedule
from alerts.services.checkins import checkin_log, checkin_schedule_set
from alerts.services.sweep import sweep
from hrdcase.dates import add_years
from tests.alerts.factories import partner_with
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _message() -> str:
    latest = add_years(timezone.localdate(), 10)
    return f"Enter a date between 1900-01-01 and {latest.isoformat()}."


def test_a_schedule_ending_in_year_9999_is_refused(case, officer_client):
    response = officer_client.post(
        reverse("alerts:check_in_schedule", args=[case.pk]),
        {"interval_hours": "12", "grace_minutes": "30", "ends_at": "9999-12-31T23:59"},
    )
    assert response.status_code == 400
    assert response.context["schedule_form"].errors["ends_at"] == [_message()]
    assert not CheckInSchedule.objects.unscoped().filter(case=case).exists()


def test_a_check_in_heard_in_year_1_is_refused(case, officer_client):
    response = officer_client.post(
        reverse("alerts:check_ins", args=[case.pk]), {"at": "0001-01-01T00:00", "note": "x"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["at"] == [_message()]
    assert not CheckIn.objects.unscoped().filter(case=case).exists()


def test_check_in_pages(case, officer, officer_client):
    url = reverse("alerts:check_ins", args=[case.pk])
    assert b"No check-in schedule" in officer_client.get(url).content
    response = officer_client.post(
        reverse("alerts:check_in_schedule", args=[case.pk]),
        {"interval_hours": "0", "grace_minutes": "30"},
    )
    assert response.status_code == 400
    officer_client.post(
        reverse("alerts:check_in_schedule", args=[case.pk]),
        {"interval_hours": "12", "grace_minutes": "30"},
    )
    assert b"every 12 hours" in officer_client.get(url).content
    officer_client.post(url, {"note": "Called from the bus."})
    assert b"Called from the bus." in officer_client.get(url).content
    officer_client.post(reverse("alerts:check_in_schedule_stop", args=[case.pk]))
    assert b"No check-in schedule" in officer_client.get(url).content


def test_a_missed_check_in_raises_one_alert_per_window(case, officer, admin_user):
    start = timezone.now() - timedelta(hours=20)
    schedule = checkin_schedule_set(
        case=case, acting_user=officer, interval_hours=12, grace_minutes=30, starts_at=start
    )
    sweep(now=start + timedelta(hours=12, minutes=20))  # within grace
    assert not case.alerts.exists()
    sweep(now=start + timedelta(hours=12, minutes=31))
    sweep(now=start + timedelta(hours=13))
    alert = case.alerts.get()
    assert alert.kind == Alert.Kind.MISSED_CHECK_IN
    assert alert.auto_key.startswith(f"check_in:{schedule.pk}:")
    # heard from: the next window starts from the check-in
    checkin_log(case=case, acting_user=officer, at=start + timedelta(hours=14))
    sweep(now=start + timedelta(hours=20))
    assert case.alerts.count() == 1
    sweep(now=start + timedelta(hours=26, minutes=31))
    # the first alert is still open: the second missed window joins its history (one open
    # alert per case and cause, alerts.causes; tests/alerts/test_causes.py)
    assert case.alerts.count() == 1 and alert.events.get().kind == Alert.Kind.MISSED_CHECK_IN


def test_check_ins_are_logged_by_full_partners_and_scheduled_by_the_owner(case, officer, viewer):
    _p, partner_officer, _v = partner_with(case, "full", acting_user=officer)
    with pytest.raises(PermissionDenied):
        checkin_schedule_set(case=case, acting_user=partner_officer, interval_hours=12)
    with pytest.raises(ValidationError) as error:
        checkin_schedule_set(case=case, acting_user=officer, interval_hours=0, grace_minutes=-1)
    assert set(error.value.message_dict) == {"interval_hours", "grace_minutes"}
    checkin_schedule_set(case=case, acting_user=officer, interval_hours=12)
    checkin_schedule_set(case=case, acting_user=officer, interval_hours=6)
    assert CheckInSchedule.objects.owned_by(case.organisation).filter(active=True).count() == 1
    checkin_log(case=case, acting_user=partner_officer, note="Called from the bus station.")
    with pytest.raises(PermissionDenied):
        checkin_log(case=case, acting_user=viewer)
    with pytest.raises(PermissionDenied):
        checkin_log(case=case, acting_user=UserFactory())
    with pytest.raises(ValidationError):
        checkin_log(case=case, acting_user=officer, at=timezone.now() + timedelta(hours=2))
