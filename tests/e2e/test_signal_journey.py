"""Alerts on Signal (issue 22, item 4): an officer adds her Signal number, enters the code
that reached it through Signal (a signal-cli REST API stand-in on loopback), chooses Signal
instead of e-mail for urgent alerts and sets her quiet hours; the next alert goes by Signal,
with no e-mail."""

from __future__ import annotations

import re
from datetime import time

import pytest

from accounts.models import Organisation
from alerts.models import ChannelDelivery, Notification, NotificationPreference, SignalNumber
from tests.alerts.channel_servers import signal_server
from tests.alerts.factories import raise_alert
from tests.e2e.conftest import axe_violations, login, person
from tests.factories import CaseFactory, OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_officer_verifies_her_signal_number_and_leaves_urgent_alerts_to_signal(
    new_page, settings
):
    ngo = OrganisationFactory(name="Voces Test", kind=Organisation.Kind.NGO)
    officer = person(ngo, full_name="Lena Lead")
    admin = person(ngo, role="admin", full_name="Ada Admin")
    case = CaseFactory(organisation=ngo, pseudonym="Ceiba", lead_officer=officer)
    with signal_server() as signal:
        settings.SIGNAL_URL = signal.url
        settings.SIGNAL_NUMBER = "+4915100000000"
        page = new_page()
        login(page, officer)
        page.goto("/alerts/notifications/preferences/")
        page.get_by_role("link", name="Signal number").click()
        page.get_by_label("Signal number").fill("+57 300 123 4567")
        page.get_by_role("button", name="Send the code by Signal").click()
        page.get_by_text("A code was sent to your number through Signal.").wait_for()
        (sent,) = signal.accepted
        assert sent["recipients"] == ["+573001234567"]
        code = re.search(r"\b(\d{6})\b", sent["message"]).group(1)
        page.get_by_label("Code received by Signal").fill(code)
        page.get_by_role("button", name="Verify").click()
        page.get_by_text("Your Signal number is verified: choose what it receives.").wait_for()

        # Back on the preferences: Signal offered per kind, urgent alerts on it by default.
        assert page.locator("input[name=signal][value=alert]").is_checked()
        page.locator("input[name=email][value=alert]").uncheck()
        page.locator("[name=quiet_start]").fill("22:00")
        page.locator("[name=quiet_end]").fill("07:00")
        page.get_by_role("button", name="Save").click()
        page.get_by_text("Your e-mail preferences are saved.").wait_for()
        assert axe_violations(page) == []

        preference = NotificationPreference.objects.get(user=officer)
        assert preference.email["alert"] is False
        assert (preference.quiet_start, preference.quiet_end) == (time(22), time(7))
        assert SignalNumber.objects.get(user=officer).is_verified

        alert = raise_alert(case, admin, message="Held at the 5th precinct.")
        note = Notification.objects.for_recipient(officer).get(alert=alert, kind="alert")
        assert note.status == "skipped"  # no e-mail: Signal carries it
        assert note.deliver_after is None  # urgent: quiet hours do not hold it
        delivery = ChannelDelivery.objects.unscoped().get(notification=note, channel="signal")
        assert delivery.status in ("pending", "sent")
