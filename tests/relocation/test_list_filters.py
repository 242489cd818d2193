"""The relocation lists and their filters (the review of 2026-12-07): a link whose ``status``
or ``side`` the list does not offer is answered 400 with the list in its usual view and a
message, where it used to be shown silently as if unfiltered."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hrdcase.forms import FILTER_NOT_UNDERSTOOD
from relocation.services.shelter import shelter_referral_create
from relocation.services.visa import visa_referral_create
from tests.conftest import verified_client
from tests.dates import in_days
from tests.relocation import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def sides(consented_case, ngo_officer, the_mission):
    """Who sees each list, with one row on it (the case Ceiba's approved request)."""
    city = f.city(name="Shelter City Utrecht", periods=[(in_days(-1), in_days(300), 3)])
    grantor = f.grantor(name="Protection Fund")
    request = f.approved_request(consented_case, ngo_officer)
    visa_referral_create(
        relocation_request=request,
        mission=the_mission,
        visa_type="short_stay_multiple",
        acting_user=ngo_officer,
    )
    shelter_referral_create(
        relocation_request=request,
        city=city,
        start=in_days(20),
        end=in_days(80),
        acting_user=ngo_officer,
    )
    f.grant(request, grantor, ngo_officer)
    return {
        "list": ngo_officer,
        "visa_queue": f.staff(the_mission),
        "city_inbox": f.staff(city),
        "grants_inbox": f.staff(grantor),
    }


#: (list, the query a tampered or stale link carries, a filter the list offers that keeps Ceiba)
TAMPERED = [
    ("list", {"status": "bogus"}, {"status": "approved"}),
    ("list", {"side": "everyone"}, {"side": "mine"}),
    ("list", {"status": "bogus", "side": "everyone"}, {"status": "approved", "side": "mine"}),
    ("visa_queue", {"status": "bogus"}, {"status": "pending"}),
    ("city_inbox", {"status": "'; DROP TABLE"}, {"status": "proposed"}),
    ("grants_inbox", {"status": "approvedx"}, {"status": "pending"}),
]


@pytest.mark.parametrize("page,tampered,offered", TAMPERED)
def test_a_filter_the_list_does_not_offer_is_refused_and_the_usual_view_shown(
    sides, page, tampered, offered
):
    client = verified_client(sides[page])
    url = reverse(f"relocation:{page}")

    refused = client.get(url, tampered)
    assert refused.status_code == 400
    body = refused.content.decode()
    assert body.count(str(FILTER_NOT_UNDERSTOOD)) == 1  # once, however many filters failed
    assert "Ceiba" in body  # the usual view: the row the list shows unfiltered

    understood = client.get(url, offered)
    assert understood.status_code == 200
    body = understood.content.decode()
    assert "Ceiba" in body and str(FILTER_NOT_UNDERSTOOD) not in body


@pytest.mark.parametrize("page", ["list", "visa_queue", "city_inbox", "grants_inbox"])
def test_an_empty_filter_is_the_usual_view(sides, page):
    response = verified_client(sides[page]).get(reverse(f"relocation:{page}"), {"status": ""})
    assert response.status_code == 200
    assert "Ceiba" in response.content.decode()
