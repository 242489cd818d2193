"""Relocation when access ends (issue 16, finding 1).

VOCES, a ``full`` partner, has an approved relocation request on the mission's case Ceiba.
When the mission revokes the share (or the defender withdraws the consent that covered it,
or the share lapses), VOCES can no longer act through relocation, its open requests freeze,
its pending referrals are withdrawn, and a shelter city learns the identity only while the
stay is accepted, the relocation consent is in force and the stay ended at most 30 days ago.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, Role
from alerts.models import Notification
from cases.models import CaseShare
from cases.services.consent import consent_revoke
from cases.services.sharing import share_revoke
from hrdcase.exceptions import StateConflict
from relocation.models import GrantRequest, RelocationRequest, ShelterReferral, VisaReferral
from relocation.services.grants import grant_request_create
from relocation.services.requests import request_create, request_transition, request_update
from relocation.services.shelter import shelter_answer, shelter_referral_create
from relocation.services.visa import visa_referral_create
from tests.conftest import verified_client
from tests.factories import CaseFactory, OrganisationFactory, UserFactory, share_case
from tests.relocation import factories as f

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def owner(db):
    return f.mission(name="Embassy of the Netherlands", code="NLB")


@pytest.fixture
def owner_officer(owner):
    return UserFactory(organisation=owner, role=Role.OFFICER, email="ana@nl.example")


@pytest.fixture
def voces(db):
    return OrganisationFactory(name="Voces Seguras", code="VOC", kind=Organisation.Kind.NGO)


@pytest.fixture
def lucia(voces):
    return UserFactory(organisation=voces, role=Role.OFFICER, email="lucia@voces.example")


@pytest.fixture
def ceiba(owner, owner_officer, voces):
    case = CaseFactory(organisation=owner, pseudonym="Ceiba", lead_officer=owner_officer)
    f.give_relocation_consent(case, owner_officer)
    share_case(case, voces, "full", acting_user=owner_officer)
    return case


@pytest.fixture
def the_city(db):
    start = TODAY()
    return f.city(
        name="Shelter City Maastricht",
        code="SCM",
        periods=[(start, start + datetime.timedelta(days=400), 3)],
    )


@pytest.fixture
def city_officer(the_city):
    return UserFactory(organisation=the_city, role=Role.OFFICER, email="staff@scm.example")


@pytest.fixture
def visa_mission(db):
    return f.mission(name="Embassy of Norway", code="NOB")


@pytest.fixture
def fund(db):
    return f.grantor(name="Andes Fund", code="AND", kind=Organisation.Kind.NGO)


@pytest.fixture
def approved(ceiba, lucia):
    return f.approved_request(ceiba, lucia)


def _share(case, voces):
    return CaseShare.objects.unscoped().get(case=case, partner=voces, status="active")


def _revoke(case, voces, owner_officer):
    share_revoke(share=_share(case, voces), acting_user=owner_officer)


def _stay(request, city, user, **kwargs):
    start = TODAY() + datetime.timedelta(days=3)
    return shelter_referral_create(
        relocation_request=request,
        city=city,
        start=start,
        end=start + datetime.timedelta(days=30),
        acting_user=user,
        **kwargs,
    )


# --- the attack of the issue -------------------------------------------------------------------


def test_a_revoked_partner_cannot_refer_through_the_api(
    ceiba, approved, voces, lucia, owner_officer, the_city, visa_mission, fund
):
    _revoke(ceiba, voces, owner_officer)
    client = verified_client(lucia)
    assert client.get(reverse("cases:detail", args=[ceiba.pk])).status_code == 404
    start = TODAY() + datetime.timedelta(days=3)
    stay = client.post(
        reverse("api:relocation-stay-list"),
        {
            "request": str(approved.pk),
            "city": str(the_city.pk),
            "start": start.isoformat(),
            "end": (start + datetime.timedelta(days=30)).isoformat(),
        },
        content_type="application/json",
    )
    visa = client.post(
        reverse("api:relocation-visa-list"),
        {"request": str(approved.pk), "mission": str(visa_mission.pk), "visa_type": "humanitarian"},
        content_type="application/json",
    )
    grant = client.post(
        reverse("api:relocation-grant-list"),
        {
            "request": str(approved.pk),
            "grantor": str(fund.pk),
            "purpose": "legal_fees",
            "amount": "500",
            "currency": "EUR",
        },
        content_type="application/json",
    )
    assert (stay.status_code, visa.status_code, grant.status_code) == (403, 403, 403)
    # unscoped: nothing at all was written, by any organisation.
    assert not ShelterReferral.objects.unscoped().exists()
    assert not VisaReferral.objects.unscoped().exists()
    assert not GrantRequest.objects.unscoped().exists()


def test_a_revoked_partner_cannot_take_a_step_or_edit(ceiba, voces, lucia, owner_officer):
    draft = f.make_request(ceiba, lucia)
    _revoke(ceiba, voces, owner_officer)
    with pytest.raises(PermissionDenied):
        request_update(relocation_request=draft, acting_user=lucia, languages="x")
    with pytest.raises(PermissionDenied):
        request_transition(
            relocation_request=draft, to_status="cancelled", acting_user=lucia, reason="x"
        )
    with pytest.raises(PermissionDenied):
        request_create(case=ceiba, acting_user=lucia, support=["emergency_grant"])


@pytest.mark.parametrize("how", ["revoked", "consent withdrawn", "lowered to feedback"])
def test_ending_the_share_freezes_requests_and_withdraws_referrals(
    how, ceiba, approved, voces, lucia, owner_officer, the_city, city_officer, visa_mission, fund
):
    stay = _stay(approved, the_city, lucia)
    visa = visa_referral_create(
        relocation_request=approved,
        mission=visa_mission,
        visa_type="humanitarian",
        acting_user=lucia,
    )
    grant = grant_request_create(
        relocation_request=approved,
        grantor=fund,
        purpose="legal_fees",
        amount=500,
        currency="EUR",
        acting_user=lucia,
    )
    visa_officer = UserFactory(organisation=visa_mission, role=Role.OFFICER)
    owner_admin = UserFactory(organisation=ceiba.organisation, role=Role.ADMIN)
    if how == "revoked":
        _revoke(ceiba, voces, owner_officer)
    elif how == "consent withdrawn":
        named = ceiba.consents.unscoped().get(scope="share_organisation", partner=voces)
        consent_revoke(consent=named, acting_user=owner_officer)
    else:
        share_case(ceiba, voces, "feedback", acting_user=owner_officer)
    approved.refresh_from_db()
    assert approved.is_frozen and approved.status == "approved"
    for referral in (stay, visa, grant):
        referral.refresh_from_db()
        assert referral.status == "withdrawn", referral
    # The addressees are told of the withdrawal; both sides of the request are told, except
    # the person who acted.
    told = Notification.objects.unscoped()
    assert told.filter(recipient=city_officer, subject__contains="withdrawn").exists()
    assert told.filter(recipient=visa_officer, subject__contains="withdrawn").exists()
    assert told.filter(recipient=lucia, subject__contains="on hold").exists()
    assert told.filter(recipient=owner_admin, subject__contains="on hold").exists()
    assert not told.filter(recipient=owner_officer, subject__contains="on hold").exists()
    # The city can no longer accept, nor see the identity.
    with pytest.raises(StateConflict):
        shelter_answer(referral=stay, answer="accepted", acting_user=city_officer)
    assert (
        verified_client(city_officer)
        .get(reverse("relocation:shelter_identity", args=[stay.pk]))
        .status_code
        == 404
    )


def test_a_request_completed_by_its_accepted_stay_is_frozen_and_the_city_loses_the_identity(
    ceiba, approved, voces, lucia, owner_officer, the_city, city_officer
):
    stay = _stay(approved, the_city, lucia)
    shelter_answer(referral=stay, answer="accepted", acting_user=city_officer)
    approved.refresh_from_db()
    assert approved.status == "completed"  # every referral answered (issue 20)
    identity = reverse("relocation:shelter_identity", args=[stay.pk])
    assert verified_client(city_officer).get(identity).status_code == 200

    _revoke(ceiba, voces, owner_officer)

    approved.refresh_from_db()
    stay.refresh_from_db()
    assert approved.is_frozen and approved.status == "completed"
    assert stay.status == "withdrawn"
    assert verified_client(city_officer).get(identity).status_code == 404
    told = Notification.objects.unscoped()
    assert told.filter(recipient=city_officer, subject__contains="withdrawn").exists()
    assert told.filter(recipient=lucia, subject__contains="on hold").exists()


def test_a_frozen_request_shows_why_and_only_the_owner_may_cancel_it(
    ceiba, approved, voces, lucia, owner_officer
):
    _revoke(ceiba, voces, owner_officer)
    approved.refresh_from_db()
    page = verified_client(lucia).get(reverse("relocation:detail", args=[approved.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "no longer holds the case" in body
    assert "Cancel the request" not in body
    owner_page = verified_client(owner_officer).get(
        reverse("relocation:detail", args=[approved.pk])
    )
    assert "Cancel the request" in owner_page.content.decode()
    request_transition(
        relocation_request=approved,
        to_status="cancelled",
        acting_user=owner_officer,
        reason="Ended",
    )
    approved.refresh_from_db()
    assert approved.status == "cancelled"


def test_sharing_again_in_full_resumes_the_request(ceiba, approved, voces, lucia, owner_officer):
    _revoke(ceiba, voces, owner_officer)
    share_case(ceiba, voces, "full", acting_user=owner_officer)
    approved.refresh_from_db()
    assert not approved.is_frozen
    assert (
        Notification.objects.unscoped()
        .filter(recipient=lucia, subject__contains="resumed")
        .exists()
    )


def test_a_new_expiry_at_the_same_level_does_not_freeze(ceiba, approved, voces, owner_officer):
    from cases.services.sharing import case_share

    case_share(
        case=ceiba,
        partner=voces,
        level="full",
        reason="Extended",
        acting_user=owner_officer,
        expires_at=timezone.now() + datetime.timedelta(days=30),
    )
    approved.refresh_from_db()
    assert not approved.is_frozen


def test_a_lapsed_share_stops_relocation_before_the_sweep(
    ceiba, approved, voces, lucia, the_city, city_officer
):
    stay = _stay(approved, the_city, lucia)
    # unscoped: the share's expiry just passed; the beat sweep has not run.
    CaseShare.objects.unscoped().filter(case=ceiba, partner=voces).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    with pytest.raises(PermissionDenied):
        _stay(approved, the_city, lucia)
    with pytest.raises(StateConflict):
        shelter_answer(referral=stay, answer="accepted", acting_user=city_officer)
    stay.refresh_from_db()
    assert stay.status == "proposed"
    from cases.services.sharing import shares_expire

    shares_expire()
    stay.refresh_from_db()
    approved.refresh_from_db()
    assert stay.status == "withdrawn" and approved.is_frozen


def test_the_owners_own_request_is_never_frozen(ceiba, owner_officer, voces):
    own = f.approved_request(ceiba, owner_officer)
    _revoke(ceiba, voces, owner_officer)
    own.refresh_from_db()
    assert not own.is_frozen


# --- the city's identity window ----------------------------------------------------------------


@pytest.fixture
def accepted_stay(approved, lucia, the_city, city_officer):
    stay = _stay(approved, the_city, lucia)
    return shelter_answer(referral=stay, answer="accepted", acting_user=city_officer)


def _identity(city_officer, stay):
    return verified_client(city_officer).get(reverse("relocation:shelter_identity", args=[stay.pk]))


def test_the_city_sees_the_identity_once_accepted(accepted_stay, city_officer, ceiba):
    page = _identity(city_officer, accepted_stay)
    assert page.status_code == 200 and ceiba.defender.legal_name in page.content.decode()


def test_the_city_loses_the_identity_when_relocation_consent_is_withdrawn(
    accepted_stay, city_officer, ceiba, owner_officer
):
    consent = ceiba.consents.unscoped().get(scope="relocation")
    consent_revoke(consent=consent, acting_user=owner_officer)
    assert _identity(city_officer, accepted_stay).status_code == 404


@pytest.mark.parametrize(("days_ago", "status"), [(30, 200), (31, 404)])
def test_the_city_keeps_the_identity_for_30_days_after_the_stay(
    accepted_stay, city_officer, days_ago, status
):
    returned = TODAY() - datetime.timedelta(days=days_ago)
    # unscoped: set-up of a stay that ended ``days_ago`` days ago.
    ShelterReferral.objects.unscoped().filter(pk=accepted_stay.pk).update(
        status="completed",
        start=returned - datetime.timedelta(days=20),
        end=returned,
        arrived_on=returned - datetime.timedelta(days=20),
        returned_on=returned,
    )
    assert _identity(city_officer, accepted_stay).status_code == status


@override_settings(HRDCASE_CITY_IDENTITY_DAYS=0)
def test_the_identity_window_is_configurable(accepted_stay, city_officer):
    yesterday = TODAY() - datetime.timedelta(days=1)
    # unscoped: set-up of a stay that ended yesterday.
    ShelterReferral.objects.unscoped().filter(pk=accepted_stay.pk).update(
        status="completed",
        start=yesterday - datetime.timedelta(days=10),
        end=yesterday,
        returned_on=yesterday,
    )
    assert _identity(city_officer, accepted_stay).status_code == 404


# --- the case timeline -------------------------------------------------------------------------


def test_a_third_full_partner_does_not_see_another_partners_relocation_steps(
    ceiba, approved, owner_officer
):
    third = OrganisationFactory(name="Third Partner", code="THD")
    share_case(ceiba, third, "full", acting_user=owner_officer)
    request_transition(
        relocation_request=approved, to_status="in_progress", acting_user=approved.created_by
    )
    third_page = verified_client(UserFactory(organisation=third, role=Role.OFFICER)).get(
        reverse("cases:section", args=[ceiba.pk, "logbook"])
    )
    owner_page = verified_client(owner_officer).get(
        reverse("cases:section", args=[ceiba.pk, "logbook"])
    )
    assert "Relocation request by Voces Seguras" in owner_page.content.decode()
    assert third_page.status_code == 200
    assert "Relocation request by Voces Seguras" not in third_page.content.decode()
    assert RelocationRequest.objects.unscoped().count() == 1
