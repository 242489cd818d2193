"""The one channel interface, and the one message every channel carries.

A message holds what may leave hrdcase: the kind of notification, the case's pseudonym and a
link (log in to see more). Never the defender's identity, never an alert's message or any
other free text: a channel (a mail server, Signal's servers and the phone it reaches, an
organisation's chat tool) is out of our control.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings

from alerts.kinds import KINDS
from hrdcase.text import email_subject

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from alerts.models import Notification


class ChannelError(Exception):
    """A send that did not go through (the claim is released and the send retried)."""


@dataclass(frozen=True)
class Destination:
    """Where a channel sends: an e-mail address, a Signal number, a webhook URL (+ secret)."""

    address: str
    secret: str = ""


@dataclass(frozen=True)
class Message:
    id: str
    kind: str
    kind_label: str
    urgent: bool
    #: one line: the pseudonym and the kind of event (``Notification.subject``).
    subject: str
    pseudonym: str
    #: absolute: the reader logs in (with the second factor) to see anything more.
    link: str
    created_at: datetime
    #: ``(label, absolute URL)``: the recipient's signed, single-use acknowledge / resolve
    #: links (``alerts.services.links.action_links``), made at send time; none for a
    #: webhook (an organisation's tool is not the recipient the links are bound to).
    actions: tuple[tuple[str, str], ...] = ()


def message_for(
    notification: Notification,
    *,
    message_id: str = "",
    actions: tuple[tuple[str, str], ...] = (),
) -> Message:
    known = KINDS.get(notification.kind)
    case = notification.case if notification.case_id else None
    return Message(
        id=message_id or str(notification.pk),
        kind=notification.kind,
        kind_label=str(known.label) if known else notification.kind,
        urgent=bool(known and known.urgent),
        subject=email_subject(notification.subject),
        pseudonym=email_subject(case.pseudonym) if case is not None else "",
        link=f"{settings.SITE_URL}{notification.url}" if notification.url else settings.SITE_URL,
        created_at=notification.created_at,
        actions=actions,
    )


class Channel(ABC):
    #: stored on the deliveries (``ChannelDelivery.channel``): never rename one.
    name: str
    label: str | Promise

    def enabled(self) -> bool:
        """False: configured off (no server); nothing is planned or sent through it."""
        return True

    @abstractmethod
    def destination(self, notification: Notification) -> Destination | None:
        """Where this notification goes now (read at send time: a number removed or a
        webhook turned off since the notification was written sends nothing)."""

    @abstractmethod
    def send(self, message: Message, destination: Destination) -> None:
        """Send or raise (``ChannelError`` or any error): never return on a failure."""
