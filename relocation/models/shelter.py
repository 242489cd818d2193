"""Shelter-city referrals: a proposed stay of the defender in a shelter city."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from relocation.models.referral import (
    Referral,
    answered_at_field,
    answered_by_field,
    reason_field,
)
from relocation.models.requests import RelocationRequest

#: stays ending within this many days are reminded to the requester and the city.
STAY_ENDING_DAYS = 14


class ShelterReferral(Referral):
    """A proposed stay of the defender (pseudonym) in a shelter city.

    ``proposed -> accepted | waitlisted | declined``; ``waitlisted -> accepted | declined``;
    ``accepted -> confirmed -> hosting -> completed``; the requester may withdraw until the
    guest arrives. ``start``/``end`` are the planned stay (checked against capacity on
    confirmation); ``arrived_on``/``returned_on`` what happened."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        WAITLISTED = "waitlisted", _("Waitlisted")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        CONFIRMED = "confirmed", _("Stay confirmed")
        HOSTING = "hosting", _("Hosting")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    request = models.ForeignKey(
        RelocationRequest, on_delete=models.CASCADE, related_name="shelter_referrals"
    )
    city = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("city")
    )
    start = models.DateField(_("arrival (planned)"))
    end = models.DateField(_("return (planned)"))
    override_reason = models.TextField(
        _("reason for a longer stay"),
        blank=True,
        max_length=2000,
        help_text=_("Required when the stay is longer than the city's programme allows."),
    )
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.PROPOSED, editable=False
    )
    answer_reason = reason_field()
    answered_at = answered_at_field()
    answered_by = answered_by_field()
    arrived_on = models.DateField(_("arrived on"), null=True, blank=True, editable=False)
    returned_on = models.DateField(_("returned on"), null=True, blank=True, editable=False)

    ADDRESSEE = "city"
    #: the city owes an answer to a proposal (waitlisted is an answer: no deadline then).
    AWAITING = (Status.PROPOSED,)
    #: stays that take a place in the city's capacity.
    OCCUPYING = ("confirmed", "hosting")
    #: the city may see the defender's identity (with relocation consent) in these states.
    IDENTITY_STATES = ("accepted", "confirmed", "hosting", "completed")

    class Meta:
        ordering = ["start", "created_at"]
        indexes = [
            models.Index(fields=["city", "status", "start"], name="shelter_city_status_start"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="stay_order")
        ]
