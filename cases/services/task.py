"""Writes of tasks: create, change, assign, complete, cancel, reopen, snooze, and the sync that
keeps a feature's task (a logbook follow-up) in step with its record.

Who may write: a writer (admin, officer) of the task's organisation; for a task on a case,
only while that organisation may still add to the case (``require_case_write`` with
``add_shared_entry``: the owner, or a ``full``/``feedback`` partner whose share is live).
Viewers are refused. Each service checks this itself, whatever its caller checked.
"""

from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.access import require_case_write
from cases.models import Case, Task
from cases.models.task import NOTES_MAX_LENGTH, TITLE_MAX_LENGTH
from cases.services.retention import blank_fields
from cases.signals import task_assigned
from hrdcase.audit import audit_record
from hrdcase.dates import plausible_date_errors
from hrdcase.exceptions import StateConflict
from hrdcase.text import validate_single_line

if TYPE_CHECKING:
    from accounts.models import Organisation, User

#: the part a partner's share must grant for its writers to keep tasks on a case.
NEED_TASK = "add_shared_entry"


class _Unset:
    """A keyword not given to ``task_update`` (``None`` means "nobody" for the assignee)."""


UNSET: Any = _Unset()


# --- checks -----------------------------------------------------------------------------------


def _require_org_writer(acting_user: User, organisation_id: Any) -> None:
    organisation = acting_user.organisation if acting_user.organisation_id else None
    if (
        organisation is None
        or organisation.pk != organisation_id
        or not organisation.is_active
        or not acting_user.can_write
    ):
        raise PermissionDenied


def require_task_write(*, task: Task, acting_user: User) -> None:
    """The acting user may change ``task`` now: a writer of its organisation, which may still
    add to its case. ``PermissionDenied`` otherwise."""
    _require_org_writer(acting_user, task.organisation_id)
    case = task.case if task.case_id is not None else None
    if case is not None:
        require_case_write(case=case, acting_user=acting_user, need=NEED_TASK)


def _field_errors(
    *,
    title: Any = UNSET,
    notes: Any = UNSET,
    due_on: Any = UNSET,
    assignee: Any = UNSET,
    organisation_id: Any,
) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    if title is not UNSET:
        if not isinstance(title, str) or not title.strip():
            errors["title"] = _("Say what is to be done: the title cannot be empty.")
        elif len(title.strip()) > TITLE_MAX_LENGTH:
            errors["title"] = _("Keep the title under %(n)d characters; use the notes.") % {
                "n": TITLE_MAX_LENGTH
            }
        else:
            try:
                validate_single_line(title)
            except ValidationError as error:
                errors["title"] = error.messages
    if notes is not UNSET and (not isinstance(notes, str) or len(notes) > NOTES_MAX_LENGTH):
        errors["notes"] = _("Keep the notes under %(n)d characters.") % {"n": NOTES_MAX_LENGTH}
    if due_on is not UNSET:
        if not isinstance(due_on, datetime.date):
            errors["due_on"] = _("Enter the date the task is due.")
        else:
            errors.update(plausible_date_errors({"due_on": due_on}))
    if assignee is not UNSET and assignee is not None:
        errors.update(_assignee_errors(assignee, organisation_id))
    return errors


#: the one refusal of an assignee (a serializer gives it for an id of nobody too).
ASSIGNEE_REFUSED = gettext_lazy("Assign the task to an officer or admin of your organisation.")


def _assignee_errors(assignee: User, organisation_id: Any) -> dict[str, str]:
    """A task goes to a writer of its organisation (a viewer could not mark it done)."""
    if (
        assignee.organisation_id != organisation_id
        or not assignee.is_active
        or not assignee.can_write
    ):
        return {"assignee": str(ASSIGNEE_REFUSED)}
    return {}


def _told(task: Task, acting_user: User | None) -> None:
    """The assignee hears of a task given to them by someone else (alerts, in the same
    transaction: the notification commits or rolls back with the task)."""
    if task.assignee_id is not None and (acting_user is None or task.assignee_id != acting_user.pk):
        task_assigned.send(sender=Task, task=task, acting_user=acting_user)


def _audit(action: str, task: Task, acting_user: User | None, **data: Any) -> None:
    # Ids and dates only: a title may name people, the audit trail outlives the task.
    audit_record(
        action=f"task.{action}",
        actor=acting_user,
        organisation=task.organisation,
        target=task.case if task.case_id else task,
        data={"task": str(task.pk), **data},
    )


# --- create and change --------------------------------------------------------------------------


@transaction.atomic
def task_create(
    *,
    title: str,
    due_on: datetime.date,
    acting_user: User,
    case: Case | None = None,
    notes: str = "",
    assignee: User | None = None,
) -> Task:
    """A task of the acting user's organisation, on ``case`` (which it owns or follows with a
    share that lets it add entries) or on its own."""
    _require_org_writer(acting_user, acting_user.organisation_id)
    if case is not None:
        require_case_write(case=case, acting_user=acting_user, need=NEED_TASK)
    errors = _field_errors(
        title=title,
        notes=notes,
        due_on=due_on,
        assignee=assignee,
        organisation_id=acting_user.organisation_id,
    )
    if case is not None and case.purged_at:
        errors["case"] = _("This case was purged: nothing can be added to it.")
    if errors:
        raise ValidationError(errors)
    task = Task(
        organisation=acting_user.organisation,
        case=case,
        title=title.strip(),
        notes=notes.strip(),
        due_on=due_on,
        assignee=assignee,
        created_by=acting_user,
    )
    task.save()
    _audit("create", task, acting_user, due_on=due_on.isoformat())
    _told(task, acting_user)
    return task


@transaction.atomic
def task_update(
    *,
    task: Task,
    acting_user: User,
    title: Any = UNSET,
    notes: Any = UNSET,
    due_on: Any = UNSET,
    assignee: Any = UNSET,
) -> Task:
    """Change what is given (``assignee=None``: nobody, anybody of the organisation may take
    it). A follow-up's title and due date are its logbook entry's: correct the entry."""
    require_task_write(task=task, acting_user=acting_user)
    errors = _field_errors(
        title=title,
        notes=notes,
        due_on=due_on,
        assignee=assignee,
        organisation_id=task.organisation_id,
    )
    # A logbook follow-up is kept in step with its entry; a return plan's follow-up is the
    # organisation's to move like any task (relocation set it up once, never syncs it).
    if task.kind == Task.Kind.FOLLOW_UP:
        message = _("A follow-up takes its title and date from its logbook entry: correct it.")
        if title is not UNSET and title.strip() != task.title:
            errors.setdefault("title", message)
        if due_on is not UNSET and due_on != task.due_on:
            errors.setdefault("due_on", message)
    if errors:
        raise ValidationError(errors)
    changed = _apply(task, title=title, notes=notes, due_on=due_on, assignee=assignee)
    if changed:
        task.save(update_fields=[*changed, "updated_at"])
        data: dict[str, Any] = {"fields": sorted(changed)}
        if "assignee" in changed:
            data["assignee"] = str(task.assignee_id or "")
        _audit("update", task, acting_user, **data)
        if "assignee" in changed:
            _told(task, acting_user)
    return task


def _apply(task: Task, **values: Any) -> list[str]:
    changed = []
    for name, value in values.items():
        if value is UNSET:
            continue
        if isinstance(value, str):
            value = value.strip()
        if getattr(task, name) != value:
            setattr(task, name, value)
            changed.append(name)
    if "due_on" in changed and task.snoozed_until and task.snoozed_until <= task.due_on:
        # A snooze that ends before the new due date would only hide nothing: it goes.
        task.snoozed_until = None
        changed.append("snoozed_until")
    return changed


# --- the status ---------------------------------------------------------------------------------


def _set_status(task: Task, status: str, acting_user: User | None) -> None:
    task.status = status
    task.status_changed_at = timezone.now()
    task.status_changed_by = acting_user
    task.snoozed_until = None
    task.save(
        update_fields=[
            "status",
            "status_changed_at",
            "status_changed_by",
            "snoozed_until",
            "updated_at",
        ]
    )


def _require_open(task: Task) -> None:
    if task.status != Task.Status.OPEN:
        message = (
            _("This task is already done.")
            if task.status == Task.Status.DONE
            else _("This task was cancelled.")
        )
        raise StateConflict(message, allowed=["reopen"])


@transaction.atomic
def task_complete(*, task: Task, acting_user: User) -> Task:
    require_task_write(task=task, acting_user=acting_user)
    _require_open(task)
    _set_status(task, Task.Status.DONE, acting_user)
    _audit("complete", task, acting_user)
    return task


@transaction.atomic
def task_cancel(*, task: Task, acting_user: User) -> Task:
    require_task_write(task=task, acting_user=acting_user)
    _require_open(task)
    _set_status(task, Task.Status.CANCELLED, acting_user)
    _audit("cancel", task, acting_user)
    return task


@transaction.atomic
def task_reopen(*, task: Task, acting_user: User) -> Task:
    require_task_write(task=task, acting_user=acting_user)
    if task.status == Task.Status.OPEN:
        raise StateConflict(_("This task is open already."), allowed=["done", "cancel", "snooze"])
    _set_status(task, Task.Status.OPEN, acting_user)
    _audit("reopen", task, acting_user)
    return task


@transaction.atomic
def task_snooze(*, task: Task, until: datetime.date | None, acting_user: User) -> Task:
    """Hide an open task from the work queue until ``until`` (``None``: wake it now). A task
    whose due date passes meanwhile comes back on ``until`` as overdue, and is reminded then
    (``cases.models.task``)."""
    require_task_write(task=task, acting_user=acting_user)
    _require_open(task)
    if until is not None:
        errors = plausible_date_errors({"until": until})
        if not errors and until <= timezone.localdate():
            errors["until"] = _("Snooze the task to a day after today.")
        if errors:
            raise ValidationError(errors)
    task.snoozed_until = until
    task.save(update_fields=["snoozed_until", "updated_at"])
    _audit("snooze", task, acting_user, until=until.isoformat() if until else "")
    return task


# --- a feature's task ---------------------------------------------------------------------------


@transaction.atomic
def task_sync_from_source(
    *,
    kind: str,
    source_id: uuid.UUID,
    organisation: Organisation,
    case: Case | None,
    title: str,
    due_on: datetime.date | None,
    assignee: User | None,
    acting_user: User,
) -> Task | None:
    """Keep the one task of a feature's record (``kind``, ``source_id``) in step with it.
    The feature calls this when the record's due date is set, changed or cleared by
    ``acting_user`` (who must be allowed to write the record: checked here again), not when a
    correction keeps the date (a task done or cancelled then stays so).

    - a due date: the task is created, or takes the date, the title and ``assignee`` and is
      open again (a new follow-up; its snooze ends);
    - no due date any more: an open task is cancelled.

    Returns the task, or ``None`` when there is none."""
    _require_org_writer(acting_user, organisation.pk)
    if case is not None:
        require_case_write(case=case, acting_user=acting_user, need=NEED_TASK)
    if kind == Task.Kind.MANUAL or kind not in Task.Kind.values:
        raise ValueError(f"not a feature's task kind: {kind!r}")
    task = (
        Task.objects.owned_by(organisation)
        .select_for_update()
        .filter(kind=kind, source_id=source_id)
        .first()
    )
    if due_on is None:
        if task is not None and task.is_open:
            _set_status(task, Task.Status.CANCELLED, acting_user)
            _audit("cancel", task, acting_user, source=str(source_id))
        return task
    title = title.strip()[:TITLE_MAX_LENGTH]
    if task is None:
        task = Task(
            organisation=organisation,
            case=case,
            kind=kind,
            source_id=source_id,
            title=title,
            due_on=due_on,
            assignee=assignee,
            created_by=acting_user,
        )
        task.save()
        _audit("create", task, acting_user, source=str(source_id), due_on=due_on.isoformat())
        _told(task, acting_user)
        return task
    reassigned = task.assignee_id != (assignee.pk if assignee else None)
    task.title = title
    task.due_on = due_on
    task.assignee = assignee
    task.save(update_fields=["title", "due_on", "assignee", "updated_at"])
    # Open again, snooze ended (_set_status clears it), whether it was open or not.
    _set_status(task, Task.Status.OPEN, acting_user)
    _audit("update", task, acting_user, source=str(source_id), due_on=due_on.isoformat())
    if reassigned:
        _told(task, acting_user)
    return task


# --- retention --------------------------------------------------------------------------------

#: what a purged case's tasks are called: a title may name people, the purge keeps none.
PURGED_TITLE = "—"


def tasks_purge(case: Case) -> None:
    """A purged case has nothing left to do: its open tasks are cancelled (by the platform),
    and every task's title and notes go (they may name people); dates and statuses stay."""
    # unscoped: the purge job runs for every tenant; narrowed to this case.
    for task in Task.objects.unscoped().filter(case=case):
        if task.is_open:
            _set_status(task, Task.Status.CANCELLED, None)
        blank_fields(task, ("notes",))
        if task.title != PURGED_TITLE:
            task.title = PURGED_TITLE
            task.save(update_fields=["title"])
