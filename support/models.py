"""Support requests (issue 21, item 1): an organisation that follows a case asks a named
mission for a kind of diplomatic support; the mission accepts (a diplomatic action is
created, linked here) or declines, then reports the outcome back to the requester.

``organisation`` is the requester. The receiver sees the request (the case's reference and
pseudonym, the kind, reason, dates) and never more of the case than a share gives it: a
request opens nothing (docs/support.md)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from hrdcase.fields import EncryptedTextField
from hrdcase.tenancy import TenantManager, TenantModel, TenantQuerySet, member_in_force
from logbooks.models import ActionType
from relocation.models import Urgency

REASON_MAX_LENGTH = 4000


class SupportKind(models.TextChoices):
    """The support an organisation may ask of a mission: the one taxonomy pages, the API and
    the translations read."""

    TRIAL_OBSERVATION = "trial_observation", _("Trial observation")
    PRISON_VISIT = "prison_visit", _("Prison visit")
    DEMARCHE = "demarche", _("Démarche")
    PUBLIC_STATEMENT = "public_statement", _("Public statement")
    MEETING = "meeting", _("Meeting with the authorities")
    VISA_SUPPORT = "visa_support", _("Visa support")
    OTHER = "other", _("Other")


#: the diplomatic action an accepted request creates, by kind. Visa support and "other" are
#: no diplomatic action of the taxonomy: the request itself carries their answer and outcome.
ACTION_TYPES: dict[str, str] = {
    SupportKind.TRIAL_OBSERVATION: ActionType.TRIAL_OBSERVATION,
    SupportKind.PRISON_VISIT: ActionType.PRISON_VISIT,
    SupportKind.DEMARCHE: ActionType.DEMARCHE,
    SupportKind.PUBLIC_STATEMENT: ActionType.PUBLIC_STATEMENT,
    SupportKind.MEETING: ActionType.INFORMAL_APPROACH,
}

#: kinds that speak publicly about the defender: asked (and accepted) only with the
#: defender's public-action consent on the case.
PUBLIC_KINDS = frozenset({SupportKind.PUBLIC_STATEMENT})


class SupportStatus(models.TextChoices):
    OPEN = "open", _("Awaiting an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    DONE = "done", _("Done: outcome reported")
    WITHDRAWN = "withdrawn", _("Withdrawn")


#: the urgencies whose unanswered requests are reminded and escalated.
CHASED_URGENCIES = (Urgency.URGENT, Urgency.EMERGENCY)


class SupportRequestQuerySet(TenantQuerySet):
    def visible_to(self, user: Any) -> SupportRequestQuerySet:
        """The requests the user's organisation made on a case it still sees, those addressed
        to it (whatever it sees of the case: the request is addressed to it), and, for the
        case's owner, every request a partner made on its case (its case: it may share it
        with the mission from the request)."""
        if not member_in_force(user):
            return self.none()._mark_scoped()
        org = user.organisation_id
        mine = Q(organisation_id=org, case_id__in=Case.objects.visible_ids(user))
        return self.filter(mine | Q(receiver_id=org) | Q(case__organisation_id=org))._mark_scoped()

    def addressed_to(self, user: Any) -> SupportRequestQuerySet:
        if not member_in_force(user):
            return self.none()._mark_scoped()
        return self.filter(receiver_id=user.organisation_id)._mark_scoped()


class SupportRequest(TenantModel):
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="support_requests", verbose_name=_("case")
    )
    receiver = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("asked of"),
    )
    #: the protection network the request was sent through (one request per member mission).
    network = models.ForeignKey(
        "accounts.ProtectionNetwork",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("through the network"),
    )
    kind = models.CharField(_("support asked"), max_length=20, choices=SupportKind.choices)
    reason = EncryptedTextField(_("why"), max_length=REASON_MAX_LENGTH)
    needed_by = models.DateField(_("needed by"))
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices)
    hearing = models.ForeignKey(
        "cases.Hearing",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hearing"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=SupportStatus.choices, default=SupportStatus.OPEN
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    #: the receiver's answer: its note on accepting, its reason on declining.
    answer = EncryptedTextField(_("answer"), blank=True, max_length=REASON_MAX_LENGTH)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    action = models.OneToOneField(
        "logbooks.DiplomaticAction",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_request",
        verbose_name=_("diplomatic action"),
    )
    outcome = EncryptedTextField(_("outcome"), blank=True, max_length=REASON_MAX_LENGTH)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reported_at = models.DateTimeField(null=True, blank=True)
    #: the answer is owed by (its urgency, capped by the day it is needed), reminded at half.
    due_at = models.DateTimeField(null=True, blank=True)
    remind_at = models.DateTimeField(null=True, blank=True)
    #: when the requester last opened the request: an answer or outcome after it is news.
    requester_seen_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantManager.from_queryset(SupportRequestQuerySet)()  # type: ignore[misc]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")
        constraints = [
            # One open request per case, receiver and kind: asking twice is a duplicate.
            models.UniqueConstraint(
                fields=["case", "receiver", "kind"],
                condition=Q(status="open"),
                name="one_open_support_request",
            ),
        ]
        indexes = [
            models.Index(fields=["receiver", "status"], name="support_receiver_status"),
            models.Index(fields=["status", "due_at"], name="support_status_due"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.case_id} -> {self.receiver_id} ({self.status})"

    @property
    def action_type(self) -> str | None:
        return ACTION_TYPES.get(self.kind)
