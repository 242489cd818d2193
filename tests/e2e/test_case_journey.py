"""An embassy officer logs in with 2FA and works on a case; grows with each feature app."""

from __future__ import annotations

import pytest

from accounts.models import Role
from tests.e2e.conftest import axe_violations, login
from tests.factories import CaseFactory, OrganisationFactory, UserFactory

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
    page.goto(f"/cases/{case.pk}/")
    page.get_by_role("heading", name="Timeline").wait_for()
    # Nothing wider than the screen: no sideways scrolling to read the timeline.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
