"""Tasks: something an organisation must do by a date, on a case or on its own.

A task is the one model of "something to do by a date" (DESIGN.md, "What is due, and who is
waiting"): typed by a user (``manual``) or kept in step with a feature's record
(``follow_up``: a logbook entry's follow-up date, ``source_id`` = the entry's first version).
The other due items (detention benchmarks, hearings to observe, risk reviews, visa
deadlines) stay in their own models; Home and the calendar read them from their selectors.

``organisation`` is whose work it is: the case's owner, a partner that follows the case, or
any organisation for a task of its own (no case). A partner's tasks on a case disappear from
its view with its share (``visible_to``), and come back if the case is shared again.

Snoozing: ``snoozed_until`` hides an open task from the work queue until that day, because
the user said "not before then". If the due date passes during the snooze, the task comes
back on the snooze's last day *as overdue* and is reminded then: a snooze delays a task, it
never lets its due date pass unnoticed. The organisation's task list always shows snoozed
tasks, marked as such.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hrdcase.dates import PlausibleDateValidator
from hrdcase.fields import EncryptedTextField
from hrdcase.tenancy import TenantManager, TenantModel, TenantQuerySet, member_in_force
from hrdcase.text import validate_single_line

if TYPE_CHECKING:
    from accounts.models import User

TITLE_MAX_LENGTH = 200
NOTES_MAX_LENGTH = 5000


class TaskQuerySet(TenantQuerySet):
    def visible_to(self, user: User) -> Self:  # type: ignore[override]
        """The user's organisation's tasks whose case (if any) the user still sees: a task
        hangs on its case, so a partner's tasks end with its share (DESIGN.md, "When access
        ends") and a task never opens a case its reader may not open."""
        if not member_in_force(user):
            return self.none()._mark_scoped()
        from cases.models.case import Case

        return self.filter(
            Q(case__isnull=True) | Q(case_id__in=Case.objects.visible_ids(user)),
            organisation_id=user.organisation_id,
        )._mark_scoped()

    def open(self) -> Self:
        return self.filter(status=Task.Status.OPEN)

    def awake(self, today: datetime.date) -> Self:
        """Open tasks not snoozed past ``today`` (what the work queue shows)."""
        return self.filter(Q(snoozed_until__isnull=True) | Q(snoozed_until__lte=today))


class Task(TenantModel):
    """Something ``organisation`` must do by ``due_on``, on ``case`` or on its own."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    class Kind(models.TextChoices):
        MANUAL = "manual", _("Task")
        FOLLOW_UP = "follow_up", _("Logbook follow-up")
        #: the follow-up of a return plan (relocation; ``source_id`` = the plan).
        RETURN_PLAN = "return_plan", _("Follow-up after the return")

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("case"),
    )
    title = models.CharField(
        _("title"), max_length=TITLE_MAX_LENGTH, validators=[validate_single_line]
    )
    notes = EncryptedTextField(_("notes"), blank=True, max_length=NOTES_MAX_LENGTH)
    due_on = models.DateField(_("due on"), validators=[PlausibleDateValidator()])
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
        help_text=_("Nobody: anybody of the organisation may take it."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("status changed by"),
    )
    snoozed_until = models.DateField(_("snoozed until"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.MANUAL)
    # The record a feature's task is kept in step with (a follow-up: the entry's first
    # version), so a correction updates the same task instead of adding one.
    source_id = models.UUIDField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = TenantManager.from_queryset(TaskQuerySet)()

    class Meta:
        ordering = ["due_on", "created_at"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [
            # One task per feature record: a sync that runs twice updates, never doubles.
            models.UniqueConstraint(
                fields=["kind", "source_id"],
                condition=Q(source_id__isnull=False),
                name="task_one_per_source",
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(status_changed_at__isnull=False),
                name="task_closed_has_date",
            ),
        ]
        indexes = [
            # The work queue and the organisation's list: open tasks by due date.
            models.Index(fields=["organisation", "status", "due_on"], name="task_org_status_due"),
            models.Index(fields=["assignee", "status", "due_on"], name="task_assignee_due"),
            # The case page's panel; the reminder sweep reads (status, due_on / snoozed_until).
            models.Index(fields=["case", "status", "due_on"], name="task_case_status_due"),
            models.Index(fields=["status", "due_on"], name="task_status_due"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.due_on:%Y-%m-%d}, {self.status})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def is_overdue(self, today: datetime.date) -> bool:
        return self.is_open and self.due_on < today
