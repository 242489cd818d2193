"""The channels' pages: preferences with Signal and quiet hours, the Signal number page
(code sent through the loopback stand-in, entered on the page) and the organisation's
webhook page (its administrators only, its own webhook only)."""

from __future__ import annotations

import re
from datetime import time

import pytest
from django.urls import reverse
from django.utils import timezone

from alerts.models import NotificationPreference, OrganisationWebhook, SignalNumber
from hrdcase.models import AuditEvent
from tests.alerts.channel_servers import signal_server
from tests.conftest import verified_client

pytestmark = pytest.mark.django_db

PREFERENCES = reverse("alerts:preferences")
SIGNAL = reverse("alerts:signal_number")
WEBHOOK = reverse("alerts:webhook")


@pytest.fixture
def signal(settings):
    with signal_server() as server:
        settings.SIGNAL_URL = server.url
        settings.SIGNAL_NUMBER = "+4915100000000"
        yield server


def test_it_verifies_a_signal_number_on_the_page(signal, officer):
    client = verified_client(officer)
    assert "Add your number" in client.get(SIGNAL).content.decode()
    response = client.post(SIGNAL, {"action": "send", "number": "+573001234567"}, follow=True)
    assert "A code was sent" in response.content.decode()
    code = re.search(r"\b(\d{6})\b", signal.accepted[0]["message"]).group(1)
    wrong = "000000" if code != "000000" else "111111"
    response = client.post(SIGNAL, {"action": "verify", "code": wrong})
    assert response.status_code == 400 and "4 attempts left" in response.content.decode()
    response = client.post(SIGNAL, {"action": "verify", "code": code}, follow=True)
    assert response.redirect_chain[-1][0] == PREFERENCES
    assert SignalNumber.objects.get(user=officer).is_verified
    # the preferences page now offers Signal per kind, and e-mail of urgent kinds
    body = response.content.decode()
    assert 'name="signal" value="alert" checked' in body  # urgent: on by default
    assert 'name="signal" value="share">' in body
    assert 'value="alert" checked>' in body  # its e-mail may be turned off now


def test_a_bad_number_answers_400_naming_it_and_sends_nothing(signal, officer):
    response = verified_client(officer).post(SIGNAL, {"action": "send", "number": "12"})
    assert response.status_code == 400 and "country code" in response.content.decode()
    assert signal.accepted == [] and not SignalNumber.objects.exists()


def test_without_a_server_the_page_says_so(settings, officer):
    settings.SIGNAL_URL = ""
    body = verified_client(officer).get(SIGNAL).content.decode()
    assert "Signal is not set up on this server" in body
    assert "Signal number" not in verified_client(officer).get(PREFERENCES).content.decode()


def test_choosing_signal_and_quiet_hours_on_the_preferences_page(signal, officer):
    SignalNumber.objects.create(user=officer, number="+573001234567", verified_at=timezone.now())
    client = verified_client(officer)
    response = client.post(
        PREFERENCES,
        {
            "email": ["share", "follow_up", "alert_escalation", "alert_reminder"],
            "signal": ["alert", "follow_up"],
            "quiet_start": "22:00",
            "quiet_end": "07:00",
        },
        follow=True,
    )
    assert "Your e-mail preferences are saved." in response.content.decode()
    preference = NotificationPreference.objects.get(user=officer)
    assert preference.email["alert"] is False and preference.signal["alert"] is True
    assert preference.signal["follow_up"] is True and preference.signal["share"] is False
    assert (preference.quiet_start, preference.quiet_end) == (time(22), time(7))
    body = response.content.decode()
    assert 'name="email" value="alert">' in body  # shown as chosen: Signal only
    assert 'name="signal" value="alert" checked' in body
    assert 'value="22:00"' in body and 'value="07:00"' in body
    # urgent on no channel at all: refused, nothing written
    response = client.post(PREFERENCES, {"email": ["share"], "signal": ["follow_up"]})
    assert response.status_code == 400
    assert "urgent alerts always reach you" in response.content.decode()
    assert NotificationPreference.objects.get(user=officer).signal["alert"] is True


def test_the_webhook_page_is_for_the_organisations_administrators(
    settings, admin_user, viewer, officer, outsider
):
    settings.WEBHOOK_ALLOW_HTTP = False
    for user in (viewer, officer):
        assert verified_client(user).get(WEBHOOK).status_code == 403
        assert verified_client(user).post(WEBHOOK, {"url": "https://x.example"}).status_code == 403
    client = verified_client(admin_user)
    response = client.post(WEBHOOK, {"url": "http://chat.example/in", "secret": "s" * 20})
    assert response.status_code == 400 and "https://" in response.content.decode()
    assert not OrganisationWebhook.objects.unscoped().exists()
    response = client.post(
        WEBHOOK,
        {
            "url": "https://chat.example/in",
            "secret": "0123456789abcdef0123",
            "kinds": ["alert", "alert_escalation"],
            "active": "on",
        },
        follow=True,
    )
    assert "The webhook is saved." in response.content.decode()
    hook = OrganisationWebhook.objects.owned_by(admin_user.organisation).get()
    assert hook.secret == "0123456789abcdef0123" and hook.kinds == ["alert", "alert_escalation"]
    assert "0123456789abcdef0123" not in response.content.decode()  # never shown again
    event = AuditEvent.objects.get(action="alerts.webhook")
    assert "0123456789abcdef0123" not in str(event.data)
    # another organisation's administrator sees and changes only their own
    outsider.role = "admin"
    outsider.save(update_fields=["role"])
    body = verified_client(outsider).get(WEBHOOK).content.decode()
    assert "chat.example" not in body
    # a blank secret keeps the stored one
    client.post(WEBHOOK, {"url": "https://chat.example/v2", "kinds": ["alert"], "active": "on"})
    hook.refresh_from_db()
    assert hook.url == "https://chat.example/v2" and hook.secret == "0123456789abcdef0123"
    client.post(WEBHOOK, {"remove": "1"})
    assert not OrganisationWebhook.objects.unscoped().exists()
