"""What every addressed row of relocation shares: a request and its three kinds of referral
(visa, shelter, grant) are seen by the organisation that owns them and by the one they are
addressed to, nobody else."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hrdcase.fields import EncryptedTextField
from hrdcase.tenancy import TenantManager, TenantModel, TenantQuerySet, member_in_force

if TYPE_CHECKING:
    from accounts.models import User
    from relocation.models.requests import RelocationRequest

NEEDS_MAX_LENGTH = 4000
#: the status every kind of referral takes when its requester withdraws it (or its request).
WITHDRAWN = "withdrawn"


class AddressedQuerySet(TenantQuerySet):
    """The owner (``organisation``) sees its rows; the addressee sees those addressed to it.
    The model names the addressee field in ``ADDRESSEE`` (a request's is its reviewer, the
    case owner; a referral's the mission, the city or the grantor)."""

    def visible_to(self, user: User) -> Self:
        if not member_in_force(user):
            return self.none()._mark_scoped()
        org = user.organisation_id
        return self.filter(
            Q(organisation_id=org) | Q(**{f"{self.model.ADDRESSEE}_id": org})
        )._mark_scoped()

    def addressed_to(self, organisation) -> Self:
        return self.filter(**{self.model.ADDRESSEE: organisation})._mark_scoped()


def reason_field() -> EncryptedTextField:
    """The addressee's reason for its answer (the requester reads it)."""
    return EncryptedTextField(_("reason"), blank=True, max_length=NEEDS_MAX_LENGTH, editable=False)


def answered_at_field() -> models.DateTimeField:
    return models.DateTimeField(null=True, blank=True, editable=False)


def due_at_field() -> models.DateTimeField:
    """When the answer is due: set from the request's urgency and the addressee's service
    level when the request is submitted or the referral made (relocation.services.deadlines)."""
    return models.DateTimeField(_("answer due"), null=True, blank=True, editable=False)


def remind_at_field() -> models.DateTimeField:
    """When the addressee is reminded of the answer it owes (half the time allowed)."""
    return models.DateTimeField(null=True, blank=True, editable=False)


def answered_by_field() -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )


class Referral(TenantModel):
    """A referral from the requester (``organisation``) to its addressee, on one of its
    relocation requests. Subclasses add the request (each kind has its own related name), the
    addressee and what its decision needs."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    due_at = due_at_field()
    remind_at = remind_at_field()

    #: the field naming the organisation the referral is addressed to.
    ADDRESSEE: ClassVar[str] = ""
    #: the statuses in which the addressee owes its answer (by ``due_at``).
    AWAITING: ClassVar[tuple[str, ...]] = ()

    objects = TenantManager.from_queryset(AddressedQuerySet)()

    if TYPE_CHECKING:
        # Each kind declares these itself: its request's related name and its statuses differ.
        Status: ClassVar[type[models.TextChoices]]
        request: RelocationRequest
        request_id: Any
        status: str

        def get_status_display(self) -> str: ...

    class Meta:
        abstract = True

    @property
    def addressee_id(self) -> Any:
        return getattr(self, f"{self.ADDRESSEE}_id")

    @property
    def awaits_answer(self) -> bool:
        return self.status in self.AWAITING

    @property
    def is_overdue(self) -> bool:
        """The addressee still owes its answer and its deadline passed."""
        return self.awaits_answer and self.due_at is not None and self.due_at <= timezone.now()


class DecidedReferral(Referral):
    """A referral its addressee answers once, granted or refused (visa, grant): the reason,
    when and by whom."""

    decision_reason = reason_field()
    decided_at = answered_at_field()
    decided_by = answered_by_field()

    class Meta:
        abstract = True
