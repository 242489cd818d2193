"""Partners are told, and a partner answers a share: the partner's share panel (accept,
decline, leave; writers only; another organisation 404), the owner told of a decline or a
departure (in the inbox and by e-mail per preference), coordination requests told to the
holder and a shared answer told to the requester (a refusal told to nobody)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Organisation, Role
from alerts.models import Notification
from alerts.services.preferences import notification_preferences_save
from cases.models import CaseShare, CoordinationRequest
from cases.services import sharing
from hrdcase.models import AuditEvent
from tests.conftest import verified_client
from tests.factories import CaseFactory, OrganisationFactory, UserFactory, share_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(org, officer):
    return CaseFactory(organisation=org, pseudonym="Ceiba", lead_officer=officer)


@pytest.fixture
def partner(db):
    return OrganisationFactory(name="Voces Seguras", kind=Organisation.Kind.NGO)


@pytest.fixture
def ngo(partner):
    return UserFactory(organisation=partner, role=Role.OFFICER)


@pytest.fixture
def share(case, partner, officer, ngo):
    return share_case(case, partner, "full", acting_user=officer)


def _answer(client, share, step, **data):
    return client.post(reverse("cases:share_answer", args=[share.pk, step]), data)


def _told(user, kind="share"):
    return list(
        Notification.objects.for_recipient(user)
        .filter(kind=kind)
        .order_by("created_at")
        .values_list("subject", flat=True)
    )


def test_the_partner_sees_its_share_and_accepts_it(case, share, ngo, officer):
    client = verified_client(ngo)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Your organisation&#x27;s share" in page or "Your organisation's share" in page
    assert "New share: accept it" in page
    assert reverse("cases:share_answer", args=[share.pk, "accept"]) in page
    assert reverse("cases:share_answer", args=[share.pk, "decline"]) in page
    response = _answer(client, share, "accept", next=reverse("cases:detail", args=[case.pk]))
    assert response.url == reverse("cases:detail", args=[case.pk])
    share.refresh_from_db()
    assert share.accepted_by == ngo and share.accepted_at is not None
    assert AuditEvent.objects.filter(action="case.share_accept").exists()
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Accepted on" in page and "Leave the share" in page
    assert reverse("cases:share_answer", args=[share.pk, "decline"]) not in page
    # declining once accepted is refused with a word, and the share stays
    refused = client.post(
        reverse("cases:share_answer", args=[share.pk, "decline"]), follow=True
    ).content.decode()
    assert "already accepted this share: leave it instead" in refused
    share.refresh_from_db()
    assert share.status == CaseShare.Status.ACTIVE


def test_declining_ends_the_share_and_tells_the_owner(case, share, ngo, officer, admin_user):
    client = verified_client(ngo)
    response = _answer(client, share, "decline", next=reverse("cases:detail", args=[case.pk]))
    assert response.url == reverse("cases:list")  # not the case page: it answers 404 now
    share.refresh_from_db()
    assert share.status == CaseShare.Status.REVOKED and share.end_reason == "declined"
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    expected = ["Share of case Ceiba with Voces Seguras ended: declined by the partner"]
    assert _told(officer) == expected  # the lead officer
    assert _told(admin_user) == expected  # and the owner's admins
    note = Notification.objects.for_recipient(officer).get(kind="share")
    assert note.url == reverse("cases:shares", args=[case.pk])
    assert note.status == Notification.Status.PENDING  # by e-mail: the default for shares
    assert AuditEvent.objects.filter(
        action="case.share_declined", organisation=case.organisation
    ).exists()
    # the owner's inbox shows it under "Coordination"
    body = (
        verified_client(officer)
        .get(reverse("alerts:notifications") + "?category=coordination")
        .content.decode()
    )
    assert "ended: declined by the partner" in body


def test_leaving_tells_the_owner_in_the_inbox_only_when_it_turned_e_mail_off(
    case, share, ngo, officer
):
    notification_preferences_save(user=officer, email={"share": False}, acting_user=officer)
    sharing.share_accept(share=share, acting_user=ngo)
    response = _answer(verified_client(ngo), share, "leave")
    assert response.url == reverse("cases:list")
    share.refresh_from_db()
    assert share.end_reason == "left"
    note = Notification.objects.for_recipient(officer).get(kind="share")
    assert note.subject == "Share of case Ceiba with Voces Seguras ended: left by the partner"
    assert note.status == Notification.Status.SKIPPED  # in the inbox, not by e-mail


def test_a_partner_viewer_sees_the_share_but_may_not_answer_it(case, share, partner):
    viewer = UserFactory(organisation=partner, role=Role.VIEWER)
    client = verified_client(viewer)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "shared this case with your organisation" in page
    assert reverse("cases:share_answer", args=[share.pk, "accept"]) not in page
    for step in ["accept", "decline", "leave"]:
        assert _answer(client, share, step).status_code == 403
    share.refresh_from_db()
    assert share.status == CaseShare.Status.ACTIVE and share.accepted_at is None


def test_another_organisation_and_the_owner_get_404(case, share, officer, outsider):
    for user in [outsider, officer]:  # the owner revokes; it does not answer its own share
        client = verified_client(user)
        for step in ["accept", "decline", "leave"]:
            assert _answer(client, share, step).status_code == 404, (user, step)
    share.refresh_from_db()
    assert share.status == CaseShare.Status.ACTIVE


def test_an_unknown_step_an_ended_share_and_a_get_are_refused(case, share, ngo, officer):
    client = verified_client(ngo)
    assert _answer(client, share, "delete").status_code == 404
    assert client.get(reverse("cases:share_answer", args=[share.pk, "accept"])).status_code == 405
    sharing.share_revoke(share=share, acting_user=officer)
    assert _answer(client, share, "accept").status_code == 404


def test_the_owner_s_own_page_shows_no_partner_panel(case, share, officer):
    page = verified_client(officer).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "New share: accept it" not in page


def test_the_partner_is_told_of_a_share_granted_changed_and_ended(case, partner, ngo, officer):
    share_case(case, partner, "feedback", acting_user=officer)
    raised = share_case(case, partner, "full", acting_user=officer)
    told = Notification.objects.for_recipient(ngo).filter(kind="share")
    assert {n.status for n in told} == {Notification.Status.PENDING}  # to be e-mailed
    sharing.share_revoke(share=raised, acting_user=officer)
    assert _told(ngo) == [
        "Case Ceiba shared with your organisation: feedback",
        "Your access to case Ceiba changed: full access",
        "Your organisation's access to case Ceiba ended: revoked by the case owner",
    ]
    # an e-mail still waiting (quiet hours, a retry) about a share that has ended is not sent:
    # the partner's inbox keeps the history, its mailbox gets the end
    assert [(n.status, n.last_error) for n in told.order_by("created_at")] == [
        (Notification.Status.SKIPPED, "the share of the case ended"),
        (Notification.Status.SKIPPED, "the share of the case ended"),
        (Notification.Status.PENDING, ""),
    ]


# --- coordination -----------------------------------------------------------------------------


def _twins(officer):
    """The officer's case and another organisation's case of the same defender."""
    from hrdcase import crypto

    index = crypto.blind_index("Berta Cáceres", scope="HN")
    mine = CaseFactory(
        organisation=officer.organisation,
        pseudonym="Mine",
        lead_officer=officer,
        defender__legal_name="Berta Cáceres",
        defender__country="HN",
        defender__name_index=index,
    )
    holder_org = OrganisationFactory(name="Holder mission")
    holder = UserFactory(organisation=holder_org, role=Role.OFFICER)
    holder_admin = UserFactory(organisation=holder_org, role=Role.ADMIN)
    theirs = CaseFactory(
        organisation=holder_org,
        pseudonym="Theirs",
        lead_officer=holder,
        defender__legal_name="Berta Cáceres",
        defender__country="HN",
        defender__name_index=index,
    )
    return mine, theirs, holder, holder_admin


def test_the_holder_is_told_of_a_coordination_request(officer):
    mine, _theirs, holder, holder_admin = _twins(officer)
    sharing.coordination_request(case=mine, message="Shall we?", acting_user=officer)
    request = CoordinationRequest.objects.unscoped().get()
    for user in [holder, holder_admin]:
        assert _told(user, "coordination_request") == [
            f"Coordination request on case Theirs from {officer.organisation.name}"
        ]
    note = Notification.objects.for_recipient(holder).get(kind="coordination_request")
    assert note.url == reverse("cases:coordination_answer", args=[request.pk])
    page = verified_client(holder).get(note.url)
    assert page.status_code == 200
    assert not Notification.objects.for_recipient(officer).exists()  # the requester: nothing


def test_the_requester_is_told_when_the_holder_shares_and_not_when_it_declines(officer, org):
    from cases.models import Consent
    from cases.services.consent import consent_record

    mine, theirs, holder, _admin = _twins(officer)
    sharing.coordination_request(case=mine, message="Shall we?", acting_user=officer)
    request = CoordinationRequest.objects.unscoped().get()
    sharing.coordination_answer(request=request, share_level=None, reason="", acting_user=holder)
    assert not _told(officer, "coordination_answer")  # a refusal says nobody follows
    # asked again, the holder shares this time (the defender consented)
    sharing.coordination_request(case=mine, message="Again?", acting_user=officer)
    again = CoordinationRequest.objects.unscoped().get(status="open")
    consent_record(
        case=theirs,
        scope=Consent.Scope.SHARE_ORGANISATION,
        partner=org,
        given_on=theirs.opened_on,
        method=Consent.Method.IN_PERSON,
        acting_user=holder,
    )
    sharing.coordination_answer(
        request=again, share_level="feedback", reason="Same defender", acting_user=holder
    )
    assert _told(officer, "coordination_answer") == [
        "Holder mission answered your coordination request on case Mine: shared"
    ]
    note = Notification.objects.for_recipient(officer).get(kind="coordination_answer")
    assert verified_client(officer).get(note.url).status_code == 200  # their case, now shared
    assert _told(officer) == ["Case Theirs shared with your organisation: feedback"]
