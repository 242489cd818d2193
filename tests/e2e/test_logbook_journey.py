"""An embassy officer logs a trial observation from the case page and records a démarche
with another mission; the other mission sees the action, not the case; the NGO partner
with feedback access sees the shared entry, not the internal one."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Organisation
from tests.e2e.conftest import axe_violations, login, person
from tests.factories import CaseFactory, NetworkFactory, OrganisationFactory, share_case

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(db):
    mission_a = OrganisationFactory(name="Embassy of Testland", kind=Organisation.Kind.MISSION)
    mission_b = OrganisationFactory(name="Embassy of Otherland", kind=Organisation.Kind.MISSION)
    ngo = OrganisationFactory(name="Voces Test", kind=Organisation.Kind.NGO)
    NetworkFactory(name="Andes network", members=[mission_a, mission_b])
    officer = person(mission_a)
    lead = person(mission_a, full_name="Lena Lead")
    case = CaseFactory(organisation=mission_a, pseudonym="Condor", lead_officer=lead)
    share_case(case, ngo, "feedback", acting_user=officer)
    return {
        "officer": officer,
        "lead": lead,
        "other_officer": person(mission_b),
        "caseworker": person(ngo),
        "case": case,
    }


def _quick_log(page, kind: str, summary: str, visibility: str) -> None:
    panel = page.get_by_role("region", name="Logbook")
    panel.get_by_label("Kind").select_option(label=kind)
    panel.get_by_label("What happened").fill(summary)
    panel.get_by_label(visibility).check()
    panel.get_by_role("button", name="Log entry").click()
    page.get_by_text(summary).first.wait_for()


def test_it_carries_a_case_from_logbook_to_joint_demarche_to_partner_feedback(world, new_page):
    case = world["case"]
    page = new_page()
    login(page, world["officer"])
    page.goto(f"/cases/{case.pk}/")
    url_before = page.url
    _quick_log(
        page,
        "Trial observation",
        "Observed the hearing; the judge adjourned to May.",
        "Shared with partners who follow the case",
    )
    _quick_log(page, "Note", "Source inside the ministry says the charges will stay.", "Internal")
    assert page.url == url_before  # logged without leaving the page
    assert axe_violations(page) == []

    page.get_by_role("link", name="Diplomatic actions").first.click()
    page.get_by_role("link", name="Record an action").click()
    page.get_by_label("Type").select_option(label="Démarche")
    page.get_by_label("Authority or company addressed").fill("Ministry of Justice")
    page.get_by_role("button", name=re.compile("record|save", re.I)).click()
    page.get_by_role("heading", name="Make it a joint action").wait_for()
    page.get_by_label(re.compile("organisation|mission", re.I)).select_option(
        label="Embassy of Otherland"
    )
    page.get_by_role("button", name="Invite").click()
    page.get_by_text("Embassy of Otherland — Invited").wait_for()

    # The defender is detained: an urgent alert from the case page reaches the lead officer.
    page.goto(f"/cases/{case.pk}/")
    alerts = page.get_by_role("region", name="Urgent alerts")
    alerts.get_by_label("What happened").select_option(label="Detained")
    alerts.get_by_label("Severity").select_option(label="Critical")
    alerts.get_by_label("Message").fill("Taken from the courthouse steps by police.")
    alerts.get_by_role("button", name="Raise the alert now").click()
    page.get_by_role("heading", name="Urgent alert: Detained").wait_for()
    lead = new_page()
    login(lead, world["lead"])
    lead.get_by_role("navigation", name="Main").get_by_role(
        "link", name=re.compile("Inbox 1")
    ).click()
    # An unread line opens through a button that marks it read on the way.
    lead.get_by_role("button", name=re.compile("Condor")).first.click()
    lead.get_by_role("button", name="Acknowledge: I am on it").click()
    lead.get_by_text(re.compile("Acknowledged")).first.wait_for()

    # The other mission sees the joint action, not the case file.
    other = new_page()
    login(other, world["other_officer"])
    other.goto("/logbooks/actions/")
    row = other.get_by_role("row", name=re.compile("Ministry of Justice"))
    assert "not shared with you" in row.inner_text()
    row.get_by_role("link").click()
    other.get_by_role("button", name="Accept").click()
    other.wait_for_load_state()
    assert "Condor" not in other.content()
    assert other.goto(f"/cases/{case.pk}/").status == 404

    # The NGO partner (feedback access) sees the shared entry in its inbox, not the internal.
    ngo = new_page()
    login(ngo, world["caseworker"])
    ngo.get_by_role("navigation", name="Main").get_by_role("link", name=re.compile("Inbox")).click()
    ngo.get_by_role("button", name="Shared entry on Condor: Trial observation").click()
    expect(ngo.get_by_text("Observed the hearing; the judge adjourned to May.")).to_be_visible()
    # The former Updates page leads to the one inbox, which lists no internal entry.
    ngo.goto("/logbooks/inbox/")
    ngo.get_by_role("heading", name="Inbox").wait_for()
    assert ngo.get_by_role("link", name="Shared entry on Condor: Trial observation").count() == 1
    assert ngo.get_by_text("Shared entry on Condor: Note").count() == 0
    assert "charges will stay" not in ngo.content()
    assert axe_violations(ngo) == []


def test_it_keeps_the_quick_log_usable_on_a_phone(world, new_page):
    page = new_page(width=390, height=844)
    login(page, world["officer"])
    page.goto(f"/cases/{world['case'].pk}/")
    _quick_log(page, "Call", "Called the lawyer from the airport.", "Internal")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
