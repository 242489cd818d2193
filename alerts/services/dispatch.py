"""Sending a notification's e-mail, exactly once (claimed by a conditional update).

The claim (``pending`` -> ``sending``) is a conditional UPDATE checked by its row count, as
healthchecks' ``sendalerts`` does: two workers handed the same id (a re-queued message, a
doubled sweep, a redelivery after a worker died) cannot both send it. A send that fails puts
the row back to ``pending`` (the retry can claim it again); a worker killed between claim
and send leaves the row ``sending``, and the sweep releases claims older than
``ALERTS_STALE_CLAIM_SECONDS``.

A batch (``notifications_send``) sends each of its notifications on its own: one that fails
(a recipient refused, a value the mail library rejects) is released for a later retry and
the others are sent at once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from alerts.models import Notification
from hrdcase.text import email_subject

logger = logging.getLogger(__name__)

#: after this many failed attempts a notification is marked failed (the health page shows
#: it) instead of being retried for ever.
MAX_ATTEMPTS = 10


def subject_line(notification: Notification) -> str:
    """The e-mail's subject: one line whatever the stored subject holds. Rows written before
    names were checked at input (or around the check) may hold a line break, which the mail
    library refuses in a header: every attempt would fail until the row was given up."""
    return email_subject(f"[hrdcase] {notification.subject}")


def email_body(notification: Notification) -> str:
    """Subject and link only: the alert's message and the defender's identity never travel
    by e-mail, which leaves our control."""
    link = f"{settings.SITE_URL}{notification.url}" if notification.url else settings.SITE_URL
    return "\n".join(
        [
            email_subject(notification.subject),
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
            subject=subject_line(notification),
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


@dataclass
class BatchResult:
    """What became of a batch: how many were sent now, and the ids to try again later."""

    sent: int = 0
    failed: list[str] = field(default_factory=list)


def notifications_send(*, notification_ids: Iterable) -> BatchResult:
    """Send each notification of a batch on its own (``notification_send``).

    A failure is caught per notification: it was released to ``pending`` with its error (or
    marked ``failed`` after ``MAX_ATTEMPTS``), it is logged, and the loop goes on, so one
    recipient's trouble never holds back the e-mails of the others. The ids that failed are
    returned for the caller to retry, later and alone."""
    result = BatchResult()
    for pk in notification_ids:
        try:
            result.sent += notification_send(notification_id=pk)
        except Exception:
            logger.warning("notification %s not sent; it will be retried", pk, exc_info=True)
            result.failed.append(str(pk))
    return result
