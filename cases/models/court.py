"""Court proceedings on a case, with or without a detention (issue 21, item 3).

Most criminalised defenders are not held: they face judicial harassment or a SLAPP suit while
free. A ``Proceeding`` is the court case (court, number, charges, the defender's role, the
lawyer); its hearings are ``cases.models.detention.Hearing`` rows (``Hearing.proceeding``),
and each hearing can have missions planned to observe it (``HearingObserver``). A detention
keeps its own record and may link to the proceeding it belongs to (``Detention.proceeding``).
Part of the full file, like incidents and detentions.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hrdcase.fields import EncryptedTextField
from hrdcase.tenancy import TenantModel


class DefenderRole(models.TextChoices):
    DEFENDANT = "defendant", _("Defendant")
    SLAPP_DEFENDANT = "slapp_defendant", _("Defendant in a SLAPP suit")
    WITNESS = "witness", _("Witness")
    PLAINTIFF = "plaintiff", _("Plaintiff")
    OTHER = "other", _("Other")


class ProceedingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    APPEAL = "appeal", _("On appeal")
    ACQUITTED = "acquitted", _("Acquitted")
    CONVICTED = "convicted", _("Convicted")
    DISMISSED = "dismissed", _("Dismissed or dropped")
    CLOSED = "closed", _("Closed")


#: statuses in which hearings are still expected (the 48-hour alert looks at these only).
LIVE_PROCEEDING_STATUSES = (ProceedingStatus.OPEN, ProceedingStatus.APPEAL)


class Proceeding(TenantModel):
    """One court case against (or involving) the defender. The court is plain text (it does
    not identify the defender, and the 48-hour alert and the observers' view name it); the
    case number, the charges and the lawyer are encrypted, like Detention's."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="proceedings", verbose_name=_("case")
    )
    court = models.CharField(_("court"), max_length=200)
    case_number = EncryptedTextField(_("court case number"), blank=True, max_length=200)
    charges = EncryptedTextField(_("charges"), blank=True, max_length=5000)
    defender_role = models.CharField(
        _("the defender's role"),
        max_length=20,
        choices=DefenderRole.choices,
        default=DefenderRole.DEFENDANT,
    )
    lawyer = EncryptedTextField(
        _("lawyer"), blank=True, max_length=1000, help_text=_("Name and how to reach them safely.")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ProceedingStatus.choices, default=ProceedingStatus.OPEN
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("court proceeding")
        verbose_name_plural = _("court proceedings")
        indexes = [models.Index(fields=["case", "-created_at"], name="proceeding_case")]

    def __str__(self) -> str:
        return f"{self.court} ({self.status})"


class ObserverStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ATTENDED = "attended", _("Attended")
    ABSENT = "absent", _("Did not attend")


class HearingObserver(models.Model):
    """A mission (``organisation``) planned to observe a hearing, and who goes (``observer``,
    empty while the mission has not named anyone), then whether it attended.

    Not a tenant row, like ``logbooks.ActionParticipant``: the observing mission is often not
    the case's owner and may not see the case at all (it accepted a support request). It is
    read through its hearing (the case's full file) or, by the mission itself, as its own
    rows (``organisation``) showing the hearing's date and court, never the case."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    hearing = models.ForeignKey("cases.Hearing", on_delete=models.CASCADE, related_name="observers")
    organisation = models.ForeignKey(
        settings.TENANT_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("observer"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ObserverStatus.choices, default=ObserverStatus.PLANNED
    )
    note = EncryptedTextField(_("note"), blank=True, max_length=2000)
    #: what planned it, for traceability: "" (the case page, the API), "action:<id>" (a
    #: logged trial observation), "entry:<id>" (the owner's internal quick-log trial
    #: observation, which records no action), "support:<id>" (an accepted support request).
    source = models.CharField(max_length=100, blank=True)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("hearing observer")
        verbose_name_plural = _("hearing observers")
        constraints = [
            models.UniqueConstraint(
                fields=["hearing", "organisation"], name="hearing_observer_once_per_org"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.status}"
