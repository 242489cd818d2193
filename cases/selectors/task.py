"""Reads of tasks, always through ``Task.objects.visible_to(user)``: the user's organisation's
tasks whose case, if any, the user still sees."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db.models import Case as Choose
from django.db.models import IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from cases.models import Task

if TYPE_CHECKING:
    from accounts.models import User


def open_tasks_for(user: User, *, until: datetime.date | None = None) -> QuerySet[Task]:
    """The user's work queue of tasks: open tasks assigned to them, then the unassigned open
    tasks of their organisation, each group by due date (then by when it was written).

    Overdue tasks are never dropped, however old (a bug of the follow-up reminders: those
    overdue by more than a week fell off); ``until`` only bounds the future (tasks due on or
    before that day). A task snoozed past today is left out until its snooze ends; it then
    shows, as overdue if its due date passed meanwhile (``cases.models.task``).

    Unassigned tasks are offered to writers only: a viewer cannot take them (the services
    refuse), so they are not "what needs me now" for a viewer. Rows carry ``mine`` (1 for the
    user's own, 0 for unassigned) and come with their case and assignee."""
    today = timezone.localdate()
    tasks = Task.objects.visible_to(user).open().awake(today)
    if user.can_write:
        tasks = tasks.filter(Q(assignee_id=user.pk) | Q(assignee__isnull=True))
    else:
        tasks = tasks.filter(assignee_id=user.pk)
    if until is not None:
        tasks = tasks.filter(due_on__lte=until)
    return (
        tasks.annotate(
            mine=Choose(
                When(assignee_id=user.pk, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .select_related("case", "assignee")
        .order_by("-mine", "due_on", "created_at")
    )
