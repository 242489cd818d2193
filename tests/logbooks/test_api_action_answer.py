"""Declining a joint action over the API (issue 17, found by Schemathesis): the decline ends
the organisation's sight of an action on a case it does not follow, and the API re-read the
action through that sight to answer: a 500 after the decline was written."""

from __future__ import annotations

import pytest

from accounts.models import Role
from logbooks.models import ActionParticipant, ParticipantStatus
from logbooks.services.actions import action_invite
from tests.conftest import verified_client
from tests.factories import CaseFactory, NetworkFactory, OrganisationFactory, UserFactory
from tests.logbooks.factories import demarche

pytestmark = pytest.mark.django_db


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
