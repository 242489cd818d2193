"""Languages: an officer switches to Arabic and reads the case pages right to left; the choice
is remembered for the next session."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import axe_violations, login, person
from tests.factories import CaseFactory, OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_lays_out_the_main_pages_right_to_left_in_arabic(new_page):
    officer = person(OrganisationFactory(name="Embassy of Testland"))
    case = CaseFactory(organisation=officer.organisation, pseudonym="Condor")
    page = new_page()
    login(page, officer)
    page.get_by_label("Language").select_option("ar")
    page.get_by_role("button", name="Change").click()
    page.wait_for_function("document.documentElement.dir === 'rtl'")
    assert page.evaluate("document.documentElement.lang") == "ar"
    page.goto(f"/cases/{case.pk}/s/logbook/")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # Translated, not just mirrored: the timeline heading is in Arabic.
    assert page.locator("#timeline-heading").inner_text() != "Timeline"
    assert axe_violations(page) == []

    # Remembered: a new session opens in Arabic.
    again = new_page()
    login(again, officer)
    again.goto("/cases/")
    assert again.evaluate("document.documentElement.dir") == "rtl"


def test_it_keeps_the_arabic_case_page_usable_on_a_phone(new_page):
    officer = person(OrganisationFactory(name="Embassy of Testland"), language="ar")
    case = CaseFactory(organisation=officer.organisation, pseudonym="Condor")
    page = new_page(width=390, height=844)
    login(page, officer)
    page.goto(f"/cases/{case.pk}/")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
