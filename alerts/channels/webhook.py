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
from alerts.channels.http import post_pinned

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


#: the compose services' names (docker-compose.yml): never a webhook's host, whatever
#: ``HRDCASE_WEBHOOK_ALLOWED_HOSTS`` says.
SERVICE_NAMES = frozenset(
    {
        "signal",
        "db",
        "postgres",
        "pgbouncer",
        "redis",
        "migrate",
        "web",
        "worker",
        "worker-urgent",
        "beat",
    }
)
#: link-local (cloud metadata services): never, whatever the allow-list says.
LINK_LOCAL = (ipaddress.ip_network("169.254.0.0/16"), ipaddress.ip_network("fe80::/10"))


class UnsafeWebhookAddress(ChannelError):
    """The webhook's host is (or resolves to) an address the workers must not post to."""


def _host(url: str) -> str:
    return (urlparse(url).hostname or "").rstrip(".").lower()


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    address = ipaddress.ip_address(text.split("%", 1)[0])  # an IPv6 scope: fe80::1%eth0
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _check_address(address, allowed: bool) -> None:
    if any(address in network for network in LINK_LOCAL):
        raise UnsafeWebhookAddress("the webhook's host is a link-local address")
    if (not address.is_global or address.is_multicast) and not allowed:
        raise UnsafeWebhookAddress("the webhook's host is an internal address")


def pinned_address(url: str) -> str:
    """Resolve ``url``'s host once, check every address it resolves to, and return the one
    the send connects to (``post_pinned``): the address checked is the address reached, so
    a DNS answer that changes between the check and the connection (DNS rebinding) changes
    nothing. Refused (``UnsafeWebhookAddress``): a compose service's name, any link-local
    address, and a loopback, private or otherwise non-public address unless the host is
    named in ``HRDCASE_WEBHOOK_ALLOWED_HOSTS``. An unresolvable host is a ``ChannelError``
    (the send is retried)."""
    host = _host(url)
    if not host or host in SERVICE_NAMES:
        raise UnsafeWebhookAddress("the webhook's host is an internal service")
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except OSError as error:
        raise ChannelError(f"cannot resolve {host}: {error}") from error
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise ChannelError(f"cannot resolve {host}")
    allowed = host in conf.webhook_allowed_hosts()
    for address in addresses:
        _check_address(_ip(address), allowed)
    return addresses[0]


def private_address(url: str) -> bool:
    """Whether a webhook form's ``url`` is refused now (``pinned_address``): checked when
    saved, and again at every send. An unresolvable host is accepted here and left to the
    send, which fails and is retried."""
    try:
        pinned_address(url)
    except UnsafeWebhookAddress:
        return True
    except ChannelError:
        return False
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
        address = pinned_address(destination.address)
        body = payload(message)
        post_pinned(
            destination.address,
            address,
            body,
            headers=signed_headers(destination.secret, body, message.id),
        )
