"""Reads of tasks, always through ``Task.objects.visible_to(user)``: the user's organisation's
tasks whose case, if any, the user still sees."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Case as Choose
from django.db.models import Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from cases.models import Task

if TYPE_CHECKING:
    from accounts.models import User
    from cases.access import CaseAccess
    from cases.models import Case


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


#: "this week" in the task list and the API: due after today and within this many days.
WEEK_DAYS = 7


@dataclass(frozen=True)
class TaskFilters:
    """The task list's filters: ``who`` (everyone, mine, unassigned), ``when`` ("" for every
    open task, overdue, today, week, later, snoozed, done, cancelled), ``case`` (one case's)."""

    who: str = "everyone"
    when: str = ""
    case: uuid.UUID | None = None


def tasks_for(user: User, filters: TaskFilters | None = None) -> QuerySet[Task]:
    """The organisation's task list: open tasks by due date (snoozed ones included, marked by
    the page: the list hides nothing), or the done or cancelled ones, latest first."""
    filters = filters or TaskFilters()
    today = timezone.localdate()
    tasks = Task.objects.visible_to(user).select_related("case", "assignee", "status_changed_by")
    if filters.who == "mine":
        tasks = tasks.filter(assignee_id=user.pk)
    elif filters.who == "unassigned":
        tasks = tasks.filter(assignee__isnull=True)
    if filters.case is not None:
        tasks = tasks.filter(case_id=filters.case)
    if filters.when in (Task.Status.DONE, Task.Status.CANCELLED):
        return tasks.filter(status=filters.when).order_by("-status_changed_at", "-created_at")
    week_end = today + datetime.timedelta(days=WEEK_DAYS)
    when = {
        "overdue": Q(due_on__lt=today),
        "today": Q(due_on=today),
        "week": Q(due_on__gt=today, due_on__lte=week_end),
        "later": Q(due_on__gt=week_end),
        "snoozed": Q(snoozed_until__gt=today),
    }.get(filters.when, Q())
    return tasks.open().filter(when).order_by("due_on", "created_at")


#: the key of the case page's read of tasks (``CaseAccess.remember``, cases.registries.parts).
TASKS = "cases.tasks"


def case_tasks_seen(case: Case, user: User, access: CaseAccess) -> list[Task]:
    """``case_tasks`` read once per case page."""
    return access.remember(TASKS, lambda: list(case_tasks(case, user)))


def case_tasks(case: Case, user: User) -> QuerySet[Task]:
    """The open tasks of the user's organisation on ``case`` (the case page's panel; the
    caller opened the case for the user), by due date."""
    return (
        Task.objects.visible_to(user)
        .open()
        .filter(case=case)
        .select_related("assignee")
        .order_by("due_on", "created_at")
    )


#: the reminder sweep looks this far back: a task due (or waking) earlier was reminded by an
#: earlier sweep (the reminder's key makes a repeat harmless); the window keeps each minute's
#: scan small however many tasks stay overdue.
REMIND_WINDOW = datetime.timedelta(days=14)


def tasks_due(now: datetime.datetime) -> list[tuple[Task, datetime.date]]:
    """Every organisation's open tasks to remind at ``now``, each with its organisation's
    today (its time zone's: a task due on the 5th is due from the 5th's midnight where the
    organisation works, not the server's): due that day or overdue, not snoozed past it,
    fallen due (or woken from a snooze) within ``REMIND_WINDOW``; of an active organisation
    that still sees the task's case (its owner, or a partner whose live share opens the case
    page), on a case neither closed nor purged. For the alerts beat sweep only."""
    from accounts.timezones import ONE_DAY, days_anywhere, zone
    from cases.models import Case, CaseShare

    latest = days_anywhere(now)[1]
    since = latest - REMIND_WINDOW - ONE_DAY
    live_share = (
        CaseShare.objects.unscoped()
        .live(now)
        .filter(
            case_id=OuterRef("case_id"),
            partner_id=OuterRef("organisation_id"),
            level__in=[CaseShare.Level.FULL, CaseShare.Level.FEEDBACK],
        )
    )
    # unscoped: the sweep reminds every organisation; each task goes to its own people.
    rows = (
        Task.objects.unscoped()
        .open()
        .awake(latest)
        .filter(due_on__lte=latest, organisation__is_active=True)
        .filter(Q(due_on__gte=since) | Q(snoozed_until__gte=since))
        .filter(
            Q(case__isnull=True)
            | Q(case__organisation_id=F("organisation_id"), case__purged_at__isnull=True)
            | Q(Exists(live_share), case__purged_at__isnull=True)
        )
        .exclude(case__status=Case.Status.CLOSED)
        .select_related("case", "assignee", "organisation")
        .order_by("due_on", "created_at")
    )
    due = []
    for task in rows:
        today = timezone.localdate(now, zone(task.organisation.time_zone))
        if task.due_on <= today and not (task.snoozed_until and task.snoozed_until > today):
            due.append((task, today))
    return due
