"""The iCal feed is the one route of the work app that names something in its URL: a secret
token, not an object id. It must open nothing of another organisation, whoever holds it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.testing import verified_client
from cases.services.detention import hearing_add
from cases.services.task import task_create
from tests.factories import CaseFactory, OrganisationFactory, UserFactory, record_detention

pytestmark = pytest.mark.django_db


def _feed_path(user) -> str:
    response = verified_client(user).post(reverse("work:feed_create"))
    return response.context["new_feed_url"].split("testserver", 1)[1]


@pytest.mark.parametrize("role", [Role.ADMIN, Role.OFFICER, Role.VIEWER, Role.COORDINATOR])
def test_a_feed_of_another_organisation_shows_none_of_the_owner_s_events(client, role):
    from django.utils import timezone

    owner_org = OrganisationFactory(name="Owner mission", code="OWN")
    owner = UserFactory(organisation=owner_org, role=Role.OFFICER)
    case = CaseFactory(organisation=owner_org, pseudonym="Ceiba")
    detention = record_detention(case, acting_user=owner)
    hearing_add(detention=detention, date=timezone.localdate(), court="Court", acting_user=owner)
    task_create(title="Owner's task", due_on=timezone.localdate(), acting_user=owner)
    prying = UserFactory(organisation=OrganisationFactory(code="PRY"), role=role)
    body = client.get(_feed_path(prying)).content.decode()
    assert "BEGIN:VCALENDAR" in body and "BEGIN:VEVENT" not in body
    assert "Ceiba" not in body and case.reference not in body
    # the owner's own feed has them, and a revoked one answers 404 like an unknown one
    owner_path = _feed_path(owner)
    assert "Ceiba" in client.get(owner_path).content.decode()
    verified_client(owner).post(reverse("work:feed_revoke"))
    assert client.get(owner_path).status_code == 404
    assert client.get(owner_path.replace(owner_path[-10:-4], "AAAAAA")).status_code == 404
