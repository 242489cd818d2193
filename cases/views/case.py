"""Case pages: the list, registration, the timeline, identity, editing and closing,
consent, sharing and coordination. Thin: access check -> service/selector -> template."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import selectors
from cases.access import NEED_IDENTITY, get_case_for, partner_levels
from cases.forms import (
    CaseCloseForm,
    CaseEditForm,
    CaseFilterForm,
    CaseRegisterForm,
    ConsentForm,
    CoordinationAnswerForm,
    CoordinationRequestForm,
    DefenderForm,
    ShareForm,
)
from cases.models import CaseAccessLog, CaseShare, Consent, CoordinationRequest
from cases.panels import case_panels
from cases.services import case as case_services
from cases.services import consent as consent_services
from cases.services import sharing as sharing_services
from cases.services.access_log import case_part_viewed
from cases.timeline import TIMELINE_LIMIT, case_timeline
from hrdcase.audit import client_ip
from hrdcase.forms import add_service_errors
from hrdcase.pagination import paginate
from hrdcase.tenancy import NEED_CHANGE, get_object_for

PAGE_SIZE = 25
#: the case list's page: 50 cases, the page the design's budget is set for (and the API's).
CASE_LIST_PAGE_SIZE = 50


def _require_writer(request: HttpRequest) -> None:
    if not request.user.can_write:
        raise PermissionDenied


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET or None, organisation=request.user.organisation)
    filters = selectors.CaseFilters()
    if form.is_bound and form.is_valid():
        filters = selectors.CaseFilters(**{k: v or "" for k, v in form.cleaned_data.items()})
    page = paginate(request, selectors.case_list_for(request.user, filters), CASE_LIST_PAGE_SIZE)
    cases = list(page.object_list)
    levels = partner_levels(request.user, cases)
    rows = [(case, levels.get(case.pk)) for case in cases]
    return render(
        request,
        "cases/case_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "filtered": bool(request.GET),
        },
    )


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    _require_writer(request)
    form = CaseRegisterForm(request.POST or None, organisation=request.user.organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        identity = case_services.DefenderIdentity(
            kind=data["kind"],
            legal_name=data["legal_name"],
            country=data["country"],
            other_names=data["other_names"],
            contact_channels=data["contact_channels"],
            location=data["location"],
            notes=data["notes"],
            member_count=data["member_count"],
            gender=data["gender"],
        )
        try:
            case = case_services.case_register(
                identity=identity,
                pseudonym=data["pseudonym"],
                acting_user=request.user,
                areas_of_work=list(data["areas_of_work"]),
                threat_types=list(data["threat_types"]),
                summary=data["summary"],
                lead_officer=data["lead_officer"],
                opened_on=data["opened_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Case %(ref)s opened.") % {"ref": case.reference})
            return redirect("cases:detail", pk=case.pk)
    return render(
        request,
        "cases/case_form.html",
        {"form": form, "title": _("Register a defender and open a case")},
    )


@login_required
def case_detail(request: HttpRequest, pk) -> HttpResponse:
    """The case's timeline, with the panels the viewer's access allows."""
    case, access = get_case_for(request.user, pk)
    timeline = case_timeline(case, access, limit=TIMELINE_LIMIT + 1)
    context = {
        "case": case,
        "access": access,
        "timeline": timeline[:TIMELINE_LIMIT],
        "timeline_trimmed": len(timeline) > TIMELINE_LIMIT,
        "panels": case_panels(request, case, access),
        "other_cases": selectors.other_cases_of_defender(request.user, case)[:10],
    }
    if access.is_owner:
        context.update(
            shares=selectors.case_shares_seen(case, access),
            consents=selectors.case_consents_seen(case, access),
            access_log=selectors.access_log_of(case),
            duplicate_hint=sharing_services.duplicate_hint_for(case=case, user=request.user),
            coordination_form=CoordinationRequestForm(),
        )
    if access.sees_risk or access.is_owner:
        context["threat_types"] = case.threat_types.all()
    return render(request, "cases/case_detail.html", context)


@login_required
def case_identity(request: HttpRequest, pk) -> HttpResponse:
    """The defender's identity, shown on request and recorded in "who viewed this case"."""
    case, access = get_case_for(request.user, pk, need=NEED_IDENTITY)
    case_part_viewed(
        case=case,
        user=request.user,
        part=CaseAccessLog.Part.IDENTITY,
        ip=client_ip(request),
        break_glass=access.break_glass is not None,
    )
    template = "cases/_identity.html" if request.htmx else "cases/identity.html"
    return render(request, template, {"case": case, "defender": case.defender, "access": access})


@login_required
def case_edit(request: HttpRequest, pk) -> HttpResponse:
    case, _access = get_case_for(request.user, pk, need=NEED_CHANGE)
    if case.purged_at:
        raise Http404
    initial = {
        "pseudonym": case.pseudonym,
        "status": case.status,
        "threat_types": case.threat_types.all(),
        "summary": case.summary,
        "lead_officer": case.lead_officer_id,
    }
    form = CaseEditForm(request.POST or None, initial=initial, organisation=case.organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case_services.case_update(
                case=case,
                acting_user=request.user,
                pseudonym=data["pseudonym"],
                status=data["status"],
                summary=data["summary"],
                threat_types=list(data["threat_types"]),
                lead_officer=data["lead_officer"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Case updated."))
            return redirect("cases:detail", pk=case.pk)
    return render(
        request, "cases/case_form.html", {"form": form, "case": case, "title": _("Edit case")}
    )


@login_required
def defender_edit(request: HttpRequest, pk) -> HttpResponse:
    case, access = get_case_for(request.user, pk, need=NEED_CHANGE)
    if case.purged_at:
        raise Http404
    defender = case.defender
    fields = [
        "kind",
        "legal_name",
        "other_names",
        "country",
        "contact_channels",
        "location",
        "notes",
        "member_count",
        "gender",
    ]
    initial = {name: getattr(defender, name) for name in fields}
    initial["areas_of_work"] = defender.areas_of_work.all()
    form = DefenderForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = {
            name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data
        }
        try:
            case_services.defender_update(case=case, acting_user=request.user, **changed)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Defender updated."))
            return redirect("cases:detail", pk=case.pk)
    elif request.method == "GET":
        case_part_viewed(
            case=case,
            user=request.user,
            part=CaseAccessLog.Part.IDENTITY,
            ip=client_ip(request),
            break_glass=access.break_glass is not None,
        )
    return render(
        request,
        "cases/case_form.html",
        {"form": form, "case": case, "title": _("Edit the defender")},
    )


@login_required
def case_close(request: HttpRequest, pk) -> HttpResponse:
    case, _access = get_case_for(request.user, pk, need=NEED_CHANGE)
    form = CaseCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case_services.case_close(
                case=case,
                reason=form.cleaned_data["closing_reason"],
                closed_on=form.cleaned_data["closed_on"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Case closed."))
            return redirect("cases:detail", pk=case.pk)
    return render(
        request, "cases/case_form.html", {"form": form, "case": case, "title": _("Close the case")}
    )


@login_required
def case_consents(request: HttpRequest, pk) -> HttpResponse:
    """What the defender agreed to; owners' officers record and revoke consent here."""
    case, access = get_case_for(request.user, pk)
    if not access.is_owner:
        raise Http404
    form = ConsentForm(request.POST or None, organisation=case.organisation)
    if request.method == "POST":
        _require_writer(request)
        if form.is_valid():
            try:
                consent_services.consent_record(
                    case=case, acting_user=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Consent recorded."))
                return redirect("cases:consents", pk=case.pk)
    consents = case.consents.select_related("partner", "network", "recorded_by", "revoked_by")
    return render(
        request,
        "cases/consents.html",
        {"case": case, "access": access, "form": form, "consents": consents},
    )


@login_required
@require_POST
def consent_revoke(request: HttpRequest, pk, consent_pk) -> HttpResponse:
    case, _access = get_case_for(request.user, pk, need=NEED_CHANGE)
    consent = get_object_for(
        request.user, Consent.objects.owned_by(case.organisation).filter(case=case), consent_pk
    )
    try:
        suspended = consent_services.consent_revoke(
            consent=consent, acting_user=request.user, note=request.POST.get("note", "")[:2000]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Consent revoked."))
        for share in suspended:
            messages.warning(
                request, _("The share with %(org)s is suspended.") % {"org": share.partner}
            )
    return redirect("cases:consents", pk=case.pk)


@login_required
def case_shares(request: HttpRequest, pk) -> HttpResponse:
    case, access = get_case_for(request.user, pk)
    if not access.is_owner:
        raise Http404
    form = ShareForm(request.POST or None, organisation=case.organisation)
    if request.method == "POST":
        _require_writer(request)
        if form.is_valid():
            try:
                sharing_services.case_share(
                    case=case, acting_user=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Case shared."))
                return redirect("cases:shares", pk=case.pk)
    return render(
        request,
        "cases/shares.html",
        {"case": case, "access": access, "form": form, "shares": selectors.shares_of(case)},
    )


@login_required
@require_POST
def share_revoke(request: HttpRequest, pk, share_pk) -> HttpResponse:
    case, _access = get_case_for(request.user, pk, need=NEED_CHANGE)
    share = get_object_for(
        request.user, CaseShare.objects.owned_by(case.organisation).filter(case=case), share_pk
    )
    try:
        sharing_services.share_revoke(share=share, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Share with %(org)s revoked.") % {"org": share.partner})
    return redirect("cases:shares", pk=case.pk)


@login_required
@require_POST
def case_coordinate(request: HttpRequest, pk) -> HttpResponse:
    case, _access = get_case_for(request.user, pk, need=NEED_CHANGE)
    form = CoordinationRequestForm(request.POST)
    if form.is_valid():
        sharing_services.coordination_request(
            case=case, message=form.cleaned_data["message"], acting_user=request.user
        )
        # The same answer whether or not anybody was asked (or had been asked before): the
        # requester learns nothing more than the hint told (as in the API).
        messages.success(
            request,
            _(
                "Coordination request recorded. If another organisation follows this defender, "
                "it reads your message; you will see its case here if it shares it."
            ),
        )
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("cases:detail", pk=case.pk)


@login_required
def coordination_inbox(request: HttpRequest) -> HttpResponse:
    requests = selectors.coordination_inbox(request.user)
    page = paginate(request, requests, PAGE_SIZE)
    return render(request, "cases/coordination_inbox.html", {"page": page})


@login_required
def coordination_answer(request: HttpRequest, request_pk) -> HttpResponse:
    coordination = get_object_for(
        request.user, selectors.coordination_inbox(request.user), request_pk
    )
    form = CoordinationAnswerForm(request.POST or None)
    if request.method == "POST":
        _require_writer(request)
        if form.is_valid():
            answer = form.cleaned_data["answer"]
            try:
                sharing_services.coordination_answer(
                    request=coordination,
                    share_level=None if answer == "decline" else answer,
                    reason=form.cleaned_data["reason"],
                    acting_user=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Answer recorded."))
                return redirect("cases:coordination_inbox")
    return render(
        request,
        "cases/coordination_answer.html",
        {
            "coordination": coordination,
            "form": form,
            "open": coordination.status == CoordinationRequest.Status.OPEN,
        },
    )
