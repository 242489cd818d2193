"""The notification outbox: one row per recipient per thing worth telling them.

A row is the in-app notification (read_at) and the e-mail job (status) at once. It is
written in the same transaction as what it announces, and dispatched after commit; the
beat sweep re-queues rows left pending, so a lost broker message only delays delivery.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hrdcase.tenancy import TenantManager, TenantModel, TenantQuerySet


class NotificationQuerySet(TenantQuerySet):
    def for_recipient(self, user):
        """A user's own notifications: the notification centre's one scope."""
        return self.filter(recipient=user)._mark_scoped()


class Notification(TenantModel):
    """``organisation`` is the recipient's organisation (the tenant who may read it)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        #: in-app only: nothing to send by e-mail.
        SKIPPED = "skipped", _("In-app only")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=60)
    #: shown in-app and used as the e-mail subject: a pseudonym at most, never an identity
    #: or a free-text narrative (e-mail leaves our control).
    subject = models.CharField(_("subject"), max_length=200)
    url = models.CharField(_("link"), max_length=500, blank=True)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    #: one notification per recipient per event: a doubled sweep or retried service
    #: cannot notify twice.
    dedupe_key = models.CharField(max_length=200, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = TenantManager.from_queryset(NotificationQuerySet)()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notif_recipient_unread"),
            models.Index(fields=["status", "created_at"], name="notif_status_age"),
        ]

    def __str__(self) -> str:
        return self.subject
