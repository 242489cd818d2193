"""Stays have a maximum length and capacity checks cost the same whatever the dates (issue 17:
a 7,970-year stay was accepted with an override reason, and each confirmation then cost 12 s
and ~950 MB of a web worker)."""

from __future__ import annotations

import datetime
import itertools
import tracemalloc

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.models import Role
from hrdcase.models import AuditEvent
from relocation.models import CapacityPeriod, ShelterProgramme, ShelterReferral
from relocation.selectors.capacity import conflicting_ranges, sweep
from relocation.services.capacity import programme_save
from relocation.services.shelter import shelter_answer, shelter_confirm, shelter_referral_create
from tests.conftest import verified_client
from tests.dates import today
from tests.factories import CaseFactory
from tests.queries import counting
from tests.relocation import factories as f

ARRIVAL = today() + datetime.timedelta(days=10)


def _months(n: int) -> datetime.date:
    return ARRIVAL + relativedelta(months=n)


def _too_long(latest: datetime.date) -> str:
    return (
        "A stay lasts at most 12 months, whatever the reason: "
        f"plan the return by {latest.isoformat()} at the latest."
    )


@pytest.fixture
def the_city(db):
    # Three places every day of the next two years; stays of up to 6 months (the default).
    return f.city(
        name="Shelter Utrecht",
        code="SCU",
        stay_months=6,
        periods=[(today(), today() + datetime.timedelta(days=730), 3)],
    )


@pytest.fixture
def city_officer(the_city):
    return f.staff(the_city)


@pytest.fixture
def req(consented_case, ngo_officer):
    return f.approved_request(consented_case, ngo_officer)


def _create(req, user, city, end, **kwargs) -> ShelterReferral:
    return shelter_referral_create(
        relocation_request=req, city=city, start=ARRIVAL, end=end, acting_user=user, **kwargs
    )


# --- the rule -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_programme_allows_six_months_by_default(the_city):
    assert ShelterProgramme(organisation=the_city).stay_months == 6


@pytest.mark.django_db
def test_a_stay_over_twelve_months_is_refused_even_with_a_reason(req, ngo, ngo_officer, the_city):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        _create(
            req,
            ngo_officer,
            the_city,
            _months(12) + datetime.timedelta(days=1),
            override_reason="The trial may last all year",
        )
    assert caught.value.message_dict == {"end": [_too_long(_months(12))]}
    assert not ShelterReferral.objects.owned_by(ngo).exists()
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_past_the_programmes_maximum_a_reason_extends_a_stay_to_twelve_months(
    req, ngo_officer, the_city
):
    with pytest.raises(ValidationError) as caught:
        _create(req, ngo_officer, the_city, _months(9))
    assert list(caught.value.message_dict) == ["override_reason"]
    message = caught.value.message_dict["override_reason"][0]
    assert "longer than the 6 months" in message and "at most 12 months" in message
    assert _create(req, ngo_officer, the_city, _months(6)).status == "proposed"
    stay = _create(req, ngo_officer, the_city, _months(12), override_reason="Trial in May")
    assert stay.status == "proposed"


@pytest.mark.django_db
def test_no_programme_allows_more_than_twelve_months(req, ngo_officer, the_city):
    # A row written before the rule (or by hand) saying 24 months is still held to 12.
    ShelterProgramme.objects.owned_by(the_city).update(stay_months=24)
    with pytest.raises(ValidationError) as caught:
        _create(req, ngo_officer, the_city, _months(12) + datetime.timedelta(days=1))
    assert list(caught.value.message_dict) == ["end"]
    assert _create(req, ngo_officer, the_city, _months(12)).status == "proposed"


@pytest.mark.django_db
def test_the_7970_year_stay_is_refused_with_the_date_rule(req, ngo, ngo_officer, the_city):
    with pytest.raises(ValidationError) as caught:
        _create(req, ngo_officer, the_city, datetime.date(9996, 6, 1), override_reason="Long trial")
    assert list(caught.value.message_dict) == ["end"]
    assert not ShelterReferral.objects.owned_by(ngo).exists()


@pytest.mark.django_db
def test_the_form_refuses_a_stay_over_the_longest_with_a_reason(req, ngo, ngo_officer, the_city):
    response = verified_client(ngo_officer).post(
        reverse("relocation:shelter_create", args=[req.pk]),
        {
            "city": str(the_city.pk),
            "start": ARRIVAL.isoformat(),
            "end": _months(13).isoformat(),
            "override_reason": "The trial may last all year",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["end"] == [_too_long(_months(12))]
    assert not ShelterReferral.objects.owned_by(ngo).exists()


@pytest.mark.django_db
def test_the_api_refuses_a_stay_over_the_longest_with_a_reason(req, ngo, ngo_officer, the_city):
    response = verified_client(ngo_officer).post(
        reverse("api:relocation-stay-list"),
        {
            "request": str(req.pk),
            "city": str(the_city.pk),
            "start": ARRIVAL.isoformat(),
            "end": _months(13).isoformat(),
            "override_reason": "The trial may last all year",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"end": [_too_long(_months(12))]}
    assert not ShelterReferral.objects.owned_by(ngo).exists()


@pytest.mark.django_db
def test_a_confirmation_cannot_stretch_a_stay_past_the_longest(
    req, ngo_officer, the_city, city_officer
):
    stay = _create(req, ngo_officer, the_city, _months(5), override_reason="Trial in May")
    shelter_answer(referral=stay, answer="accepted", acting_user=city_officer)
    client = verified_client(city_officer)
    page = client.post(
        reverse("relocation:shelter_detail", args=[stay.pk]),
        {"action": "confirm", "start": ARRIVAL.isoformat(), "end": _months(13).isoformat()},
    )
    assert page.status_code == 400
    assert _too_long(_months(12)) in page.content.decode()
    api = client.post(
        reverse("api:relocation-stay-confirm", args=[stay.pk]),
        {"end": _months(13).isoformat()},
        content_type="application/json",
    )
    assert api.status_code == 400 and api.json() == {"end": [_too_long(_months(12))]}
    stay.refresh_from_db()
    assert (stay.status, stay.end) == ("accepted", _months(5))


@pytest.mark.django_db
def test_a_stay_proposed_before_the_rule_must_be_shortened_to_be_confirmed(
    req, ngo_officer, the_city, city_officer
):
    stay = _create(req, ngo_officer, the_city, _months(2))
    # unscoped: a 7,970-year stay written before the rule existed.
    ShelterReferral.objects.unscoped().filter(pk=stay.pk).update(
        status="accepted", end=datetime.date(9996, 6, 1), override_reason="Long trial"
    )
    with pytest.raises(ValidationError) as caught:
        shelter_confirm(referral=stay, acting_user=city_officer)
    assert list(caught.value.message_dict) == ["end"]
    shelter_confirm(referral=stay, acting_user=city_officer, end=_months(6))
    stay.refresh_from_db()
    assert (stay.status, stay.end) == ("confirmed", _months(6))


# --- the programme's settings -------------------------------------------------------------------


@pytest.mark.django_db
def test_the_programme_form_refuses_a_maximum_over_twelve_months(the_city):
    admin = f.staff(the_city, role=Role.ADMIN)
    response = verified_client(admin).post(
        reverse("relocation:settings"),
        {"form": "programme", "name": "Utrecht", "stay_months": 13, "languages": "en"},
    )
    assert response.status_code == 400
    assert "less than or equal to 12" in str(response.context["programme_form"].errors)
    assert ShelterProgramme.objects.owned_by(the_city).get().stay_months == 6


@pytest.mark.django_db
def test_the_programme_service_refuses_a_maximum_over_twelve_months(the_city):
    admin = f.staff(the_city, role=Role.ADMIN)
    with pytest.raises(ValidationError) as caught:
        programme_save(organisation=the_city, acting_user=admin, name="Utrecht", stay_months=13)
    assert list(caught.value.message_dict) == ["stay_months"]


# --- what a confirmation costs ------------------------------------------------------------------


def _request(ngo, user):
    case = CaseFactory(organisation=ngo)
    f.give_relocation_consent(case, user)
    return f.approved_request(case, user)


def _confirm_queries(ngo, user, city, city_officer, end) -> int:
    case = CaseFactory(organisation=ngo)
    f.give_relocation_consent(case, user)
    stay = shelter_referral_create(
        relocation_request=f.approved_request(case, user),
        city=city,
        start=ARRIVAL,
        end=end,
        override_reason="Trial",
        acting_user=user,
    )
    shelter_answer(referral=stay, answer="accepted", acting_user=city_officer)
    with counting() as counted:
        confirmed = shelter_confirm(referral=stay, acting_user=city_officer)
    assert confirmed.status == "confirmed"
    return len(counted)


@pytest.mark.django_db
def test_confirming_the_longest_stay_costs_what_a_week_costs(
    ngo, ngo_officer, the_city, city_officer
):
    CapacityPeriod.objects.owned_by(the_city).update(places=10)
    # Other guests, so the sweep has events to count.
    for n in range(2):
        stay = _create(_request(ngo, ngo_officer), ngo_officer, the_city, _months(1 + n))
        # unscoped: test set-up of a confirmed stay.
        ShelterReferral.objects.unscoped().filter(pk=stay.pk).update(status="confirmed")
    week = _confirm_queries(
        ngo, ngo_officer, the_city, city_officer, ARRIVAL + relativedelta(days=7)
    )
    year = _confirm_queries(ngo, ngo_officer, the_city, city_officer, _months(12))
    assert year == week
    # Locks, the request, the two capacity reads, the save, the audit and the notification.
    assert year <= 25


@pytest.mark.django_db
def test_counting_capacity_over_8000_years_takes_two_queries_and_little_memory(
    ngo, ngo_officer, the_city
):
    stay = _create(_request(ngo, ngo_officer), ngo_officer, the_city, _months(2))
    # unscoped: a confirmed stay of 7,970 years, as written before the rule.
    ShelterReferral.objects.unscoped().filter(pk=stay.pk).update(
        status="confirmed", end=datetime.date(9996, 6, 1)
    )
    start, end = datetime.date(2000, 1, 1), datetime.date(9999, 12, 31)
    tracemalloc.start()
    try:
        with counting(queries=2):
            ranges = conflicting_ranges(city_id=the_city.pk, start=start, end=end)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # A per-day count of these 2.9 million days held ~950 MB; the sweep holds a few events.
    assert peak < 2_000_000
    period_end = today() + datetime.timedelta(days=730)
    assert ranges == [
        (start, today() - datetime.timedelta(days=1)),
        (period_end + datetime.timedelta(days=1), end),
    ]


# --- the sweep against a day-by-day count --------------------------------------------------------

WINDOW_START = datetime.date(2026, 1, 1)


def _span():
    offsets = st.integers(min_value=-10, max_value=60)
    return st.tuples(offsets, offsets).map(
        lambda pair: (
            WINDOW_START + datetime.timedelta(days=min(pair)),
            WINDOW_START + datetime.timedelta(days=max(pair)),
        )
    )


@settings(max_examples=300)
@given(
    stays=st.lists(_span(), max_size=8),
    periods=st.lists(st.tuples(_span(), st.integers(min_value=0, max_value=4)), max_size=4),
    window=_span(),
)
def test_the_sweep_counts_every_day_as_a_day_by_day_count_would(stays, periods, window):
    # Periods of a city never overlap: keep the first of overlapping ones.
    kept: list[tuple[datetime.date, datetime.date, int]] = []
    for (first, last), places in periods:
        if all(last < other[0] or first > other[1] for other in kept):
            kept.append((first, last, places))
    start, end = window
    segments = sweep(stays=stays, periods=kept, start=start, end=end)
    by_day = {}
    for segment in segments:
        day = segment.first
        while day <= segment.last:
            by_day[day] = (segment.occupied, segment.places)
            day += datetime.timedelta(days=1)
    day = start
    while day <= end:
        occupied = sum(1 for first, last in stays if first <= day <= last)
        places = sum(count for first, last, count in kept if first <= day <= last)
        assert by_day.pop(day) == (occupied, places)
        day += datetime.timedelta(days=1)
    assert not by_day
    # Runs are maximal: two neighbours never carry the same counts.
    for left, right in itertools.pairwise(segments):
        assert left.last + datetime.timedelta(days=1) == right.first
        assert (left.occupied, left.places) != (right.occupied, right.places)
