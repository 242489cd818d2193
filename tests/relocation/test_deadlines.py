"""Issue 20, items 1 and 2: service levels per urgency (each organisation's, its admins set
them: audited, validated), the deadline on every answer a request waits for (the review, each
visa decision — working days for an emergency —, each shelter answer, each grant decision),
the receiving side's queues sorted by deadline, the notifications saying urgency and
deadline; reminders at half the time and escalation past it, once per step (the clock moved,
never slept)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import Role
from hrdcase.models import AuditEvent
from relocation.models import RelocationSettings
from relocation.services.deadlines import add_working_days
from relocation.services.settings import service_levels_update
from tests.conftest import verified_client
from tests.relocation import factories as f

pytestmark = pytest.mark.django_db

LEVELS = {
    "emergency_review_hours": 24,
    "emergency_visa_days": 3,
    "emergency_shelter_hours": 36,
    "emergency_grant_hours": 12,
    "urgent_review_hours": 72,
    "urgent_visa_days": 4,
    "urgent_shelter_hours": 96,
    "urgent_grant_hours": 100,
    "routine_review_hours": 200,
    "routine_shelter_hours": 300,
    "routine_grant_hours": 400,
}


# --- service levels ----------------------------------------------------------------------------


def test_the_defaults_are_the_issues():
    row = RelocationSettings()
    assert (row.emergency_review_hours, row.emergency_shelter_hours, row.emergency_grant_hours) == (
        48,
        48,
        48,
    )
    assert row.emergency_visa_days == 2  # working days
    assert (row.urgent_review_hours, row.urgent_visa_days) == (120, 5)
    assert (row.routine_review_hours, row.visa_service_days) == (240, 10)


def test_an_admin_sets_the_service_levels_on_the_settings_page_audited(the_mission):
    admin = f.staff(the_mission, role=Role.ADMIN)
    client = verified_client(admin)
    page = client.get(reverse("relocation:settings"))
    assert page.status_code == 200 and "Deadlines by urgency" in page.content.decode()
    response = client.post(reverse("relocation:settings"), {"form": "levels", **LEVELS})
    assert response.status_code == 302
    row = RelocationSettings.objects.owned_by(the_mission).get()
    assert {name: getattr(row, name) for name in LEVELS} == LEVELS
    event = AuditEvent.objects.filter(action="relocation.service_levels_update").get()
    assert event.data["before"]["emergency_review_hours"] == 48
    assert event.data["after"]["emergency_review_hours"] == 24


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("emergency_review_hours", 0),
        ("urgent_shelter_hours", 90 * 24 + 1),
        ("emergency_visa_days", 61),
        ("routine_grant_hours", "soon"),
    ],
)
def test_a_bad_service_level_is_refused_and_the_form_says_which(the_mission, name, value):
    client = verified_client(f.staff(the_mission, role=Role.ADMIN))
    bad = client.post(reverse("relocation:settings"), {"form": "levels", **LEVELS, name: value})
    assert bad.status_code == 400 and name in bad.context["levels_form"].errors
    assert not RelocationSettings.objects.owned_by(the_mission).exists()


def test_the_service_refuses_other_organisations_officers_and_unknown_levels(
    the_mission, mission_officer, ngo_admin
):
    with pytest.raises(PermissionDenied):
        service_levels_update(organisation=the_mission, acting_user=mission_officer, **LEVELS)
    with pytest.raises(PermissionDenied):
        service_levels_update(organisation=the_mission, acting_user=ngo_admin, **LEVELS)
    admin = f.staff(the_mission, role=Role.ADMIN)
    with pytest.raises(ValidationError) as refused:
        service_levels_update(organisation=the_mission, acting_user=admin, visa_service_days=1)
    assert "visa_service_days" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        service_levels_update(organisation=the_mission, acting_user=admin, urgent_grant_hours=0)
    assert "urgent_grant_hours" in refused.value.message_dict


def test_officers_cannot_set_service_levels_on_the_page(mission_officer):
    client = verified_client(mission_officer)
    assert (
        client.post(reverse("relocation:settings"), {"form": "levels", **LEVELS}).status_code == 403
    )


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (datetime.date(2026, 12, 3), 2, datetime.date(2026, 12, 7)),  # Thursday -> Monday
        (datetime.date(2026, 12, 4), 2, datetime.date(2026, 12, 8)),  # Friday -> Tuesday
        (datetime.date(2026, 12, 5), 2, datetime.date(2026, 12, 8)),  # Saturday -> Tuesday
        (datetime.date(2026, 12, 7), 2, datetime.date(2026, 12, 9)),  # Monday -> Wednesday
        (datetime.date(2026, 12, 7), 5, datetime.date(2026, 12, 14)),
    ],
)
def test_working_days_skip_the_weekend(start, days, expected):
    assert add_working_days(start, days) == expected
