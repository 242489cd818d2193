"""The private iCal feed: made, replaced and revoked from the calendar page (the address is
shown once), read without signing in, 404 for an unknown, revoked or replaced token and for
a user whose access ended; case references and pseudonyms only, never an identity."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation
from accounts.testing import verified_client
from hrdcase.models import AuditEvent
from tests.work.conftest import LEGAL_NAME, days
from work.models import CalendarFeed
from work.selectors.calendar import Event
from work.views.feed import escape, fold, render_calendar

pytestmark = pytest.mark.django_db


def make_feed(client) -> str:
    """The feed's path, as the calendar page shows it once."""
    response = client.post(reverse("work:feed_create"))
    assert response.status_code == 200
    url = response.context["new_feed_url"]
    assert url and url in response.content.decode()
    return url.split("testserver", 1)[1]


def unfold(body: str) -> str:
    return body.replace("\r\n ", "")


def test_the_feed_shows_the_user_s_calendar_with_pseudonyms_only(world, client):
    path = make_feed(verified_client(world.officer))
    response = client.get(path)  # a calendar application: nobody signed in
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert body.endswith("END:VCALENDAR\r\n")
    assert "\n" not in body.replace("\r\n", "")  # every line ends with CRLF
    text = unfold(body)
    assert "SUMMARY:Hearing: AAA-2026-0001 Ceiba" in text
    assert f"DTSTART;VALUE=DATE:{days(2).strftime('%Y%m%d')}" in text
    assert "SUMMARY:Visa deadline: Guadua" in text
    # never an identity, nor what the user typed (a court, a task's title)
    for secret in [LEGAL_NAME, "Court of Bogotá", "Renew the accompaniment roster", "Ana Lawyer"]:
        assert secret not in text
    hearing = world.objects["hearing"]
    assert f"UID:hearing-{hearing.pk}@testserver" in text


def test_the_page_shows_the_address_once(world):
    client = verified_client(world.officer)
    make_feed(client)
    page = client.get(reverse("work:calendar")).content.decode()
    assert ".ics" not in page  # the address itself is not shown again
    assert "Revoke the address" in page
    feed = CalendarFeed.objects.visible_to(world.officer).get()
    assert len(feed.token_hash) == 64  # the hash only: the token is not stored
    assert AuditEvent.objects.filter(action="calendar.feed_create").exists()


def test_a_used_feed_says_when_it_was_read(world, client):
    officer_client = verified_client(world.officer)
    path = make_feed(officer_client)
    client.get(path)
    client.get(path)
    feed = CalendarFeed.objects.visible_to(world.officer).get()
    assert feed.last_used_at is not None
    assert (
        "Last read by a calendar application"
        in officer_client.get(reverse("work:calendar")).content.decode()
    )


def test_a_revoked_feed_answers_404(world, client):
    officer_client = verified_client(world.officer)
    path = make_feed(officer_client)
    response = officer_client.post(reverse("work:feed_revoke"))
    assert response.status_code == 302
    assert client.get(path).status_code == 404
    assert "Make a private address" in officer_client.get(reverse("work:calendar")).content.decode()
    assert AuditEvent.objects.filter(action="calendar.feed_revoke").exists()


def test_a_replaced_feed_answers_404_and_the_new_one_answers(world, client):
    officer_client = verified_client(world.officer)
    old = make_feed(officer_client)
    new = make_feed(officer_client)
    assert old != new
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert CalendarFeed.objects.visible_to(world.officer).filter(revoked_at=None).count() == 1


@pytest.mark.parametrize("token", ["nope", "x" * 43, "x" * 200, "%00", "../../etc/passwd"])
def test_an_unknown_token_answers_404(client, db, token):
    assert client.get(f"/calendar/feed/{token}.ics").status_code == 404


def test_a_user_no_longer_in_force_has_no_feed(world, client):
    path = make_feed(verified_client(world.officer))
    world.officer.is_active = False
    world.officer.save(update_fields=["is_active"])
    assert client.get(path).status_code == 404
    world.officer.is_active = True
    world.officer.save(update_fields=["is_active"])
    assert client.get(path).status_code == 200
    Organisation.objects.filter(pk=world.org.pk).update(is_active=False)
    assert client.get(path).status_code == 404


def test_signing_out_everywhere_ends_the_feed(world, client):
    path = make_feed(verified_client(world.officer))
    world.officer.session_generation += 1
    world.officer.save(update_fields=["session_generation"])
    assert client.get(path).status_code == 404


def test_a_user_who_changed_organisation_has_no_feed(world, client):
    path = make_feed(verified_client(world.officer))
    world.officer.organisation = world.other_mission
    world.officer.save(update_fields=["organisation"])
    assert client.get(path).status_code == 404


def test_another_user_s_token_shows_only_that_user_s_calendar(world, client):
    outsider_path = make_feed(verified_client(world.outsider))
    body = client.get(outsider_path).content.decode()
    assert "BEGIN:VEVENT" not in body
    assert "Ceiba" not in body and "Guadua" not in body


def test_making_or_revoking_needs_a_signed_in_member(client, db):
    assert client.post(reverse("work:feed_create")).status_code == 302  # to the login
    assert client.get(reverse("work:feed_create")).status_code in (302, 405)


def test_the_feed_costs_a_fixed_number_of_queries(world, client):
    from cases.services.task import task_create
    from tests.queries import get_counting

    path = make_feed(verified_client(world.officer))
    first = get_counting(client, path, max_queries=10, contains="BEGIN:VCALENDAR")
    for n in range(10):
        task_create(title=f"More {n}", due_on=days(n), acting_user=world.officer)
    get_counting(client, path, queries=len(first.queries), contains="BEGIN:VEVENT")


# --- RFC 5545 by hand: escaping and folding --------------------------------------------------


def test_text_is_escaped():
    assert escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_long_lines_are_folded_at_75_octets_never_inside_a_character():
    line = "SUMMARY:" + "é" * 100
    folded = fold(line)
    parts = folded.split("\r\n ")
    assert all(len(part.encode()) <= 75 for part in parts[:1])
    assert all(len((" " + part).encode()) <= 75 for part in parts[1:])
    assert "".join(parts) == line
    assert fold("SHORT:line") == "SHORT:line"


def test_an_event_becomes_an_all_day_vevent():
    event = Event(
        day=datetime.date(2026, 12, 4),
        kind="hearing",
        label="Hearing",
        subject="AAA-2026-0001 Ceiba, Valle",
        url="/cases/x/",
        uid="hearing-1",
        detail="Court of Bogotá",
    )
    body = render_calendar(
        [event], base_url="https://hrdcase.example", now=timezone.now(), domain="hrdcase.example"
    )
    assert "DTSTART;VALUE=DATE:20261204\r\nDTEND;VALUE=DATE:20261205\r\n" in body
    assert "SUMMARY:Hearing: AAA-2026-0001 Ceiba\\, Valle\r\n" in body
    assert "URL:https://hrdcase.example/cases/x/\r\n" in body
    assert re.search(r"DTSTAMP:\d{8}T\d{6}Z\r\n", body)
    assert "Court of Bogotá" not in body


def test_a_calendar_application_may_ask_head_first(world, client):
    path = make_feed(verified_client(world.officer))
    assert client.head(path).status_code == 200
    assert client.post(path).status_code == 405


def test_platform_staff_list_feeds_without_any_token(world):
    from tests.factories import UserFactory

    make_feed(verified_client(world.officer))
    staff = verified_client(UserFactory(organisation=None, is_staff=True, is_superuser=True))
    page = staff.get(reverse("admin:work_calendarfeed_changelist"))
    assert page.status_code == 200
    feed = CalendarFeed.objects.visible_to(world.officer).get()
    body = page.content.decode()
    assert str(world.officer) in body and feed.token_hash not in body
    detail = staff.get(reverse("admin:work_calendarfeed_change", args=[feed.pk]))
    assert detail.status_code == 200 and feed.token_hash not in detail.content.decode()
    assert staff.get(reverse("admin:work_calendarfeed_add")).status_code == 403
