"""Consent first (do no harm): what the defender agreed to covers a share or a public action, and
withdrawing it suspends the shares it covered."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from accounts.models import Organisation, Role
from alerts.models import Notification
from cases.models import CaseShare, Consent
from cases.services.consent import consent_record, consent_revoke
from cases.services.sharing import case_share
from hrdcase.models import AuditEvent
from tests.conftest import verified_client
from tests.factories import (
    CaseFactory,
    NetworkFactory,
    OrganisationFactory,
    UserFactory,
    share_case,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(org, officer):
    return CaseFactory(
        organisation=org, pseudonym="Ceiba", summary="Secret summary", lead_officer=officer
    )


@pytest.fixture
def partner_user(other_org):
    return UserFactory(organisation=other_org, role=Role.OFFICER)


@pytest.fixture
def partner(db):
    return OrganisationFactory(name="Voces Seguras", code="VOC", kind=Organisation.Kind.NGO)


@pytest.fixture
def partner_officer(partner):
    return UserFactory(organisation=partner, role=Role.OFFICER)


def test_consent_within_a_network_covers_its_members(case, officer, other_org):

    network = NetworkFactory(members=[case.organisation, other_org])
    consent_record(
        case=case,
        scope=Consent.Scope.SHARE_NETWORK,
        network=network,
        given_on=datetime.date(2026, 3, 2),
        method="in_person",
        acting_user=officer,
    )
    share = case_share(
        case=case,
        partner=other_org,
        level="feedback",
        reason="Network follow-up",
        acting_user=officer,
    )
    assert share.is_active


def test_revoking_consent_suspends_the_shares_it_covered(case, officer, other_org, partner_user):
    share = share_case(case, other_org, "full", acting_user=officer)
    client = verified_client(partner_user)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    consent = case.consents.get(scope=Consent.Scope.SHARE_ORGANISATION)
    suspended = consent_revoke(
        consent=consent, acting_user=officer, note="The defender asked us to stop."
    )
    assert suspended == [share]
    share.refresh_from_db()
    assert share.status == CaseShare.Status.SUSPENDED
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert AuditEvent.objects.filter(action="case.share_suspend").exists()


def test_public_action_needs_consent(case, officer):
    from django.core.exceptions import ValidationError

    from cases.services.consent import require_public_action_consent

    with pytest.raises(ValidationError, match="not consented to public action"):
        require_public_action_consent(case=case)
    consent_record(
        case=case,
        scope=Consent.Scope.PUBLIC_ACTION,
        given_on=datetime.date(2026, 3, 2),
        method="written",
        acting_user=officer,
    )
    assert require_public_action_consent(case=case)


def test_a_consent_withdrawal_tells_the_partner_why(case, officer, partner, partner_officer):
    share_case(case, partner, "full", acting_user=officer)
    consent_revoke(consent=case.consents.unscoped().first(), acting_user=officer)
    subjects = Notification.objects.unscoped().filter(recipient=partner_officer, kind="share")
    assert any("the defender withdrew the consent" in n.subject for n in subjects)


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
