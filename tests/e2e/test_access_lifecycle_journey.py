"""When the mission revokes the NGO's share, the NGO's relocation request goes on hold, its
shelter referral is withdrawn, the city loses the identity, and the NGO is told (issue 16)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from accounts.models import Organisation
from relocation.services.shelter import shelter_answer, shelter_referral_create
from tests.e2e.conftest import axe_violations, login, person
from tests.factories import CaseFactory, DefenderFactory, OrganisationFactory, share_case
from tests.relocation.factories import approved_request, city, give_relocation_consent

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_revoked_partner_loses_the_case_its_request_and_the_citys_identity(new_page):
    today = timezone.localdate()
    mission = OrganisationFactory(name="Embassy of Testland", kind=Organisation.Kind.MISSION)
    ngo = OrganisationFactory(name="Voces Test", kind=Organisation.Kind.NGO)
    shelter = city(
        name="Shelter City Testburg", periods=[(today, today + datetime.timedelta(days=365), 4)]
    )
    officer, caseworker, city_staff = person(mission), person(ngo), person(shelter)
    defender = DefenderFactory(organisation=mission, legal_name="Ana María Quispe")
    case = CaseFactory(organisation=mission, defender=defender, pseudonym="Ceiba")
    give_relocation_consent(case, officer)
    share_case(case, ngo, "full", acting_user=officer)
    request = approved_request(case, caseworker)
    start = today + datetime.timedelta(days=5)
    stay = shelter_referral_create(
        relocation_request=request,
        city=shelter,
        start=start,
        end=start + datetime.timedelta(days=30),
        acting_user=caseworker,
    )
    shelter_answer(referral=stay, answer="accepted", acting_user=city_staff)

    # The city reads the identity while the stay stands.
    city_page = new_page()
    login(city_page, city_staff)
    city_page.goto(f"/relocation/shelter/{stay.pk}/identity/")
    city_page.get_by_text("Ana María Quispe").wait_for()

    # The mission's officer revokes the NGO's share from the case's sharing page.
    owner = new_page()
    login(owner, officer)
    owner.goto(f"/cases/{case.pk}/shares/")
    owner.get_by_role("button", name="Revoke").click()
    owner.get_by_text("revoked").first.wait_for()

    # The NGO: the case is gone, the request is on hold with no step to take, and it was told.
    ngo_page = new_page()
    login(ngo_page, caseworker)
    assert ngo_page.goto(f"/cases/{case.pk}/").status == 404
    ngo_page.goto(f"/relocation/{request.pk}/")
    ngo_page.get_by_text("On hold: Voces Test no longer holds the case").wait_for()
    assert ngo_page.get_by_role("link", name="Open the case").count() == 0
    assert ngo_page.get_by_role("link", name="Propose a shelter-city stay").count() == 0
    assert axe_violations(ngo_page) == []
    ngo_page.goto("/alerts/notifications/")
    ngo_page.get_by_text("access to case Ceiba ended: revoked by the case owner").wait_for()

    # The city: the stay was withdrawn, the identity page answers 404.
    assert city_page.goto(f"/relocation/shelter/{stay.pk}/identity/").status == 404
    city_page.goto(f"/relocation/shelter/{stay.pk}/")
    city_page.get_by_text("Withdrawn").first.wait_for()
