"""When access ends, everything that hangs on it ends too (issue 16, DESIGN.md).

- a share past its expiry stops opening the case at once, before the beat sweep runs;
- every write service checks the acting user itself (the view is only the first line);
- leaving a protection network suspends the shares only that network's consent covered;
- a deactivated organisation's shares end, and the owners are told;
- both sides hear when a share is granted, changed or ends.
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
from cases.models import Case, CaseShare, Consent
from cases.services import case as case_services
from cases.services import sharing
from cases.services.consent import consent_record, consent_revoke
from cases.services.risk import risk_assessment_create
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


# --- expiry is checked at read time ------------------------------------------------------------


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


# --- one permission rule in the write layer ----------------------------------------------------


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


# --- leaving a protection network --------------------------------------------------------------


def _network_share(case, officer, partner, network):
    consent_record(
        case=case,
        scope=Consent.Scope.SHARE_NETWORK,
        network=network,
        given_on=datetime.date(2026, 3, 2),
        method=Consent.Method.IN_PERSON,
        acting_user=officer,
    )
    return sharing.case_share(
        case=case, partner=partner, level="full", reason="Network follow-up", acting_user=officer
    )


@pytest.mark.parametrize("side", ["network.members.remove", "organisation.networks.remove"])
def test_leaving_the_network_suspends_a_share_only_its_consent_covered(
    side, case, officer, partner, partner_officer
):
    network = NetworkFactory(members=[officer.organisation, partner])
    share = _network_share(case, officer, partner, network)
    client = verified_client(partner_officer)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    if side == "network.members.remove":
        network.members.remove(partner)
    else:
        partner.networks.remove(network)
    share.refresh_from_db()
    assert (share.status, share.end_reason) == ("suspended", "network_left")
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    owner_told = Notification.objects.unscoped().filter(recipient=officer, kind="share")
    assert any("Voces Seguras" in n.subject and "ended" in n.subject for n in owner_told)


def test_leaving_a_network_keeps_a_share_a_named_consent_covers(case, officer, partner):
    network = NetworkFactory(members=[officer.organisation, partner])
    consent_record(
        case=case,
        scope=Consent.Scope.SHARE_ORGANISATION,
        partner=partner,
        given_on=datetime.date(2026, 3, 2),
        method=Consent.Method.IN_PERSON,
        acting_user=officer,
    )
    share = _network_share(case, officer, partner, network)
    network.members.clear()
    share.refresh_from_db()
    assert share.status == "active"


def test_clearing_the_network_suspends_its_members_shares(case, officer, partner):
    network = NetworkFactory(members=[officer.organisation, partner])
    share = _network_share(case, officer, partner, network)
    network.members.clear()
    share.refresh_from_db()
    assert share.status == "suspended"


# --- a deactivated organisation ---------------------------------------------------------------


def test_deactivating_a_partner_ends_the_shares_it_holds_and_tells_the_owner(
    case, officer, partner, partner_officer
):
    from accounts.services import organisation_deactivate

    share = share_case(case, partner, "full", acting_user=officer)
    staff = UserFactory(organisation=None, is_staff=True, is_superuser=True)
    organisation_deactivate(organisation=partner, acting_user=staff)
    share.refresh_from_db()
    assert (share.status, share.end_reason) == ("revoked", "partner_deactivated")
    assert not case.shares.unscoped().filter(status="active").exists()
    told = Notification.objects.unscoped().filter(recipient=officer, kind="share")
    assert any("deactivated" in n.subject for n in told)
    # The deactivated organisation's members are not written to about it.
    to_partner = Notification.objects.unscoped().filter(recipient=partner_officer)
    assert [n.subject for n in to_partner] == [
        "Case Ceiba shared with your organisation: full access"
    ]


# --- both sides are told -----------------------------------------------------------------------


def test_the_partner_hears_of_a_share_its_level_change_and_its_end(
    case, officer, partner, partner_officer
):
    share = share_case(case, partner, "feedback", acting_user=officer)
    raised = share_case(case, partner, "full", acting_user=officer)
    sharing.share_revoke(share=raised, acting_user=officer)
    subjects = list(
        Notification.objects.unscoped()
        .filter(recipient=partner_officer, kind="share")
        .order_by("created_at")
        .values_list("subject", flat=True)
    )
    assert subjects == [
        "Case Ceiba shared with your organisation: feedback",
        "Your access to case Ceiba changed: full access",
        "Your organisation's access to case Ceiba ended: revoked by the case owner",
    ]
    # The owner's officer acted each time: nobody on the owner's side is told of it.
    assert not Notification.objects.unscoped().filter(recipient=officer, kind="share").exists()
    share.refresh_from_db()
    assert share.end_reason == "replaced"


def test_a_consent_withdrawal_tells_the_partner_why(case, officer, partner, partner_officer):
    share_case(case, partner, "full", acting_user=officer)
    consent_revoke(consent=case.consents.unscoped().first(), acting_user=officer)
    subjects = Notification.objects.unscoped().filter(recipient=partner_officer, kind="share")
    assert any("the defender withdrew the consent" in n.subject for n in subjects)


def test_a_deactivated_organisations_members_see_no_case_even_outside_a_request(officer, case):
    """A task or command holding a member's user object: the scoped entry point answers
    nothing once the organisation is deactivated."""
    officer.organisation.is_active = False
    assert not Case.objects.visible_to(officer).exists()


# --- the duplicate hint: an oracle, limited and audited ------------------------------------


def _twin_elsewhere(name: str, country: str = "HN"):
    return CaseFactory(defender__legal_name=name, defender__country=country)


def _case_named(officer, name: str, country: str = "HN"):
    from hrdcase import crypto

    return CaseFactory(
        organisation=officer.organisation,
        defender__legal_name=name,
        defender__country=country,
        defender__name_index=crypto.blind_index(name, scope=country),
    )


def test_every_hint_shown_is_audited(officer):
    from hrdcase.models import AuditEvent

    _twin_elsewhere("Berta Cáceres")
    mine = _case_named(officer, "Berta Cáceres")
    client = verified_client(officer)
    for _ in range(2):
        page = client.get(reverse("cases:detail", args=[mine.pk])).content.decode()
        assert "Another organisation follows this defender" in page
    shown = AuditEvent.objects.filter(action="case.duplicate_hint", actor=officer)
    assert shown.count() == 2


@override_settings(HRDCASE_DUPLICATE_HINT_DAILY_LIMIT=3)
def test_checks_of_new_names_are_limited_per_user_and_day(officer):
    from hrdcase.models import AuditEvent

    probes = [_case_named(officer, f"Suspect Number {n}") for n in range(4)]
    _twin_elsewhere("Suspect Number 3")
    client = verified_client(officer)
    pages = [client.get(reverse("cases:detail", args=[c.pk])).content.decode() for c in probes]
    # The fourth new name is not checked: the hint that would have shown stays hidden.
    assert "Another organisation follows this defender" not in pages[3]
    assert "you reached the daily number of checks of new names" in pages[3]
    assert AuditEvent.objects.filter(action="case.duplicate_hint_limited", actor=officer).exists()
    # A name already checked today is answered again without a new check.
    again = client.get(reverse("cases:detail", args=[probes[0].pk])).content.decode()
    assert "daily number of checks" not in again
    # Another officer has a limit of their own.
    colleague = UserFactory(organisation=officer.organisation, role=Role.OFFICER)
    theirs = verified_client(colleague).get(reverse("cases:detail", args=[probes[3].pk]))
    assert "Another organisation follows this defender" in theirs.content.decode()


def test_admins_see_how_many_checks_and_hints_each_member_triggered(officer, admin_user):
    _twin_elsewhere("Berta Cáceres")
    mine = _case_named(officer, "Berta Cáceres")
    verified_client(officer).get(reverse("cases:detail", args=[mine.pk]))
    report = verified_client(admin_user).get(reverse("cases:duplicate_hints"))
    assert report.status_code == 200
    body = report.content.decode()
    row = body[body.index(officer.full_name or officer.email) :]
    assert "<td>1</td><td>1</td><td>0</td>" in row.replace(" ", "").replace("\n", "")
    assert verified_client(officer).get(reverse("cases:duplicate_hints")).status_code == 403


def test_asking_to_coordinate_says_the_same_whether_or_not_anybody_follows(officer):
    mine = _case_named(officer, "Nobody Else Follows")
    client = verified_client(officer)
    answer = client.post(
        reverse("cases:coordinate", args=[mine.pk]), {"message": "Hello"}, follow=True
    )
    assert "Coordination request recorded" in answer.content.decode()
