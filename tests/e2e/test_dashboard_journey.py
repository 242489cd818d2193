"""A coordinator opens the network dashboard and exports a chart's data as CSV."""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Organisation, Role
from tests.e2e.conftest import ARTIFACTS, axe_violations, login
from tests.factories import CaseFactory, NetworkFactory, OrganisationFactory, UserFactory

PASSWORD = "a long passphrase for the tests 2026"
pytestmark = pytest.mark.django_db(transaction=True)


def test_it_lets_a_coordinator_read_the_network_dashboard_and_export_a_chart(new_page):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    desk = OrganisationFactory(name="Capital desk", kind=Organisation.Kind.CAPITAL)
    mission = OrganisationFactory(name="Mission in Bogotá", kind=Organisation.Kind.MISSION)
    NetworkFactory(name="Andes network", members=[desk, mission])
    for _ in range(6):
        CaseFactory(organisation=mission)
    coordinator = UserFactory(organisation=desk, role=Role.COORDINATOR)
    coordinator.set_password(PASSWORD)
    coordinator.save()
    TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)

    page = new_page()
    login(page, coordinator, PASSWORD)
    page.get_by_role("link", name="Network dashboard").click()
    page.get_by_role("link", name="Andes network").click()
    page.get_by_role("heading", name="Open cases by country").wait_for()
    expect(page.get_by_role("img", name="Open cases by country")).to_have_count(1)
    assert axe_violations(page) == []

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the data of “Open cases by country” (CSV)").click()
    with open(download.value.path(), encoding="utf-8") as exported:
        rows = list(csv.reader(io.StringIO(exported.read())))
    assert rows[-1] == ["Total", "6"]

    # Another period: its own figures computed on first view, today's open cases the same.
    last_year = str(timezone.localdate().year - 1)
    page.get_by_label("Period").select_option(last_year)
    page.get_by_role("button", name="Show").click()
    page.get_by_text(f"Period: {last_year}").wait_for()
    country = page.locator("section", has=page.get_by_role("heading", name="Open cases by country"))
    assert country.locator("tfoot td").text_content() == "6"  # in the table (folded)
    page.screenshot(path=str(ARTIFACTS / "network_dashboard_last_year.png"), full_page=True)
    assert axe_violations(page) == []
