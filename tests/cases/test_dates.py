"""Implausible dates in the case file: adding a hearing on 9999-12-31 answered 500 (issue 17:
the benchmark plan added days to it); the detention, release, incident, case, consent, share
and risk dates follow the same rule, with a clear 400 and nothing written."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.models import (
    BenchmarkMilestone,
    Case,
    CaseShare,
    Consent,
    Detention,
    Hearing,
    Incident,
    RiskAssessment,
)
from cases.services.detention import detention_record, detention_update, hearing_add
from hrdcase.dates import add_years
from hrdcase.models import AuditEvent
from tests.factories import CaseFactory, IncidentFactory, OrganisationFactory, record_detention

pytestmark = pytest.mark.django_db

FAR = ("9999-12-31", "0001-01-01")


def _message() -> str:
    latest = add_years(timezone.localdate(), 10)
    return f"Enter a date between 1900-01-01 and {latest.isoformat()}."


def _ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


@pytest.fixture
def case(org):
    return CaseFactory(organisation=org, pseudonym="Ceiba")


@pytest.fixture
def detention(case, officer):
    return record_detention(case, acting_user=officer, detained_since=_ago(20))


def _written(detention) -> tuple[int, int, int]:
    return (
        Hearing.objects.owned_by(detention.organisation).count(),
        BenchmarkMilestone.objects.owned_by(detention.organisation).count(),
        AuditEvent.objects.count(),
    )


# --- hearings (found answering 500) -------------------------------------------------------------


@pytest.mark.parametrize("value", FAR)
def test_the_hearing_form_refuses_a_far_date_and_writes_nothing(value, officer_client, detention):
    before = _written(detention)
    response = officer_client.post(
        reverse("cases:hearing_add", args=[detention.incident.case_id, detention.incident_id]),
        {"date": value, "court": "Juzgado 3 penal"},
    )
    assert response.status_code == 400
    assert _message() in response.content.decode()
    assert _written(detention) == before


@pytest.mark.parametrize("value", FAR)
def test_the_api_refuses_a_far_hearing_date_naming_the_field(value, officer_client, detention):
    before = _written(detention)
    response = officer_client.post(
        reverse(
            "api:case-incident-hearings", args=[detention.incident.case_id, detention.incident_id]
        ),
        {"date": value, "court": "Tribunal 2"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"date": [_message()]}
    assert _written(detention) == before


def test_the_hearing_service_refuses_a_far_date_itself(officer, detention):
    before = _written(detention)
    with pytest.raises(ValidationError) as caught:
        hearing_add(
            detention=detention,
            date=datetime.date(9999, 12, 31),
            court="Tribunal 2",
            acting_user=officer,
        )
    assert caught.value.message_dict == {"date": [_message()]}
    assert _written(detention) == before


# --- detention and release ----------------------------------------------------------------------


def test_a_detention_dated_0001_is_refused_on_the_page_the_api_and_the_service(
    officer_client, officer, case
):
    incident = IncidentFactory(case=case, recorded_by=officer, type="arbitrary_detention")
    page = officer_client.post(
        reverse("cases:detention", args=[case.pk, incident.pk]),
        {"action": "record", "detained_since": "0001-01-01"},
    )
    assert page.status_code == 400 and _message() in page.content.decode()
    api = officer_client.post(
        reverse("api:case-incident-detention", args=[case.pk, incident.pk]),
        {"detained_since": "0001-01-01"},
        content_type="application/json",
    )
    assert api.status_code == 400 and api.json() == {"detained_since": [_message()]}
    with pytest.raises(ValidationError) as caught:
        detention_record(
            incident=incident, acting_user=officer, detained_since=datetime.date(1, 1, 1)
        )
    assert caught.value.message_dict == {"detained_since": [_message()]}
    assert not Detention.objects.owned_by(case.organisation).exists()


def test_a_release_dated_0001_is_refused_on_the_api_and_the_service(
    officer_client, officer, detention
):
    api = officer_client.patch(
        reverse(
            "api:case-incident-detention", args=[detention.incident.case_id, detention.incident_id]
        ),
        {"released_on": "0001-01-01"},
        content_type="application/json",
    )
    assert api.status_code == 400 and api.json() == {"released_on": [_message()]}
    with pytest.raises(ValidationError) as caught:
        detention_update(
            detention=detention, acting_user=officer, released_on=datetime.date(1, 1, 1)
        )
    assert caught.value.message_dict == {"released_on": [_message()]}
    detention.refresh_from_db()
    assert detention.released_on is None


# --- the rest of the case file's API ------------------------------------------------------------


@pytest.mark.parametrize("value", FAR)
def test_an_incident_with_a_far_date_is_refused(value, officer_client, case):
    response = officer_client.post(
        reverse("api:case-incident-list", args=[case.pk]),
        {"occurred_on": value, "type": "threat", "perpetrator": "unknown"},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json() == {"occurred_on": [_message()]}
    assert not Incident.objects.owned_by(case.organisation).exists()


def test_a_case_opened_or_closed_in_year_9999_is_refused(officer_client, case, org):
    created = officer_client.post(
        reverse("api:case-list"),
        {
            "defender": {"kind": "individual", "legal_name": "Ana Pérez", "country": "CO"},
            "pseudonym": "Roble",
            "opened_on": "9999-12-31",
        },
        content_type="application/json",
    )
    assert created.status_code == 400 and created.json() == {"opened_on": [_message()]}
    assert not Case.objects.owned_by(org).filter(pseudonym="Roble").exists()
    closed = officer_client.post(
        reverse("api:case-close", args=[case.pk]),
        {"closing_reason": "risk_reduced", "closed_on": "0001-01-01"},
        content_type="application/json",
    )
    assert closed.status_code == 400 and closed.json() == {"closed_on": [_message()]}
    case.refresh_from_db()
    assert case.closed_on is None


def test_a_consent_or_a_share_with_a_far_date_is_refused(officer_client, case):
    consent = officer_client.post(
        reverse("api:case-consents", args=[case.pk]),
        {"scope": "public_action", "given_on": "0001-01-01", "method": "in_person"},
        content_type="application/json",
    )
    assert consent.status_code == 400 and consent.json() == {"given_on": [_message()]}
    assert not Consent.objects.owned_by(case.organisation).exists()
    partner = OrganisationFactory(name="Partner NGO", code="PNG")
    share = officer_client.post(
        reverse("api:case-shares", args=[case.pk]),
        {
            "partner": str(partner.pk),
            "level": "feedback",
            "reason": "Joint follow-up",
            "expires_at": "9999-12-31T23:59:00Z",
        },
        content_type="application/json",
    )
    assert share.status_code == 400 and share.json() == {"expires_at": [_message()]}
    assert not CaseShare.objects.owned_by(case.organisation).exists()


@pytest.mark.parametrize("field", ["assessed_on", "next_review_date"])
def test_a_risk_assessment_with_a_far_date_is_refused(field, officer_client, case):
    ratings = {
        f"{dimension}_{part}": value
        for dimension in ("physical", "digital", "psychosocial")
        for part, value in (("likelihood", 2), ("impact", 2), ("capacity", "partial"))
    }
    response = officer_client.post(
        reverse("api:case-risk-assessments", args=[case.pk]),
        {
            "assessed_on": _ago(1).isoformat(),
            "next_review_date": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
            "threats": "Death threats by text message.",
            "vulnerabilities": "Travels alone.",
            **ratings,
            field: "9999-12-31",
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json() == {field: [_message()]}
    assert not RiskAssessment.objects.owned_by(case.organisation).exists()
