"""The audit trail: one append-only hash chain for the whole platform."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One sensitive action. Rows are never changed: each one's ``hash`` covers its fields and
    the previous row's hash, so editing or deleting any row breaks every later link
    (``manage.py verify_audit``), and PostgreSQL refuses UPDATE and DELETE outright."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    # No database constraint and DO_NOTHING: the trail must outlive the rows it talks about,
    # and a cascade would be a DELETE the trigger refuses.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_label = models.CharField(_("actor label"), max_length=254, blank=True)
    organisation = models.ForeignKey(
        settings.TENANT_MODEL,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=64)
    target_type = models.CharField(_("target type"), max_length=100, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["organisation", "at"], name="audit_org_at"),
            models.Index(fields=["target_type", "target_id", "at"], name="audit_target_at"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} by {self.actor_label or '-'} at {self.at:%Y-%m-%d %H:%M}"
