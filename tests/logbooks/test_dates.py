"""Implausible dates on the logbook: the filter of a case's entries (page and API) answered 500
on 9999-12-31 (issue 17); every date and time of an entry or an action follows the same rule,
with a clear 400 and nothing written."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hrdcase.dates import add_years
from hrdcase.models import AuditEvent
from logbooks.models import DiplomaticAction, LogEntry
from tests.factories import CaseFactory
from tests.logbooks.factories import log

pytestmark = pytest.mark.django_db

FAR = ("9999-12-31", "0001-01-01")
DAY = datetime.timedelta(days=1)
SWAPPED = "“To” is before “From”: swap the two dates."


def _message() -> str:
    latest = add_years(timezone.localdate(), 10)
    return f"Enter a date between 1900-01-01 and {latest.isoformat()}."


@pytest.fixture
def case(org, officer):
    case = CaseFactory(organisation=org, lead_officer=officer)
    log(case, officer, summary="Met the lawyer.")
    return case


def _entries(case):
    return LogEntry.objects.unscoped().filter(case=case)


@pytest.mark.parametrize("value", FAR)
@pytest.mark.parametrize("field", ["date_from", "date_to"])
def test_the_logbook_page_rerenders_with_the_message_for_a_far_filter_date(
    field, value, officer_client, case
):
    response = officer_client.get(reverse("logbooks:case_logbook", args=[case.pk]), {field: value})
    assert response.status_code == 400
    assert response.context["filter_form"].errors[field] == [_message()]
    assert _message() in response.content.decode()


def test_the_logbook_page_still_filters_by_plausible_dates(officer_client, case):
    today = timezone.localdate().isoformat()
    response = officer_client.get(
        reverse("logbooks:case_logbook", args=[case.pk]), {"date_from": today, "date_to": today}
    )
    assert response.status_code == 200
    assert "Met the lawyer." in response.content.decode()


def test_a_period_ending_before_it_starts_is_refused_not_shown_empty(officer_client, case):
    """An empty list would read as "nothing was logged then"."""
    today = timezone.localdate()
    swapped = {"date_from": today.isoformat(), "date_to": (today - DAY).isoformat()}
    page = officer_client.get(reverse("logbooks:case_logbook", args=[case.pk]), swapped)
    assert page.status_code == 400
    assert page.context["filter_form"].errors["date_to"] == [SWAPPED]
    assert "Met the lawyer." in page.content.decode()  # the unfiltered list, with the message
    api = officer_client.get(reverse("api:logbook-case-entry-list", args=[case.pk]), swapped)
    assert (api.status_code, api.json()) == (400, {"date_to": [SWAPPED]})


@pytest.mark.parametrize("value", FAR)
@pytest.mark.parametrize("field", ["date_from", "date_to"])
def test_the_api_refuses_a_far_filter_date_naming_the_parameter(field, value, officer_client, case):
    response = officer_client.get(
        reverse("api:logbook-case-entry-list", args=[case.pk]), {field: value}
    )
    assert response.status_code == 400
    assert response.json() == {field: [_message()]}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("follow_up_on", "9999-12-31"),
        ("follow_up_on", "0001-01-01"),
        ("occurred_at", "9999-12-31T23:59"),
        ("occurred_at", "0001-01-01T00:00"),
    ],
)
def test_an_entry_with_a_far_date_is_refused_on_the_page_and_the_api(
    field, value, officer_client, case
):
    before = (_entries(case).count(), AuditEvent.objects.count())
    page = officer_client.post(
        reverse("logbooks:quick_log", args=[case.pk]),
        {"kind": "note", "summary": "Visit.", "visibility": "internal", field: value},
    )
    assert page.status_code == 400
    assert page.context["form"].errors[field] == [_message()]
    api = officer_client.post(
        reverse("api:logbook-case-entry-list", args=[case.pk]),
        {"kind": "note", "summary": "Visit.", "visibility": "internal", field: value},
        content_type="application/json",
    )
    assert api.status_code == 400 and api.json() == {field: [_message()]}
    assert (_entries(case).count(), AuditEvent.objects.count()) == before


def test_a_correction_with_a_far_date_is_refused(officer_client, case):
    entry = _entries(case).get()
    response = officer_client.post(
        reverse("logbooks:entry_correct", args=[entry.pk]),
        {
            "kind": "note",
            "summary": "Met the lawyer, corrected.",
            "visibility": "internal",
            "occurred_at": "9999-12-31T10:00",
        },
    )
    assert response.context["form"].errors["occurred_at"] == [_message()]
    assert _entries(case).count() == 1
    api = officer_client.post(
        reverse("api:logbook-entry-correct", args=[entry.pk]),
        {"kind": "note", "summary": "x", "visibility": "internal", "follow_up_on": "0001-01-01"},
        content_type="application/json",
    )
    assert api.status_code == 400 and api.json() == {"follow_up_on": [_message()]}
    assert _entries(case).count() == 1


@pytest.mark.parametrize("value", FAR)
def test_an_action_with_a_far_date_is_refused_on_the_page_and_the_api(value, officer_client, case):
    page = officer_client.post(
        reverse("logbooks:action_create", args=[case.pk]),
        {
            "type": "demarche",
            "authority": "Ministry of Justice",
            "taken_on": value,
            "status": "planned",
        },
    )
    assert page.context["form"].errors["taken_on"] == [_message()]
    api = officer_client.post(
        reverse("api:logbook-case-action-list", args=[case.pk]),
        {"type": "demarche", "authority": "Ministry of Justice", "taken_on": value},
        content_type="application/json",
    )
    assert api.status_code == 400 and api.json() == {"taken_on": [_message()]}
    assert not DiplomaticAction.objects.unscoped().filter(case=case).exists()
