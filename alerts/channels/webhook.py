"""An organisation's webhook: JSON signed with HMAC-SHA256, for its own on-call or chat
tools (docs/alerts.md, "Channels", says how a receiver verifies it).

Headers: ``X-Hrdcase-Delivery`` (the delivery's id: the same on a retry, so a receiver can
drop a repeat), ``X-Hrdcase-Timestamp`` (Unix seconds) and ``X-Hrdcase-Signature:
sha256=<hex>``, the HMAC-SHA256 with the organisation's secret of
``"<timestamp>.<raw body>"``. A receiver recomputes it over the raw body, compares in
constant time and refuses a timestamp more than five minutes old (a replay)."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import socket
import time
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from django.utils.translation import gettext_lazy

from alerts import conf
from alerts.channels.base import Channel, ChannelError, Destination, Message
from alerts.channels.http import post_json

if TYPE_CHECKING:
    from alerts.models import Notification

WEBHOOK = "webhook"
SIGNATURE_HEADER = "X-Hrdcase-Signature"
TIMESTAMP_HEADER = "X-Hrdcase-Timestamp"
DELIVERY_HEADER = "X-Hrdcase-Delivery"


def payload(message: Message) -> bytes:
    return json.dumps(
        {
            "id": message.id,
            "kind": message.kind,
            "kind_label": message.kind_label,
            "urgent": message.urgent,
            "subject": message.subject,
            "pseudonym": message.pseudonym,
            "link": message.link,
            "created_at": message.created_at.isoformat(),
        },
        separators=(",", ":"),
    ).encode()


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def signed_headers(secret: str, body: bytes, message_id: str, now: float | None = None) -> dict:
    timestamp = str(int(now if now is not None else time.time()))
    return {
        DELIVERY_HEADER: message_id,
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: signature(secret, timestamp, body),
    }


def private_address(url: str) -> bool:
    """Whether ``url``'s host is (or resolves to) a loopback, private, link-local or
    otherwise internal address: a tenant's webhook must not make the workers POST into the
    platform's own network (its Signal server, a metadata service). Refused unless
    ``HRDCASE_WEBHOOK_ALLOW_HTTP`` (a relay on the same host, the tests). An unresolvable
    host is left to the send, which fails and is retried."""
    host = urlparse(url).hostname or ""
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global or address.is_multicast:
            return True
    return False


class WebhookChannel(Channel):
    name = WEBHOOK
    label = gettext_lazy("Webhook")

    def destination(self, notification: Notification) -> Destination | None:
        from alerts.models import OrganisationWebhook

        # owned_by: the webhook of the notification's own organisation, no other.
        hook = (
            OrganisationWebhook.objects.owned_by(notification.organisation)
            .filter(active=True)
            .first()
        )
        return Destination(hook.url, hook.secret) if hook is not None else None

    def send(self, message: Message, destination: Destination) -> None:
        if not conf.webhook_allow_http() and private_address(destination.address):
            raise ChannelError("the webhook's host is an internal address")
        body = payload(message)
        post_json(
            destination.address,
            body,
            headers=signed_headers(destination.secret, body, message.id),
        )
