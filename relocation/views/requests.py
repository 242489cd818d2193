"""Relocation request pages: the list (raised and reviewed), the request form, the request's
page with the steps the user may take, its edit form, and a step of its workflow."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cases.access import get_case_for, require_writer
from hrdcase.exceptions import StateConflict
from hrdcase.forms import add_service_errors, chosen_filter, filter_status, form_status
from hrdcase.pagination import paginate
from hrdcase.tenancy import NEED_CHANGE, get_object_for
from relocation.forms.requests import RequestForm, TransitionForm
from relocation.models import RequestStatus
from relocation.selectors.requests import (
    request_for,
    requests_for,
    standing_of,
    with_standings,
)
from relocation.selectors.returns import return_plan_of
from relocation.services import requests as request_services
from relocation.services.access import REFERRAL_PERMISSION, requester_holds_case
from relocation.services.returns import RETURNABLE
from relocation.views import referral
from relocation.views.referral import request_of_requester

#: what the button taking a request to each status says (a verb, not the status name).
STEP_LABELS = {
    RequestStatus.SUBMITTED: gettext_lazy("Submit for review"),
    RequestStatus.IN_REVIEW: gettext_lazy("Start the review"),
    RequestStatus.APPROVED: gettext_lazy("Approve"),
    RequestStatus.DECLINED: gettext_lazy("Decline"),
    RequestStatus.IN_PROGRESS: gettext_lazy("Start the relocation"),
    RequestStatus.COMPLETED: gettext_lazy("Mark completed"),
    RequestStatus.CANCELLED: gettext_lazy("Cancel the request"),
}
EDITABLE = (RequestStatus.DRAFT, RequestStatus.SUBMITTED)


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    status, status_understood = chosen_filter(request, "status", RequestStatus.values)
    side, side_understood = chosen_filter(request, "side", ("mine", "review"))
    rows = requests_for(request.user, status=status, side=side)
    page = paginate(request, rows, referral.PAGE_SIZE)
    # where each request of the page stands: one query per kind of referral
    page.object_list = with_standings(list(page.object_list))
    return render(
        request,
        "relocation/request_list.html",
        {
            "page": page,
            "status": status,
            "side": side,
            "statuses": RequestStatus.choices,
            "filtered": bool(status or side),
        },
        status=filter_status(request, status_understood, side_understood),
    )


@login_required
def request_create(request: HttpRequest, case_pk) -> HttpResponse:
    case, _access = get_case_for(request.user, case_pk, need=REFERRAL_PERMISSION)
    require_writer(request.user)
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = request_services.request_create(
                case=case,
                acting_user=request.user,
                submit="submit_now" in request.POST,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Relocation request saved."))
            return redirect("relocation:detail", pk=created.pk)
    return render(
        request,
        "relocation/request_form.html",
        {"form": form, "case": case, "title": _("Request relocation support")},
        status=form_status(form),
    )


@login_required
def request_detail(request: HttpRequest, pk) -> HttpResponse:
    relocation_request = get_object_for(request.user, request_for(request.user), pk)
    user = request.user
    is_requester = relocation_request.organisation_id == user.organisation_id
    steps = request_services.request_steps_for(user, relocation_request)
    visas = list(relocation_request.visa_referrals.select_related("mission"))
    stays = list(relocation_request.shelter_referrals.select_related("city"))
    grants = list(relocation_request.grants.select_related("grantor"))
    standing = standing_of(
        relocation_request,
        {"visa_referrals": visas, "shelter_referrals": stays, "grants": grants},
    )
    holds_case = relocation_request.case.organisation_id == user.organisation_id or (
        is_requester and requester_holds_case(relocation_request)
    )
    return_plan = return_plan_of(relocation_request)
    return render(
        request,
        "relocation/request_detail.html",
        {
            "req": relocation_request,
            "is_requester": is_requester,
            "steps": [(s, STEP_LABELS.get(s, RequestStatus(s).label)) for s in steps],
            "transitions": relocation_request.transitions.select_related("actor"),
            "visas": visas,
            "stays": stays,
            "grants": grants,
            "standing": standing,
            "next_steps": next_steps_for(user, relocation_request, holds_case=holds_case),
            "can_refer": is_requester and user.can_write and relocation_request.is_actionable,
            "can_edit": is_requester
            and user.can_write
            and not relocation_request.is_frozen
            and relocation_request.status in EDITABLE,
            # The case link for who can open it: the owner, and a requester still holding it.
            "holds_case": holds_case,
            "today": timezone.localdate(),
            # issue 20, item 5: what the return plan set up, or the requester's step to it
            "return_plan": return_plan,
            "can_record_return": is_requester
            and user.can_write
            and holds_case
            and not relocation_request.is_frozen
            and relocation_request.status in RETURNABLE,
        },
    )


def next_steps_for(user, relocation_request, *, holds_case: bool) -> list[tuple[str, str]]:
    """(label, URL) of what makes sense after a request ends (completed, cancelled, declined):
    a new referral on a completed request (it reopens it), a new request on the case (for who
    holds it: the owner, or the requester while it does), the case itself (its plans,
    check-ins and tasks carry on). Only what ``user`` may do."""
    status = relocation_request.status
    if status not in (RequestStatus.COMPLETED, RequestStatus.CANCELLED, RequestStatus.DECLINED):
        return []
    is_requester = relocation_request.organisation_id == user.organisation_id
    steps: list[tuple[str, str]] = []
    can_write = is_requester and user.can_write and holds_case and not relocation_request.is_frozen
    if status == RequestStatus.COMPLETED and can_write:
        pk = relocation_request.pk
        steps += [
            (_("Refer for another visa"), reverse("relocation:visa_create", args=[pk])),
            (
                _("Propose another shelter-city stay"),
                reverse("relocation:shelter_create", args=[pk]),
            ),
            (_("Ask for another grant"), reverse("relocation:grant_create", args=[pk])),
        ]
    case = relocation_request.case
    if user.can_write and holds_case and not case.is_closed and case.purged_at is None:
        steps.append(
            (_("Raise a new relocation request"), reverse("relocation:create", args=[case.pk]))
        )
    if holds_case:
        steps.append((_("Go back to the case"), reverse("cases:detail", args=[case.pk])))
    return steps


@login_required
def request_edit(request: HttpRequest, pk) -> HttpResponse:
    relocation_request = request_of_requester(request, pk)
    if relocation_request.status not in EDITABLE:
        messages.error(request, _("A request can be edited only before its review starts."))
        return redirect("relocation:detail", pk=pk)
    initial = {name: getattr(relocation_request, name) for name in RequestForm.base_fields}
    form = RequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            request_services.request_update(
                relocation_request=relocation_request,
                acting_user=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except StateConflict as error:
            messages.error(request, error.message)
            return redirect("relocation:detail", pk=pk)
        else:
            messages.success(request, _("Request updated."))
            return redirect("relocation:detail", pk=pk)
    return render(
        request,
        "relocation/request_form.html",
        {"form": form, "case": relocation_request.case, "title": _("Edit the request")},
        status=form_status(form),
    )


@login_required
@require_POST
def request_transition(request: HttpRequest, pk) -> HttpResponse:
    relocation_request = get_object_for(
        request.user, request_for(request.user), pk, need=NEED_CHANGE
    )
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a step."))
        return redirect("relocation:detail", pk=pk)
    try:
        request_services.request_transition(
            relocation_request=relocation_request,
            to_status=form.cleaned_data["to_status"],
            reason=form.cleaned_data["reason"],
            acting_user=request.user,
        )
    except StateConflict as error:
        messages.error(request, error.message)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The request is now %(status)s.")
            % {"status": RequestStatus(form.cleaned_data["to_status"]).label},
        )
    return redirect("relocation:detail", pk=pk)
