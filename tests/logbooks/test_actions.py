"""Diplomatic actions: taxonomy, consent for public types, transitions (409), joint actions
(invitees see the action, not the case), "who already raised it"."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from cases.models import Consent
from cases.services.consent import consent_record
from logbooks.models import ActionParticipant, DiplomaticAction, ParticipantStatus
from logbooks.services.actions import action_invite
from tests.conftest import verified_client
from tests.factories import CaseFactory, NetworkFactory, OrganisationFactory, UserFactory
from tests.logbooks.factories import demarche, followed_case
from tests.queries import get_counting

pytestmark = pytest.mark.django_db


def _actions(case):
    return DiplomaticAction.objects.unscoped().filter(case=case)


def _api_create(client, case, **payload):
    data = {
        "type": "demarche",
        "authority": "Ministry of Interior",
        "taken_on": "2026-03-05",
        "status": "planned",
        **payload,
    }
    return client.post(f"/api/v1/cases/{case.pk}/actions/", data, content_type="application/json")


def _consent(case, officer):
    consent_record(
        case=case,
        scope=Consent.Scope.PUBLIC_ACTION,
        given_on=datetime.date(2026, 3, 1),
        method=Consent.Method.IN_PERSON,
        acting_user=officer,
    )


# --- consent --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["public_statement", "joint_statement"])
def test_it_refuses_public_statement_without_consent_over_the_api(officer_client, case, kind):
    response = _api_create(officer_client, case, type=kind)
    assert response.status_code == 400
    assert "consented to public action" in response.json()["type"][0]
    assert not _actions(case).exists()


def test_it_refuses_public_statement_without_consent_on_the_form(officer_client, case):
    response = officer_client.post(
        reverse("logbooks:action_create", args=[case.pk]),
        {
            "type": "public_statement",
            "authority": "Press",
            "taken_on": "2026-03-05",
            "status": "planned",
        },
    )
    assert response.status_code == 200
    assert "consented to public action" in response.content.decode()
    assert not _actions(case).exists()


def test_it_records_a_public_statement_with_consent(officer_client, case, officer):
    _consent(case, officer)
    assert _api_create(officer_client, case, type="public_statement").status_code == 201


def test_a_démarche_needs_no_public_consent(officer_client, case):
    assert _api_create(officer_client, case, type="official_protest").status_code == 201


# --- validation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"type": "coup"}, "type"),
        ({"authority": ""}, "authority"),
        ({"status": "done", "taken_on": "2099-01-01"}, "taken_on"),
        ({"status": "closed"}, "status"),
    ],
)
def test_it_refuses_bad_actions_naming_the_field(officer_client, case, payload, field):
    response = _api_create(officer_client, case, **payload)
    assert response.status_code == 400
    assert field in response.json()
    assert not _actions(case).exists()


def test_a_foreign_case_is_a_404_and_nothing_is_written(officer_client, other_org):
    foreign = CaseFactory(organisation=other_org)
    assert _api_create(officer_client, foreign).status_code == 404
    assert not _actions(foreign).exists()


# --- transitions ------------------------------------------------------------------------------


def test_it_enforces_transitions_with_a_409_listing_the_allowed(officer_client, case, officer):
    action = demarche(case, officer, status="planned")
    url = f"/api/v1/actions/{action.pk}/transition/"
    bad = officer_client.post(url, {"to": "follow_up_due"}, content_type="application/json")
    assert bad.status_code == 409
    assert sorted(bad.json()["allowed"]) == ["closed", "done"]
    ok = officer_client.post(
        url, {"to": "done", "outcome": "They listened."}, content_type="application/json"
    )
    assert ok.status_code == 200
    assert ok.json()["status"] == "done"
    assert ok.json()["outcome"] == "They listened."
    for step in ("follow_up_due", "done", "closed"):
        response = officer_client.post(url, {"to": step}, content_type="application/json")
        assert response.status_code == 200, response.content
    closed = officer_client.post(url, {"to": "done"}, content_type="application/json")
    assert closed.status_code == 409
    assert closed.json()["allowed"] == []


def test_a_planned_action_dated_in_the_future_cannot_be_done(officer_client, case, officer):
    future = timezone.localdate() + datetime.timedelta(days=3)
    action = demarche(case, officer, status="planned", taken_on=future)
    response = officer_client.post(
        f"/api/v1/actions/{action.pk}/transition/", {"to": "done"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "taken_on" in response.json()
    action.refresh_from_db()
    assert action.status == "planned"


def test_the_page_shows_a_409_for_a_forbidden_transition(officer_client, case, officer):
    action = demarche(case, officer, status="planned")
    response = officer_client.post(
        reverse("logbooks:action_transition", args=[action.pk]), {"to": "follow_up_due"}
    )
    assert response.status_code == 409
    assert "Allowed: done, closed" in response.content.decode()


def test_a_partner_cannot_change_the_owner_s_action(db):
    followed = followed_case()
    action = demarche(followed.case, followed.owner)
    client = verified_client(followed.full)
    response = client.post(
        f"/api/v1/actions/{action.pk}/transition/",
        {"to": "closed"},
        content_type="application/json",
    )
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.status == "done"


# --- who already raised it --------------------------------------------------------------------


def test_partners_see_who_raised_it_but_not_unshared_outcomes(db):
    followed = followed_case()
    owner_action = demarche(followed.case, followed.owner, outcome="OWNER-OUTCOME secret")
    partner_action = demarche(
        followed.case,
        followed.feedback,
        authority="Attorney General",
        outcome="FEEDBACK-OUTCOME shared",
        outcome_shared=True,
    )
    for who, sees in [
        ("owner", {"OWNER-OUTCOME secret", "FEEDBACK-OUTCOME shared"}),
        ("full", {"FEEDBACK-OUTCOME shared"}),
        ("feedback", {"FEEDBACK-OUTCOME shared"}),
    ]:
        client = verified_client(getattr(followed, who))
        page = client.get(reverse("logbooks:case_actions", args=[followed.case.pk]))
        body = page.content.decode()
        assert "Ministry of Foreign Affairs" in body and "Attorney General" in body
        assert "Owner mission" in body and "Feedback mission" in body
        api = client.get(f"/api/v1/cases/{followed.case.pk}/actions/").json()["results"]
        assert {row["outcome"] for row in api if row["outcome"]} == sees
        detail = client.get(reverse("logbooks:action_detail", args=[owner_action.pk]))
        assert ("OWNER-OUTCOME secret" in detail.content.decode()) == (who == "owner")
    for who in ("relocation", "stranger"):
        client = verified_client(getattr(followed, who))
        assert (
            client.get(reverse("logbooks:case_actions", args=[followed.case.pk])).status_code == 404
        )
        assert (
            client.get(reverse("logbooks:action_detail", args=[partner_action.pk])).status_code
            == 404
        )


def test_the_actions_list_costs_a_fixed_number_of_queries(officer_client, case, officer):
    url = reverse("logbooks:case_actions", args=[case.pk])
    demarche(case, officer)
    officer_client.get(url)
    shown = ["<h1>Diplomatic actions</h1>", "Ministry of Foreign Affairs"]
    few = get_counting(officer_client, url, contains=shown)
    for _ in range(10):
        demarche(case, officer)
    get_counting(officer_client, url, queries=len(few.queries), contains=shown)


# --- joint actions ----------------------------------------------------------------------------


@pytest.fixture
def network(org):
    invited = OrganisationFactory(name="Invited mission")
    network = NetworkFactory()
    network.members.add(org, invited)
    return network, invited


def test_an_invited_mission_sees_the_action_but_not_the_case(officer, case, network):
    _net, invited = network
    action = demarche(case, officer, outcome="OUTCOME-X")
    action_invite(action=action, organisation=invited, acting_user=officer)
    invitee = UserFactory(organisation=invited, role=Role.OFFICER)
    client = verified_client(invitee)
    page = client.get(reverse("logbooks:action_detail", args=[action.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert case.pseudonym not in body and case.reference not in body
    assert "not shared with your organisation" in body
    assert "OUTCOME-X" not in body
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert client.get(reverse("logbooks:case_logbook", args=[case.pk])).status_code == 404
    assert client.get(f"/api/v1/cases/{case.pk}/entries/").status_code == 404
    mine = client.get(reverse("logbooks:my_actions")).content.decode()
    assert str(action.pk) in mine and case.pseudonym not in mine
    api = client.get("/api/v1/actions/").json()["results"]
    assert [row["id"] for row in api] == [str(action.pk)]
    assert api[0]["case"] is None and api[0]["case_pseudonym"] is None
    # accepts over the API
    answer = client.post(
        f"/api/v1/actions/{action.pk}/answer/", {"accept": True}, content_type="application/json"
    )
    assert answer.status_code == 200
    assert answer.json()["participants"][0]["status"] == "accepted"
    again = client.post(
        f"/api/v1/actions/{action.pk}/answer/", {"accept": False}, content_type="application/json"
    )
    assert again.status_code == 409


def test_an_invited_mission_that_follows_the_case_sees_the_pseudonym(officer, case, network):
    from tests.factories import share_case

    _net, invited = network
    share_case(case, invited, "feedback", acting_user=officer)
    action = demarche(case, officer)
    action_invite(action=action, organisation=invited, acting_user=officer)
    client = verified_client(UserFactory(organisation=invited, role=Role.OFFICER))
    assert (
        case.pseudonym
        in client.get(reverse("logbooks:action_detail", args=[action.pk])).content.decode()
    )


def test_a_declined_invitation_hides_the_action_again(officer, case, network):
    _net, invited = network
    action = demarche(case, officer)
    action_invite(action=action, organisation=invited, acting_user=officer)
    client = verified_client(UserFactory(organisation=invited, role=Role.OFFICER))
    response = client.post(
        reverse("logbooks:action_answer", args=[action.pk]), {"answer": "decline"}, follow=True
    )
    # Back to the organisation's joint actions, not to the action's page (now a 404).
    assert response.status_code == 200
    assert response.redirect_chain == [(reverse("logbooks:my_actions"), 302)]
    assert "Invitation declined." in response.content.decode()
    assert client.get(reverse("logbooks:action_detail", args=[action.pk])).status_code == 404


def test_it_invites_only_missions_of_a_shared_network(officer_client, officer, case, network):
    _net, invited = network
    action = demarche(case, officer)
    outsider_org = OrganisationFactory(name="Not in network")
    url = f"/api/v1/actions/{action.pk}/invite/"
    bad = officer_client.post(
        url, {"organisation": str(outsider_org.pk)}, content_type="application/json"
    )
    assert bad.status_code == 400 and "organisation" in bad.json()
    ok = officer_client.post(
        url, {"organisation": str(invited.pk)}, content_type="application/json"
    )
    assert ok.status_code == 200
    twice = officer_client.post(
        url, {"organisation": str(invited.pk)}, content_type="application/json"
    )
    assert twice.status_code == 400
    assert ActionParticipant.objects.filter(action=action).count() == 1


def test_an_invitation_notifies_the_invited_mission(officer, case, network):
    from alerts.models import Notification

    _net, invited = network
    invitee = UserFactory(organisation=invited, role=Role.OFFICER)
    action = demarche(case, officer)
    action_invite(action=action, organisation=invited, acting_user=officer)
    notification = Notification.objects.unscoped().get(recipient=invitee)
    assert case.pseudonym not in notification.subject


def test_a_shared_outcome_reaches_an_invitee_only_once_it_accepted(officer, case, network):
    _net, invited = network
    action = demarche(case, officer, outcome="SHARED-OUTCOME", outcome_shared=True)
    action_invite(action=action, organisation=invited, acting_user=officer)
    invitee = UserFactory(organisation=invited, role=Role.OFFICER)
    client = verified_client(invitee)
    url = reverse("logbooks:action_detail", args=[action.pk])
    assert "SHARED-OUTCOME" not in client.get(url).content.decode()
    assert client.get(f"/api/v1/actions/{action.pk}/").json()["outcome"] is None
    client.post(reverse("logbooks:action_answer", args=[action.pk]), {"answer": "accept"})
    assert "SHARED-OUTCOME" in client.get(url).content.decode()
    assert client.get(f"/api/v1/actions/{action.pk}/").json()["outcome"] == "SHARED-OUTCOME"


# Declining a joint action over the API (issue 17, found by Schemathesis): the decline ends
# the organisation's sight of an action on a case it does not follow, and the API re-read the
# action through that sight to answer: a 500 after the decline was written.
@pytest.fixture
def invitation(org, officer):
    invited = OrganisationFactory(name="Invited mission")
    NetworkFactory().members.add(org, invited)
    action = demarche(CaseFactory(organisation=org, lead_officer=officer), officer)
    action_invite(action=action, organisation=invited, acting_user=officer)
    return action, UserFactory(organisation=invited, role=Role.OFFICER)


def test_declining_answers_204_and_the_action_is_no_longer_shown(invitation):
    action, invitee = invitation
    client = verified_client(invitee)
    response = client.post(
        f"/api/v1/actions/{action.pk}/answer/", {"accept": False}, content_type="application/json"
    )
    assert response.status_code == 204
    participant = ActionParticipant.objects.get(action=action)
    assert participant.status == ParticipantStatus.DECLINED
    assert client.get(f"/api/v1/actions/{action.pk}/").status_code == 404
    assert client.get("/api/v1/actions/").json()["count"] == 0


def test_accepting_still_answers_the_action(invitation):
    action, invitee = invitation
    response = verified_client(invitee).post(
        f"/api/v1/actions/{action.pk}/answer/", {"accept": True}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["participants"][0]["status"] == "accepted"
