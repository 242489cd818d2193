"""Each organisation's relocation settings: its visa service level (missions), its grant cap
(grantors) and its service levels per urgency: how long the answers it owes may take (the
review of a request it holds the case of, a visa decision, a shelter answer, a grant
decision)."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from hrdcase.tenancy import TenantModel

DEFAULT_VISA_SERVICE_DAYS = 10
DEFAULT_GRANT_CAP = Decimal("10000.00")
DEFAULT_GRANT_CURRENCY = "EUR"

#: the service levels per urgency, in hours (review, shelter answer, grant decision) and in
#: days for a visa decision: working days (Monday to Friday) for an emergency, calendar days
#: otherwise (routine: the mission's fast-track ``visa_service_days``).
DEFAULT_EMERGENCY_HOURS = 48
DEFAULT_EMERGENCY_VISA_WORKING_DAYS = 2
DEFAULT_URGENT_HOURS = 5 * 24
DEFAULT_URGENT_VISA_DAYS = 5
DEFAULT_ROUTINE_HOURS = DEFAULT_VISA_SERVICE_DAYS * 24
MAX_SERVICE_HOURS = 90 * 24


def _hours_field(label, default: int) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label,
        default=default,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SERVICE_HOURS)],
    )


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
    grant_activities = models.JSONField(
        _("activities funded"),
        default=list,
        blank=True,
        help_text=_("The activity types you fund (relocation.models.GrantPurpose); none: all."),
    )
    grant_eligibility = models.TextField(
        _("eligibility criteria"),
        blank=True,
        max_length=4000,
        help_text=_("Shown to requesters on the grant form; they confirm the request meets it."),
    )
    grant_cap_per_defender_year = models.DecimalField(
        _("cap per defender per year"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_(
            "The most granted to one defender in a calendar year, pending requests included "
            "(empty: no yearly cap)."
        ),
    )
    emergency_review_hours = _hours_field(_("emergency: review (hours)"), DEFAULT_EMERGENCY_HOURS)
    emergency_shelter_hours = _hours_field(
        _("emergency: shelter answer (hours)"), DEFAULT_EMERGENCY_HOURS
    )
    emergency_grant_hours = _hours_field(
        _("emergency: grant decision (hours)"), DEFAULT_EMERGENCY_HOURS
    )
    emergency_visa_days = models.PositiveSmallIntegerField(
        _("emergency: visa decision (working days)"),
        default=DEFAULT_EMERGENCY_VISA_WORKING_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    urgent_review_hours = _hours_field(_("urgent: review (hours)"), DEFAULT_URGENT_HOURS)
    urgent_shelter_hours = _hours_field(_("urgent: shelter answer (hours)"), DEFAULT_URGENT_HOURS)
    urgent_grant_hours = _hours_field(_("urgent: grant decision (hours)"), DEFAULT_URGENT_HOURS)
    urgent_visa_days = models.PositiveSmallIntegerField(
        _("urgent: visa decision (days)"),
        default=DEFAULT_URGENT_VISA_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    routine_review_hours = _hours_field(_("routine: review (hours)"), DEFAULT_ROUTINE_HOURS)
    routine_shelter_hours = _hours_field(
        _("routine: shelter answer (hours)"), DEFAULT_ROUTINE_HOURS
    )
    routine_grant_hours = _hours_field(_("routine: grant decision (hours)"), DEFAULT_ROUTINE_HOURS)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("relocation settings")
        verbose_name_plural = _("relocation settings")
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="relocation_settings_one_per_org")
        ]
