"""Logbook and diplomatic-action pages. Thin: open the case or the object through its
``visible_to`` rule (404 for anything else), call a selector or a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Organisation
from cases.access import get_case_for
from cases.models import Case
from hrdcase import uploads
from hrdcase.audit import client_ip
from hrdcase.exceptions import StateConflict
from hrdcase.forms import add_service_errors
from hrdcase.pagination import paginate
from hrdcase.tenancy import get_object_for
from logbooks import selectors, services
from logbooks.attachments import FileTooLarge, check_declared_size
from logbooks.export import export_response
from logbooks.forms import (
    ActionForm,
    AttachmentForm,
    CorrectionForm,
    EntryFilterForm,
    EntryForm,
    ExportForm,
    InviteForm,
    TransitionForm,
)
from logbooks.models import ActionStatus, Attachment, DiplomaticAction, LogEntry, ParticipantStatus

PAGE_SIZE = 50


def _open_case(request: HttpRequest, case_pk):
    case, access = get_case_for(request.user, case_pk)
    if case.purged_at and request.method == "POST":
        raise Http404
    return case, access


def _require_can_log(access) -> None:
    if not services.can_log(access):
        raise PermissionDenied


def _entry_for(request: HttpRequest, pk) -> LogEntry:
    return get_object_for(
        request.user,
        LogEntry.objects.visible_to(request.user).select_related(
            "case", "author", "organisation", "milestone"
        ),
        pk,
    )


def _action_for(request: HttpRequest, pk) -> DiplomaticAction:
    return get_object_for(request.user, selectors.actions_visible(request.user), pk)


# --- logbook of a case ---------------------------------------------------------------------------


@login_required
def case_logbook(request: HttpRequest, case_pk) -> HttpResponse:
    case, access = _open_case(request, case_pk)
    filter_form = EntryFilterForm(request.GET or None, user=request.user)
    filters = filter_form.cleaned_data if filter_form.is_valid() else {}
    # A refused filter (an unreadable or implausible date) shows the unfiltered list with the
    # form saying why, as a 400: never a 500 (issue 17), never silently ignored.
    status = 400 if filter_form.is_bound and filter_form.errors else 200
    entries = selectors.entries_of_case(case, request.user, filters)
    page = paginate(request, entries, PAGE_SIZE)
    return render(
        request,
        "logbooks/case_logbook.html",
        {
            "case": case,
            "access": access,
            "page": page,
            "filter_form": filter_form,
            "can_log": services.can_log(access) and not case.purged_at,
        },
        status=status,
    )


def _render_quick_log(request, case, form, status=200, created=None) -> HttpResponse:
    return render(
        request,
        "logbooks/_quick_log_response.html",
        {
            "case": case,
            "panel": {
                "form": form,
                "post_url": reverse("logbooks:quick_log", kwargs={"case_pk": case.pk}),
            },
            "created": created,
        },
        status=status,
    )


@login_required
@require_POST
def quick_log(request: HttpRequest, case_pk) -> HttpResponse:
    """The case page's quick-log form: htmx swaps the answer into the panel; without
    JavaScript it is a normal POST that redirects back to the case (or shows the errors)."""
    case, access = _open_case(request, case_pk)
    _require_can_log(access)
    form = EntryForm(request.POST, case=case)
    if form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("milestone", None)
        try:
            entry = services.entry_create(case=case, acting_user=request.user, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if request.htmx:
                return _render_quick_log(request, case, EntryForm(case=case), created=entry)
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
    case, access = _open_case(request, case_pk)
    _require_can_log(access)
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


# --- one entry ---------------------------------------------------------------------------------


@login_required
def entry_detail(request: HttpRequest, pk) -> HttpResponse:
    entry = _entry_for(request, pk)
    if entry.is_shared and entry.organisation_id != request.user.organisation_id:
        services.entry_mark_read(entry=entry, user=request.user)  # opened from the inbox
    return _entry_page(request, entry)


def _entry_page(
    request: HttpRequest,
    entry: LogEntry,
    *,
    attachment_form: AttachmentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    attachments = (
        Attachment.objects.visible_to(request.user)
        .filter(entry__version_of_id=entry.version_of_id)
        .select_related("entry")
    )
    own = entry.organisation_id == request.user.organisation_id
    can_change = own and request.user.can_write and entry.is_current and not entry.case.purged_at
    return render(
        request,
        "logbooks/entry_detail.html",
        {
            "entry": entry,
            "case": entry.case,
            "attachments": attachments,
            "version_count": services.entry_versions(entry, request.user).count(),
            "can_change": can_change,
            "attachment_form": (attachment_form or AttachmentForm()) if can_change else None,
            "sees_case": True,
        },
        status=status,
    )


@login_required
def entry_history(request: HttpRequest, pk) -> HttpResponse:
    entry = _entry_for(request, pk)
    versions = services.entry_versions(entry, request.user)
    return render(
        request,
        "logbooks/entry_history.html",
        {"entry": entry, "case": entry.case, "versions": versions},
    )


@login_required
def entry_correct(request: HttpRequest, pk) -> HttpResponse:
    entry = _entry_for(request, pk)
    if entry.organisation_id != request.user.organisation_id:
        raise Http404  # another organisation's entry: not theirs to correct
    if not request.user.can_write:
        raise PermissionDenied
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


@login_required
@require_POST
def attachment_upload(request: HttpRequest, pk) -> HttpResponse:
    """A refused file answers the entry page again, its form saying why: 413 when too large
    (the upload handler stopped reading it, or the attachment limit), 400 otherwise."""
    entry = _entry_for(request, pk)
    if entry.organisation_id != request.user.organisation_id:
        raise Http404
    form = AttachmentForm(request.POST, request.FILES)
    refused = uploads.refusal(request)
    if refused is not None:
        form.is_valid()  # binds the errors; the file part never arrived
        form.errors["file"] = form.error_class([refused.message])
        return _entry_page(request, entry, attachment_form=form, status=413)
    if not form.is_valid():
        return _entry_page(request, entry, attachment_form=form, status=400)
    upload = form.cleaned_data["file"]
    try:
        check_declared_size(upload.size)
        services.attachment_add(
            entry=entry, filename=upload.name, data=upload.read(), acting_user=request.user
        )
    except FileTooLarge as error:
        add_service_errors(form, error)
        return _entry_page(request, entry, attachment_form=form, status=413)
    except ValidationError as error:
        add_service_errors(form, error)
        return _entry_page(request, entry, attachment_form=form, status=400)
    except StateConflict as conflict:
        messages.error(request, conflict.message)
    else:
        messages.success(request, _("Document attached."))
    return redirect("logbooks:entry_detail", pk=entry.pk)


@login_required
def attachment_download(request: HttpRequest, pk) -> HttpResponse:
    attachment = get_object_for(request.user, Attachment.objects.visible_to(request.user), pk)
    data = services.attachment_read(
        attachment=attachment, acting_user=request.user, ip=client_ip(request)
    )
    response = HttpResponse(data, content_type=attachment.content_type)
    response["Content-Disposition"] = _content_disposition(attachment.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _content_disposition(filename: str) -> str:
    from urllib.parse import quote

    ascii_name = "".join(ch if 32 < ord(ch) < 127 and ch not in '"\\;' else "_" for ch in filename)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


# --- diplomatic actions ---------------------------------------------------------------------


@login_required
def case_actions(request: HttpRequest, case_pk) -> HttpResponse:
    """Every organisation's actions on the case: who raised it with which authority, when."""
    case, access = _open_case(request, case_pk)
    actions = selectors.actions_of_case(case, request.user)
    page = paginate(request, actions, PAGE_SIZE)
    return render(
        request,
        "logbooks/case_actions.html",
        {
            "case": case,
            "access": access,
            "page": page,
            "can_log": services.can_log(access) and not case.purged_at,
        },
    )


@login_required
def action_create(request: HttpRequest, case_pk) -> HttpResponse:
    case, access = _open_case(request, case_pk)
    _require_can_log(access)
    form = ActionForm(request.POST or None, case=case, with_milestone=access.is_owner)
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_create(
                case=case, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Action recorded."))
            return redirect("logbooks:action_detail", pk=action.pk)
    return render(request, "logbooks/action_form.html", {"case": case, "form": form})


@login_required
def action_detail(request: HttpRequest, pk) -> HttpResponse:
    action = _action_for(request, pk)
    own = action.organisation_id == request.user.organisation_id
    sees_case = selectors.user_sees_case(request.user, action.case_id)
    participation = selectors.participation_of(action, request.user)
    can_change = own and request.user.can_write
    context = {
        "action": action,
        "own": own,
        "sees_case": sees_case,
        "participation": participation,
        "can_answer": (
            participation is not None
            and participation.status == ParticipantStatus.INVITED
            and request.user.can_write
        ),
        "outcome_visible": action.outcome_visible_to(request.user, sees_case=sees_case),
        "can_change": can_change,
        "transitions": [(value, ActionStatus(value).label) for value in action.allowed_transitions],
        "invite_form": (
            InviteForm(queryset=services.invitable_organisations(action))
            if can_change and action.status != ActionStatus.CLOSED
            else None
        ),
        "transition_form": TransitionForm(initial={"outcome_shared": action.outcome_shared}),
    }
    return render(request, "logbooks/action_detail.html", context)


@login_required
@require_POST
def action_transition(request: HttpRequest, pk) -> HttpResponse:
    action = _action_for(request, pk)
    if action.organisation_id != request.user.organisation_id:
        raise Http404
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid status."))
        return redirect("logbooks:action_detail", pk=action.pk)
    outcome = form.cleaned_data["outcome"] or None
    try:
        services.action_transition(
            action=action,
            to=form.cleaned_data["to"],
            outcome=outcome,
            outcome_shared=form.cleaned_data["outcome_shared"],
            acting_user=request.user,
        )
    except StateConflict as conflict:
        return render(
            request,
            "logbooks/conflict.html",
            {"message": conflict.message, "allowed": conflict.allowed, "action": action},
            status=409,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Status updated."))
    return redirect("logbooks:action_detail", pk=action.pk)


@login_required
@require_POST
def action_invite(request: HttpRequest, pk) -> HttpResponse:
    action = _action_for(request, pk)
    if action.organisation_id != request.user.organisation_id:
        raise Http404
    if not request.user.can_write:
        raise PermissionDenied
    form = InviteForm(request.POST, queryset=Organisation.objects.all())
    if form.is_valid():
        try:
            services.action_invite(
                action=action,
                organisation=form.cleaned_data["organisation"],
                acting_user=request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        except StateConflict as conflict:
            messages.error(request, conflict.message)
        else:
            messages.success(request, _("Mission invited."))
    else:
        messages.error(request, _("Choose a mission to invite."))
    return redirect("logbooks:action_detail", pk=action.pk)


@login_required
@require_POST
def action_answer(request: HttpRequest, pk) -> HttpResponse:
    action = _action_for(request, pk)
    accept = request.POST.get("answer") == "accept"
    try:
        services.action_answer(action=action, accept=accept, acting_user=request.user)
    except StateConflict as conflict:
        messages.error(request, conflict.message)
    else:
        messages.success(
            request, _("Invitation accepted.") if accept else _("Invitation declined.")
        )
    return redirect("logbooks:action_detail", pk=action.pk)


@login_required
def my_actions(request: HttpRequest) -> HttpResponse:
    """Joint actions my organisation was invited to, on cases it may not see."""
    actions = selectors.actions_taken_part_in(request.user)
    page = paginate(request, actions, PAGE_SIZE)
    visible_cases = set(
        Case.objects.visible_to(request.user)
        .filter(pk__in=[action.case_id for action in page.object_list])
        .values_list("pk", flat=True)
    )
    return render(
        request, "logbooks/my_actions.html", {"page": page, "visible_cases": visible_cases}
    )


# --- inbox -------------------------------------------------------------------------------------


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    entries = selectors.inbox_for(request.user)
    if request.GET.get("unread"):
        entries = entries.filter(is_unread=True)
    page = paginate(request, entries, PAGE_SIZE)
    return render(
        request,
        "logbooks/inbox.html",
        {"page": page, "unread_only": bool(request.GET.get("unread"))},
    )


@login_required
@require_POST
def inbox_read_all(request: HttpRequest) -> HttpResponse:
    count = services.inbox_mark_all_read(user=request.user)
    messages.success(request, _("%(n)d updates marked read.") % {"n": count})
    return redirect("logbooks:inbox")


# --- export --------------------------------------------------------------------------------


@login_required
def export(request: HttpRequest, case_pk) -> HttpResponse:
    case, access = get_case_for(request.user, case_pk)
    if case.purged_at:
        raise Http404
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return export_response(
            request,
            case=case,
            access=access,
            fmt=form.cleaned_data["format"],
            include_identity=form.cleaned_data["include_identity"],
        )
    if not access.sees_identity:
        del form.fields["include_identity"]
    return render(request, "logbooks/export.html", {"case": case, "form": form})
