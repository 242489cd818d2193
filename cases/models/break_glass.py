"""Break-glass access: an emergency opening of a shared case's full file.

When a defender's life is at immediate risk and the owner cannot be reached, an admin of an
organisation holding a ``feedback`` share may open the full file (identity, risk) for a
short, fixed time after writing why. The owner's admins are told at once; the row is the
record of it, kept on the owner's side (``organisation``) and visible to the opener's.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hrdcase.fields import EncryptedTextField
from hrdcase.tenancy import TenantManager, TenantModel, TenantQuerySet, member_in_force

#: a reason says why the defender's life is at immediate risk and how the owner was sought.
REASON_MIN_LENGTH = 20
REASON_MAX_LENGTH = 2000


class BreakGlassQuerySet(TenantQuerySet):
    """Rows both the case owner (``organisation``) and the opener organisation see."""

    def visible_to(self, user):
        if not member_in_force(user):
            return self.none()._mark_scoped()
        org = user.organisation_id
        return self.filter(Q(organisation_id=org) | Q(opener_organisation_id=org))._mark_scoped()

    def active(self, now: datetime | None = None):
        now = now or timezone.now()
        return self.filter(ended_at__isnull=True, opened_at__lte=now, expires_at__gt=now)


class BreakGlassAccess(TenantModel):
    """One break-glass opening. ``organisation`` is the case owner's (whose record it is);
    ``opener_organisation`` is the partner that opened the file."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="break_glass_accesses"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("opened by"),
    )
    opener_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    reason = EncryptedTextField(
        _("reason"),
        max_length=REASON_MAX_LENGTH,
        help_text=_(
            "Why the defender's life is at immediate risk, and how you tried to reach the owner."
        ),
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    # The owner may end an access early (it was reached, or the emergency is over).
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = TenantManager.from_queryset(BreakGlassQuerySet)()

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("break-glass access")
        verbose_name_plural = _("break-glass accesses")
        indexes = [
            models.Index(
                fields=["case", "opener_organisation", "expires_at"], name="break_glass_lookup"
            ),
        ]

    def __str__(self) -> str:
        until = f"{self.expires_at:%Y-%m-%d %H:%M}"
        return f"{self.case_id} <- {self.opener_organisation_id} until {until}"

    def is_active_at(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.ended_at is None and self.opened_at <= now < self.expires_at
