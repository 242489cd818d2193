"""The check-ins of a case: the schedule (set and stopped by the owner's writers) and the
check-ins heard (logged by writers with full access)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alerts.access import open_full_case, require_case_editor
from alerts.forms.checkins import CheckInForm, CheckInScheduleForm
from alerts.models import CheckIn
from alerts.services.checkins import (
    active_schedule,
    checkin_log,
    checkin_schedule_set,
    checkin_schedule_stop,
    last_check_in,
    next_due,
)
from cases.access import require_writer
from hrdcase.forms import add_service_errors


@login_required
def check_ins(request: HttpRequest, pk) -> HttpResponse:
    """The case's check-in schedule and the check-ins heard. POST logs a check-in."""
    case, access = open_full_case(request.user, pk)
    form = CheckInForm(request.POST or None)
    if request.method == "POST":
        require_writer(request.user)
        if form.is_valid():
            try:
                checkin_log(
                    case=case,
                    acting_user=request.user,
                    at=form.cleaned_data["at"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Check-in logged."))
                return redirect("alerts:check_ins", pk=case.pk)
    return _check_ins_page(request, case, access, form=form)


def _check_ins_page(request, case, access, *, form=None, schedule_form=None):
    schedule = active_schedule(case)
    last = last_check_in(case)
    errors = (form is not None and form.errors) or (
        schedule_form is not None and schedule_form.errors
    )
    return render(
        request,
        "alerts/check_ins.html",
        {
            "case": case,
            "access": access,
            "schedule": schedule,
            "next_check_in": next_due(schedule, last.at if last else None) if schedule else None,
            # unscoped: narrowed to a case the user opened with full-level access.
            "check_ins": CheckIn.objects.unscoped()
            .filter(case=case)
            .select_related("logged_by", "logged_by__organisation")[:50],
            "form": form or CheckInForm(),
            "schedule_form": schedule_form or CheckInScheduleForm(),
            "can_log": request.user.can_write and not case.is_closed,
            "can_schedule": access.can_edit and not case.is_closed and not case.purged_at,
        },
        status=400 if errors else 200,
    )


@login_required
@require_POST
def check_in_schedule(request: HttpRequest, pk) -> HttpResponse:
    case, access = open_full_case(request.user, pk)
    require_case_editor(access)
    form = CheckInScheduleForm(request.POST)
    if form.is_valid():
        try:
            checkin_schedule_set(case=case, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Check-in schedule set."))
            return redirect("alerts:check_ins", pk=case.pk)
    return _check_ins_page(request, case, access, schedule_form=form)


@login_required
@require_POST
def check_in_schedule_stop(request: HttpRequest, pk) -> HttpResponse:
    case, access = open_full_case(request.user, pk)
    require_case_editor(access)
    schedule = active_schedule(case)
    if schedule is not None:
        checkin_schedule_stop(schedule=schedule, acting_user=request.user)
        messages.success(request, _("Check-in schedule stopped."))
    return redirect("alerts:check_ins", pk=case.pk)
