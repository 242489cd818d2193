"""Incidents: recording (page and API), validation, and who sees them (the full file only)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from cases.models import CaseAccessLog, Incident
from hrdcase.models import AuditEvent
from tests.conftest import verified_client
from tests.factories import (
    CaseFactory,
    IncidentFactory,
    OrganisationFactory,
    UserFactory,
    share_case,
)
from tests.queries import get_counting

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(org):
    return CaseFactory(organisation=org, pseudonym="Ceiba")


@pytest.fixture
def incident(case, officer):
    return IncidentFactory(
        case=case,
        recorded_by=officer,
        type="surveillance",
        place="Bogotá, office of the collective",
        description="Pegasus found on her phone.",
    )


def _partner_client(case, level):
    partner = OrganisationFactory()
    share_case(case, partner, level)
    return verified_client(UserFactory(organisation=partner, role=Role.OFFICER))


def _form(**overrides):
    data = {
        "occurred_on": (timezone.localdate() - datetime.timedelta(days=3)).isoformat(),
        "type": "physical_attack",
        "perpetrator": "non_state_armed_group",
        "place": "Road to Santa Marta",
        "description": "Two men on a motorbike shot at her car.",
    }
    data.update(overrides)
    return data


def _count(case) -> int:
    return case.incidents.count()


# --- recording ------------------------------------------------------------------------------


def test_an_officer_records_an_incident_from_the_case_page(officer_client, case):
    page = officer_client.get(reverse("cases:section", args=[case.pk, "incidents"]))
    create_url = reverse("cases:incident_create", args=[case.pk])
    assert create_url in page.content.decode()

    response = officer_client.post(create_url, _form())

    incident = case.incidents.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:incident_detail", args=[case.pk, incident.pk])
    assert (incident.type, incident.perpetrator) == ("physical_attack", "non_state_armed_group")
    detail = officer_client.get(response["Location"]).content.decode()
    assert "Two men on a motorbike" in detail and "Road to Santa Marta" in detail
    assert AuditEvent.objects.filter(action="incident.record", target_id=str(case.pk)).exists()


def test_the_database_holds_no_plaintext_place_or_description(officer_client, case):
    officer_client.post(reverse("cases:incident_create", args=[case.pk]), _form())
    with connection.cursor() as cursor:
        cursor.execute("SELECT place, description FROM cases_incident")
        raw_place, raw_description = cursor.fetchone()
    assert "Santa Marta" not in raw_place and "motorbike" not in raw_description


def test_an_arbitrary_detention_leads_to_the_detention_form(officer_client, case):
    response = officer_client.post(
        reverse("cases:incident_create", args=[case.pk]), _form(type="arbitrary_detention")
    )
    incident = case.incidents.get()
    assert response["Location"] == reverse("cases:detention", args=[case.pk, incident.pk])
    page = officer_client.get(response["Location"]).content.decode()
    assert "Record the detention" in page


def test_the_api_records_and_lists_incidents(officer_client, case):
    url = reverse("api:case-incident-list", args=[case.pk])
    created = officer_client.post(url, _form(), content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["type"] == "physical_attack"
    assert created.json()["description"] == "Two men on a motorbike shot at her car."

    listed = officer_client.get(url).json()["results"]
    assert [row["id"] for row in listed] == [created.json()["id"]]
    detail = officer_client.get(
        reverse("api:case-incident-detail", args=[case.pk, listed[0]["id"]])
    )
    assert detail.json()["place"] == "Road to Santa Marta"


def test_the_incident_list_costs_the_same_queries_whatever_its_length(
    officer_client, case, officer
):
    url = reverse("api:case-incident-list", args=[case.pk])
    counts = []
    for batch in (1, 14):
        for _ in range(batch):
            IncidentFactory(case=case, recorded_by=officer, type="arbitrary_detention")
        response = get_counting(officer_client, url, max_queries=20, contains="arbitrary_detention")
        counts.append(len(response.queries))
    assert counts[0] == counts[1] <= 20


# --- bad input: a clear 4xx, nothing written ---------------------------------------------------


def test_it_refuses_a_future_date(officer_client, case):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    page = officer_client.post(
        reverse("cases:incident_create", args=[case.pk]), _form(occurred_on=tomorrow)
    )
    assert page.status_code == 400
    assert "cannot be dated in the future" in page.content.decode()

    api = officer_client.post(
        reverse("api:case-incident-list", args=[case.pk]),
        _form(occurred_on=tomorrow),
        content_type="application/json",
    )
    assert api.status_code == 400 and "occurred_on" in api.json()
    assert _count(case) == 0


@pytest.mark.parametrize("field", ["type", "perpetrator"])
def test_it_refuses_an_unknown_enum_naming_the_field(officer_client, case, field):
    api = officer_client.post(
        reverse("api:case-incident-list", args=[case.pk]),
        _form(**{field: "alien_abduction"}),
        content_type="application/json",
    )
    assert api.status_code == 400
    assert list(api.json()) == [field]
    page = officer_client.post(
        reverse("cases:incident_create", args=[case.pk]), _form(**{field: "alien_abduction"})
    )
    assert page.status_code == 400 and "alien_abduction" in page.content.decode()
    assert _count(case) == 0


def test_it_refuses_an_overlong_description(officer_client, case):
    url = reverse("api:case-incident-list", args=[case.pk])
    api = officer_client.post(url, _form(description="x" * 20_001), content_type="application/json")
    assert api.status_code == 400 and "description" in api.json()
    # 10 MB never reaches the view: the request is refused as too large.
    huge = officer_client.post(
        url, _form(description="x" * 10_000_000), content_type="application/json"
    )
    assert huge.status_code in (400, 413)
    assert _count(case) == 0


def test_it_refuses_a_missing_date(officer_client, case):
    data = _form()
    del data["occurred_on"]
    api = officer_client.post(
        reverse("api:case-incident-list", args=[case.pk]), data, content_type="application/json"
    )
    assert api.status_code == 400 and "occurred_on" in api.json()
    assert _count(case) == 0


# --- who sees and who writes --------------------------------------------------------------------


def test_a_viewer_reads_incidents_but_records_none(viewer_client, case, incident):
    assert (
        viewer_client.get(reverse("cases:incident_detail", args=[case.pk, incident.pk])).status_code
        == 200
    )
    assert viewer_client.get(reverse("api:case-incident-list", args=[case.pk])).status_code == 200
    assert viewer_client.get(reverse("cases:incident_create", args=[case.pk])).status_code == 403
    assert (
        viewer_client.post(reverse("cases:incident_create", args=[case.pk]), _form()).status_code
        == 403
    )
    api = viewer_client.post(
        reverse("api:case-incident-list", args=[case.pk]), _form(), content_type="application/json"
    )
    assert api.status_code == 403
    assert _count(case) == 1
    page = viewer_client.get(reverse("cases:section", args=[case.pk, "incidents"])).content.decode()
    assert "Surveillance / spyware" in page
    assert reverse("cases:incident_create", args=[case.pk]) not in page


def test_another_organisation_gets_404(outsider_client, case, incident):
    assert (
        outsider_client.get(
            reverse("cases:incident_detail", args=[case.pk, incident.pk])
        ).status_code
        == 404
    )
    assert (
        outsider_client.post(reverse("cases:incident_create", args=[case.pk]), _form()).status_code
        == 404
    )
    for url in (
        reverse("api:case-incident-list", args=[case.pk]),
        reverse("api:case-incident-detail", args=[case.pk, incident.pk]),
    ):
        assert outsider_client.get(url).status_code == 404
    api = outsider_client.post(
        reverse("api:case-incident-list", args=[case.pk]), _form(), content_type="application/json"
    )
    assert api.status_code == 404
    assert _count(case) == 1


def test_an_incident_of_another_case_is_not_found_under_this_one(
    officer_client, case, org, incident
):
    other_case = CaseFactory(organisation=org)
    url = reverse("cases:incident_detail", args=[other_case.pk, incident.pk])
    assert officer_client.get(url).status_code == 404
    api_url = reverse("api:case-incident-detail", args=[other_case.pk, incident.pk])
    assert officer_client.get(api_url).status_code == 404


def test_a_feedback_partner_never_sees_incidents(case, incident):
    client = _partner_client(case, "feedback")
    for url in (
        reverse("cases:detail", args=[case.pk]),
        reverse("cases:section", args=[case.pk, "logbook"]),
    ):
        page = client.get(url)
        assert page.status_code == 200
        content = page.content.decode()
        assert "Surveillance" not in content and "Incidents" not in content
    assert client.get(reverse("cases:section", args=[case.pk, "incidents"])).status_code == 404
    assert (
        client.get(reverse("cases:incident_detail", args=[case.pk, incident.pk])).status_code == 404
    )
    assert client.get(reverse("api:case-incident-list", args=[case.pk])).status_code == 404
    assert (
        client.get(reverse("api:case-incident-detail", args=[case.pk, incident.pk])).status_code
        == 404
    )
    api = client.post(
        reverse("api:case-incident-list", args=[case.pk]), _form(), content_type="application/json"
    )
    assert api.status_code == 404
    assert _count(case) == 1


def test_a_full_partner_reads_incidents_and_the_read_is_logged(case, incident):
    client = _partner_client(case, "full")
    detail = client.get(reverse("cases:incident_detail", args=[case.pk, incident.pk]))
    assert detail.status_code == 200 and "Pegasus found on her phone." in detail.content.decode()
    listed = client.get(reverse("api:case-incident-list", args=[case.pk])).json()["results"]
    assert [row["description"] for row in listed] == ["Pegasus found on her phone."]
    page = client.get(reverse("cases:section", args=[case.pk, "logbook"])).content.decode()
    assert "Incident: Surveillance / spyware" in page  # on the timeline
    assert reverse("cases:incident_create", args=[case.pk]) not in page
    assert (
        CaseAccessLog.objects.owned_by(case.organisation)
        .filter(case=case, part=CaseAccessLog.Part.FILE)
        .exclude(viewer_organisation=case.organisation)
        .count()
        == 2
    )


def test_a_full_partner_records_no_incident(case):
    client = _partner_client(case, "full")
    assert client.post(reverse("cases:incident_create", args=[case.pk]), _form()).status_code == 404
    api = client.post(
        reverse("api:case-incident-list", args=[case.pk]), _form(), content_type="application/json"
    )
    assert api.status_code == 404
    assert _count(case) == 0


def test_the_timeline_shows_incidents_to_the_owner(officer_client, case, incident):
    page = officer_client.get(reverse("cases:section", args=[case.pk, "logbook"])).content.decode()
    assert "Incident: Surveillance / spyware" in page
    assert reverse("cases:incident_detail", args=[case.pk, incident.pk]) in page


def test_the_service_refuses_a_writer_of_another_organisation(case, outsider):
    from django.core.exceptions import PermissionDenied

    from cases.services.incident import incident_record

    with pytest.raises(PermissionDenied):
        incident_record(
            case=case,
            occurred_on=timezone.localdate(),
            type="threat",
            perpetrator="unknown",
            acting_user=outsider,
        )
    assert Incident.objects.unscoped().count() == 0
