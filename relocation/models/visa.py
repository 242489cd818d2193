"""Fast-track visa referrals from the requester to a mission."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from hrdcase.fields import EncryptedTextField
from relocation.models.referral import NEEDS_MAX_LENGTH, DecidedReferral
from relocation.models.requests import RelocationRequest

#: a visa referral this close to its fast-track deadline is flagged (and reminded).
VISA_NEAR_DAYS = 2

#: a decision taken before the end of the deadline day where the mission works (``due_at``),
#: not on a day read in UTC, which put a Honolulu consulate's afternoon decisions past
#: their deadline; a referral stored without ``due_at`` is judged by its day.
DECIDED_ON_TIME = Q(due_at__isnull=False, decided_at__lt=F("due_at")) | Q(
    due_at__isnull=True, decided_at__date__lte=F("deadline")
)


class VisaReferral(DecidedReferral):
    """A fast-track visa referral from the requester to a mission.

    The mission sees what the visa decision needs, and only that: the case pseudonym, the
    nationality entered here, the visa type, the dates, the number of accompanying family
    members and the reason for urgency as the requester wrote it for the mission."""

    class VisaType(models.TextChoices):
        SHORT_STAY_MULTIPLE = "short_stay_multiple", _("Short-stay, multiple entries")
        NATIONAL_LONG_STAY = "national_long_stay", _("National long-stay")
        HUMANITARIAN = "humanitarian", _("Humanitarian")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting decision")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    request = models.ForeignKey(
        RelocationRequest, on_delete=models.CASCADE, related_name="visa_referrals"
    )
    mission = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("mission"),
    )
    visa_type = models.CharField(_("visa type"), max_length=20, choices=VisaType.choices)
    nationality = CountryField(_("nationality"), blank=True)
    requested_on = models.DateField(_("requested on"))
    deadline = models.DateField(
        _("fast-track deadline"),
        editable=False,
        help_text=_("The request date plus the mission's visa service level."),
    )
    note_for_mission = EncryptedTextField(
        _("note for the mission"),
        blank=True,
        max_length=NEEDS_MAX_LENGTH,
        help_text=_(
            "What the visa decision needs: why it is urgent, travel document details. "
            "The mission does not see the case file."
        ),
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, editable=False
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True, editable=False)
    valid_until = models.DateField(_("valid until"), null=True, blank=True, editable=False)
    multiple_entries = models.BooleanField(_("multiple entries"), default=True, editable=False)
    # domain/001: "valid for one year, for multiple entries within a timeframe of three years".
    entries_until = models.DateField(
        _("entries possible until"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "The last day the defender may enter on this visa: three years from the start of "
            "validity for a multiple-entry visa (none for a single entry)."
        ),
    )

    ADDRESSEE = "mission"
    AWAITING = (Status.PENDING,)

    @property
    def decided_late(self) -> bool:
        """``DECIDED_ON_TIME`` read on this referral: decided at or after ``due_at``."""
        if self.due_at is not None:
            return self.decided_at is not None and self.decided_at >= self.due_at
        return self.decided_at is not None and self.decided_at.date() > self.deadline

    class Meta:
        ordering = ["deadline", "created_at"]
        indexes = [
            models.Index(fields=["mission", "status", "deadline"], name="visa_mission_queue"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="visa_validity_order",
            ),
            models.CheckConstraint(
                condition=Q(entries_until__isnull=True)
                | Q(entries_until__gte=models.F("valid_until")),
                name="visa_entries_after_validity",
            ),
        ]

    def days_left(self, today: datetime.date) -> int:
        return (self.deadline - today).days

    def flag(self, today: datetime.date) -> str:
        """``past``, ``near`` or "" for a pending referral."""
        if self.status != self.Status.PENDING:
            return ""
        left = self.days_left(today)
        if left < 0:
            return "past"
        if left <= VISA_NEAR_DAYS:
            return "near"
        return ""
