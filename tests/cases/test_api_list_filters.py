"""The case API's query parameters and bodies are checked before they reach the database
(issue 17, found by Schemathesis): a bad value is a 400 naming it, never a 500."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from cases.models import Case, Consent
from cases.services.consent import consent_record
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(org):
    return CaseFactory(organisation=org, pseudonym="Ceiba")


@pytest.mark.parametrize("param", ["q", "threat", "country", "status", "sort", "scope", "risk"])
def test_it_refuses_a_nul_character_in_a_case_list_filter_naming_it(officer_client, case, param):
    """PostgreSQL refuses a NUL in a string: the list answered 500."""
    response = officer_client.get(reverse("api:case-list"), {param: "ce\x00iba"})
    assert response.status_code == 400
    assert list(response.json()) == [param]


def test_it_refuses_an_unknown_status_or_order_naming_it(officer_client, case):
    response = officer_client.get(reverse("api:case-list"), {"status": "lost", "sort": "-risk"})
    assert response.status_code == 400
    assert set(response.json()) == {"status", "sort"}


def test_the_filters_still_filter(officer_client, org, case):
    CaseFactory(organisation=org, pseudonym="Roble", status=Case.Status.MONITORING)
    rows = officer_client.get(
        reverse("api:case-list"), {"status": "open", "q": "cei", "sort": "-opened", "scope": "own"}
    ).json()["results"]
    assert [row["pseudonym"] for row in rows] == ["Ceiba"]


def test_a_consent_revocation_whose_body_is_not_an_object_is_a_400_and_revokes_nothing(
    officer_client, officer, case
):
    """The view read ``request.data.get("note")``: a JSON array answered 500."""
    consent = consent_record(
        case=case,
        scope=Consent.Scope.PUBLIC_ACTION,
        given_on=datetime.date(2026, 3, 2),
        method="in_person",
        acting_user=officer,
    )
    url = reverse("api:case-consent-revoke", args=[case.pk, consent.pk])
    response = officer_client.post(url, ["note"], content_type="application/json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    response = officer_client.post(url, {"note": "a\x00b"}, content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()) == ["note"]
    consent.refresh_from_db()
    assert consent.revoked_at is None
    response = officer_client.post(
        url, {"note": "Asked us to stop."}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["active"] is False
