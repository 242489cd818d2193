"""A shelter city plans ahead (issue 20, item 6): its calendar shows 12 months of arrivals,
departures and places used / offered (capacity periods against accepted, confirmed and current
stays), and a waiting list (referrals not answered yet or waitlisted) ordered by urgency then
date, at a fixed query count; nobody but the city sees them."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from relocation.models import RelocationRequest, ShelterReferral
from relocation.selectors.capacity import city_months, month_starts, waiting_list
from tests.conftest import verified_client
from tests.dates import today
from tests.queries import get_counting
from tests.relocation import factories as f

pytestmark = pytest.mark.django_db


# the first day of the month after next: a month wholly in the future
M0 = month_starts(today(), 3)[2]
M1, M2, M3 = month_starts(M0, 4)[1:]


def day(month: datetime.date, n: int) -> datetime.date:
    return month + datetime.timedelta(days=n - 1)


@pytest.fixture
def the_city(db):
    # 2 places in M0 and M1, 3 in M2, none after
    return f.city(
        name="Shelter The Hague",
        code="SCH",
        periods=[
            (M0, M2 - datetime.timedelta(days=1), 2),
            (M2, M3 - datetime.timedelta(days=1), 3),
        ],
    )


@pytest.fixture
def city_officer(the_city):
    return f.staff(the_city)


def _urgency(stay: ShelterReferral, urgency: str) -> ShelterReferral:
    # unscoped: test set-up of the request's urgency.
    RelocationRequest.objects.unscoped().filter(pk=stay.request_id).update(urgency=urgency)
    return stay


def test_month_starts_cross_the_year():
    assert month_starts(datetime.date(2026, 11, 20), 3) == [
        datetime.date(2026, 11, 1),
        datetime.date(2026, 12, 1),
        datetime.date(2027, 1, 1),
    ]


def test_months_count_arrivals_departures_and_places_used_and_offered(ngo, ngo_officer, the_city):
    # accepted: M0 day 10 to M1 day 5; confirmed: M0 day 20 to M0 day 28; hosting: M0 day 1 to
    # M0 day 25 (three guests from day 20 to day 25 of M0: over the 2 places)
    f.stay(ngo, ngo_officer, the_city, day(M0, 10), day(M1, 5), status="accepted")
    f.stay(ngo, ngo_officer, the_city, day(M0, 20), day(M0, 28), status="confirmed")
    f.stay(ngo, ngo_officer, the_city, day(M0, 1), day(M0, 25), status="hosting")
    # not planned: proposed, waitlisted, declined, withdrawn
    for status in ("proposed", "waitlisted", "declined", "withdrawn"):
        f.stay(ngo, ngo_officer, the_city, day(M1, 1), day(M1, 20), status=status)
    plans = city_months(the_city, first=day(M0, 15), months=4)
    assert [p.first for p in plans] == [M0, M1, M2, M3]
    m0, m1, m2, m3 = plans
    assert (m0.arrivals, m0.departures, m0.used, m0.offered) == (3, 2, 3, 2)
    assert m0.least_free == -1 and m0.over
    assert (m1.arrivals, m1.departures, m1.used, m1.offered, m1.least_free) == (0, 1, 1, 2, 1)
    assert (m2.arrivals, m2.departures, m2.used, m2.offered, m2.least_free) == (0, 0, 0, 3, 3)
    assert (m3.used, m3.offered, m3.least_free) == (0, 0, 0)


def test_the_waiting_list_is_ordered_by_urgency_then_date(ngo, ngo_officer, the_city, city_officer):
    routine = _urgency(
        f.stay(ngo, ngo_officer, the_city, day(M0, 1), day(M0, 20), pseudonym="Routine"),
        "routine",
    )
    urgent_waitlisted = _urgency(
        f.stay(
            ngo,
            ngo_officer,
            the_city,
            day(M0, 1),
            day(M0, 20),
            status="waitlisted",
            pseudonym="Urgent-first",
        ),
        "urgent",
    )
    urgent_later = _urgency(
        f.stay(ngo, ngo_officer, the_city, day(M0, 1), day(M0, 20), pseudonym="Urgent-later"),
        "urgent",
    )
    emergency = _urgency(
        f.stay(ngo, ngo_officer, the_city, day(M0, 1), day(M0, 20), pseudonym="Emergency"),
        "emergency",
    )
    f.stay(ngo, ngo_officer, the_city, day(M0, 1), day(M0, 20), status="accepted")
    f.stay(ngo, ngo_officer, the_city, day(M0, 1), day(M0, 20), status="declined")
    other_city = f.city(name="Shelter Utrecht", code="UTR", periods=[(M0, M1, 1)])
    f.stay(ngo, ngo_officer, other_city, day(M0, 1), day(M0, 20), pseudonym="Elsewhere")
    assert [s.pk for s in waiting_list(city_officer)] == [
        emergency.pk,
        urgent_waitlisted.pk,
        urgent_later.pk,
        routine.pk,
    ]
    body = verified_client(city_officer).get(reverse("relocation:city_calendar")).content.decode()
    order = [body.index(name) for name in ("Emergency", "Urgent-first", "Urgent-later", "Routine")]
    assert order == sorted(order)
    assert "Elsewhere" not in body


def test_the_calendar_shows_the_months_and_the_waiting_list(
    ngo, ngo_officer, the_city, city_officer
):
    f.stay(ngo, ngo_officer, the_city, day(M0, 3), day(M0, 9), status="confirmed")
    f.stay(ngo, ngo_officer, the_city, day(M1, 3), day(M1, 9), pseudonym="Ceiba")
    response = verified_client(city_officer).get(
        reverse("relocation:city_calendar"), {"from": M0.isoformat()}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Months ahead" in body
    assert "<td>1</td><td>1</td><td>1/2</td><td>1</td>" in body  # M0: 1 in, 1 out, 1 of 2
    assert "Waiting list" in body and "Ceiba" in body


def test_a_bad_month_still_shows_the_plan_with_the_message(the_city, city_officer):
    response = verified_client(city_officer).get(
        reverse("relocation:city_calendar"), {"from": "2026-13-40"}
    )
    assert response.status_code == 400
    assert "Months ahead" in response.content.decode()


def test_only_the_city_sees_its_calendar(ngo_officer, the_city, mission_officer):
    for outsider in (ngo_officer, mission_officer, f.staff(f.city(name="Other", code="OTH"))):
        response = verified_client(outsider).get(reverse("relocation:city_calendar"))
        if outsider.organisation.kind == "shelter_city":
            # another city: its own (empty) plan, never this city's
            assert "Shelter The Hague" not in response.content.decode()
        else:
            assert response.status_code == 404


def _more_stays(ngo, ngo_officer, the_city, n: int) -> None:
    for index in range(n):
        f.stay(ngo, ngo_officer, the_city, day(M0, 1 + index), day(M1, 2), status="accepted")
        f.stay(ngo, ngo_officer, the_city, day(M1, 1 + index), day(M1, 9))
        f.stay(ngo, ngo_officer, the_city, day(M2, 1), day(M2, 9), status="waitlisted")


def test_the_calendar_costs_the_same_for_1_or_6_stays_of_each_kind(
    ngo, ngo_officer, the_city, city_officer
):
    client = verified_client(city_officer)
    url = reverse("relocation:city_calendar")
    _more_stays(ngo, ngo_officer, the_city, 1)
    few = get_counting(client, url, contains="Months ahead")
    _more_stays(ngo, ngo_officer, the_city, 5)
    get_counting(client, url, contains="Waiting list", queries=len(few.queries))


def test_the_calendar_shows_the_first_25_waiting_and_says_more_are(
    ngo, ngo_officer, the_city, city_officer
):
    url = reverse("relocation:city_calendar")
    for _index in range(25):
        f.stay(ngo, ngo_officer, the_city, day(M0, 1), day(M0, 9))
    body = verified_client(city_officer).get(url).content.decode()
    assert body.count("referred on") == 25 and "More are waiting" not in body
    f.stay(ngo, ngo_officer, the_city, day(M0, 1), day(M0, 9))
    body = verified_client(city_officer).get(url).content.decode()
    assert body.count("referred on") == 25 and "More are waiting" in body
