"""Nothing reaches a deactivated member or a deactivated organisation: a send queued before
the deactivation is skipped when claimed (e-mail, Signal, webhook), and the deactivation
itself skips the pending rows and forgets the Signal numbers (security review, item B)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Organisation, User
from accounts.services import organisation_deactivate, user_deactivate
from alerts.models import ChannelDelivery, Notification, SignalNumber
from alerts.services.channels import webhook_save
from alerts.services.dispatch import delivery_send, notification_send
from alerts.services.notify import notify
from tests.alerts.channel_servers import signal_server, webhook_receiver
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SECRET = "a-long-random-signing-secret"


@pytest.fixture
def signal(settings):
    with signal_server() as server:
        settings.SIGNAL_URL = server.url
        settings.SIGNAL_NUMBER = "+4915100000000"
        yield server


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    with webhook_receiver(SECRET) as server:
        yield server


@pytest.fixture
def queued(signal, receiver, admin_user, officer):
    """An urgent notification to the officer: its e-mail, Signal and webhook all pending."""
    SignalNumber.objects.create(user=officer, number="+573001234567", verified_at=timezone.now())
    webhook_save(
        organisation=admin_user.organisation,
        url=f"{receiver.url}/hook",
        secret=SECRET,
        kinds=["alert"],
        active=True,
        acting_user=admin_user,
    )
    (note,) = notify(recipients=[officer], kind="alert", subject="Urgent: Ceiba", dedupe_key="a")
    assert note.status == "pending"
    assert ChannelDelivery.objects.unscoped().filter(status="pending").count() == 2
    return note


def _statuses(note):
    note.refresh_from_db()
    rows = ChannelDelivery.objects.unscoped().filter(notification=note)
    return note.status, {row.channel: row.status for row in rows}


def _send_all(note):
    assert notification_send(notification_id=note.pk) is False
    for delivery in ChannelDelivery.objects.unscoped().filter(notification=note):
        assert delivery_send(delivery_id=delivery.pk) is False


def test_a_send_claimed_after_the_recipient_was_deactivated_is_skipped(
    queued, signal, receiver, officer
):
    User.objects.filter(pk=officer.pk).update(is_active=False)  # no receiver ran
    _send_all(queued)
    assert _statuses(queued) == ("skipped", {"signal": "skipped", "webhook": "skipped"})
    assert mail.outbox == [] and signal.accepted == [] and receiver.accepted == []
    assert queued.last_error == "recipient deactivated"


def test_a_send_claimed_after_the_organisation_was_deactivated_is_skipped(
    queued, signal, receiver, org
):
    Organisation.objects.filter(pk=org.pk).update(is_active=False)  # no receiver ran
    _send_all(queued)
    assert _statuses(queued) == ("skipped", {"signal": "skipped", "webhook": "skipped"})
    assert mail.outbox == [] and signal.accepted == [] and receiver.accepted == []


def test_deactivating_a_member_skips_their_pending_sends_and_forgets_their_number(
    queued, admin_user, officer
):
    user_deactivate(user=officer, acting_user=admin_user)
    assert _statuses(queued) == ("skipped", {"signal": "skipped", "webhook": "skipped"})
    assert not SignalNumber.objects.filter(user=officer).exists()


def test_deactivating_an_organisation_skips_its_pending_sends_and_members_numbers(
    queued, org, officer
):
    staff = UserFactory(is_staff=True, is_superuser=True, organisation=None)
    organisation_deactivate(organisation=org, acting_user=staff)
    assert _statuses(queued) == ("skipped", {"signal": "skipped", "webhook": "skipped"})
    assert not SignalNumber.objects.filter(user=officer).exists()
    assert Notification.objects.unscoped().get(pk=queued.pk).last_error == (
        "organisation deactivated"
    )
