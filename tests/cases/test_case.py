"""Defenders and cases: registering, the form and the API's refusals, a viewer's rights, closing."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, Defender
from hrdcase.models import AuditEvent
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


NEW_CASE = {
    "kind": "individual",
    "legal_name": "Berta Ixchel Cáceres",
    "country": "HN",
    "pseudonym": "Ceiba",
    "opened_on": "2026-03-01",
    "summary": "Threatened after opposing the dam.",
}


def _api_payload(**overrides):
    payload = {
        "defender": {"kind": "individual", "legal_name": "Berta Ixchel Cáceres", "country": "HN"},
        "pseudonym": "Ceiba",
        "summary": "Threatened after opposing the dam.",
    }
    payload.update(overrides)
    return payload


@pytest.fixture
def case(org):
    return CaseFactory(organisation=org, pseudonym="Ceiba", summary="Secret summary")


# --- registration ---------------------------------------------------------------------------------


def test_an_officer_registers_a_defender_and_the_database_holds_no_plaintext(officer_client, org):
    response = officer_client.post(reverse("cases:create"), NEW_CASE)
    assert response.status_code == 302
    case = Case.objects.owned_by(org).get()
    assert re.fullmatch(r"AAA-2026-0001", case.reference)
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    with connection.cursor() as cursor:
        cursor.execute("SELECT legal_name FROM cases_defender")
        (raw_name,) = cursor.fetchone()
        cursor.execute("SELECT summary FROM cases_case")
        (raw_summary,) = cursor.fetchone()
    # whole words: three letters turn up in random ciphertext about once in 3,000 runs
    assert "Berta" not in raw_name and "opposing the dam" not in raw_summary
    assert case.defender.legal_name == "Berta Ixchel Cáceres"
    assert AuditEvent.objects.filter(action="case.open", target_id=str(case.pk)).exists()


def test_references_count_per_organisation_and_year(officer, other_org):
    from cases.services.case import DefenderIdentity, case_register

    identity = DefenderIdentity(kind="individual", legal_name="A B", country="CO")
    first = case_register(identity=identity, pseudonym="One", acting_user=officer)
    second = case_register(identity=identity, pseudonym="Two", acting_user=officer)
    assert (first.reference, second.reference) == (
        f"AAA-{first.opened_on.year}-0001",
        f"AAA-{first.opened_on.year}-0002",
    )


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (_api_payload(defender={"kind": "alien", "legal_name": "X", "country": "CO"}), "defender"),
        (_api_payload(pseudonym=""), "pseudonym"),
        (_api_payload(summary="x" * 20_001), "summary"),
        (_api_payload(opened_on="2999-01-01"), "opened_on"),
        (
            _api_payload(defender={"kind": "collective", "legal_name": "X", "country": "CO"}),
            "defender",
        ),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(
    officer_client, org, payload, field
):
    response = officer_client.post(
        reverse("api:case-list"), payload, content_type="application/json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not Case.objects.owned_by(org).exists()
    assert not Defender.objects.owned_by(org).exists()


def test_a_10_mb_summary_is_refused_with_a_clear_413(officer_client, org):
    payload = _api_payload(summary="x" * (10 * 1024 * 1024))
    response = officer_client.post(
        reverse("api:case-list"), payload, content_type="application/json"
    )
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]
    assert not Case.objects.owned_by(org).exists()


def test_a_lead_officer_of_another_organisation_is_refused(officer_client, org, outsider):
    response = officer_client.post(
        reverse("api:case-list"),
        _api_payload(lead_officer=str(outsider.pk)),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "lead_officer" in response.json()
    assert not Case.objects.owned_by(org).exists()


def test_the_form_shows_the_error_and_writes_nothing(officer_client, org):
    response = officer_client.post(reverse("cases:create"), {**NEW_CASE, "pseudonym": ""})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert not Case.objects.owned_by(org).exists()


def test_a_viewer_reads_but_cannot_write(viewer_client, case):
    assert viewer_client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    assert viewer_client.get(reverse("cases:create")).status_code == 403
    assert (
        viewer_client.post(reverse("cases:edit", args=[case.pk]), {"pseudonym": "x"}).status_code
        == 403
    )
    response = viewer_client.patch(
        reverse("api:case-detail", args=[case.pk]),
        {"pseudonym": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.pseudonym == "Ceiba"


def test_closing_validates_the_date_and_reason(officer_client, case):
    url = reverse("api:case-close", args=[case.pk])
    future = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    assert officer_client.post(
        url, {"closing_reason": "relocated", "closed_on": future}, content_type="application/json"
    ).json() == {"closed_on": ["The closing date cannot be in the future."]}
    bad_reason = officer_client.post(
        url, {"closing_reason": "bored"}, content_type="application/json"
    )
    assert bad_reason.status_code == 400 and "closing_reason" in bad_reason.json()
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN
    done = officer_client.post(
        url, {"closing_reason": "relocated"}, content_type="application/json"
    )
    assert done.status_code == 200 and done.json()["status"] == "closed"
