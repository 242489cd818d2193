"""A batch's e-mails share one connection to the mail server: an alert told to five people
costs one handshake (and TLS negotiation), not five. Against a real SMTP server on loopback
(aiosmtpd), with Django's SMTP backend as deployed."""

from __future__ import annotations

import socket

import pytest
from aiosmtpd.controller import Controller

from accounts.models import Role
from alerts.channels.base import message_for
from alerts.channels.email import EmailChannel
from alerts.models import Notification
from alerts.services.dispatch import notifications_send
from alerts.services.notify import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class Recorder:
    """What the server accepted, and on which connection (the client's address and port)."""

    def __init__(self) -> None:
        self.refuse: set[str] = set()
        self.accepted: list[tuple[tuple, list[str]]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.accepted.append((session.peer, list(envelope.rcpt_tos)))
        return "250 OK"

    @property
    def connections(self) -> int:
        return len({peer for peer, _to in self.accepted})

    @property
    def recipients(self) -> list[str]:
        return [address for _peer, to in self.accepted for address in to]


@pytest.fixture
def smtp(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield recorder
    controller.stop()


def _told(org, count: int) -> list[Notification]:
    people = [UserFactory(organisation=org, role=Role.OFFICER) for _ in range(count)]
    notify(recipients=people, kind="follow_up", subject="Follow-up due: Ceiba", dedupe_key="e")
    return list(Notification.objects.unscoped().filter(recipient__in=people).order_by("pk"))


def test_a_batch_sends_every_e_mail_on_one_connection(org, smtp):
    rows = _told(org, 5)
    result = notifications_send(notification_ids=[row.pk for row in rows])
    assert result.sent == 5 and not result.failed
    assert sorted(smtp.recipients) == sorted(row.recipient.email for row in rows)
    assert smtp.connections == 1
    assert set(Notification.objects.unscoped().values_list("status", flat=True)) == {"sent"}


def test_a_refused_recipient_fails_alone_and_the_rest_go_on_a_fresh_connection(org, smtp):
    rows = _told(org, 4)
    smtp.refuse.add(rows[1].recipient.email)
    result = notifications_send(notification_ids=[row.pk for row in rows])
    assert result.sent == 3 and result.failed == [str(rows[1].pk)]
    refused = Notification.objects.unscoped().get(pk=rows[1].pk)
    assert refused.status == "pending" and "mailbox unavailable" in refused.last_error
    assert rows[1].recipient.email not in smtp.recipients and len(smtp.recipients) == 3
    assert smtp.connections == 2  # the one the refusal closed, then a new one


def test_a_kept_connection_the_server_closed_is_opened_again_once(org, smtp):
    from django.core.mail import get_connection

    first, second = _told(org, 2)
    channel, connection = EmailChannel(), get_connection()
    for row in (first, second):
        channel.send(message_for(row), channel.destination(row), connection=connection)
        connection.connection.quit()  # the server hangs up after each e-mail (its idle limit)
    connection.close()
    assert smtp.recipients == [first.recipient.email, second.recipient.email]
    assert smtp.connections == 2
