"""The case page's timeline shows the latest 50 events; the logbook keeps every entry."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import verified_client
from tests.logbooks.factories import followed_case, log

pytestmark = pytest.mark.django_db


def test_the_case_page_shows_the_latest_50_events_and_points_to_the_logbook():
    followed = followed_case()
    start = timezone.now() - datetime.timedelta(days=60)
    for day in range(55):
        log(
            followed.case,
            followed.owner,
            summary=f"Update number {day:02d}.",
            occurred_at=start + datetime.timedelta(days=day),
        )
    body = verified_client(followed.owner).get(
        reverse("cases:section", args=[followed.case.pk, "logbook"])
    )
    page = body.content.decode()
    assert page.count('class="timeline-item') == 50
    assert "Update number 54." in page  # the newest
    assert "Update number 00." not in page  # among the oldest, left to the logbook
    assert "The latest 50 events are shown." in page
    logbook = verified_client(followed.owner).get(
        reverse("logbooks:case_logbook", args=[followed.case.pk]), {"page": 2}
    )
    assert "Update number 00." in logbook.content.decode()


def test_a_short_timeline_has_no_note():
    followed = followed_case()
    page = verified_client(followed.owner).get(
        reverse("cases:section", args=[followed.case.pk, "logbook"])
    )
    assert "events are shown" not in page.content.decode()
