"""Alerts people trust (issue 22): an officer saves a risk assessment rated critical; it raises
one alert ("Risk raised to critical", never "Imminent threat"), the page says to whom it was
sent, and its author is not among them; the lead officer acknowledges it from the alerts list
by selecting it."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from accounts.models import Organisation
from alerts.models import Alert, Notification
from tests.e2e.conftest import ARTIFACTS, axe_violations, login, person
from tests.factories import CaseFactory, OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _rate_critical(page) -> None:
    today = timezone.localdate()
    page.locator("[name=assessed_on]").fill(today.isoformat())
    page.locator("[name=threats]").fill("Named with a photograph in a pamphlet at the market.")
    page.locator("[name=vulnerabilities]").fill("Lives alone at the edge of the village.")
    for dimension, (likelihood, impact, capacity) in {
        "physical": ("5", "5", "limited"),
        "digital": ("1", "1", "strong"),
        "psychosocial": ("1", "1", "strong"),
    }.items():
        page.locator(f"[name={dimension}_likelihood]").select_option(likelihood)
        page.locator(f"[name={dimension}_impact]").select_option(impact)
        page.locator(f"[name={dimension}_capacity]").select_option(capacity)
    page.locator("[name=next_review_date]").fill((today + datetime.timedelta(days=30)).isoformat())


def test_a_critical_assessment_raises_one_alert_the_lead_acknowledges_from_the_list(new_page):
    ngo = OrganisationFactory(name="Voces Test", kind=Organisation.Kind.NGO)
    lead = person(ngo, full_name="Lena Lead")
    assessor = person(ngo, full_name="Ari Assessor")
    admin = person(ngo, role="admin", full_name="Ada Admin")
    case = CaseFactory(organisation=ngo, pseudonym="Ceiba", lead_officer=lead)

    # The assessor rates the risk critical.
    page = new_page()
    login(page, assessor)
    page.goto(f"/cases/{case.pk}/risk/new/")
    _rate_critical(page)
    page.locator("main form button[type=submit]").last.click()
    notice = page.get_by_text("An urgent alert (Risk raised to critical) was raised and sent to")
    notice.wait_for()
    said = notice.inner_text()
    assert "Lena Lead" in said and "Ada Admin" in said and "Ari Assessor" not in said
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "alert_trust_risk_page.png"), full_page=True)

    alert = Alert.objects.unscoped().get(case=case)  # one alert
    assert alert.kind == Alert.Kind.RISK_CRITICAL and alert.caused_by == assessor
    assert "Imminent threat" not in alert.get_kind_display()
    told = set(Notification.objects.unscoped().filter(alert=alert).values_list("recipient_id"))
    assert (assessor.pk,) not in told and {(lead.pk,), (admin.pk,)} <= told

    # The lead officer acknowledges it from the list, selecting it.
    lead_page = new_page()
    login(lead_page, lead)
    lead_page.goto("/alerts/")
    checkbox = lead_page.get_by_label("Select the alert on Ceiba (Risk raised to critical)")
    checkbox.check()
    assert axe_violations(lead_page) == []
    lead_page.screenshot(path=str(ARTIFACTS / "alert_trust_list_selected.png"), full_page=True)
    lead_page.get_by_role("button", name="Acknowledge selected").click()
    lead_page.get_by_text("1 alert acknowledged: its escalation has stopped.").wait_for()
    alert.refresh_from_db()
    assert alert.status == Alert.Status.ACKNOWLEDGED and alert.acknowledged_by == lead
    # the list has nothing left to select
    assert lead_page.locator("input[name=alerts]").count() == 0


def test_the_resolve_link_of_a_notification_asks_for_login_and_second_factor_then_confirms(
    new_page,
):
    from alerts.services.alerts import alert_raise
    from alerts.services.links import action_link_path
    from tests.e2e.conftest import device_code

    ngo = OrganisationFactory(name="Voces Test", kind=Organisation.Kind.NGO)
    lead = person(ngo, full_name="Lena Lead")
    raiser = person(ngo, full_name="Rafa Raiser")
    case = CaseFactory(organisation=ngo, pseudonym="Ceiba", lead_officer=lead)
    alert = alert_raise(
        case=case, kind="missing", message="No news since the march.", acting_user=raiser
    )
    notification = Notification.objects.unscoped().get(alert=alert, recipient=lead)
    link = action_link_path(notification=notification, action="resolve")

    page = new_page()
    page.goto(link)  # from the e-mail: not signed in
    page.get_by_label("Email").fill(lead.email)
    page.get_by_label("Password").fill("a long passphrase for the tests 2026")
    page.get_by_role("button", name=re.compile("log in", re.I)).click()
    page.locator("input[name=code]").fill(device_code(lead))
    page.locator("form:has(input[name=code]) button[type=submit]").click()
    page.get_by_role("heading", name="Resolve the alert").wait_for()
    alert.refresh_from_db()
    assert alert.status == Alert.Status.RAISED  # landing on the page changed nothing
    assert axe_violations(page) == []
    page.screenshot(path=str(ARTIFACTS / "alert_trust_link_confirm.png"), full_page=True)
    page.get_by_label("How was it resolved?").fill("Found at a relative's house, safe.")
    page.get_by_role("button", name="Resolve").click()
    page.get_by_text("Alert resolved.").wait_for()
    alert.refresh_from_db()
    assert alert.status == Alert.Status.RESOLVED and alert.resolved_by == lead
    page.goto(link)  # used once
    page.get_by_text("This link was already used.").wait_for()
