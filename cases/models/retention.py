"""How long an organisation keeps a closed case before it is purged."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from hrdcase.tenancy import TenantModel

DEFAULT_RETENTION_YEARS = 5
MIN_RETENTION_YEARS = 1
MAX_RETENTION_YEARS = 30


class RetentionPolicy(TenantModel):
    """An organisation's retention period. Without a row the default applies."""

    # One policy per organisation (overrides TenantModel's plain foreign key).
    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", editable=False
    )
    retention_years = models.PositiveSmallIntegerField(
        _("retention period (years)"),
        default=DEFAULT_RETENTION_YEARS,
        validators=[MinValueValidator(MIN_RETENTION_YEARS), MaxValueValidator(MAX_RETENTION_YEARS)],
        help_text=_(
            "A closed case is purged this many years after its closing date: identity and "
            "narratives are destroyed, an anonymous statistical record is kept."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policies")

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.retention_years} years"
