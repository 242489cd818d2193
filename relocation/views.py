"""Relocation pages. Thin: scoped lookup -> service/selector -> template.

Every object page loads through a scoped selector and ``get_object_for``: another
organisation's object (or one that does not exist) is a 404. The addressee of a referral
(mission, city, grantor) sees the referral page only, never the case."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import Organisation
from cases.access import get_case_for
from hrdcase.audit import client_ip
from hrdcase.dates import DEFAULT_RULE, parse_date_param
from hrdcase.exceptions import StateConflict
from hrdcase.forms import add_service_errors
from hrdcase.pagination import paginate
from hrdcase.tenancy import get_object_for
from relocation import forms as reloc_forms
from relocation import selectors, services
from relocation.models import (
    DEFAULT_STAY_MONTHS,
    CapacityPeriod,
    RelocationRequest,
    RequestStatus,
    ShelterReferral,
    VisaReferral,
)

PAGE_SIZE = 25


def _require_writer(request: HttpRequest) -> None:
    if not request.user.can_write:
        raise PermissionDenied


def _conflict(request: HttpRequest, error: StateConflict) -> None:
    messages.error(request, error.message)


def _status(*forms) -> int:
    """400 when a submitted form is shown again with its errors (nothing was written)."""
    return 400 if any(form.is_bound and form.errors for form in forms) else 200


# --- requests --------------------------------------------------------------------------------


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in RequestStatus.values:
        status = ""
    side = request.GET.get("side", "")
    if side not in ("mine", "review"):
        side = ""
    page = paginate(
        request, selectors.requests_for(request.user, status=status, side=side), PAGE_SIZE
    )
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
    )


@login_required
def request_create(request: HttpRequest, case_pk) -> HttpResponse:
    case, _access = get_case_for(request.user, case_pk, need="add_case_referral")
    _require_writer(request)
    form = reloc_forms.RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            created = services.request_create(
                case=case,
                acting_user=request.user,
                submit="submit_now" in request.POST,
                **data,
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
        status=_status(form),
    )


def _request_for(request: HttpRequest, pk) -> RelocationRequest:
    return get_object_for(request.user, selectors.request_for(request.user), pk)


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


@login_required
def request_detail(request: HttpRequest, pk) -> HttpResponse:
    relocation_request = _request_for(request, pk)
    user = request.user
    is_requester = relocation_request.organisation_id == user.organisation_id
    steps = services.request_steps_for(user, relocation_request)
    return render(
        request,
        "relocation/request_detail.html",
        {
            "req": relocation_request,
            "is_requester": is_requester,
            "steps": [(s, STEP_LABELS.get(s, RequestStatus(s).label)) for s in steps],
            "transitions": relocation_request.transitions.select_related("actor"),
            "visas": relocation_request.visa_referrals.select_related("mission"),
            "stays": relocation_request.shelter_referrals.select_related("city"),
            "grants": relocation_request.grants.select_related("grantor"),
            "can_refer": is_requester and user.can_write and relocation_request.is_actionable,
            "can_edit": is_requester
            and user.can_write
            and not relocation_request.is_frozen
            and relocation_request.status in (RequestStatus.DRAFT, RequestStatus.SUBMITTED),
            # The case link for who can open it: the owner, and a requester still holding it.
            "holds_case": relocation_request.case.organisation_id == user.organisation_id
            or (is_requester and services.requester_holds_case(relocation_request)),
            "today": timezone.localdate(),
        },
    )


@login_required
def request_edit(request: HttpRequest, pk) -> HttpResponse:
    relocation_request = _request_for(request, pk)
    _require_writer(request)
    if relocation_request.organisation_id != request.user.organisation_id:
        raise PermissionDenied
    if relocation_request.status not in (RequestStatus.DRAFT, RequestStatus.SUBMITTED):
        messages.error(request, _("A request can be edited only before its review starts."))
        return redirect("relocation:detail", pk=pk)
    initial = {
        name: getattr(relocation_request, name) for name in reloc_forms.RequestForm.base_fields
    }
    form = reloc_forms.RequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_update(
                relocation_request=relocation_request,
                acting_user=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except StateConflict as error:
            _conflict(request, error)
            return redirect("relocation:detail", pk=pk)
        else:
            messages.success(request, _("Request updated."))
            return redirect("relocation:detail", pk=pk)
    return render(
        request,
        "relocation/request_form.html",
        {"form": form, "case": relocation_request.case, "title": _("Edit the request")},
        status=_status(form),
    )


@login_required
@require_POST
def request_transition(request: HttpRequest, pk) -> HttpResponse:
    relocation_request = _request_for(request, pk)
    _require_writer(request)
    form = reloc_forms.TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a step."))
        return redirect("relocation:detail", pk=pk)
    try:
        services.request_transition(
            relocation_request=relocation_request,
            to_status=form.cleaned_data["to_status"],
            reason=form.cleaned_data["reason"],
            acting_user=request.user,
        )
    except StateConflict as error:
        _conflict(request, error)
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


def _referral_form_view(request, pk, form_class, create, template_title, success):
    relocation_request = _request_for(request, pk)
    _require_writer(request)
    if relocation_request.organisation_id != request.user.organisation_id:
        raise PermissionDenied
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = create(relocation_request, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(created)
    return render(
        request,
        "relocation/referral_form.html",
        {"form": form, "req": relocation_request, "title": template_title},
        status=_status(form),
    )


@login_required
def visa_create(request: HttpRequest, pk) -> HttpResponse:
    def create(relocation_request, data):
        referral = services.visa_referral_create(
            relocation_request=relocation_request, acting_user=request.user, **data
        )
        return redirect("relocation:visa_detail", pk=referral.pk).url

    return _referral_form_view(
        request,
        pk,
        reloc_forms.VisaReferralForm,
        create,
        _("Refer for a fast-track visa"),
        _("Visa referral sent to the mission."),
    )


@login_required
def shelter_create(request: HttpRequest, pk) -> HttpResponse:
    def create(relocation_request, data):
        referral = services.shelter_referral_create(
            relocation_request=relocation_request, acting_user=request.user, **data
        )
        return redirect("relocation:shelter_detail", pk=referral.pk).url

    return _referral_form_view(
        request,
        pk,
        reloc_forms.ShelterReferralForm,
        create,
        _("Propose a shelter-city stay"),
        _("Referral sent to the shelter city."),
    )


@login_required
def grant_create(request: HttpRequest, pk) -> HttpResponse:
    def create(relocation_request, data):
        grant = services.grant_request_create(
            relocation_request=relocation_request, acting_user=request.user, **data
        )
        return redirect("relocation:grant_detail", pk=grant.pk).url

    return _referral_form_view(
        request,
        pk,
        reloc_forms.GrantRequestForm,
        create,
        _("Ask for an emergency grant"),
        _("Grant request sent."),
    )


# --- visa referrals --------------------------------------------------------------------------


@login_required
def visa_queue(request: HttpRequest) -> HttpResponse:
    """The mission's referrals, nearest fast-track deadline first."""
    status = request.GET.get("status", VisaReferral.Status.PENDING)
    if status not in VisaReferral.Status.values and status != "all":
        status = VisaReferral.Status.PENDING
    queryset = selectors.visa_queue_for(request.user, status="" if status == "all" else status)
    page = paginate(request, queryset, PAGE_SIZE)
    today = timezone.localdate()
    rows = [(referral, referral.flag(today), referral.days_left(today)) for referral in page]
    return render(
        request,
        "relocation/visa_queue.html",
        {
            "page": page,
            "rows": rows,
            "status": status,
            "statuses": VisaReferral.Status.choices,
            "is_mission": request.user.organisation.kind == Organisation.Kind.MISSION,
        },
    )


@login_required
def visa_detail(request: HttpRequest, pk) -> HttpResponse:
    referral = get_object_for(request.user, selectors.visa_referrals_for(request.user), pk)
    user = request.user
    is_mission = referral.mission_id == user.organisation_id
    form = reloc_forms.VisaDecisionForm(request.POST or None)
    if request.method == "POST":
        _require_writer(request)
        try:
            if request.POST.get("action") == "withdraw":
                services.visa_withdraw(referral=referral, acting_user=user)
                messages.success(request, _("Referral withdrawn."))
                return redirect("relocation:visa_detail", pk=pk)
            if form.is_valid():
                services.visa_decide(referral=referral, acting_user=user, **form.cleaned_data)
                messages.success(request, _("Decision recorded; the requester is told."))
                return redirect("relocation:visa_detail", pk=pk)
        except ValidationError as error:
            add_service_errors(form, error)
        except StateConflict as error:
            _conflict(request, error)
            return redirect("relocation:visa_detail", pk=pk)
    today = timezone.localdate()
    return render(
        request,
        "relocation/visa_detail.html",
        {
            "referral": referral,
            "is_mission": is_mission,
            "is_requester": referral.organisation_id == user.organisation_id,
            "form": form,
            "flag": referral.flag(today),
            "days_left": referral.days_left(today),
        },
        status=_status(form),
    )


# --- shelter cities --------------------------------------------------------------------------


@login_required
def city_inbox(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in ShelterReferral.Status.values:
        status = ""
    page = paginate(request, selectors.city_inbox_for(request.user, status=status), PAGE_SIZE)
    return render(
        request,
        "relocation/city_inbox.html",
        {
            "page": page,
            "status": status,
            "statuses": ShelterReferral.Status.choices,
            "programme": services.programme_of(request.user.organisation_id),
        },
    )


@login_required
def city_calendar(request: HttpRequest) -> HttpResponse:
    if request.user.organisation.kind != Organisation.Kind.SHELTER_CITY:
        raise Http404
    status = 200
    try:
        start = parse_date_param(request.GET, "from", default=timezone.localdate())
    except ValidationError as error:
        # A bad ``from`` shows this week's calendar with the reason, never a 500 (issue 17).
        for message in error.messages:
            messages.error(request, message)
        start, status = timezone.localdate(), 400
    start = start - datetime.timedelta(days=start.weekday())
    weeks = selectors.city_calendar(request.user.organisation, start=start, weeks=8)
    earliest, latest = DEFAULT_RULE.bounds()
    previous = start - datetime.timedelta(weeks=8)
    following = start + datetime.timedelta(weeks=8)
    guests = selectors.city_inbox_for(request.user, status=ShelterReferral.Status.HOSTING)
    arrivals = selectors.city_inbox_for(request.user, status=ShelterReferral.Status.CONFIRMED)
    return render(
        request,
        "relocation/city_calendar.html",
        {
            "weeks": weeks,
            "start": start,
            # No link to weeks the ``from`` parameter would refuse.
            "previous": previous if previous >= earliest else None,
            "next": following if following <= latest else None,
            "guests": guests[:50],
            "arrivals": arrivals[:50],
        },
        status=status,
    )


SHELTER_ACTIONS = ("answer", "confirm", "hosting", "complete", "withdraw")


@login_required
def shelter_detail(request: HttpRequest, pk) -> HttpResponse:
    referral = get_object_for(request.user, selectors.shelter_referrals_for(request.user), pk)
    user = request.user
    is_city = referral.city_id == user.organisation_id
    answer_form = reloc_forms.ShelterAnswerForm(
        request.POST if request.POST.get("action") == "answer" else None
    )
    dates_form = reloc_forms.StayDatesForm(
        request.POST if request.POST.get("action") == "confirm" else None,
        initial={"start": referral.start, "end": referral.end},
    )
    day_form = reloc_forms.DayForm(
        request.POST if request.POST.get("action") in ("hosting", "complete") else None
    )
    if request.method == "POST":
        _require_writer(request)
        action = request.POST.get("action")
        if action not in SHELTER_ACTIONS:
            messages.error(request, _("Unknown action."))
            return redirect("relocation:shelter_detail", pk=pk)
        try:
            done = _shelter_action(action, referral, user, answer_form, dates_form, day_form)
        except ValidationError as error:
            form = {"answer": answer_form, "confirm": dates_form}.get(action, day_form)
            add_service_errors(form, error)
            for message in form.non_field_errors():
                messages.error(request, message)
            for field_errors in form.errors.values():
                for message in field_errors:
                    messages.error(request, message)
            done = False
        except StateConflict as error:
            _conflict(request, error)
            return redirect("relocation:shelter_detail", pk=pk)
        if done:
            messages.success(request, _("Saved; the other side is told."))
            return redirect("relocation:shelter_detail", pk=pk)
    relocation_request = referral.request
    return render(
        request,
        "relocation/shelter_detail.html",
        {
            "referral": referral,
            "req": relocation_request,
            "is_city": is_city,
            "is_requester": referral.organisation_id == user.organisation_id,
            "answer_form": answer_form,
            "dates_form": dates_form,
            "day_form": day_form,
            "identity_available": is_city and services.city_may_see_identity(referral),
        },
        status=_status(answer_form, dates_form, day_form),
    )


def _shelter_action(action, referral, user, answer_form, dates_form, day_form) -> bool:
    if action == "answer":
        if not answer_form.is_valid():
            return False
        services.shelter_answer(referral=referral, acting_user=user, **answer_form.cleaned_data)
    elif action == "confirm":
        if not dates_form.is_valid():
            return False
        services.shelter_confirm(referral=referral, acting_user=user, **dates_form.cleaned_data)
    elif action == "hosting":
        if not day_form.is_valid():
            return False
        services.shelter_arrive(
            referral=referral, acting_user=user, arrived_on=day_form.cleaned_data["day"]
        )
    elif action == "complete":
        if not day_form.is_valid():
            return False
        services.shelter_complete(
            referral=referral, acting_user=user, returned_on=day_form.cleaned_data["day"]
        )
    else:
        services.shelter_withdraw(referral=referral, acting_user=user)
    return True


@login_required
def shelter_identity(request: HttpRequest, pk) -> HttpResponse:
    """The defender's identity for the city's staff, after it accepted and with relocation
    consent; every view is recorded in the case's "who viewed" log. 404 otherwise."""
    referral = get_object_for(request.user, selectors.shelter_referrals_for(request.user), pk)
    defender = services.shelter_identity_reveal(
        referral=referral, user=request.user, ip=client_ip(request)
    )
    return render(
        request,
        "relocation/shelter_identity.html",
        {"referral": referral, "defender": defender},
    )


# --- grants ----------------------------------------------------------------------------------


@login_required
def grants_inbox(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in ("pending", "approved", "declined", "disbursed", "withdrawn"):
        status = ""
    page = paginate(request, selectors.grants_inbox_for(request.user, status=status), PAGE_SIZE)
    return render(
        request,
        "relocation/grants_inbox.html",
        {
            "page": page,
            "status": status,
            "cap": services.settings_for(request.user.organisation_id),
        },
    )


@login_required
def grant_detail(request: HttpRequest, pk) -> HttpResponse:
    grant = get_object_for(request.user, selectors.grants_for(request.user), pk)
    user = request.user
    decision_form = reloc_forms.GrantDecisionForm(
        request.POST if request.POST.get("action") == "decide" else None
    )
    day_form = reloc_forms.DayForm(
        request.POST if request.POST.get("action") == "disburse" else None
    )
    if request.method == "POST":
        _require_writer(request)
        action = request.POST.get("action")
        try:
            if action == "decide" and decision_form.is_valid():
                services.grant_decide(grant=grant, acting_user=user, **decision_form.cleaned_data)
                messages.success(request, _("Decision recorded; the requester is told."))
                return redirect("relocation:grant_detail", pk=pk)
            if action == "disburse" and day_form.is_valid():
                services.grant_disburse(
                    grant=grant, acting_user=user, disbursed_on=day_form.cleaned_data["day"]
                )
                messages.success(request, _("Disbursement recorded."))
                return redirect("relocation:grant_detail", pk=pk)
        except ValidationError as error:
            add_service_errors(decision_form if action == "decide" else day_form, error)
        except StateConflict as error:
            _conflict(request, error)
            return redirect("relocation:grant_detail", pk=pk)
    return render(
        request,
        "relocation/grant_detail.html",
        {
            "grant": grant,
            "is_grantor": grant.grantor_id == user.organisation_id,
            "is_requester": grant.organisation_id == user.organisation_id,
            "decision_form": decision_form,
            "day_form": day_form,
        },
        status=_status(decision_form, day_form),
    )


# --- settings --------------------------------------------------------------------------------


@login_required
def relocation_settings(request: HttpRequest) -> HttpResponse:
    """Admins: the visa service level, the grant cap and (shelter cities) the programme and
    its capacity periods."""
    user = request.user
    if not user.is_org_admin:
        raise PermissionDenied
    organisation = user.organisation
    current = services.settings_for(organisation.pk)
    is_city = organisation.kind == Organisation.Kind.SHELTER_CITY
    programme = services.programme_of(organisation.pk) if is_city else None
    form_name = request.POST.get("form")
    settings_form = reloc_forms.SettingsForm(
        request.POST if form_name == "settings" else None,
        initial={
            "visa_service_days": current.visa_service_days,
            "grant_cap_amount": current.grant_cap_amount,
            "grant_cap_currency": current.grant_cap_currency,
            "offers_grants": current.offers_grants,
        },
    )
    programme_form = reloc_forms.ProgrammeForm(
        request.POST if form_name == "programme" else None,
        initial={
            "name": programme.name if programme else "Shelter City",
            "stay_months": programme.stay_months if programme else DEFAULT_STAY_MONTHS,
            "languages": programme.languages if programme else "",
            "support_offered": programme.support_offered if programme else "",
            "active": programme.active if programme else True,
        },
    )
    capacity_form = reloc_forms.CapacityForm(request.POST if form_name == "capacity" else None)
    if request.method == "POST":
        form = {"settings": settings_form, "programme": programme_form}.get(
            form_name, capacity_form
        )
        if form.is_valid():
            try:
                if form_name == "settings":
                    services.settings_update(
                        organisation=organisation, acting_user=user, **form.cleaned_data
                    )
                elif form_name == "programme":
                    services.programme_save(
                        organisation=organisation, acting_user=user, **form.cleaned_data
                    )
                elif programme is None:
                    raise ValidationError(_("Save the programme before adding capacity."))
                else:
                    services.capacity_period_add(
                        programme=programme, acting_user=user, **form.cleaned_data
                    )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("relocation:settings")
    periods = CapacityPeriod.objects.owned_by(organisation).order_by("start") if programme else []
    return render(
        request,
        "relocation/settings.html",
        {
            "settings_form": settings_form,
            "programme_form": programme_form,
            "capacity_form": capacity_form,
            "is_city": is_city,
            "programme": programme,
            "periods": periods,
        },
        status=_status(settings_form, programme_form, capacity_form),
    )


@login_required
@require_POST
def capacity_remove(request: HttpRequest, pk) -> HttpResponse:
    user = request.user
    period = get_object_for(user, CapacityPeriod.objects.owned_by(user.organisation), pk)
    try:
        services.capacity_period_remove(period=period, acting_user=user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Capacity period removed."))
    return redirect("relocation:settings")
