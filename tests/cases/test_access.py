"""Who may do what with a case, checked now (cases/access.py; DESIGN.md, "When access ends"):

- a share past its expiry stops opening the case at once, before the beat sweep runs;
- every write service checks the acting user itself (the view is only the first line);
- a deactivated organisation's members see no case.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, Role
from alerts.models import Notification
from cases.models import Case, CaseShare, Consent
from cases.services import case as case_services
from cases.services import sharing
from cases.services.consent import consent_record, consent_revoke
from cases.services.risk import risk_assessment_create
from tests.conftest import verified_client
from tests.factories import (
    CaseFactory,
    OrganisationFactory,
    UserFactory,
    share_case,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner(db):
    return OrganisationFactory(name="Voces Seguras", code="VOC", kind=Organisation.Kind.NGO)


@pytest.fixture
def partner_officer(partner):
    return UserFactory(organisation=partner, role=Role.OFFICER)


@pytest.fixture
def case(officer):
    return CaseFactory(organisation=officer.organisation, pseudonym="Ceiba", lead_officer=officer)


def _lapse(share):
    # unscoped: set-up of a share whose expiry just passed, the sweep not yet run.
    CaseShare.objects.unscoped().filter(pk=share.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )


# --- expiry is checked at read time ---------------------------------------------------------------


def test_an_expired_share_stops_opening_the_case_before_the_sweep(case, partner, officer):
    partner_user = UserFactory(organisation=partner, role=Role.OFFICER)
    share = share_case(case, partner, "full", acting_user=officer)
    client = verified_client(partner_user)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    _lapse(share)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert client.get(reverse("api:case-detail", args=[case.pk])).status_code == 404
    listed = client.get(reverse("cases:list"))
    assert listed.status_code == 200 and "Ceiba" not in listed.content.decode()
    assert not Case.objects.visible_to(partner_user).filter(pk=case.pk).exists()
    # The sweep then tidies up: the share is marked expired and the partner is told.
    assert sharing.shares_expire() == 1
    share.refresh_from_db()
    assert (share.status, share.end_reason) == ("expired", "expired")
    told = Notification.objects.unscoped().filter(recipient=partner_user, kind="share")
    assert any("ended" in n.subject for n in told)


def test_an_expired_share_no_longer_reaches_alert_recipients(case, partner, officer):
    from alerts.services.recipients import first_recipients

    partner_user = UserFactory(organisation=partner, role=Role.OFFICER)
    share = share_case(case, partner, "full", acting_user=officer)
    assert partner_user in first_recipients(case)
    _lapse(share)
    assert partner_user not in first_recipients(case)


# --- one permission rule in the write layer -------------------------------------------------------


def _writes(case, partner, acting_user):
    """Every case write a service offers, as ``acting_user`` would call it."""
    today = timezone.localdate()
    return {
        "case_update": lambda: case_services.case_update(
            case=case, acting_user=acting_user, summary="x"
        ),
        "case_close": lambda: case_services.case_close(
            case=case, reason="other", acting_user=acting_user
        ),
        "defender_update": lambda: case_services.defender_update(
            case=case, acting_user=acting_user, notes="x"
        ),
        "case_override_risk": lambda: case_services.case_override_risk(
            case=case, level="low", reason="x", acting_user=acting_user
        ),
        "consent_record": lambda: consent_record(
            case=case,
            scope=Consent.Scope.PUBLIC_ACTION,
            given_on=today,
            method=Consent.Method.IN_PERSON,
            acting_user=acting_user,
        ),
        "case_share": lambda: sharing.case_share(
            case=case, partner=partner, level="full", reason="x", acting_user=acting_user
        ),
        "coordination_request": lambda: sharing.coordination_request(
            case=case, message="x", acting_user=acting_user
        ),
        "risk_assessment_create": lambda: risk_assessment_create(
            case=case,
            acting_user=acting_user,
            assessed_on=today,
            threats="x",
            vulnerabilities="x",
            next_review_date=today + datetime.timedelta(days=30),
            physical_likelihood=1,
            physical_impact=1,
            physical_capacity="",
            digital_likelihood=1,
            digital_impact=1,
            digital_capacity="",
            psychosocial_likelihood=1,
            psychosocial_impact=1,
            psychosocial_capacity="",
        ),
    }


WRITES = list(_writes(None, None, None))


@pytest.mark.parametrize("write", WRITES)
@pytest.mark.parametrize("who", ["viewer", "full_partner", "revoked_partner", "outsider"])
def test_every_case_write_checks_the_acting_user_itself(write, who, case, officer, partner):
    """The services refuse without any view in front of them."""
    share = share_case(case, partner, "full", acting_user=officer)
    acting_user = {
        "viewer": lambda: UserFactory(organisation=case.organisation, role=Role.VIEWER),
        "full_partner": lambda: UserFactory(organisation=partner, role=Role.ADMIN),
        "revoked_partner": lambda: UserFactory(organisation=partner, role=Role.ADMIN),
        "outsider": lambda: UserFactory(role=Role.ADMIN),
    }[who]()
    if who == "revoked_partner":
        sharing.share_revoke(share=share, acting_user=officer)
    before = (Case.objects.unscoped().get(pk=case.pk).summary, Consent.objects.unscoped().count())
    with pytest.raises(PermissionDenied):
        _writes(case, OrganisationFactory(), acting_user)[write]()
    after = (Case.objects.unscoped().get(pk=case.pk).summary, Consent.objects.unscoped().count())
    assert before == after


def test_share_revoke_and_consent_revoke_are_the_owners_alone(case, officer, partner):
    share = share_case(case, partner, "full", acting_user=officer)
    partner_admin = UserFactory(organisation=partner, role=Role.ADMIN)
    with pytest.raises(PermissionDenied):
        sharing.share_revoke(share=share, acting_user=partner_admin)
    consent = case.consents.unscoped().first()
    with pytest.raises(PermissionDenied):
        consent_revoke(consent=consent, acting_user=partner_admin)
    share.refresh_from_db()
    consent.refresh_from_db()
    assert share.status == "active" and consent.revoked_at is None


def test_coordination_answer_is_the_holders(officer, partner):
    from cases.models import CoordinationRequest

    holder_case = CaseFactory(organisation=officer.organisation)
    requester_case = CaseFactory(organisation=partner)
    request = CoordinationRequest.objects.create(
        organisation=partner,
        case=holder_case,
        requester_case=requester_case,
        holder=officer.organisation,
        requested_by=UserFactory(organisation=partner),
        message="Shall we coordinate?",
    )
    with pytest.raises(PermissionDenied):
        sharing.coordination_answer(
            request=request,
            share_level=None,
            reason="",
            acting_user=UserFactory(organisation=partner, role=Role.ADMIN),
        )
    request.refresh_from_db()
    assert request.status == "open"


# --- a deactivated organisation -------------------------------------------------------------------


def test_a_deactivated_organisations_members_see_no_case_even_outside_a_request(officer, case):
    """A task or command holding a member's user object: the scoped entry point answers
    nothing once the organisation is deactivated."""
    officer.organisation.is_active = False
    assert not Case.objects.visible_to(officer).exists()
