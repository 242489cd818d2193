"""Implausible dates (9999-12-31, 0001-01-01) on every relocation form, API route and query
parameter answer 400 with the rule's message and write nothing (issue 17: they answered 500
on the shelter calendar, creating and confirming a stay, deciding a visa)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from hrdcase.dates import add_years
from hrdcase.models import AuditEvent
from relocation.models import (
    CapacityPeriod,
    RelocationRequest,
    ShelterReferral,
    VisaReferral,
)
from relocation.services.shelter import shelter_answer, shelter_confirm, shelter_referral_create
from relocation.services.visa import visa_decide, visa_referral_create
from tests.conftest import verified_client
from tests.dates import today
from tests.relocation import factories as f

pytestmark = pytest.mark.django_db

FAR = ("9999-12-31", "0001-01-01")


def _message() -> str:
    latest = add_years(timezone.localdate(), 10)
    return f"Enter a date between 1900-01-01 and {latest.isoformat()}."


def _day(n: int) -> str:
    return (today() + datetime.timedelta(days=n)).isoformat()


@pytest.fixture
def the_city(db):
    return f.city(
        name="Shelter Utrecht",
        code="SCU",
        periods=[(today(), today() + datetime.timedelta(days=200), 3)],
    )


@pytest.fixture
def city_officer(the_city):
    return f.staff(the_city)


@pytest.fixture
def req(consented_case, ngo_officer):
    return f.approved_request(consented_case, ngo_officer)


@pytest.fixture
def accepted(req, ngo_officer, the_city, city_officer):
    stay = shelter_referral_create(
        relocation_request=req,
        city=the_city,
        start=today() + datetime.timedelta(days=10),
        end=today() + datetime.timedelta(days=40),
        acting_user=ngo_officer,
    )
    shelter_answer(referral=stay, answer="accepted", acting_user=city_officer)
    stay.refresh_from_db()
    return stay


@pytest.fixture
def visa(req, ngo_officer, the_mission):
    return visa_referral_create(
        relocation_request=req,
        mission=the_mission,
        visa_type="humanitarian",
        acting_user=ngo_officer,
    )


def _audit_count() -> int:
    return AuditEvent.objects.count()


# --- the shelter calendar (a query parameter) -------------------------------------------------


@pytest.mark.parametrize("value", [*FAR, "31/12/2026", "soon"])
def test_the_calendar_rerenders_this_weeks_with_a_message_for_a_bad_from(
    value, the_city, city_officer
):
    response = verified_client(city_officer).get(
        reverse("relocation:city_calendar"), {"from": value}
    )
    assert response.status_code == 400
    page = response.content.decode()
    expected = _message() if value in FAR else "Enter a valid date as YYYY-MM-DD."
    assert expected in page
    monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
    assert response.context["start"] == monday


def test_the_calendar_offers_no_link_past_the_plausible_range(the_city, city_officer):
    client = verified_client(city_officer)
    first = client.get(reverse("relocation:city_calendar"), {"from": "1900-01-01"})
    assert first.status_code == 200
    assert first.context["previous"] is None and 'rel="prev"' not in first.content.decode()
    latest = add_years(timezone.localdate(), 10)
    last = client.get(reverse("relocation:city_calendar"), {"from": latest.isoformat()})
    assert last.status_code == 200
    assert last.context["next"] is None and 'rel="next"' not in last.content.decode()


# --- creating a stay ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", FAR)
def test_the_stay_form_refuses_a_far_date_and_writes_nothing(
    value, req, ngo, ngo_officer, the_city
):
    client = verified_client(ngo_officer)
    before = _audit_count()
    response = client.post(
        reverse("relocation:shelter_create", args=[req.pk]),
        {"city": str(the_city.pk), "start": value, "end": _day(20)},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["start"] == [_message()]
    assert _message() in response.content.decode()
    assert not ShelterReferral.objects.owned_by(ngo).exists()
    assert _audit_count() == before


@pytest.mark.parametrize("value", FAR)
def test_the_api_refuses_a_far_stay_date_naming_the_field(value, req, ngo, ngo_officer, the_city):
    response = verified_client(ngo_officer).post(
        reverse("api:relocation-stay-list"),
        {"request": str(req.pk), "city": str(the_city.pk), "start": _day(5), "end": value},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"end": [_message()]}
    assert not ShelterReferral.objects.owned_by(ngo).exists()


@pytest.mark.parametrize("value", FAR)
def test_the_service_refuses_a_far_stay_date_itself(value, req, ngo, ngo_officer, the_city):
    with pytest.raises(ValidationError) as caught:
        shelter_referral_create(
            relocation_request=req,
            city=the_city,
            start=today() + datetime.timedelta(days=5),
            end=datetime.date.fromisoformat(value),
            override_reason="A long trial",
            acting_user=ngo_officer,
        )
    assert caught.value.message_dict["end"] == [_message()]
    assert not ShelterReferral.objects.owned_by(ngo).exists()


# --- confirming a stay -------------------------------------------------------------------------


@pytest.mark.parametrize("value", FAR)
def test_the_confirmation_form_refuses_a_far_date(value, accepted, city_officer):
    client = verified_client(city_officer)
    before = _audit_count()
    response = client.post(
        reverse("relocation:shelter_detail", args=[accepted.pk]),
        {"action": "confirm", "start": _day(10), "end": value},
    )
    assert response.status_code == 400
    assert _message() in response.content.decode()
    accepted.refresh_from_db()
    assert accepted.status == "accepted" and accepted.end == today() + datetime.timedelta(days=40)
    assert _audit_count() == before


@pytest.mark.parametrize("value", FAR)
def test_the_api_refuses_a_far_confirmation_date(value, accepted, city_officer):
    response = verified_client(city_officer).post(
        reverse("api:relocation-stay-confirm", args=[accepted.pk]),
        {"start": value},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"start": [_message()]}
    accepted.refresh_from_db()
    assert accepted.status == "accepted"


@pytest.mark.parametrize("value", FAR)
def test_the_confirmation_service_refuses_a_far_date_itself(value, accepted, city_officer):
    with pytest.raises(ValidationError) as caught:
        shelter_confirm(
            referral=accepted, acting_user=city_officer, end=datetime.date.fromisoformat(value)
        )
    assert caught.value.message_dict["end"] == [_message()]
    accepted.refresh_from_db()
    assert accepted.status == "accepted"


@pytest.mark.parametrize("route", ["api:relocation-stay-hosting", "api:relocation-stay-complete"])
def test_the_api_refuses_a_far_arrival_or_return_day(route, accepted, city_officer):
    response = verified_client(city_officer).post(
        reverse(route, args=[accepted.pk]), {"day": "0001-01-01"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"day": [_message()]}


# --- visas --------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", FAR)
def test_the_visa_decision_form_refuses_a_far_validity(value, visa, mission_officer):
    client = verified_client(mission_officer)
    before = _audit_count()
    response = client.post(
        reverse("relocation:visa_detail", args=[visa.pk]),
        {"action": "decide", "decision": "granted", "valid_from": value},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["valid_from"] == [_message()]
    visa.refresh_from_db()
    assert visa.status == "pending" and visa.valid_from is None
    assert _audit_count() == before


@pytest.mark.parametrize("field", ["valid_from", "valid_until"])
def test_the_api_refuses_a_far_visa_validity(field, visa, mission_officer):
    response = verified_client(mission_officer).post(
        reverse("api:relocation-visa-decide", args=[visa.pk]),
        {"decision": "granted", field: "9999-12-31"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {field: [_message()]}
    visa.refresh_from_db()
    assert visa.status == "pending"


@pytest.mark.parametrize("field", ["valid_from", "valid_until"])
def test_the_visa_service_refuses_a_far_validity_itself(field, visa, mission_officer):
    with pytest.raises(ValidationError) as caught:
        visa_decide(
            referral=visa,
            decision="granted",
            acting_user=mission_officer,
            **{field: datetime.date(9999, 12, 31)},
        )
    assert caught.value.message_dict[field] == [_message()]
    visa.refresh_from_db()
    assert visa.status == "pending"


def test_a_visa_referral_dated_0001_is_refused_on_the_form_and_the_api(
    req, ngo, ngo_officer, the_mission
):
    client = verified_client(ngo_officer)
    page = client.post(
        reverse("relocation:visa_create", args=[req.pk]),
        {"mission": str(the_mission.pk), "visa_type": "humanitarian", "requested_on": "0001-01-01"},
    )
    assert page.status_code == 400
    assert page.context["form"].errors["requested_on"] == [_message()]
    api = client.post(
        reverse("api:relocation-visa-list"),
        {
            "request": str(req.pk),
            "mission": str(the_mission.pk),
            "visa_type": "humanitarian",
            "requested_on": "0001-01-01",
        },
        content_type="application/json",
    )
    assert api.status_code == 400 and api.json() == {"requested_on": [_message()]}
    with pytest.raises(ValidationError) as caught:
        visa_referral_create(
            relocation_request=req,
            mission=the_mission,
            visa_type="humanitarian",
            requested_on=datetime.date(1, 1, 1),
            acting_user=ngo_officer,
        )
    assert caught.value.message_dict["requested_on"] == [_message()]
    assert not VisaReferral.objects.owned_by(ngo).exists()


# --- requests, capacity -------------------------------------------------------------------------


def test_a_request_window_in_year_9999_is_refused_on_the_form_and_the_api(
    consented_case, ngo, ngo_officer
):
    client = verified_client(ngo_officer)
    page = client.post(
        reverse("relocation:create", args=[consented_case.pk]),
        {
            "support": ["emergency_grant"],
            "urgency": "urgent",
            "family_members": 0,
            "window_start": _day(3),
            "window_end": "9999-12-31",
        },
    )
    assert page.status_code == 400
    assert page.context["form"].errors["window_end"] == [_message()]
    api = client.post(
        reverse("api:relocation-request-list"),
        {
            "case": str(consented_case.pk),
            "support": ["emergency_grant"],
            "window_start": "0001-01-01",
        },
        content_type="application/json",
    )
    assert api.status_code == 400 and api.json() == {"window_start": [_message()]}
    assert not RelocationRequest.objects.owned_by(ngo).exists()


@pytest.mark.parametrize("value", FAR)
def test_a_capacity_period_with_a_far_date_is_refused(value, the_city):
    admin = f.staff(the_city, role="admin")
    before = CapacityPeriod.objects.owned_by(the_city).count()
    response = verified_client(admin).post(
        reverse("relocation:settings"),
        {"form": "capacity", "start": _day(300), "end": value, "places": 2},
    )
    assert response.status_code == 400
    assert response.context["capacity_form"].errors["end"] == [_message()]
    assert CapacityPeriod.objects.owned_by(the_city).count() == before
