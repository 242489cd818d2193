"""Signal, through a signal-cli REST API server the organisation runs itself
(bbernhard/signal-cli-rest-api): ``POST {HRDCASE_SIGNAL_URL}/v2/send`` with
``{"message", "number" (the sender), "recipients": [the user's verified number]}``.

Off while ``HRDCASE_SIGNAL_URL`` or ``HRDCASE_SIGNAL_NUMBER`` is unset: nobody can choose it,
nothing is planned through it. Only a verified number receives anything
(``alerts.services.signal``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy

from alerts import conf
from alerts.channels.base import Channel, Destination, Message
from alerts.channels.http import post_json

if TYPE_CHECKING:
    from alerts.models import Notification

SIGNAL = "signal"


def signal_text(message: Message) -> str:
    actions = "".join(f"\n{label}: {url}" for label, url in message.actions)
    return f"[hrdcase] {message.subject}\n{message.link}{actions}"


def signal_post(*, recipient: str, text: str) -> None:
    """One message to one number through the configured server (raises on failure)."""
    post_json(
        f"{conf.signal_url()}/v2/send",
        {"message": text, "number": conf.signal_number(), "recipients": [recipient]},
    )


class SignalChannel(Channel):
    name = SIGNAL
    label = gettext_lazy("Signal")

    def enabled(self) -> bool:
        return conf.signal_enabled()

    def destination(self, notification: Notification) -> Destination | None:
        from alerts.models import SignalNumber

        number = SignalNumber.objects.filter(
            user_id=notification.recipient_id, verified_at__isnull=False
        ).first()
        return Destination(number.number) if number is not None else None

    def send(self, message: Message, destination: Destination) -> None:
        signal_post(recipient=destination.address, text=signal_text(message))
