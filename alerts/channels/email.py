"""E-mail, as before issue 22: the recipient's address, the subject line and a link."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.mail import send_mail
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

    def send(self, message: Message, destination: Destination) -> None:
        send_mail(
            subject=subject_line(message),
            message=email_body(message),
            from_email=None,
            recipient_list=[destination.address],
        )
