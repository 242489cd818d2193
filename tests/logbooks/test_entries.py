"""Logging entries: the quick-log panel (htmx and plain POST), validation, versions."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from hrdcase.models import AuditEvent
from logbooks.models import LogEntry
from tests.conftest import verified_client
from tests.factories import CaseFactory
from tests.logbooks.factories import followed_case, log
from tests.queries import get_counting

pytestmark = pytest.mark.django_db


def _entries(case):
    return LogEntry.objects.unscoped().filter(case=case)


def test_it_shows_the_quick_log_panel_with_sensible_defaults(officer_client, case):
    body = officer_client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'hx-post="/logbooks/cases/' in body
    assert 'value="note" selected' in body
    assert re.search(r'value="internal"[^>]*checked', body)
    assert "<legend>Visibility</legend>" in body
    assert "autofocus" not in body


def test_it_hides_the_quick_log_form_from_a_viewer(viewer_client, case):
    body = viewer_client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "quick-log-body" not in body
    assert reverse("logbooks:case_logbook", args=[case.pk]) in body


def test_it_logs_from_the_case_page_with_htmx_without_reload(officer_client, case, officer):
    response = officer_client.post(
        reverse("logbooks:quick_log", args=[case.pk]),
        {"kind": "call", "summary": "Called the family.", "visibility": "internal"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'hx-swap-oob="afterbegin:#quick-log-new"' in body
    assert "Called the family." in body
    assert "<form" in body  # a fresh form for the next entry
    entry = _entries(case).get()
    assert (entry.kind, entry.visibility, entry.author, entry.organisation_id) == (
        "call",
        "internal",
        officer,
        case.organisation_id,
    )
    assert abs(entry.occurred_at - timezone.now()) < datetime.timedelta(minutes=1)


def test_it_shows_htmx_form_errors_in_place_and_writes_nothing(officer_client, case):
    response = officer_client.post(
        reverse("logbooks:quick_log", args=[case.pk]),
        {"kind": "note", "summary": "", "visibility": "internal"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not _entries(case).exists()


def test_it_works_without_javascript(officer_client, case):
    response = officer_client.post(
        reverse("logbooks:quick_log", args=[case.pk]),
        {"kind": "note", "summary": "No JS here.", "visibility": "shared"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    assert _entries(case).get().visibility == "shared"
    bad = officer_client.post(
        reverse("logbooks:quick_log", args=[case.pk]), {"kind": "bogus", "summary": "x"}
    )
    assert bad.status_code == 400
    assert "Select a valid choice" in bad.content.decode()


def test_a_viewer_cannot_log(viewer_client, case):
    response = viewer_client.post(
        reverse("logbooks:quick_log", args=[case.pk]), {"kind": "note", "summary": "x"}
    )
    assert response.status_code == 403
    assert not _entries(case).exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "gossip"}, "kind"),
        ({"summary": "   "}, "summary"),
        ({"visibility": "public"}, "visibility"),
        ({"occurred_at": "2099-01-01T10:00:00Z"}, "occurred_at"),
        ({"occurred_at": "2026-03-10T10:00:00Z", "follow_up_on": "2026-03-01"}, "follow_up_on"),
    ],
)
def test_the_api_refuses_bad_input_naming_the_field(officer_client, case, payload, field):
    data = {"kind": "note", "summary": "Fine.", "visibility": "internal", **payload}
    response = officer_client.post(
        f"/api/v1/cases/{case.pk}/entries/", data, content_type="application/json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not _entries(case).exists()


def test_the_api_refuses_a_foreign_case_id(officer_client, other_org):
    foreign = CaseFactory(organisation=other_org)
    response = officer_client.post(
        f"/api/v1/cases/{foreign.pk}/entries/",
        {"kind": "note", "summary": "x"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not _entries(foreign).exists()


def test_a_feedback_partner_adds_a_shared_entry_and_the_owner_reads_it(db):
    followed = followed_case()
    client = verified_client(followed.feedback)
    response = client.post(
        f"/api/v1/cases/{followed.case.pk}/entries/",
        {
            "kind": "feedback_to_cso",
            "summary": "Raised it at the dialogue.",
            "visibility": "shared",
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    owner_api = verified_client(followed.owner).get(f"/api/v1/entries/{response.json()['id']}/")
    assert owner_api.status_code == 200
    assert owner_api.json()["organisation"] == followed.feedback.organisation.name


def test_a_relocation_partner_cannot_log(db):
    followed = followed_case()
    response = verified_client(followed.relocation).post(
        reverse("logbooks:quick_log", args=[followed.case.pk]), {"kind": "note", "summary": "x"}
    )
    assert response.status_code == 404


# --- versions --------------------------------------------------------------------------------


def test_a_correction_is_a_new_version_and_the_history_shows_both(officer_client, case, officer):
    first = log(case, officer, summary="Hearing on 3 May.")
    response = officer_client.post(
        reverse("logbooks:entry_correct", args=[first.pk]),
        {
            "kind": "trial_observation",
            "summary": "Hearing on 5 May.",
            "visibility": "internal",
            "occurred_at": timezone.localtime(first.occurred_at).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    versions = list(_entries(case).order_by("version"))
    assert [(v.version, v.is_current, v.summary) for v in versions] == [
        (1, False, "Hearing on 3 May."),
        (2, True, "Hearing on 5 May."),
    ]
    assert versions[1].version_of_id == first.pk and versions[1].supersedes_id == first.pk
    history = officer_client.get(reverse("logbooks:entry_history", args=[versions[1].pk]))
    body = history.content.decode()
    assert "Hearing on 3 May." in body and "Hearing on 5 May." in body
    # the logbook lists current versions only
    logbook = officer_client.get(reverse("logbooks:case_logbook", args=[case.pk])).content.decode()
    assert "Hearing on 5 May." in logbook and "Hearing on 3 May." not in logbook
    assert AuditEvent.objects.filter(action="logbooks.entry_correct").count() == 1


def test_correcting_an_old_version_is_a_409_over_the_api(officer_client, case, officer):
    first = log(case, officer)
    payload = {"kind": "note", "summary": "v2", "visibility": "internal"}
    url = f"/api/v1/entries/{first.pk}/correct/"
    assert officer_client.post(url, payload, content_type="application/json").status_code == 201
    again = officer_client.post(url, payload, content_type="application/json")
    assert again.status_code == 409
    assert _entries(case).count() == 2


def test_another_organisation_cannot_correct_a_shared_entry_it_reads(db):
    followed = followed_case()
    entry = followed.entries["owner_shared"]
    client = verified_client(followed.full)
    response = client.post(
        f"/api/v1/entries/{entry.pk}/correct/",
        {"kind": "note", "summary": "Rewritten", "visibility": "shared"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert client.get(reverse("logbooks:entry_correct", args=[entry.pk])).status_code == 404
    assert LogEntry.objects.unscoped().filter(version_of=entry).count() == 1


def test_a_viewer_cannot_correct(viewer_client, case, officer):
    entry = log(case, officer)
    response = viewer_client.post(
        f"/api/v1/entries/{entry.pk}/correct/",
        {"kind": "note", "summary": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403


# --- query counts ------------------------------------------------------------------------------


def _fill(case, user, n):
    for i in range(n):
        log(case, user, "shared" if i % 2 else "internal", summary=f"entry {i}")


def test_the_logbook_page_costs_a_fixed_number_of_queries(officer_client, case, officer):
    url = reverse("logbooks:case_logbook", args=[case.pk])
    _fill(case, officer, 3)
    officer_client.get(url)  # warm caches (session, content types)
    few = get_counting(officer_client, url, contains=["<h1>Logbook</h1>", "entry 2"])
    _fill(case, officer, 20)
    get_counting(officer_client, url, queries=len(few.queries), contains="entry 19")


def test_the_api_list_costs_a_fixed_number_of_queries(officer_client, case, officer):
    url = f"/api/v1/cases/{case.pk}/entries/"
    _fill(case, officer, 2)
    officer_client.get(url)
    few = get_counting(officer_client, url, contains='"count":2,')
    _fill(case, officer, 15)
    get_counting(officer_client, url, queries=len(few.queries), contains='"count":17,')


def test_the_api_list_filters_by_kind_and_date_and_names_a_bad_filter(
    officer_client, case, officer
):
    log(case, officer, kind="call", summary="a call")
    log(case, officer, kind="note", summary="a note")
    url = f"/api/v1/cases/{case.pk}/entries/"
    rows = officer_client.get(url, {"kind": "call"}).json()["results"]
    assert [row["summary"] for row in rows] == ["a call"]
    today = timezone.localdate().isoformat()
    assert officer_client.get(url, {"date_from": today}).json()["count"] == 2
    assert officer_client.get(url, {"date_to": "2020-01-01"}).json()["count"] == 0
    bad = officer_client.get(url, {"kind": "gossip"})
    assert bad.status_code == 400 and "kind" in bad.json()
