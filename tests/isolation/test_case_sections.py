"""Isolation: every section of the case page answers 404 to every user of another
organisation, as the page itself does (registry.py names one section; this tries them all,
the ones a partner may not open too), and to a partner for the sections its access hides."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Role
from cases.registries.panels import _sections
from tests.conftest import verified_client
from tests.factories import CaseFactory, OrganisationFactory, UserFactory, share_case

pytestmark = pytest.mark.django_db

SECTIONS = sorted(_sections.as_dict())
OUTSIDER_ROLES = [Role.ADMIN, Role.OFFICER, Role.VIEWER, Role.COORDINATOR]


def test_the_case_page_has_its_sections():
    assert {"overview", "logbook", "actions", "risk", "incidents", "relocation", "sharing"} <= set(
        SECTIONS
    )


@pytest.mark.parametrize("role", OUTSIDER_ROLES)
def test_every_section_answers_404_to_another_organisation(role):
    owner_org = OrganisationFactory(name="Owner mission", code="OWN")
    case = CaseFactory(organisation=owner_org)
    outsider = UserFactory(organisation=OrganisationFactory(code="PRY"), role=role)
    client = verified_client(outsider)
    for section in SECTIONS:
        url = reverse("cases:section", args=[case.pk, section])
        for method in ("get", "post"):
            status = getattr(client, method)(url).status_code
            assert status == 404, (method, url, role, status)


def test_a_feedback_partner_gets_404_for_the_sections_of_the_full_file():
    owner = UserFactory(organisation=OrganisationFactory(), role=Role.OFFICER)
    case = CaseFactory(organisation=owner.organisation)
    partner = OrganisationFactory()
    share_case(case, partner, "feedback", acting_user=owner)
    client = verified_client(UserFactory(organisation=partner, role=Role.OFFICER))
    for section in ("risk", "incidents", "relocation"):
        response = client.get(reverse("cases:section", args=[case.pk, section]))
        assert response.status_code == 404, section
    for section in ("logbook", "actions", "sharing"):
        response = client.get(reverse("cases:section", args=[case.pk, section]))
        assert response.status_code == 200, section
