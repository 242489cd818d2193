"""An embassy officer logs in with 2FA and works on a case; grows with each feature app. The
case page is in sections (Overview, Logbook, Actions, Risk, Incidents and court, Relocation,
Sharing and consent), each its own page reached by links; on a phone "Log" stays in reach."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from tests.e2e.conftest import ARTIFACTS, axe_violations, login, person
from tests.factories import CaseFactory, OrganisationFactory, RiskAssessmentFactory, UserFactory

PASSWORD = "a long passphrase for the tests 2026"
pytestmark = pytest.mark.django_db(transaction=True)


def _officer():
    from django_otp.plugins.otp_totp.models import TOTPDevice

    officer = UserFactory(
        organisation=OrganisationFactory(name="Embassy of Testland"), role=Role.OFFICER
    )
    officer.set_password(PASSWORD)
    officer.save()
    TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    return officer


def test_it_lets_an_officer_open_a_case_from_the_list(new_page):
    officer = _officer()
    case = CaseFactory(organisation=officer.organisation, pseudonym="Condor")
    page = new_page()
    login(page, officer, PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases").click()
    assert axe_violations(page) == []
    page.get_by_role("link", name=case.reference).first.click()
    page.get_by_role("heading", name=f"{case.reference} · Condor").wait_for()
    assert axe_violations(page) == []


def test_it_keeps_the_case_page_usable_on_a_phone(new_page):
    officer = _officer()
    case = CaseFactory(organisation=officer.organisation, pseudonym="Condor")
    page = new_page(width=390, height=844)
    login(page, officer, PASSWORD)
    page.goto(f"/cases/{case.pk}/s/logbook/")
    page.get_by_role("heading", name="Timeline").wait_for()
    # Nothing wider than the screen: no sideways scrolling to read the timeline.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


SECTIONS = (
    ("overview", "Overview"),
    ("logbook", "Logbook"),
    ("actions", "Actions"),
    ("risk", "Risk"),
    ("incidents", "Incidents and court"),
    ("relocation", "Relocation"),
    ("sharing", "Sharing and consent"),
)


def _log_button_in_view(page, height: int) -> None:
    button = page.get_by_role("link", name="Log", exact=True)
    expect(button).to_have_count(1)
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height, box


@pytest.mark.parametrize("width,height", [(390, 844), (1280, 900)])
def test_it_walks_the_case_sections_with_log_in_reach(new_page, width, height):
    from logbooks.services.entries import entry_create

    officer = _officer()
    case = CaseFactory(organisation=officer.organisation, pseudonym="Condor", lead_officer=officer)
    RiskAssessmentFactory(case=case)
    entry_create(
        case=case,
        kind="note",
        summary="Spoke with the family.",
        visibility="internal",
        acting_user=officer,
    )
    page = new_page(width=width, height=height)
    login(page, officer, PASSWORD)
    page.goto(f"/cases/{case.pk}/")
    ARTIFACTS.mkdir(exist_ok=True)
    nav = page.get_by_role("navigation", name="Case sections")
    for key, label in SECTIONS:
        nav.get_by_role("link", name=label, exact=True).click()
        expected = f"/cases/{case.pk}/" + ("" if key == "overview" else f"s/{key}/")
        page.wait_for_url(f"**{expected}")
        assert nav.locator('[aria-current="page"]').inner_text().strip() == label
        # the summary header on every section
        page.get_by_role("heading", name=f"{case.reference} · Condor").wait_for()
        _log_button_in_view(page, height)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, key
        assert axe_violations(page) == [], key
        page.screenshot(path=str(ARTIFACTS / f"case-section-{key}-{width}.png"), full_page=True)

    # Far down the Logbook, "Log" is still in reach and leads to the quick log on Overview.
    nav.get_by_role("link", name="Logbook", exact=True).click()
    page.get_by_role("heading", name="Timeline").wait_for()
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    if width < 600:
        _log_button_in_view(page, height)
    page.get_by_role("link", name="Log", exact=True).click()
    page.wait_for_url(f"**/cases/{case.pk}/#quick-log-heading")
    quick_log = page.get_by_role("region", name="Logbook")
    quick_log.get_by_label("What happened").fill("Called the lawyer from the airport.")
    quick_log.get_by_label("Internal").check()
    quick_log.get_by_role("button", name="Log entry").click()
    page.get_by_text("Called the lawyer from the airport.").first.wait_for()
    assert axe_violations(page) == []


def test_it_walks_the_case_sections_in_arabic_on_a_phone(new_page):
    """Right to left at 390 px: every section by its link, Log in view, axe clean."""
    officer = person(OrganisationFactory(name="Embassy of Testland"), language="ar")
    case = CaseFactory(organisation=officer.organisation, pseudonym="Condor", lead_officer=officer)
    RiskAssessmentFactory(case=case)
    page = new_page(width=390, height=844)
    login(page, officer)
    page.goto(f"/cases/{case.pk}/")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    ARTIFACTS.mkdir(exist_ok=True)
    links = page.locator(".case-sections a")
    assert links.count() == len(SECTIONS)
    for index, (key, _label) in enumerate(SECTIONS):
        links.nth(index).click()
        expected = f"/cases/{case.pk}/" + ("" if key == "overview" else f"s/{key}/")
        page.wait_for_url(f"**{expected}")
        assert links.nth(index).get_attribute("aria-current") == "page"
        button = page.locator(".case-log-button")
        expect(button).to_be_visible()
        box = button.bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 844, box
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, key
        assert axe_violations(page) == [], key
        page.screenshot(path=str(ARTIFACTS / f"case-section-{key}-390-ar.png"), full_page=True)
