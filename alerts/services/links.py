"""Acknowledge or resolve an alert from its notification: signed, single-use, short-lived
links (issue 22, item 3).

A link names one notification (so one recipient) and one action, with a random nonce,
signed with the project's secret (``django.core.signing``, its own salt) and time-stamped.
It is not a credential: the page it opens requires the user's session and second factor
(the normal login and OTP flow, then back to the link), shows a confirm page on GET and acts
only on POST. It works:

- for ``ALERTS_ACTION_LINK_SECONDS`` (2 hours) after it was made: a reminder carries a
  fresh one;
- once: its nonce is recorded when used (``AlertLinkUse``, primary key), in the transaction
  of the action, so a second use, even at the same moment, finds it;
- for the notification's recipient only: another member of the organisation is told it was
  sent to someone else (403); anyone of another organisation gets 404, as for the alert.

The channels (e-mail, Signal, webhook) put ``action_links(notification)`` in their
messages: the acknowledge link while the alert is unacknowledged, the resolve link for the
owner's writers while it is open.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from alerts.models import Alert, AlertLinkUse, Notification
from alerts.services.alerts import alert_acknowledge, alert_resolve

if TYPE_CHECKING:
    from accounts.models import User

SALT = "alerts.action-link"
ACKNOWLEDGE = "acknowledge"
RESOLVE = "resolve"
ACTIONS = (ACKNOWLEDGE, RESOLVE)
#: the kinds of notification that carry the links: the alert's own, raised to the chain.
LINKED_KINDS = ("alert", "alert_escalation", "alert_reminder")


def max_age_seconds() -> int:
    return int(getattr(settings, "ALERTS_ACTION_LINK_SECONDS", 2 * 3600))


class LinkError(Exception):
    """A link that cannot be used; ``status`` is the page's answer."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class LinkExpired(LinkError):
    status = 410


class LinkUsed(LinkError):
    status = 410


class LinkWrongUser(LinkError):
    status = 403


def action_link_token(*, notification: Notification, action: str) -> str:
    if action not in ACTIONS:
        raise ValueError(action)
    payload = {"n": str(notification.pk), "a": action, "x": secrets.token_urlsafe(16)}
    return signing.dumps(payload, salt=SALT)


def action_link_path(*, notification: Notification, action: str) -> str:
    return reverse(
        "alerts:act", kwargs={"token": action_link_token(notification=notification, action=action)}
    )


def action_links(notification: Notification) -> list[tuple[str, str]]:
    """``(label, absolute URL)`` of the actions the notification's recipient may take on its
    alert now, for a channel's message; none for other notifications, or for a recipient
    without the alert's link (a network coordinator outside the case)."""
    alert = notification.alert
    if notification.kind not in LINKED_KINDS or alert is None or not notification.url:
        return []
    recipient = notification.recipient
    links = []
    if alert.status == Alert.Status.RAISED and recipient.can_write:
        links.append((_("Acknowledge"), ACKNOWLEDGE))
    if (
        alert.status != Alert.Status.RESOLVED
        and recipient.can_write
        and recipient.organisation_id == alert.organisation_id
    ):
        links.append((_("Resolve"), RESOLVE))
    return [
        (label, f"{settings.SITE_URL}{action_link_path(notification=notification, action=a)}")
        for label, a in links
    ]


@dataclass(frozen=True)
class ActionLink:
    notification: Notification
    alert: Alert
    action: str
    nonce: str


def action_link_open(*, token: str, user: User) -> ActionLink:
    """What the link asks of ``user``, or why it cannot be used. 404 (``Http404``) for a
    forged link and for a notification of another organisation, as for its alert."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=max_age_seconds())
    except signing.SignatureExpired:
        raise LinkExpired(
            _("This link has expired. Open the alert in hrdcase to act on it.")
        ) from None
    except signing.BadSignature:
        raise Http404 from None
    if not isinstance(payload, dict) or payload.get("a") not in ACTIONS:
        raise Http404
    # unscoped: the token names the row; the organisation is checked at once below.
    notification = (
        Notification.objects.unscoped()
        .select_related("alert", "alert__case", "alert__organisation", "recipient")
        .filter(pk=payload.get("n"))
        .first()
    )
    if (
        notification is None
        or notification.alert is None
        or notification.organisation_id != user.organisation_id
    ):
        raise Http404
    if notification.recipient_id != user.pk:
        raise LinkWrongUser(
            _(
                "This link was sent to another member of your organisation. Open the alert "
                "in hrdcase to act on it."
            )
        )
    if AlertLinkUse.objects.filter(nonce=payload["x"]).exists():
        raise LinkUsed(_("This link was already used. Open the alert in hrdcase."))
    return ActionLink(
        notification=notification,
        alert=notification.alert,
        action=payload["a"],
        nonce=str(payload["x"])[:64],
    )


@transaction.atomic
def action_link_use(*, token: str, acting_user: User, note: str = "") -> ActionLink:
    """Take the link's action as ``acting_user`` (the services check their rights again)
    and record its nonce in the same transaction: the link works once."""
    link = action_link_open(token=token, user=acting_user)
    try:
        with transaction.atomic():
            AlertLinkUse.objects.create(
                nonce=link.nonce,
                notification=link.notification,
                action=link.action,
                used_by=acting_user,
            )
    except IntegrityError:  # used at the same moment in another tab
        raise LinkUsed(_("This link was already used. Open the alert in hrdcase.")) from None
    if link.action == ACKNOWLEDGE:
        alert_acknowledge(alert=link.alert, acting_user=acting_user)
    else:
        alert_resolve(alert=link.alert, acting_user=acting_user, note=note)
    return link
