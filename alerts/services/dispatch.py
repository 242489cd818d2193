"""Sending a notification's e-mail, exactly once (claimed by a conditional update).

The claim (``pending`` -> ``sending``) is a conditional UPDATE checked by its row count, as
healthchecks' ``sendalerts`` does: two workers handed the same id (a re-queued message, a
doubled sweep, a redelivery after a worker died) cannot both send it. A send that fails puts
the row back to ``pending`` (the retry can claim it again); a worker killed between claim
and send leaves the row ``sending``, and the sweep releases claims older than
``ALERTS_STALE_CLAIM_SECONDS``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from alerts.models import Notification

#: after this many failed attempts a notification is marked failed (the health page shows
#: it) instead of being retried for ever.
MAX_ATTEMPTS = 10


def email_body(notification: Notification) -> str:
    """Subject and link only: the alert's message and the defender's identity never travel
    by e-mail, which leaves our control."""
    link = f"{settings.SITE_URL}{notification.url}" if notification.url else settings.SITE_URL
    return "\n".join(
        [
            notification.subject,
            "",
            _("Open hrdcase to see the details (log in first):"),
            link,
            "",
            _("You receive this because of your role in your organisation's hrdcase."),
        ]
    )


def notification_send(*, notification_id) -> bool:
    """Send one pending notification's e-mail; False if another worker has it or it is done."""
    now = timezone.now()
    # unscoped: the worker serves every tenant; the claim names one row.
    claimed = (
        Notification.objects.unscoped()
        .filter(pk=notification_id, status=Notification.Status.PENDING)
        .update(status=Notification.Status.SENDING, attempts=F("attempts") + 1, claimed_at=now)
    )
    if claimed != 1:
        return False
    notification = (
        Notification.objects.unscoped().select_related("recipient").get(pk=notification_id)
    )
    try:
        send_mail(
            subject=f"[hrdcase] {notification.subject}",
            message=email_body(notification),
            from_email=None,
            recipient_list=[notification.recipient.email],
        )
    except Exception as error:
        # Release the claim so the retry (or the sweep) can send it; give up after a while.
        gave_up = notification.attempts >= MAX_ATTEMPTS
        Notification.objects.unscoped().filter(
            pk=notification_id, status=Notification.Status.SENDING
        ).update(
            status=Notification.Status.FAILED if gave_up else Notification.Status.PENDING,
            last_error=f"{type(error).__name__}: {error}"[:500],
            claimed_at=None,
        )
        if gave_up:
            return False
        raise
    Notification.objects.unscoped().filter(pk=notification_id).update(
        status=Notification.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return True
