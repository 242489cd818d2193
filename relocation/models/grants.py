"""Emergency grants asked of a granting organisation."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hrdcase.fields import EncryptedTextField
from relocation.models.referral import NEEDS_MAX_LENGTH, DecidedReferral
from relocation.models.requests import RelocationRequest, Urgency
from relocation.models.settings import currency_validator


class GrantPurpose(models.TextChoices):
    """The activity types a grant funds; each grantor chooses those it funds
    (``RelocationSettings.grant_activities``)."""

    LEGAL_FEES = "legal_fees", _("Legal fees")
    MEDICAL_PSYCHOSOCIAL = "medical_psychosocial", _("Medical or psychosocial care")
    PHYSICAL_SECURITY = "physical_security", _("Security measures")
    URGENT_RELOCATION = "urgent_relocation", _("Temporary relocation costs")
    FAMILY_SUPPORT = "family_support", _("Family support")
    DIGITAL_SECURITY = "digital_security", _("Digital security")
    TRIAL_OBSERVATION = "trial_observation", _("Trial observation costs")
    OTHER = "other", _("Other")


class GrantRequest(DecidedReferral):
    """An emergency grant asked of a granting organisation. The grantor sees the pseudonym,
    purpose, amount and the justification written for it, not the case file. Asked within a
    relocation request, or on its own on a case (``request`` empty; issue 20): then the
    requester confirmed the grantor's eligibility criteria (``eligibility_confirmed_at``)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting decision")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        DISBURSED = "disbursed", _("Disbursed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # Optional here alone (a grant on its own); the life cycle checks request_id first.
    request = models.ForeignKey(  # type: ignore[assignment]
        RelocationRequest,
        on_delete=models.CASCADE,
        related_name="grants",
        null=True,
        blank=True,
    )
    #: the request's urgency, or the grant's own when it stands on its own.
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.URGENT
    )
    eligibility_confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    grantor = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("granting organisation"),
    )
    purpose = models.CharField(_("purpose"), max_length=24, choices=GrantPurpose.choices)
    amount = models.DecimalField(
        _("amount"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    currency = models.CharField(_("currency"), max_length=3, validators=[currency_validator])
    justification = EncryptedTextField(
        _("justification"),
        blank=True,
        max_length=NEEDS_MAX_LENGTH,
        help_text=_("What the grantor needs to decide. It does not see the case file."),
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, editable=False
    )
    disbursed_on = models.DateField(_("disbursed on"), null=True, blank=True, editable=False)

    ADDRESSEE = "grantor"
    AWAITING = (Status.PENDING,)
    #: the statuses counted against the grantor's cap per defender per year.
    COUNTED = (Status.PENDING, Status.APPROVED, Status.DISBURSED)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["grantor", "status"], name="grant_grantor_status"),
            models.Index(fields=["grantor", "case", "created_at"], name="grant_grantor_case_year"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="grant_amount_positive")
        ]
