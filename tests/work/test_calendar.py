"""The calendar: a month grid and an agenda of what the user may see (hearings, tasks,
shelter arrivals and departures, visa deadlines, benchmark dates), without JavaScript."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.testing import verified_client
from tests.factories import UserFactory
from tests.queries import get_counting
from tests.work.conftest import LEGAL_NAME, days
from work.selectors.calendar import events_for

pytestmark = pytest.mark.django_db


def month_of(day: datetime.date) -> str:
    return day.strftime("%Y-%m")


def kinds(user, start, end) -> dict[str, list]:
    found: dict[str, list] = {}
    for event in events_for(user, start=start, end=end).events:
        found.setdefault(event.kind, []).append(event)
    return found


def event_links(response) -> set[str]:
    body = response.content.decode()
    table = body[body.index("<main") : body.index('aria-labelledby="feed-heading"')]
    return {
        href for href in re.findall(r'href="(/[^"?]+)"', table) if not href.startswith("/calendar")
    }


def test_the_officer_s_calendar_holds_every_kind(world):
    found = kinds(world.officer, days(-5), days(60))
    assert {"hearing", "benchmark", "task", "visa_deadline"} <= set(found)
    assert [e.subject for e in found["hearing"]] == ["AAA-2026-0001 Ceiba"]
    assert found["hearing"][0].day == days(2)
    # the officer's own and the unassigned tasks, not a colleague's
    assert {e.detail for e in found["task"]} == {
        "Renew the accompaniment roster",
        "Prepare the annual report",
    }


def test_the_city_sees_arrivals_and_departures_of_accepted_stays(world):
    from relocation.models import ShelterReferral

    stay = world.objects["stay"]
    assert "arrival" not in kinds(world.city_staff, days(0), days(120))  # only proposed yet
    # unscoped: test set-up of a stay the city accepted.
    ShelterReferral.objects.unscoped().filter(pk=stay.pk).update(status="accepted")
    found = kinds(world.city_staff, days(0), days(120))
    assert [e.day for e in found["arrival"]] == [stay.start]
    assert [e.day for e in found["departure"]] == [stay.end]
    assert found["arrival"][0].subject == "Guadua"
    # the requesting NGO sees them too
    assert "arrival" in kinds(world.ngo_officer, days(0), days(120))


def test_a_late_arrival_and_return_are_shown_on_the_days_they_happened(world):
    """A stay planned for one window, the guest arriving and leaving weeks later: each move is
    on the day recorded, though both fall outside the planned window."""
    from relocation.models import ShelterReferral

    stay = world.objects["stay"]
    arrived, returned = (
        stay.end + datetime.timedelta(days=10),
        stay.end + datetime.timedelta(days=40),
    )
    # unscoped: test set-up of a stay that happened late (the services refuse future days).
    ShelterReferral.objects.unscoped().filter(pk=stay.pk).update(
        status="completed", arrived_on=arrived, returned_on=returned
    )
    assert kinds(world.city_staff, stay.start, stay.end) == {}
    found = kinds(world.city_staff, arrived, arrived)
    assert [e.day for e in found["arrival"]] == [arrived]
    found = kinds(world.city_staff, returned, returned)
    assert [e.day for e in found["departure"]] == [returned]


@pytest.mark.parametrize("persona", ["officer", "viewer", "admin", "ngo_officer", "city_staff"])
def test_every_event_on_the_month_and_agenda_opens_for_the_user(world, persona):
    user = getattr(world, persona)
    client = verified_client(user)
    for url in [
        reverse("work:calendar"),
        reverse("work:calendar") + f"?month={month_of(days(31))}",
        reverse("work:agenda"),
    ]:
        response = client.get(url)
        assert response.status_code == 200
        assert LEGAL_NAME not in response.content.decode()
        for href in event_links(response):
            assert client.get(href).status_code == 200, (persona, href)


def test_the_month_grid_links_the_previous_and_next_month_without_javascript(world):
    client = verified_client(world.officer)
    # The hearing's month, asked by name: in two days may be past the current month's grid
    # (its last week ends on a Sunday), on 30 or 31 January 2027 for one.
    hearing = world.objects["hearing"]
    month = hearing.date.replace(day=1)
    response = client.get(reverse("work:calendar"), {"month": month_of(month)})
    body = response.content.decode()
    previous = (month - datetime.timedelta(days=1)).replace(day=1)
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    assert f'href="?month={month_of(previous)}" rel="prev"' in body
    assert f'href="?month={month_of(following)}" rel="next"' in body
    assert "<script" not in body.split("<main", 1)[1]
    assert "AAA-2026-0001 Ceiba" in body and "Court of Bogotá" in body
    assert f'datetime="{hearing.date.isoformat()}"' in body


def test_the_agenda_lists_thirty_days_by_day(world):
    client = verified_client(world.officer)
    response = client.get(reverse("work:agenda"))
    days_listed = [day for day, _events in response.context["days"]]
    assert days_listed == sorted(days_listed)
    assert days(2) in days_listed and days(40) not in days_listed
    later = client.get(reverse("work:agenda") + f"?from={days(30).isoformat()}")
    assert "Prepare the annual report" in later.content.decode()


def test_an_empty_calendar_says_what_appears_there(db):
    from tests.factories import OrganisationFactory

    user = UserFactory(organisation=OrganisationFactory(), role=Role.OFFICER)
    client = verified_client(user)
    for name in ["work:calendar", "work:agenda"]:
        body = client.get(reverse(name)).content.decode()
        assert "Nothing on your calendar" in body


@pytest.mark.parametrize(
    ("name", "query", "message"),
    [
        ("work:calendar", "?month=2026-13", "Enter a month as YYYY-MM."),
        ("work:calendar", "?month=december", "Enter a month as YYYY-MM."),
        ("work:calendar", "?month=1066-10", ""),
        ("work:agenda", "?from=not-a-date", ""),
    ],
)
def test_a_bad_period_is_refused_with_its_message(officer_client, name, query, message):
    response = officer_client.get(reverse(name) + query)
    assert response.status_code == 400
    shown = [str(m) for m in response.context["messages"]]
    assert shown and (not message or message in shown)


def test_nothing_of_another_organisation_is_on_the_calendar(world):
    client = verified_client(world.outsider)
    for url in [reverse("work:calendar"), reverse("work:agenda")]:
        body = client.get(url).content.decode()
        for text in ["Ceiba", "Guadua", "Court of Bogotá", "Renew the accompaniment roster"]:
            assert text not in body
    assert not events_for(world.outsider, start=days(-40), end=days(400)).events


def test_platform_staff_have_no_calendar(db):
    staff = UserFactory(organisation=None, is_staff=True, is_superuser=True)
    client = verified_client(staff)
    assert client.get(reverse("work:calendar")).status_code == 404
    assert client.get(reverse("work:agenda")).status_code == 404


def test_the_month_costs_the_same_queries_with_more_events(world):
    from cases.services.task import task_create

    client = verified_client(world.officer)
    first = get_counting(client, reverse("work:calendar"), max_queries=20, contains="Calendar")
    for n in range(10):  # due today: always on the current month's grid
        task_create(title=f"More {n}", due_on=days(0), acting_user=world.officer)
    get_counting(client, reverse("work:calendar"), queries=len(first.queries), contains="More 1")
