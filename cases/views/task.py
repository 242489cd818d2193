"""Task pages: the organisation's task list with its filters, a new task (on a case or the
organisation's own), one task with its form, and the steps (done, cancel, reopen, snooze,
assign) as plain form posts, so every step works without JavaScript. Also the case page's
"Tasks" panel.

Who: members read their organisation's tasks on the cases they still see (a task of a case
they may not open answers 404, as one that does not exist); writers (admins, officers) write,
and partners only while their share lets them add to the case (the services check again).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases.access import CaseAccess, get_case_for, require_writer
from cases.forms.task import AssignForm, SnoozeForm, TaskFilterForm, TaskForm
from cases.models import Case, Task
from cases.selectors.task import TASKS, TaskFilters, case_tasks_seen, tasks_for
from cases.services import task as task_services
from hrdcase.exceptions import StateConflict
from hrdcase.forms import add_service_errors
from hrdcase.pagination import paginate
from hrdcase.redirects import redirect_back
from hrdcase.tenancy import get_object_for

PAGE_SIZE = 50


def _days() -> dict[str, datetime.date]:
    """Today, and tomorrow: the first day a task can be snoozed to (the date picker's min)."""
    today = timezone.localdate()
    return {"today": today, "tomorrow": today + datetime.timedelta(days=1)}


def _task_for(request: HttpRequest, task_pk: Any) -> Task:
    return get_object_for(
        request.user,
        Task.objects.visible_to(request.user).select_related(
            "case", "assignee", "status_changed_by", "created_by"
        ),
        task_pk,
    )


@login_required
@require_GET
def task_list(request: HttpRequest) -> HttpResponse:
    form = TaskFilterForm(request.GET)
    status = 200
    if form.is_valid():
        data = form.cleaned_data
        filters = TaskFilters(who=data["who"] or "everyone", when=data["when"], case=data["case"])
    else:
        filters, status = TaskFilters(), 400
    tasks = tasks_for(request.user, filters) if status == 200 else Task.objects.unscoped().none()
    page = paginate(request, tasks, PAGE_SIZE)
    return render(
        request,
        "cases/tasks/list.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            **_days(),
            "can_write": request.user.can_write,
        },
        status=status,
    )


@login_required
def task_create(request: HttpRequest, pk: Any = None) -> HttpResponse:
    """A new task: on the case ``pk`` (its owner, or a partner that may add to it) or, without
    one, of the organisation."""
    case: Case | None = None
    if pk is not None:
        # The case first: another organisation's (or a missing) case is 404 for every role.
        case, access = get_case_for(request.user, pk)
        if case.purged_at:
            raise Http404  # nothing is added to a purged case
        if not can_add_task(access):
            raise PermissionDenied  # they see the case: a 403 tells them nothing new
    require_writer(request.user)
    form = TaskForm(request.POST or None, organisation_id=request.user.organisation_id)
    if request.method == "POST" and form.is_valid():
        try:
            task_services.task_create(case=case, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Task added."))
            default = reverse("cases:detail", args=[case.pk]) if case else reverse("cases:tasks")
            return redirect_back(request, default)
    return render(
        request,
        "cases/tasks/form.html",
        {"form": form, "case": case, "task": None},
        status=400 if form.errors else 200,
    )


@login_required
def task_detail(request: HttpRequest, task_pk: Any) -> HttpResponse:
    """One task, and (for writers) its form: POST changes it."""
    task = _task_for(request, task_pk)
    follow_up = task.kind == Task.Kind.FOLLOW_UP  # a logbook entry's: not edited here
    initial = {
        "title": task.title,
        "due_on": task.due_on,
        "notes": task.notes,
        "assignee": task.assignee_id,
    }
    form = TaskForm(
        request.POST or None,
        initial=initial,
        organisation_id=task.organisation_id,
        follow_up=follow_up,
    )
    if request.method == "POST":
        require_writer(request.user)
        if form.is_valid():
            data = dict(form.cleaned_data)
            if follow_up:  # disabled fields: the entry's title and date
                del data["title"]
                del data["due_on"]
            try:
                task_services.task_update(task=task, acting_user=request.user, **data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Task saved."))
                return redirect("cases:task_detail", task_pk=task.pk)
    return render(
        request,
        "cases/tasks/detail.html",
        {
            "task": task,
            "form": form,
            "snooze_form": SnoozeForm(),
            **_days(),
            "can_write": request.user.can_write,
        },
        status=400 if form.errors else 200,
    )


#: the steps a task page, the case panel, the list and Home post to ``task_step``.
STEPS = ("done", "cancel", "reopen", "snooze", "wake", "assign")


@login_required
@require_POST
def task_step(request: HttpRequest, task_pk: Any, step: str) -> HttpResponse:
    task = _task_for(request, task_pk)
    if step not in STEPS:
        raise Http404
    require_writer(request.user)
    try:
        message = _take_step(request, task, step)
    except StateConflict as conflict:
        messages.error(request, conflict.message)
        return _back_with_status(request, task, 409)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return _back_with_status(request, task, 400)
    messages.success(request, message)
    return redirect_back(request, reverse("cases:task_detail", kwargs={"task_pk": task.pk}))


def _back_with_status(request: HttpRequest, task: Task, status: int) -> HttpResponse:
    """A refused step: the task's page with the message, answering the step's 4xx (nothing
    was written), so a script or a test sees the refusal, and a person reads why."""
    return render(
        request,
        "cases/tasks/detail.html",
        {
            "task": task,
            "form": None,
            "snooze_form": SnoozeForm(request.POST if "until" in request.POST else None),
            **_days(),
            "can_write": request.user.can_write,
        },
        status=status,
    )


def _take_step(request: HttpRequest, task: Task, step: str) -> str:
    user = request.user
    if step == "done":
        task_services.task_complete(task=task, acting_user=user)
        return _("Task done.")
    if step == "cancel":
        task_services.task_cancel(task=task, acting_user=user)
        return _("Task cancelled.")
    if step == "reopen":
        task_services.task_reopen(task=task, acting_user=user)
        return _("Task reopened.")
    if step == "wake":
        task_services.task_snooze(task=task, until=None, acting_user=user)
        return _("The task is back in the queue.")
    if step == "snooze":
        form = SnoozeForm(request.POST)
        if not form.is_valid():
            raise ValidationError(form.errors.get("until") or _("Enter a date."))
        task_services.task_snooze(task=task, until=form.cleaned_data["until"], acting_user=user)
        return _("Task snoozed until %(date)s.") % {"date": _day(form.cleaned_data["until"])}
    form = AssignForm(request.POST, organisation_id=task.organisation_id)
    if not form.is_valid():
        raise ValidationError(form.errors.get("assignee") or _("Choose whom to assign it to."))
    task_services.task_update(task=task, assignee=form.cleaned_data["assignee"], acting_user=user)
    return _("Task assigned.")


def _day(value: Any) -> str:
    return date_format(value, "DATE_FORMAT")


# --- the case page ------------------------------------------------------------------------------


def can_add_task(access: CaseAccess) -> bool:
    """The owner's writers, and a partner's writers whose share lets them add to the case."""
    return access.can_write_role and access.has(task_services.NEED_TASK)


def tasks_panel(request: HttpRequest, case: Case, access: CaseAccess) -> dict[str, Any] | None:
    """The "Tasks" panel: the viewer's organisation's open tasks on the case, with the steps
    and a short form for writers. Hidden on a purged case (nothing is left to do) and from a
    partner whose share does not open the case page's entries (relocation)."""
    if case.purged_at or not access.has("view_case"):
        return None
    can_write = can_add_task(access)
    return {
        "tasks": case_tasks_seen(case, request.user, access),
        **_days(),
        "can_write": can_write,
        "form": TaskForm(organisation_id=request.user.organisation_id) if can_write else None,
        "snooze_form": SnoozeForm() if can_write else None,
        "next": request.get_full_path(),
        "list_url": f"{reverse('cases:tasks')}?case={case.pk}",
        "part": TASKS,
    }
