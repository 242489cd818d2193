"""The relocation request and its workflow, and each step taken (``RequestTransition``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hrdcase.fields import EncryptedTextField
from hrdcase.tenancy import TenantManager, TenantModel
from hrdcase.text import validate_single_line
from relocation.models.referral import (
    NEEDS_MAX_LENGTH,
    AddressedQuerySet,
    due_at_field,
    remind_at_field,
)

PLAN_MAX_LENGTH = 10000
#: the defender's needs (encrypted): the city reads them with its referral.
REQUEST_NEEDS = ("medical_needs", "accessibility_needs", "digital_security_needs")
#: the requester's plans (encrypted): for the requester and the reviewer only.
REQUEST_PLANS = ("visa_plan", "journey_security_plan", "family_support_plan", "return_strategy")
#: every free-text field of a request: stripped when written, blanked by the retention purge.
REQUEST_TEXT_FIELDS = ("languages", *REQUEST_NEEDS, *REQUEST_PLANS)


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
#: Referrals and grants may be raised while the request is being carried out, and on a
#: completed request (a new referral reopens it: ``services.requests.request_reopen``).
ACTIONABLE_STATUSES = frozenset(
    {RequestStatus.APPROVED, RequestStatus.IN_PROGRESS, RequestStatus.COMPLETED}
)
#: A request completes by itself from these once its referrals are settled.
SETTLING_STATUSES = frozenset({RequestStatus.APPROVED, RequestStatus.IN_PROGRESS})


class RelocationRequest(TenantModel):
    """``organisation`` is the requester; the requester and the reviewer see it."""

    #: the reviewing case owner organisation sees the request too (``visible_to``).
    ADDRESSEE = "reviewer"

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
    #: the reviewer's deadline, set when the request is submitted (its urgency, the reviewer's
    #: service level); the reviewer is reminded at ``review_remind_at``.
    review_due_at = due_at_field()
    review_remind_at = remind_at_field()
    # Set when the requester stopped holding the case (its share ended, was suspended or
    # lowered below ``full``): the request waits, untouchable, until the owner shares the
    # case again at ``full`` (it thaws) or cancels it. Its pending referrals were withdrawn.
    frozen_at = models.DateTimeField(_("frozen"), null=True, blank=True, editable=False)
    frozen_reason = models.CharField(
        _("why it is frozen"), max_length=20, blank=True, editable=False
    )

    objects = TenantManager.from_queryset(AddressedQuerySet)()

    if TYPE_CHECKING:
        #: where the request stands, set on the rows of a page or an API answer
        #: (``selectors.requests.with_standings``; a ``Standing``).
        standing: Any

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
