"""Pages of logbook entries: a case's logbook, the quick log of the case page, the full entry
form, an entry with its documents, its history and its correction."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.access import require_writer
from cases.models import Case
from hrdcase.exceptions import StateConflict
from hrdcase.forms import add_service_errors
from hrdcase.pagination import paginate
from hrdcase.tenancy import get_object_for
from logbooks.access import can_log, open_case, require_can_log
from logbooks.forms.attachments import AttachmentForm
from logbooks.forms.entries import CorrectionForm, EntryFilterForm, EntryForm, QuickLogForm
from logbooks.models import LogEntry
from logbooks.selectors.attachments import attachments_of_thread
from logbooks.selectors.entries import (
    entries_of_case,
    entries_visible,
    entry_item,
    entry_versions,
)
from logbooks.services import entries as services
from logbooks.services.actions import Observation
from logbooks.services.inbox import entry_mark_read
from logbooks.views import PAGE_SIZE

#: what the quick log hands to the entry (its other fields describe the action).
QUICK_LOG_ENTRY_FIELDS = ("kind", "summary", "visibility", "occurred_at", "follow_up_on")


def entry_for(request: HttpRequest, pk) -> LogEntry:
    return get_object_for(request.user, entries_visible(request.user), pk)


@login_required
def case_logbook(request: HttpRequest, case_pk) -> HttpResponse:
    case, access = open_case(request.user, case_pk, writing=request.method == "POST")
    filter_form = EntryFilterForm(request.GET or None, user=request.user)
    filters = filter_form.cleaned_data if filter_form.is_valid() else {}
    # A refused filter (an unreadable or implausible date) shows the unfiltered list with the
    # form saying why, as a 400: never a 500 (issue 17), never silently ignored.
    status = 400 if filter_form.is_bound and filter_form.errors else 200
    page = paginate(request, entries_of_case(case, request.user, filters), PAGE_SIZE)
    return render(
        request,
        "logbooks/case_logbook.html",
        {
            "case": case,
            "access": access,
            "page": page,
            "filter_form": filter_form,
            "can_log": can_log(access) and not case.purged_at,
        },
        status=status,
    )


def _render_quick_log(
    request: HttpRequest,
    case: Case,
    form: QuickLogForm,
    status: int = 200,
    created: LogEntry | None = None,
) -> HttpResponse:
    return render(
        request,
        "logbooks/_quick_log_response.html",
        {
            "case": case,
            "panel": {
                "form": form,
                "post_url": reverse("logbooks:quick_log", kwargs={"case_pk": case.pk}),
            },
            "created": [entry_item(created)] if created else [],
        },
        status=status,
    )


@login_required
@require_POST
def quick_log(request: HttpRequest, case_pk) -> HttpResponse:
    """The case page's quick-log form: htmx swaps the answer into the panel; without
    JavaScript it is a normal POST that redirects back to the case (or shows the errors)."""
    case, access = open_case(request.user, case_pk, writing=True)
    require_can_log(access)
    sees_hearings = access.sees_identity
    form = QuickLogForm(request.POST, case=case, sees_hearings=sees_hearings)
    if form.is_valid():
        observation = Observation(**form.observation_data())
        data = {name: form.cleaned_data[name] for name in QUICK_LOG_ENTRY_FIELDS}
        try:
            entry = services.quick_log_record(
                case=case,
                acting_user=request.user,
                authority=form.cleaned_data["authority"],
                observation=observation,
                **data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if request.htmx:
                fresh = QuickLogForm(case=case, sees_hearings=sees_hearings)
                return _render_quick_log(request, case, fresh, created=entry)
            messages.success(request, _("Entry logged."))
            return redirect("cases:detail", pk=case.pk)
    if request.htmx:
        return _render_quick_log(request, case, form)
    return render(
        request,
        "logbooks/entry_form.html",
        {"case": case, "form": form, "action_url": request.path},
        status=400,
    )


@login_required
def entry_create(request: HttpRequest, case_pk) -> HttpResponse:
    """The full entry form (with a benchmark to mark done, for the owner)."""
    case, access = open_case(request.user, case_pk, writing=request.method == "POST")
    require_can_log(access)
    form = EntryForm(request.POST or None, case=case, with_milestone=access.is_owner)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.entry_create(case=case, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Entry logged."))
            return redirect("logbooks:entry_detail", pk=entry.pk)
    return render(
        request,
        "logbooks/entry_form.html",
        {"case": case, "form": form, "action_url": request.path},
    )


@login_required
def entry_detail(request: HttpRequest, pk) -> HttpResponse:
    entry = entry_for(request, pk)
    if entry.is_shared and entry.organisation_id != request.user.organisation_id:
        entry_mark_read(entry=entry, user=request.user)  # opened from the inbox
    return entry_page(request, entry)


def entry_page(
    request: HttpRequest,
    entry: LogEntry,
    *,
    attachment_form: AttachmentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The entry with its documents (and, for its own organisation's writers, the form to
    attach one: shown again with its errors by a refused upload)."""
    own = entry.organisation_id == request.user.organisation_id
    can_change = own and request.user.can_write and entry.is_current and not entry.case.purged_at
    return render(
        request,
        "logbooks/entry_detail.html",
        {
            "entry": entry,
            "case": entry.case,
            "attachments": attachments_of_thread(entry, request.user),
            "version_count": entry_versions(entry, request.user).count(),
            "can_change": can_change,
            "attachment_form": (attachment_form or AttachmentForm()) if can_change else None,
            "sees_case": True,
        },
        status=status,
    )


@login_required
def entry_history(request: HttpRequest, pk) -> HttpResponse:
    entry = entry_for(request, pk)
    return render(
        request,
        "logbooks/entry_history.html",
        {"entry": entry, "case": entry.case, "versions": entry_versions(entry, request.user)},
    )


@login_required
def entry_correct(request: HttpRequest, pk) -> HttpResponse:
    entry = entry_for(request, pk)
    if entry.organisation_id != request.user.organisation_id:
        raise Http404  # another organisation's entry: not theirs to correct
    require_writer(request.user)
    if not entry.is_current:
        messages.info(request, _("A newer version exists: correct that one."))
        return redirect("logbooks:entry_history", pk=entry.pk)
    form = CorrectionForm.for_entry(entry, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.entry_correct(entry=entry, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except StateConflict as conflict:
            messages.error(request, conflict.message)
            return redirect("logbooks:entry_history", pk=entry.pk)
        else:
            messages.success(request, _("Correction saved as version %(n)d.") % {"n": new.version})
            return redirect("logbooks:entry_detail", pk=new.pk)
    return render(
        request, "logbooks/entry_correct.html", {"entry": entry, "case": entry.case, "form": form}
    )
