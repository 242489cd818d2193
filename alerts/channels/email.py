"""E-mail, as before issue 22: the recipient's address, the subject line and a link."""

from __future__ import annotations

import smtplib
from typing import TYPE_CHECKING

from django.core.mail import send_mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alerts.channels.base import Channel, Destination, Message
from hrdcase.text import email_subject

if TYPE_CHECKING:
    from alerts.models import Notification

EMAIL = "email"


def subject_line(message: Message) -> str:
    """One line whatever the stored subject holds: the mail library refuses a line break
    in a header, and every attempt would fail until the row was given up."""
    return email_subject(f"[hrdcase] {message.subject}")


def email_body(message: Message) -> str:
    return "\n".join(
        [
            message.subject,
            "",
            _("Open hrdcase to see the details (log in first):"),
            message.link,
            *[f"{label}: {url}" for label, url in message.actions],
            "",
            _("You receive this because of your role in your organisation's hrdcase."),
        ]
    )


class EmailChannel(Channel):
    name = EMAIL
    label = gettext_lazy("E-mail")

    def destination(self, notification: Notification) -> Destination | None:
        return Destination(notification.recipient.email)

    def send(
        self,
        message: Message,
        destination: Destination,
        connection: BaseEmailBackend | None = None,
    ) -> None:
        """Send through ``connection`` (a batch's, left open for its next e-mail), else
        through a connection of this e-mail's own. A kept connection the server has closed
        meanwhile is opened again once; any other failure closes it, so that the next
        e-mail starts on a fresh one."""
        if connection is None:
            self._send_mail(message, destination, None)
            return
        # SMTP's backend answers False when the connection was open already (None: a backend
        # without connections, True: opened now).
        reused = connection.open() is False
        try:
            try:
                self._send_mail(message, destination, connection)
            except smtplib.SMTPServerDisconnected:
                if not reused:
                    raise
                connection.close()  # closed by the server since the batch's last e-mail
                connection.open()
                self._send_mail(message, destination, connection)
        except Exception:
            connection.close()
            raise

    @staticmethod
    def _send_mail(
        message: Message, destination: Destination, connection: BaseEmailBackend | None
    ) -> None:
        send_mail(
            subject=subject_line(message),
            message=email_body(message),
            from_email=None,
            recipient_list=[destination.address],
            connection=connection,
        )
