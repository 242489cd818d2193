"""Relocation: emergency relocation requests and what carries them out — fast-track visa
referrals to missions, shelter-city referrals and stays, emergency grants.

Who owns and who sees what (need to know, DESIGN.md):

- A ``RelocationRequest`` belongs to the requesting organisation (an NGO or a mission that
  may add referrals to the case: the case owner, or a ``full`` partner). The case owner
  organisation reviews it (when the requester *is* the owner, its own admins review it).
  Requester and reviewer see it; nobody else.
- A referral (``VisaReferral``, ``ShelterReferral``, ``GrantRequest``) belongs to the
  requester too and names its addressee (a mission, a shelter city, a grantor). The
  addressee sees the referral row and what its decision needs, never the case file: the
  case stays invisible to it (``Case.objects.visible_to`` is unchanged).

Sources: ../shared/domain/001 (fast-track visa valid one year, multiple entries; Shelter City
three-month stays) and 003 ("exceptional or emergency support").
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from hrdcase.fields import EncryptedTextField
from hrdcase.tenancy import TenantManager, TenantModel, TenantQuerySet
from hrdcase.text import validate_single_line

if TYPE_CHECKING:
    from accounts.models import User

NEEDS_MAX_LENGTH = 4000
PLAN_MAX_LENGTH = 10000
DEFAULT_VISA_SERVICE_DAYS = 10
DEFAULT_GRANT_CAP = Decimal("10000.00")
DEFAULT_GRANT_CURRENCY = "EUR"
#: a programme's maximum stay unless it sets its own (Shelter City's is three months,
#: domain/001); a longer stay needs an override reason from the requester.
DEFAULT_STAY_MONTHS = 6
#: no stay is longer, override reason or not, and no programme's maximum either (issue 17:
#: a 7,970-year stay was accepted with an override reason). It also bounds the dates a
#: confirmation counts.
MAX_STAY_MONTHS = 12
#: a visa referral this close to its fast-track deadline is flagged (and reminded).
VISA_NEAR_DAYS = 2
#: stays ending within this many days are reminded to the requester and the city.
STAY_ENDING_DAYS = 14

currency_validator = RegexValidator(
    r"^[A-Z]{3}$", _("Use the three-letter ISO 4217 code, e.g. EUR, USD, COP.")
)


# --- settings per organisation -------------------------------------------------------------


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


# --- the request and its workflow ------------------------------------------------------------


class Support(models.TextChoices):
    EMERGENCY_SHELTER = "emergency_shelter", _("Emergency shelter")
    SHELTER_CITY_STAY = "shelter_city_stay", _("Temporary relocation to a shelter city")
    SHORT_STAY_VISA = "short_stay_visa", _("Short-stay visa (accelerated procedure)")
    HUMANITARIAN_PERMIT = "humanitarian_permit", _("Humanitarian residence permit")
    EMERGENCY_GRANT = "emergency_grant", _("Emergency grant")
    SECURITY_TRAINING = "security_training", _("Security training")


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Routine (weeks)")
    URGENT = "urgent", _("Urgent (days)")
    EMERGENCY = "emergency", _("Emergency (within 48 hours)")


class RequestStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


#: The workflow. Cancelling is possible until the request is finished (declined, completed,
#: cancelled are terminal): a defender may change their mind, or the threat may pass, at any
#: point before the relocation is over.
REQUEST_TRANSITIONS: dict[str, tuple[str, ...]] = {
    RequestStatus.DRAFT: (RequestStatus.SUBMITTED, RequestStatus.CANCELLED),
    RequestStatus.SUBMITTED: (RequestStatus.IN_REVIEW, RequestStatus.CANCELLED),
    RequestStatus.IN_REVIEW: (
        RequestStatus.APPROVED,
        RequestStatus.DECLINED,
        RequestStatus.CANCELLED,
    ),
    RequestStatus.APPROVED: (RequestStatus.IN_PROGRESS, RequestStatus.CANCELLED),
    RequestStatus.IN_PROGRESS: (RequestStatus.COMPLETED, RequestStatus.CANCELLED),
    RequestStatus.DECLINED: (),
    RequestStatus.COMPLETED: (),
    RequestStatus.CANCELLED: (),
}
TERMINAL_STATUSES = frozenset(s for s, following in REQUEST_TRANSITIONS.items() if not following)
#: Steps taken by the reviewing organisation; the others by the requester.
REVIEW_STEPS = frozenset({RequestStatus.IN_REVIEW, RequestStatus.APPROVED, RequestStatus.DECLINED})
#: Referrals and grants may be raised while the request is being carried out.
ACTIONABLE_STATUSES = frozenset({RequestStatus.APPROVED, RequestStatus.IN_PROGRESS})


class RelocationRequestQuerySet(TenantQuerySet):
    def visible_to(self, user: User) -> Self:
        """The requester's and the reviewer's (the case owner's) requests."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()._mark_scoped()
        if user.organisation_id is None:
            return self.none()._mark_scoped()
        org = user.organisation_id
        return self.filter(Q(organisation_id=org) | Q(reviewer_id=org))._mark_scoped()


class RelocationRequest(TenantModel):
    """``organisation`` is the requester."""

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="relocation_requests",
        verbose_name=_("case"),
    )
    reviewer = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        help_text=_("The case owner organisation, which reviews the request."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    support = models.JSONField(_("support asked"), default=list)
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.URGENT
    )
    window_start = models.DateField(_("preferred from"), null=True, blank=True)
    window_end = models.DateField(_("preferred until"), null=True, blank=True)
    languages = models.CharField(
        _("languages"),
        max_length=200,
        blank=True,
        validators=[validate_single_line],
        help_text=_("Languages the defender speaks, e.g. Spanish, English."),
    )
    family_members = models.PositiveSmallIntegerField(
        _("accompanying family members"),
        default=0,
        validators=[MaxValueValidator(20)],
    )
    medical_needs = EncryptedTextField(_("medical needs"), blank=True, max_length=NEEDS_MAX_LENGTH)
    accessibility_needs = EncryptedTextField(
        _("accessibility needs"), blank=True, max_length=NEEDS_MAX_LENGTH
    )
    digital_security_needs = EncryptedTextField(
        _("digital-security support"), blank=True, max_length=NEEDS_MAX_LENGTH
    )
    visa_plan = EncryptedTextField(
        _("visa or stay-permit plan"), blank=True, max_length=PLAN_MAX_LENGTH
    )
    journey_security_plan = EncryptedTextField(
        _("security plan for the journey"), blank=True, max_length=PLAN_MAX_LENGTH
    )
    family_support_plan = EncryptedTextField(
        _("family support"), blank=True, max_length=PLAN_MAX_LENGTH
    )
    return_strategy = EncryptedTextField(
        _("return strategy"), blank=True, max_length=PLAN_MAX_LENGTH
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RequestStatus.choices,
        default=RequestStatus.DRAFT,
        editable=False,
    )
    status_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set when the requester stopped holding the case (its share ended, was suspended or
    # lowered below ``full``): the request waits, untouchable, until the owner shares the
    # case again at ``full`` (it thaws) or cancels it. Its pending referrals were withdrawn.
    frozen_at = models.DateTimeField(_("frozen"), null=True, blank=True, editable=False)
    frozen_reason = models.CharField(
        _("why it is frozen"), max_length=20, blank=True, editable=False
    )

    objects = TenantManager.from_queryset(RelocationRequestQuerySet)()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("relocation request")
        verbose_name_plural = _("relocation requests")
        indexes = [
            models.Index(fields=["organisation", "status"], name="reloc_req_org_status"),
            models.Index(fields=["reviewer", "status"], name="reloc_req_reviewer_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(window_start__isnull=True)
                | Q(window_end__isnull=True)
                | Q(window_end__gte=models.F("window_start")),
                name="reloc_req_window_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case.pseudonym} ({self.get_status_display()})"

    @property
    def allowed_next(self) -> tuple[str, ...]:
        if self.is_frozen:
            return tuple(
                s for s in REQUEST_TRANSITIONS[self.status] if s == RequestStatus.CANCELLED
            )
        return REQUEST_TRANSITIONS[self.status]

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    @property
    def support_labels(self) -> list[str]:
        labels = dict(Support.choices)
        return [str(labels.get(value, value)) for value in self.support]

    @property
    def is_actionable(self) -> bool:
        return self.status in ACTIONABLE_STATUSES and not self.is_frozen

    @property
    def is_open(self) -> bool:
        return bool(REQUEST_TRANSITIONS[self.status])


class RequestTransition(TenantModel):
    """One step of a request's workflow: who, when, from, to, why. ``organisation`` is the
    requester's (the request's owner); ``actor`` may belong to the reviewer."""

    request = models.ForeignKey(
        RelocationRequest, on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(max_length=12, choices=RequestStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=RequestStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = EncryptedTextField(_("reason"), blank=True, max_length=NEEDS_MAX_LENGTH)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "created_at"]


# --- addressed referrals ---------------------------------------------------------------------


class AddressedQuerySet(TenantQuerySet):
    """Referrals: the requester (owner) sees its own; the addressee sees those addressed to
    it. Subclasses name the addressee field."""

    addressee_field = ""

    def visible_to(self, user: User) -> Self:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()._mark_scoped()
        if user.organisation_id is None:
            return self.none()._mark_scoped()
        org = user.organisation_id
        return self.filter(
            Q(organisation_id=org) | Q(**{f"{self.addressee_field}_id": org})
        )._mark_scoped()

    def addressed_to(self, organisation) -> Self:
        return self.filter(**{self.addressee_field: organisation})._mark_scoped()


class VisaQuerySet(AddressedQuerySet):
    addressee_field = "mission"


class ShelterQuerySet(AddressedQuerySet):
    addressee_field = "city"


class GrantQuerySet(AddressedQuerySet):
    addressee_field = "grantor"


class VisaReferral(TenantModel):
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
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    mission = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("mission"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
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
    decision_reason = EncryptedTextField(
        _("reason"), blank=True, max_length=NEEDS_MAX_LENGTH, editable=False
    )
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True, editable=False)
    valid_until = models.DateField(_("valid until"), null=True, blank=True, editable=False)
    multiple_entries = models.BooleanField(_("multiple entries"), default=True, editable=False)

    objects = TenantManager.from_queryset(VisaQuerySet)()

    class Meta:
        ordering = ["deadline", "created_at"]
        indexes = [
            models.Index(fields=["mission", "status", "deadline"], name="visa_mission_queue"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="visa_validity_order",
            )
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


class ShelterReferral(TenantModel):
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
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    city = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("city")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
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
    answer_reason = EncryptedTextField(
        _("reason"), blank=True, max_length=NEEDS_MAX_LENGTH, editable=False
    )
    answered_at = models.DateTimeField(null=True, blank=True, editable=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    arrived_on = models.DateField(_("arrived on"), null=True, blank=True, editable=False)
    returned_on = models.DateField(_("returned on"), null=True, blank=True, editable=False)

    objects = TenantManager.from_queryset(ShelterQuerySet)()

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

    @property
    def nights(self) -> int:
        return (self.end - self.start).days


class GrantPurpose(models.TextChoices):
    PHYSICAL_SECURITY = "physical_security", _("Physical security")
    DIGITAL_SECURITY = "digital_security", _("Digital security")
    LEGAL_FEES = "legal_fees", _("Legal fees")
    MEDICAL_PSYCHOSOCIAL = "medical_psychosocial", _("Medical or psychosocial care")
    URGENT_RELOCATION = "urgent_relocation", _("Urgent relocation")
    FAMILY_SUPPORT = "family_support", _("Family support")
    OTHER = "other", _("Other")


class GrantRequest(TenantModel):
    """An emergency grant asked of a granting organisation. The grantor sees the pseudonym,
    purpose, amount and the justification written for it, not the case file."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting decision")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        DISBURSED = "disbursed", _("Disbursed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    request = models.ForeignKey(RelocationRequest, on_delete=models.CASCADE, related_name="grants")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    grantor = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("granting organisation"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
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
    decision_reason = EncryptedTextField(
        _("reason"), blank=True, max_length=NEEDS_MAX_LENGTH, editable=False
    )
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    disbursed_on = models.DateField(_("disbursed on"), null=True, blank=True, editable=False)

    objects = TenantManager.from_queryset(GrantQuerySet)()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["grantor", "status"], name="grant_grantor_status")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="grant_amount_positive")
        ]
