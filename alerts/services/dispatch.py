"""Sending a notification's e-mail, exactly once (claimed by a conditional update)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F
from django.utils import timezone

from alerts.models import Notification


def notification_send(*, notification_id) -> bool:
    """Send one pending notification's e-mail; False if another worker has it or it is done.

    The claim (pending -> sending) is a conditional update: two workers handed the same id
    cannot both send it.
    """
    claimed = (
        Notification.objects.unscoped()
        .filter(pk=notification_id, status=Notification.Status.PENDING)
        .update(status=Notification.Status.SENDING, attempts=F("attempts") + 1)
    )
    if claimed != 1:
        return False
    notification = (
        Notification.objects.unscoped().select_related("recipient").get(pk=notification_id)
    )
    link = f"{settings.SITE_URL}{notification.url}" if notification.url else ""
    try:
        send_mail(
            subject=f"[hrdcase] {notification.subject}",
            message=f"{notification.subject}\n\n{link}\n",
            from_email=None,
            recipient_list=[notification.recipient.email],
        )
    except Exception as error:  # SMTP and socket errors: put it back for a retry.
        Notification.objects.unscoped().filter(pk=notification_id).update(
            status=Notification.Status.PENDING, last_error=str(error)[:500]
        )
        raise
    Notification.objects.unscoped().filter(pk=notification_id).update(
        status=Notification.Status.SENT, sent_at=timezone.now()
    )
    return True
