"""Check-in times follow the plausible-date rule (issue 17): a schedule ending in year 9999
or a check-in heard in year 1 is refused with the message, 400, nothing written."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from alerts.models import CheckIn, CheckInSchedule
from hrdcase.dates import add_years

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
