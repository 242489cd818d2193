"""Issue 20's journey: an NGO files an emergency request; the mission sees it at the top of its
visa queue with its urgency and a 2-working-day deadline; the deadline passes (the sweep run
with the clock moved past it); the mission's admin gets the escalation; the visa is granted;
the request shows "completed"."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Organisation, Role
from alerts.services.sweep import sweep
from cases.models import Consent
from cases.services.consent import consent_record
from relocation.models import VisaReferral
from relocation.services.deadlines import add_working_days
from relocation.services.visa import visa_referral_create
from tests.e2e.conftest import axe_violations, login, person
from tests.factories import CaseFactory, OrganisationFactory
from tests.relocation import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_emergency_reaches_the_top_of_the_queue_escalates_and_completes(new_page):
    today = timezone.localdate()
    ngo = OrganisationFactory(name="Voces Test", kind=Organisation.Kind.NGO)
    mission = OrganisationFactory(name="Embassy of Testland", kind=Organisation.Kind.MISSION)
    caseworker, ngo_admin = person(ngo), person(ngo, role=Role.ADMIN)
    consul, consul_admin = person(mission), person(mission, role=Role.ADMIN)
    case = CaseFactory(organisation=ngo, pseudonym="Vicuña")
    consent_record(
        case=case,
        scope=Consent.Scope.RELOCATION,
        given_on=today,
        method=Consent.Method.IN_PERSON,
        acting_user=caseworker,
    )
    # A routine referral already waits in the mission's queue.
    older = CaseFactory(organisation=ngo, pseudonym="Guayacán")
    f.give_relocation_consent(older, caseworker)
    visa_referral_create(
        relocation_request=f.approved_request(older, caseworker, urgency="routine"),
        mission=mission,
        visa_type="humanitarian",
        acting_user=caseworker,
    )

    # The caseworker files an emergency request; the NGO's admin approves it.
    page = new_page()
    login(page, caseworker)
    page.goto(f"/cases/{case.pk}/s/relocation/")
    page.get_by_role("link", name="Request relocation").click()
    page.get_by_label("Short-stay visa (accelerated procedure)").check()
    page.get_by_label("Urgency").select_option(label="Emergency (within 48 hours)")
    page.get_by_role("button", name="Save and submit for review").click()
    request_url = page.url
    admin = new_page()
    login(admin, ngo_admin)
    admin.goto(request_url)
    admin.get_by_role("button", name="Start the review").click()
    admin.get_by_role("button", name="Approve").click()
    admin.get_by_text("Approved").first.wait_for()
    page.goto(request_url)
    page.get_by_role("link", name="Refer for a visa").click()
    page.get_by_role("combobox", name="Mission").select_option(label="Embassy of Testland")
    page.get_by_label("Visa type").select_option(label="Short-stay, multiple entries")
    page.get_by_role("button", name="Send").click()

    # The mission: the emergency on top of its queue, its urgency and 2-working-day deadline.
    referral = VisaReferral.objects.addressed_to(mission).get(case=case)
    assert referral.deadline == add_working_days(today, 2)
    embassy = new_page()
    login(embassy, consul)
    embassy.get_by_role("navigation", name="Main").get_by_role("link", name="Visa queue").click()
    rows = embassy.locator("tbody tr")
    expect(rows.first).to_contain_text("Vicuña")
    expect(rows.first).to_contain_text("Emergency (within 48 hours)")
    expect(rows.nth(1)).to_contain_text("Guayacán")
    assert axe_violations(embassy) == []

    # The deadline passes: the sweep (every minute in production) escalates to its admins.
    sweep(now=referral.due_at + datetime.timedelta(minutes=16))
    boss = new_page()
    login(boss, consul_admin)
    boss.goto("/alerts/notifications/")
    boss.get_by_text(
        re.compile("Overdue: visa decision for Vicuña at Embassy of Testland")
    ).wait_for()

    # The consul grants the visa: the request completes by itself.
    embassy.get_by_role("link", name=re.compile("Vicuña")).first.click()
    embassy.get_by_label("Granted").check()
    embassy.get_by_role("button", name="Record the decision").click()
    embassy.get_by_text(re.compile("Granted")).first.wait_for()
    page.goto(request_url)
    page.get_by_text("Completed").first.wait_for()
