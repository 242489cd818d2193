"""The relocation settings page: a mission's service level and an organisation's grant cap,
for its admins only (a city's programme and capacity: test_capacity)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Role
from relocation.models import RelocationSettings
from tests.conftest import verified_client
from tests.relocation import factories as f

pytestmark = pytest.mark.django_db


def test_a_mission_admin_sets_the_service_level_and_cap(the_mission):
    admin = f.staff(the_mission, role=Role.ADMIN)
    client = verified_client(admin)
    response = client.post(
        reverse("relocation:settings"),
        {
            "form": "settings",
            "visa_service_days": 4,
            "grant_cap_amount": "5000",
            "grant_cap_currency": "eur",
        },
    )
    assert response.status_code == 302
    row = RelocationSettings.objects.owned_by(the_mission).get()
    assert (row.visa_service_days, row.grant_cap_currency) == (4, "EUR")
    bad = client.post(
        reverse("relocation:settings"),
        {
            "form": "settings",
            "visa_service_days": 0,
            "grant_cap_amount": "1",
            "grant_cap_currency": "E",
        },
    )
    assert bad.status_code == 400 and "visa_service_days" in bad.context["settings_form"].errors


def test_officers_cannot_open_the_settings(mission_officer):
    assert verified_client(mission_officer).get(reverse("relocation:settings")).status_code == 403
