"""A shelter city's programme (its maximum stay) and its capacity periods (places per day)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hrdcase.tenancy import TenantModel
from hrdcase.text import validate_single_line

#: a programme's maximum stay unless it sets its own (Shelter City's is three months,
#: domain/001); a longer stay needs an override reason from the requester.
DEFAULT_STAY_MONTHS = 6
#: no stay is longer, override reason or not, and no programme's maximum either (issue 17:
#: a 7,970-year stay was accepted with an override reason). It also bounds the dates a
#: confirmation counts.
MAX_STAY_MONTHS = 12


class ShelterProgramme(TenantModel):
    """A shelter city's programme: ``organisation`` is the city (kind ``shelter_city``)."""

    name = models.CharField(
        _("name"), max_length=120, default="Shelter City", validators=[validate_single_line]
    )
    stay_months = models.PositiveSmallIntegerField(
        _("maximum stay (months)"),
        default=DEFAULT_STAY_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_STAY_MONTHS)],
        help_text=_(
            "Longer stays need an override reason from the requester, and no stay lasts "
            "more than 12 months (Shelter City: three months)."
        ),
    )
    languages = models.CharField(
        _("languages offered"),
        max_length=200,
        blank=True,
        validators=[validate_single_line],
        help_text=_("e.g. English, Spanish"),
    )
    support_offered = models.TextField(
        _("support offered"),
        blank=True,
        max_length=2000,
        help_text=_("e.g. psychosocial care, security training, advocacy meetings."),
    )
    active = models.BooleanField(
        _("accepting referrals"), default=True, help_text=_("Untick to pause new referrals.")
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="shelter_programme_one_per_city")
        ]

    def __str__(self) -> str:
        return self.name


class CapacityPeriod(TenantModel):
    """How many guests the city can host each day from ``start`` to ``end`` (inclusive).
    Periods of one city do not overlap; a day outside every period has no places."""

    programme = models.ForeignKey(
        ShelterProgramme, on_delete=models.CASCADE, related_name="capacity_periods"
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    places = models.PositiveSmallIntegerField(_("places"), validators=[MaxValueValidator(500)])

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="capacity_period_order"
            )
        ]
