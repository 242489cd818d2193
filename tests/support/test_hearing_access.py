"""A feedback partner never sees the case's hearings (courts, dates): the ask page offers no
hearing to it, the API and the service refuse one naming ``hearing`` with nothing written;
the owner (and a full partner: the identity level) still names them (security review, D1)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from support.models import SupportRequest
from tests.conftest import verified_client
from tests.dates import in_days
from tests.factories import CaseFactory, OrganisationFactory, UserFactory, share_case
from tests.support.conftest import ask, hearing_in

pytestmark = pytest.mark.django_db

COURT = "Criminal Court of Bogotá"


@pytest.fixture
def partnered(world):
    """Spain's case, which the NGO (world.requester's) follows at feedback level, with a
    hearing in five days."""
    spain = OrganisationFactory(name="Embassy of Spain", code="ESP")
    case = CaseFactory(organisation=spain, pseudonym="Roble")
    owner = UserFactory(organisation=spain, role="officer")
    share_case(case, world.ngo, "feedback")
    return case, hearing_in(case, owner, 5), owner


def test_the_ask_page_offers_no_hearing_to_a_feedback_partner(world, partnered):
    case, hearing, owner = partnered
    url = reverse("support:ask", args=[case.pk])
    page = verified_client(world.requester).get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="hearing"' not in body and COURT not in body
    assert hearing.date.isoformat() not in body
    owners_page = verified_client(owner).get(url).content.decode()
    assert 'name="hearing"' in owners_page and COURT in owners_page
    # a hearing posted anyway is not read
    response = verified_client(world.requester).post(
        url,
        {
            "kind": "trial_observation",
            "receiver": world.norway.pk,
            "reason": "Closed hearing feared.",
            "needed_by": in_days(5).isoformat(),
            "urgency": "urgent",
            "hearing": hearing.pk,
        },
    )
    assert response.status_code == 302
    assert SupportRequest.objects.unscoped().get().hearing_id is None


def test_the_api_and_the_service_refuse_a_feedback_partners_hearing(world, partnered):
    case, hearing, _owner = partnered
    response = verified_client(world.requester).post(
        reverse("api:support-request-list"),
        {
            "case": str(case.pk),
            "receiver": str(world.norway.pk),
            "kind": "trial_observation",
            "reason": "Closed hearing feared.",
            "needed_by": in_days(5).isoformat(),
            "urgency": "urgent",
            "hearing": str(hearing.pk),
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and "hearing" in response.json(), response.content
    with pytest.raises(ValidationError) as error:
        ask(world, case=case, hearing=hearing)
    assert "hearing" in error.value.message_dict
    assert not SupportRequest.objects.unscoped().exists()
    # without a hearing the partner still asks
    [request] = ask(world, case=case)
    assert request.hearing_id is None


def test_a_full_partner_still_names_a_hearing(world, partnered):
    case, hearing, _owner = partnered
    share_case(case, world.ngo, "full")
    [request] = ask(world, case=case, hearing=hearing)
    assert request.hearing_id == hearing.pk
