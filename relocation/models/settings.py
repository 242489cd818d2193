"""Each organisation's relocation settings: its visa service level (missions) and grant cap
(grantors)."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from hrdcase.tenancy import TenantModel

DEFAULT_VISA_SERVICE_DAYS = 10
DEFAULT_GRANT_CAP = Decimal("10000.00")
DEFAULT_GRANT_CURRENCY = "EUR"

currency_validator = RegexValidator(
    r"^[A-Z]{3}$", _("Use the three-letter ISO 4217 code, e.g. EUR, USD, COP.")
)


class RelocationSettings(TenantModel):
    """One row per organisation: its visa service level (missions) and grant cap (grantors).
    Missing row = the defaults."""

    visa_service_days = models.PositiveSmallIntegerField(
        _("visa service level (days)"),
        default=DEFAULT_VISA_SERVICE_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_(
            "Fast-track deadline for a visa decision, counted in days from the request date."
        ),
    )
    grant_cap_amount = models.DecimalField(
        _("grant cap"),
        max_digits=12,
        decimal_places=2,
        default=DEFAULT_GRANT_CAP,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("The most an emergency grant request addressed to you may ask for."),
    )
    grant_cap_currency = models.CharField(
        _("grant currency"),
        max_length=3,
        default=DEFAULT_GRANT_CURRENCY,
        validators=[currency_validator],
        help_text=_("ISO 4217 code; grant requests to you are made in this currency."),
    )
    offers_grants = models.BooleanField(
        _("offers emergency grants"),
        default=False,
        help_text=_(
            "Tick if your organisation funds emergency grants: only then can requesters "
            "address grant requests to you."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("relocation settings")
        verbose_name_plural = _("relocation settings")
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="relocation_settings_one_per_org")
        ]
