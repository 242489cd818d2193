"""The visa list's query parameters are checked before they reach the database (issue 17,
found by Schemathesis): a bad value is a 400 naming it, never a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from relocation.services.visa import visa_referral_create
from tests.conftest import verified_client
from tests.relocation import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def visa(consented_case, ngo_officer, the_mission):
    return visa_referral_create(
        relocation_request=f.approved_request(consented_case, ngo_officer),
        mission=the_mission,
        visa_type="humanitarian",
        requested_on=None,
        acting_user=ngo_officer,
    )


def test_it_refuses_a_nul_character_in_the_queue_status_naming_it(visa, mission_officer):
    """PostgreSQL refuses a NUL in a string: the queue answered 500."""
    client = verified_client(mission_officer)
    response = client.get(reverse("api:relocation-visa-list"), {"side": "queue", "status": "\x00"})
    assert response.status_code == 400
    assert list(response.json()) == ["status"]


def test_it_refuses_an_unknown_side_or_status_naming_them(visa, mission_officer):
    client = verified_client(mission_officer)
    response = client.get(reverse("api:relocation-visa-list"), {"side": "x", "status": "lost"})
    assert response.status_code == 400
    assert set(response.json()) == {"side", "status"}


def test_the_queue_still_filters_by_status(visa, mission_officer):
    client = verified_client(mission_officer)
    url = reverse("api:relocation-visa-list")
    assert [row["id"] for row in client.get(url, {"side": "queue"}).json()["results"]] == [
        str(visa.pk)
    ]
    assert client.get(url, {"side": "queue", "status": "granted"}).json()["count"] == 0
    assert client.get(url, {"side": "queue", "status": ""}).json()["count"] == 1
