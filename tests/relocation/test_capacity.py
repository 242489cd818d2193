"""Shelter-city capacity: places per day from the capacity periods against the confirmed and
current stays, the conflicts a confirmation names, the occupancy calendar, and the programme
and periods a city's admins keep."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Role
from relocation.models import CapacityPeriod, ShelterProgramme
from relocation.selectors.capacity import load_by_day
from relocation.services.capacity import capacity_period_remove
from relocation.services.shelter import (
    shelter_answer,
    shelter_confirm,
    shelter_referral_create,
    shelter_withdraw,
)
from tests.conftest import verified_client
from tests.dates import in_days
from tests.factories import CaseFactory
from tests.queries import get_counting
from tests.relocation import factories as f

pytestmark = pytest.mark.django_db


d = f.capacity_day


@pytest.fixture
def the_city(db):
    return f.two_period_city()


@pytest.fixture
def city_officer(the_city):
    return f.staff(the_city)


def test_it_refuses_a_confirmation_over_capacity_naming_the_dates(
    ngo, ngo_officer, the_city, city_officer
):
    f.stay(ngo, ngo_officer, the_city, d(5), d(12), status="confirmed")
    referral = f.stay(ngo, ngo_officer, the_city, d(10), d(20), status="accepted")
    with pytest.raises(ValidationError) as caught:
        shelter_confirm(referral=referral, acting_user=city_officer)
    message = str(caught.value.message_dict["start"])
    assert f"{d(10).isoformat()} to {d(12).isoformat()}" in message
    assert d(13).isoformat() not in message
    referral.refresh_from_db()
    assert referral.status == "accepted"


def test_it_counts_the_boundaries_of_stays_and_periods(ngo, ngo_officer, the_city, city_officer):
    # A stay ending on day 29 (the last day with 1 place) blocks a stay starting that day...
    f.stay(ngo, ngo_officer, the_city, d(20), d(29), status="hosting")
    starts_on_last_day = f.stay(ngo, ngo_officer, the_city, d(29), d(40), status="accepted")
    with pytest.raises(ValidationError) as caught:
        shelter_confirm(referral=starts_on_last_day, acting_user=city_officer)
    assert f"on {d(29).isoformat()}:" in str(caught.value.message_dict["start"])
    # ...but not one starting the next day, where the second period gives 2 places.
    next_day = f.stay(ngo, ngo_officer, the_city, d(30), d(40), status="accepted")
    shelter_confirm(referral=next_day, acting_user=city_officer)


def test_days_without_a_capacity_period_have_no_places(ngo, ngo_officer, the_city, city_officer):
    referral = f.stay(ngo, ngo_officer, the_city, d(55), d(62), status="accepted")
    with pytest.raises(ValidationError) as caught:
        shelter_confirm(referral=referral, acting_user=city_officer)
    assert f"{d(60).isoformat()} to {d(62).isoformat()}" in str(caught.value.message_dict["start"])


def test_partial_overlaps_name_every_conflicting_range(ngo, ngo_officer, the_city, city_officer):
    f.stay(ngo, ngo_officer, the_city, d(2), d(3), status="confirmed")
    f.stay(ngo, ngo_officer, the_city, d(8), d(8), status="hosting")
    # Withdrawn, declined and merely accepted stays take no place.
    f.stay(ngo, ngo_officer, the_city, d(4), d(7), status="withdrawn")
    f.stay(ngo, ngo_officer, the_city, d(4), d(7), status="accepted")
    referral = f.stay(ngo, ngo_officer, the_city, d(0), d(9), status="accepted")
    with pytest.raises(ValidationError) as caught:
        shelter_confirm(referral=referral, acting_user=city_officer)
    message = str(caught.value.message_dict["start"])
    assert f"{d(2).isoformat()} to {d(3).isoformat()}, {d(8).isoformat()}:" in message


def test_two_places_take_two_guests_not_three(ngo, ngo_officer, the_city, city_officer):
    f.stay(ngo, ngo_officer, the_city, d(31), d(40), status="confirmed")
    second = f.stay(ngo, ngo_officer, the_city, d(35), d(45), status="accepted")
    shelter_confirm(referral=second, acting_user=city_officer)
    third = f.stay(ngo, ngo_officer, the_city, d(40), d(50), status="accepted")
    with pytest.raises(ValidationError) as caught:
        shelter_confirm(referral=third, acting_user=city_officer)
    assert f"on {d(40).isoformat()}:" in str(caught.value.message_dict["start"])
    loads = load_by_day(city_id=the_city.pk, start=d(39), end=d(41))
    assert [(x.occupied, x.places) for x in loads] == [(2, 2), (2, 2), (1, 2)]


def test_the_calendar_shows_occupancy_per_day(ngo, ngo_officer, the_city, city_officer):
    f.stay(ngo, ngo_officer, the_city, d(0), d(3), status="confirmed")
    response = verified_client(city_officer).get(
        reverse("relocation:city_calendar"), {"from": d(0).isoformat()}
    )
    assert response.status_code == 200
    assert "1/1" in response.content.decode()
    assert verified_client(ngo_officer).get(reverse("relocation:city_calendar")).status_code == 404


def _stays(ngo, ngo_officer, the_city, n) -> None:
    """Rows for the lists' query counts: ``n`` more of them."""
    start = in_days(5)
    for req in f.approved_requests(ngo, ngo_officer, n):
        shelter_referral_create(
            relocation_request=req,
            city=the_city,
            start=start,
            end=start + datetime.timedelta(days=20),
            acting_user=ngo_officer,
        )


def test_the_calendar_costs_the_same_for_1_or_6_stays(ngo, ngo_officer, the_city, city_officer):
    """The calendar's query count does not grow with the city's stays."""
    client = verified_client(city_officer)
    url = reverse("relocation:city_calendar")
    _stays(ngo, ngo_officer, the_city, 1)
    few = get_counting(client, url, contains="<h1>Occupancy")
    _stays(ngo, ngo_officer, the_city, 5)
    get_counting(client, url, contains="<h1>Occupancy", queries=len(few.queries))


def test_a_city_admin_keeps_its_programme_and_capacity():
    the_city = f.city(name="Shelter Utrecht", code="UTR")
    admin = f.staff(the_city, role=Role.ADMIN)
    client = verified_client(admin)
    response = client.post(
        reverse("relocation:settings"),
        {
            "form": "programme",
            "name": "Utrecht",
            "stay_months": 9,
            "languages": "en",
            "active": "on",
        },
    )
    assert response.status_code == 302
    programme = ShelterProgramme.objects.owned_by(the_city).get()
    assert programme.stay_months == 9
    added = client.post(
        reverse("relocation:settings"),
        {"form": "capacity", "start": "2026-06-01", "end": "2026-08-31", "places": 3},
    )
    assert added.status_code == 302
    overlap = client.post(
        reverse("relocation:settings"),
        {"form": "capacity", "start": "2026-08-01", "end": "2026-09-30", "places": 1},
    )
    assert "overlaps the period 2026-06-01 to 2026-08-31" in overlap.content.decode()
    assert CapacityPeriod.objects.owned_by(the_city).count() == 1


def test_a_period_guests_rely_on_cannot_be_removed(ngo, ngo_officer):
    start = in_days(5)
    the_city = f.city(periods=[(start, start + datetime.timedelta(days=60), 2)])
    admin = f.staff(the_city, role=Role.ADMIN)
    period = CapacityPeriod.objects.owned_by(the_city).get()
    case = CaseFactory(organisation=ngo)
    f.give_relocation_consent(case, ngo_officer)
    referral = shelter_referral_create(
        relocation_request=f.approved_request(case, ngo_officer),
        city=the_city,
        start=start,
        end=start + datetime.timedelta(days=10),
        acting_user=ngo_officer,
    )
    shelter_answer(referral=referral, answer="accepted", acting_user=admin)
    shelter_confirm(referral=referral, acting_user=admin)
    with pytest.raises(ValidationError):
        capacity_period_remove(period=period, acting_user=admin)
    shelter_withdraw(referral=referral, acting_user=ngo_officer)
    verified_client(admin).post(reverse("relocation:capacity_remove", args=[period.pk]))
    assert not CapacityPeriod.objects.owned_by(the_city).exists()
