"""An urgent alert raised in the browser is e-mailed by a real Celery worker.

Runs where the live server, the test and the worker can share one database: PostgreSQL, as in
`.ci/run` (on SQLite the test database lives in the test process's memory). The worker and
its broker come from the alert pipeline's integration fixtures (Redis when one answers).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.models import Organisation
from alerts.models import Alert, Notification
from tests.e2e.conftest import login, person
from tests.factories import CaseFactory, OrganisationFactory
from tests.integration.test_alerts_pipeline import (  # noqa: F401 (fixtures)
    database_url,
    pipeline,
    shared_sqlite,
    wait_for,
)

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.integration,
    pytest.mark.timeout(180),
    pytest.mark.django_db(transaction=True),
]


def test_it_emails_an_alert_raised_in_the_browser_through_the_worker(pipeline, new_page):  # noqa: F811
    mission = OrganisationFactory(name="Embassy of Testland", kind=Organisation.Kind.MISSION)
    officer, lead = person(mission), person(mission, email="lead@testland.example")
    case = CaseFactory(organisation=mission, pseudonym="Condor", lead_officer=lead)
    pipeline.start_worker()

    page = new_page()
    login(page, officer)
    page.goto(f"/cases/{case.pk}/")
    panel = page.get_by_role("region", name="Urgent alerts")
    panel.get_by_label("What happened").select_option(label="Missing")
    panel.get_by_label("Message").fill("No contact since she left the courthouse at noon.")
    panel.get_by_role("button", name="Raise the alert now").click()
    page.get_by_role("heading", name="Urgent alert: Missing").wait_for()

    wait_for(lambda: pipeline.mails_to(lead.email), 30, "the alert e-mail", pipeline)
    (mail,) = pipeline.mails_to(lead.email)
    body = mail.get_payload(decode=True).decode()
    assert "Condor" in mail["Subject"]
    # The e-mail leaves our control: pseudonym and link only, never the message or identity.
    assert "courthouse" not in body + mail["Subject"]
    assert case.defender.legal_name not in body
    # the e-mail is on disk a few milliseconds before its row says "sent"
    alert = Alert.objects.unscoped().get(case=case)
    wait_for(
        lambda: Notification.objects.unscoped().filter(alert=alert, status="sent").exists(),
        10,
        "the row marked sent",
        pipeline,
    )
    page.reload()
    expect(page.get_by_role("cell", name="Sent").first).to_be_visible()
