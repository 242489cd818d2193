"""Sharing a case: what each level shows a partner, the consent a share needs, how a share ends
(expiry, a partner leaving a network or deactivated) and who hears of it, the duplicate hint and
coordination."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, Role
from alerts.models import Notification
from cases.models import Case, CaseAccessLog, CaseShare, Consent, CoordinationRequest
from cases.services import sharing
from cases.services.consent import consent_record
from cases.services.sharing import shares_expire
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


NEW_CASE = {
    "kind": "individual",
    "legal_name": "Berta Ixchel Cáceres",
    "country": "HN",
    "pseudonym": "Ceiba",
    "opened_on": "2026-03-01",
    "summary": "Threatened after opposing the dam.",
}


@pytest.fixture
def partner_user(other_org):
    return UserFactory(organisation=other_org, role=Role.OFFICER)


@pytest.fixture
def partner(db):
    return OrganisationFactory(name="Voces Seguras", code="VOC", kind=Organisation.Kind.NGO)


@pytest.fixture
def partner_officer(partner):
    return UserFactory(organisation=partner, role=Role.OFFICER)


# --- share levels ---------------------------------------------------------------------------------


def test_a_feedback_partner_sees_pseudonym_and_status_never_identity_or_risk(
    case, other_org, partner_user
):
    case.risk_level = "high"
    case.save()
    share_case(case, other_org, "feedback")
    client = verified_client(partner_user)
    for section in ("overview", "logbook", "actions", "sharing"):
        url = (
            reverse("cases:detail", args=[case.pk])
            if section == "overview"
            else reverse("cases:section", args=[case.pk, section])
        )
        page = client.get(url)
        assert page.status_code == 200
        html = page.content.decode()
        assert "Ceiba" in html and case.defender.legal_name not in html
        # the partner may raise an urgent alert (issue 21): its form offers the severity "High"
        html = re.sub(r'<details class="alert-raise".*?</details>', "", html, flags=re.S)
        assert "Secret summary" not in html and "High" not in html, section
    assert client.get(reverse("cases:identity", args=[case.pk])).status_code == 404
    assert client.get(reverse("api:case-identity", args=[case.pk])).status_code == 404
    body = client.get(reverse("api:case-detail", args=[case.pk])).json()
    assert (body["risk_level"], body["summary"], body["access"]) == (None, None, "feedback")
    listed = client.get(reverse("api:case-list")).json()["results"]
    assert [(row["pseudonym"], row["risk_level"]) for row in listed] == [("Ceiba", None)]
    # nor can the risk filter be used to infer it
    assert client.get(reverse("api:case-list"), {"risk": "high"}).json()["results"] == []


def test_a_full_partner_sees_identity_and_the_owner_sees_who_viewed_it(
    case, other_org, partner_user, officer_client
):
    share_case(case, other_org, "full")
    client = verified_client(partner_user)
    identity = client.get(reverse("api:case-identity", args=[case.pk]))
    assert identity.status_code == 200
    assert identity.json()["legal_name"] == case.defender.legal_name
    log = CaseAccessLog.objects.owned_by(case.organisation).get()
    assert (log.user, log.viewer_organisation, log.part) == (partner_user, other_org, "identity")
    panel = officer_client.get(reverse("cases:section", args=[case.pk, "sharing"]))
    panel = panel.content.decode()
    assert "Who viewed this case" in panel and other_org.name in panel
    # a partner never edits the owner's case
    assert client.post(reverse("cases:edit", args=[case.pk]), {"pseudonym": "x"}).status_code == 404


def test_a_relocation_partner_never_sees_the_case_page(case, partner_user, other_org):
    share_case(case, other_org, "relocation")
    client = verified_client(partner_user)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert client.get(reverse("api:case-detail", args=[case.pk])).status_code == 404
    assert client.get(reverse("api:case-list")).json()["results"] == []


# --- sharing needs consent ------------------------------------------------------------------------


def test_a_share_without_consent_is_refused_and_nothing_is_written(officer_client, case, other_org):
    response = officer_client.post(
        reverse("api:case-shares", args=[case.pk]),
        {"partner": str(other_org.pk), "level": "full", "reason": "Joint démarche"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "has not consented to sharing with Embassy B" in response.json()["partner"][0]
    assert not CaseShare.objects.owned_by(case.organisation).exists()
    assert not case.casegroupobjectpermission_set.exists()


def test_an_officer_shares_a_case_through_the_pages_and_the_partner_opens_it(
    officer_client, case, other_org, partner_user
):
    """The whole page journey: consent recorded on the consents page, the share made on the
    sharing page; the partner, who got 404 before, then opens the case."""
    detail = reverse("cases:detail", args=[case.pk])
    partner_client = verified_client(partner_user)
    assert partner_client.get(detail).status_code == 404

    response = officer_client.post(
        reverse("cases:consents", args=[case.pk]),
        {
            "scope": Consent.Scope.SHARE_ORGANISATION,
            "partner": other_org.pk,
            "given_on": timezone.localdate().isoformat(),
            "method": Consent.Method.IN_PERSON,
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "Consent recorded." in response.content.decode()

    response = officer_client.post(
        reverse("cases:shares", args=[case.pk]),
        {
            "partner": other_org.pk,
            "level": CaseShare.Level.FEEDBACK,
            "reason": "Follows the trial.",
        },
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Case shared." in page
    assert other_org.name in page
    share = CaseShare.objects.visible_to(partner_user).get(case=case)
    assert (share.level, share.status) == (CaseShare.Level.FEEDBACK, CaseShare.Status.ACTIVE)

    response = partner_client.get(detail)
    assert response.status_code == 200
    assert "Ceiba" in response.content.decode()
    assert "Secret summary" not in response.content.decode()  # feedback: no narrative


# --- how a share ends -----------------------------------------------------------------------------


def test_an_expired_share_ends_and_removes_access(case, other_org, partner_user, officer):
    share = share_case(case, other_org, "feedback", acting_user=officer)
    share.expires_at = timezone.now() - datetime.timedelta(minutes=1)
    share.save()
    assert shares_expire() == 1
    share.refresh_from_db()
    assert share.status == CaseShare.Status.EXPIRED
    assert (
        verified_client(partner_user).get(reverse("cases:detail", args=[case.pk])).status_code
        == 404
    )


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


# --- the duplicate hint and coordination ----------------------------------------------------------


def test_the_duplicate_hint_tells_only_that_another_organisation_follows(
    org, other_org, officer, partner_user
):
    theirs = CaseFactory(
        organisation=other_org,
        defender__legal_name="Berta Cáceres",
        defender__country="HN",
        pseudonym="Río",
    )
    client = verified_client(officer)
    client.post(
        reverse("cases:create"), {**NEW_CASE, "legal_name": "CACERES, berta", "country": "HN"}
    )
    mine = Case.objects.owned_by(org).get()
    page = client.get(reverse("cases:section", args=[mine.pk, "sharing"])).content.decode()
    assert "Another organisation follows this defender" in page
    assert other_org.name not in page and "Río" not in page and theirs.reference not in page

    response = client.post(
        reverse("cases:coordinate", args=[mine.pk]), {"message": "We visit her on Friday."}
    )
    assert response.status_code == 302
    request = CoordinationRequest.objects.visible_to(partner_user).get()
    assert (request.case, request.organisation) == (theirs, org)
    inbox = verified_client(partner_user).get(reverse("cases:coordination_inbox")).content.decode()
    assert org.name in inbox
    # until they share, the requester still cannot open their case
    assert client.get(reverse("cases:detail", args=[theirs.pk])).status_code == 404

    other_client = verified_client(partner_user)
    refused = other_client.post(
        reverse("cases:coordination_answer", args=[request.pk]), {"answer": "feedback"}
    )
    assert "has not consented to sharing" in refused.content.decode()
    consent_record(
        case=theirs,
        scope="share_organisation",
        partner=org,
        given_on=datetime.date(2026, 3, 3),
        method="phone",
        acting_user=partner_user,
    )
    other_client.post(
        reverse("cases:coordination_answer", args=[request.pk]), {"answer": "feedback"}
    )
    assert client.get(reverse("cases:detail", args=[theirs.pk])).status_code == 200


def test_no_hint_without_a_match(officer_client, org, other_org):
    CaseFactory(organisation=other_org, defender__legal_name="Someone Else", defender__country="HN")
    officer_client.post(reverse("cases:create"), NEW_CASE)
    mine = Case.objects.owned_by(org).get()
    page = officer_client.get(reverse("cases:section", args=[mine.pk, "sharing"]))
    assert "Another organisation follows this defender" not in page.content.decode()


def _sharing(case) -> str:
    """The case page's "Sharing and consent", where the duplicate hint is."""
    return reverse("cases:section", args=[case.pk, "sharing"])


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

    _twin_elsewhere("Berta Cáceres")
    mine = _case_named(officer, "Berta Cáceres")
    client = verified_client(officer)
    for _ in range(2):
        page = client.get(reverse("cases:section", args=[mine.pk, "sharing"])).content.decode()
        assert "Another organisation follows this defender" in page
    shown = AuditEvent.objects.filter(action="case.duplicate_hint", actor=officer)
    assert shown.count() == 2


@override_settings(HRDCASE_DUPLICATE_HINT_DAILY_LIMIT=3)
def test_checks_of_new_names_are_limited_per_user_and_day(officer):

    probes = [_case_named(officer, f"Suspect Number {n}") for n in range(4)]
    _twin_elsewhere("Suspect Number 3")
    client = verified_client(officer)
    pages = [client.get(_sharing(c)).content.decode() for c in probes]
    # The fourth new name is not checked: the hint that would have shown stays hidden.
    assert "Another organisation follows this defender" not in pages[3]
    assert "you reached the daily number of checks of new names" in pages[3]
    assert AuditEvent.objects.filter(action="case.duplicate_hint_limited", actor=officer).exists()
    # A name already checked today is answered again without a new check.
    again = client.get(_sharing(probes[0])).content.decode()
    assert "daily number of checks" not in again
    # Another officer has a limit of their own.
    colleague = UserFactory(organisation=officer.organisation, role=Role.OFFICER)
    theirs = verified_client(colleague).get(_sharing(probes[3]))
    assert "Another organisation follows this defender" in theirs.content.decode()


def test_admins_see_how_many_checks_and_hints_each_member_triggered(officer, admin_user):
    _twin_elsewhere("Berta Cáceres")
    mine = _case_named(officer, "Berta Cáceres")
    verified_client(officer).get(_sharing(mine))
    report = verified_client(admin_user).get(reverse("cases:duplicate_hints"))
    assert report.status_code == 200
    body = report.content.decode()
    row = body[body.index(officer.full_name or officer.email) :]
    cells = re.findall(r"<td[^>]*>\s*(\d+)\s*</td>", row)
    assert cells[:3] == ["1", "1", "0"]  # names checked, hints shown, checks refused
    assert verified_client(officer).get(reverse("cases:duplicate_hints")).status_code == 403


def test_asking_to_coordinate_says_the_same_whether_or_not_anybody_follows(officer):
    mine = _case_named(officer, "Nobody Else Follows")
    client = verified_client(officer)
    answer = client.post(
        reverse("cases:coordinate", args=[mine.pk]), {"message": "Hello"}, follow=True
    )
    assert "Coordination request recorded" in answer.content.decode()
