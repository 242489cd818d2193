"""An NGO caseworker requests relocation; the shelter city accepts and sees the identity only
then; the mission grants the fast-track visa."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Organisation, Role
from cases.models import Consent
from cases.services.consent import consent_record
from tests.e2e.conftest import axe_violations, login, person
from tests.factories import CaseFactory, DefenderFactory, OrganisationFactory
from tests.relocation.factories import city

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_relocates_a_defender_from_request_to_shelter_and_visa(new_page):
    today = timezone.localdate()
    ngo = OrganisationFactory(name="Voces Test", kind=Organisation.Kind.NGO)
    mission = OrganisationFactory(name="Embassy of Testland", kind=Organisation.Kind.MISSION)
    shelter = city(
        name="Shelter City Testburg",
        periods=[(today, today + datetime.timedelta(days=365), 4)],
    )
    caseworker, ngo_admin = person(ngo), person(ngo, role=Role.ADMIN)
    city_staff, consul = person(shelter), person(mission)
    defender = DefenderFactory(organisation=ngo, legal_name="Ana María Quispe")
    case = CaseFactory(organisation=ngo, defender=defender, pseudonym="Vicuña")
    consent_record(
        case=case,
        scope=Consent.Scope.RELOCATION,
        given_on=today,
        method=Consent.Method.IN_PERSON,
        acting_user=caseworker,
    )

    # The caseworker asks for a shelter-city stay and a fast-track visa.
    page = new_page()
    login(page, caseworker)
    page.goto(f"/cases/{case.pk}/")
    page.get_by_role("navigation", name="Case sections").get_by_role(
        "link", name="Relocation"
    ).click()
    page.get_by_role("link", name="Request relocation").click()
    page.get_by_label("Temporary relocation to a shelter city").check()
    page.get_by_label("Short-stay visa (accelerated procedure)").check()
    page.get_by_label("Languages the defender speaks").fill("Spanish, Quechua")
    page.get_by_role("button", name="Save and submit for review").click()
    request_url = page.url
    assert axe_violations(page) == []

    # Its admin reviews and approves (the NGO owns the case).
    admin = new_page()
    login(admin, ngo_admin)
    admin.goto(request_url)
    admin.get_by_role("button", name="Start the review").click()
    admin.get_by_role("button", name="Approve").click()
    admin.get_by_text("Approved").first.wait_for()

    page.goto(request_url)
    page.get_by_role("link", name="Propose a shelter-city stay").click()
    page.get_by_label("Shelter city").select_option(label="Shelter City Testburg")
    page.get_by_label("Arrival (planned)").fill((today + datetime.timedelta(days=20)).isoformat())
    page.get_by_label("Return (planned)").fill((today + datetime.timedelta(days=80)).isoformat())
    page.get_by_role("button", name="Send").click()
    page.goto(request_url)
    page.get_by_role("link", name="Refer for a visa").click()
    page.get_by_role("combobox", name="Mission").select_option(label="Embassy of Testland")
    page.get_by_label("Visa type").select_option(label="Short-stay, multiple entries")
    page.get_by_role("button", name="Send").click()

    # The city sees the pseudonym and needs; the identity only once it accepts.
    host = new_page()
    login(host, city_staff)
    host.goto("/relocation/shelter/")
    host.get_by_role("link", name=re.compile("Vicuña")).first.click()
    expect(host.get_by_text("Spanish, Quechua").first).to_be_visible()
    host.wait_for_load_state()
    assert "Ana María Quispe" not in host.content()
    host.get_by_label("Accept").check()
    host.get_by_role("button", name="Send the answer").click()
    host.get_by_role("link", name="Show the defender's identity").click()
    host.get_by_text("Ana María Quispe").first.wait_for()
    assert host.goto(f"/cases/{case.pk}/").status == 404

    # The mission decides the visa from its queue: granted, one year, multiple entries.
    embassy = new_page()
    login(embassy, consul)
    embassy.get_by_role("navigation", name="Main").get_by_role("link", name="Visa queue").click()
    embassy.get_by_role("link", name=re.compile("Vicuña")).first.click()
    embassy.wait_for_load_state()
    assert "Ana María Quispe" not in embassy.content()
    embassy.get_by_label("Granted").check()
    embassy.get_by_role("button", name="Record the decision").click()
    embassy.get_by_text(re.compile("Granted")).first.wait_for()
    assert axe_violations(embassy) == []

    # A bookmarked queue whose filter no longer exists: the usual queue, and a message
    # (the final screenshot shows it).
    response = embassy.goto("/relocation/visas/?status=waiting")
    assert response.status == 400
    expect(embassy.get_by_text("A filter in this link was not understood")).to_be_visible()
    expect(embassy.get_by_label("Status")).to_have_value("pending")
