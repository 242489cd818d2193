"""Case pages: the list, registration, the case page, identity, editing and closing. Thin:
access check -> service/selector -> template. The case page is in sections (Overview at the
case's URL, the others at ``…/s/<section>/``); each draws the summary header and the panels
registered for it with ``cases.registries.panels`` (the case file's own ones in
``cases/hooks.py``, among them the identity, the timeline and the defender's other cases,
below) in one loop."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.access import NEED_IDENTITY, CaseAccess, get_case_for, partner_levels, require_writer
from cases.forms.case import (
    CaseCloseForm,
    CaseEditForm,
    CaseFilterForm,
    CaseRegisterForm,
    DefenderForm,
)
from cases.models import Case
from cases.registries.panels import (
    OVERVIEW,
    case_header_actions,
    case_panels,
    case_sections,
    case_summary_items,
    section_for,
)
from cases.registries.timeline import TIMELINE_LIMIT, case_timeline
from cases.selectors.case import CaseFilters, case_list_for, other_cases_of_defender
from cases.selectors.checklist import case_checklist
from cases.selectors.search import saved_filters_of
from cases.selectors.sharing import case_share_counts
from cases.services import case as case_services
from cases.services.access_log import identity_viewed
from cases.services.checklist import case_mark_not_shared
from cases.views.search import query_of
from hrdcase.audit import client_ip
from hrdcase.exceptions import StateConflict
from hrdcase.forms import add_service_errors, form_status
from hrdcase.pagination import paginate
from hrdcase.tenancy import NEED_CHANGE

#: the case list's page: 50 cases, the page the design's budget is set for (and the API's).
CASE_LIST_PAGE_SIZE = 50


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET or None, organisation=request.user.organisation)
    filters = CaseFilters()
    if form.is_bound and form.is_valid():
        filters = CaseFilters(**{k: v or "" for k, v in form.cleaned_data.items()})
    page = paginate(request, case_list_for(request.user, filters), CASE_LIST_PAGE_SIZE)
    cases = list(page.object_list)
    levels = partner_levels(request.user, cases)
    rows = [(case, levels.get(case.pk)) for case in cases]
    query, _values = query_of(form)
    return render(
        request,
        "cases/case_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "filtered": bool(request.GET),
            # the filters as cleaned: what "Save" keeps and "Download" exports
            "query": query,
            "saved_filters": list(saved_filters_of(request.user)),
        },
        status=form_status(form),
    )


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    require_writer(request.user)
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
        status=form_status(form),
    )


@login_required
def case_detail(request: HttpRequest, pk) -> HttpResponse:
    """The case page's Overview: the summary header, the sub-navigation and the Overview's
    panels (the urgent alert, the quick log, the identity, the tasks...), with the new case's
    checklist for the owner's writers."""
    return _case_page(request, pk, OVERVIEW)


@login_required
def case_section(request: HttpRequest, pk, section: str) -> HttpResponse:
    """Another section of the case page (``cases.registries.panels``): only its panels run.
    404 for a section that does not exist or that this viewer may see nothing of."""
    if section == OVERVIEW:
        get_case_for(request.user, pk)  # the same 404 as the page for a stranger
        return redirect("cases:detail", pk=pk)
    return _case_page(request, pk, section)


def _case_page(request: HttpRequest, pk, key: str) -> HttpResponse:
    case, access = get_case_for(request.user, pk)
    section = section_for(key, access)
    if section is None:
        raise Http404
    panels = case_panels(request, case, access, section.key)
    context: dict[str, Any] = {
        "case": case,
        "access": access,
        "section": section,
        "sections": case_sections(access),
        "panels": panels,
        "summary": _summary(request, case, access),
        "header_actions": case_header_actions(request, case, access),
    }
    if section.key == OVERVIEW:
        context["checklist"] = case_checklist(case, access)
    return render(request, "cases/case_detail.html", context)


def _summary(request: HttpRequest, case: Case, access: CaseAccess) -> dict[str, Any]:
    """The header every section shows: the case's facts this viewer may see (a feedback
    partner: the status and its own access), and the other apps' figures (open alerts)."""
    summary: dict[str, Any] = {"items": case_summary_items(request, case, access)}
    if access.is_owner:
        # the shares in force (one query at most: a count, or the rows a panel read)
        summary["partners"] = case_share_counts(case, access).live
    elif access.break_glass is not None:
        # a feedback partner reading the full file for a while: not a full partner
        summary["level"] = "break_glass"
    else:
        summary["level"] = access.level
    return summary


@login_required
@require_POST
def case_not_shared(request: HttpRequest, pk) -> HttpResponse:
    """The checklist's "Not sharing this case": its sharing step is done."""
    case, _access = get_case_for(request.user, pk, need=NEED_CHANGE)
    if case.purged_at:
        raise Http404
    try:
        case_mark_not_shared(case=case, acting_user=request.user, ip=client_ip(request))
    except StateConflict as conflict:
        messages.error(request, conflict.message)
        return redirect("cases:detail", pk=case.pk)
    messages.success(request, _("Noted: the case is not shared for now."))
    return redirect("cases:detail", pk=case.pk)


@login_required
def case_identity(request: HttpRequest, pk) -> HttpResponse:
    """The defender's identity, shown on request and recorded in "who viewed this case"."""
    case, access = get_case_for(request.user, pk, need=NEED_IDENTITY)
    identity_viewed(case=case, access=access, user=request.user, ip=client_ip(request))
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
        request,
        "cases/case_form.html",
        {"form": form, "case": case, "title": _("Edit case")},
        status=form_status(form),
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
        identity_viewed(case=case, access=access, user=request.user, ip=client_ip(request))
    return render(
        request,
        "cases/case_form.html",
        {"form": form, "case": case, "title": _("Edit the defender")},
        status=form_status(form),
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
        request,
        "cases/case_form.html",
        {"form": form, "case": case, "title": _("Close the case")},
        status=form_status(form),
    )


# --- the case page's own panels (registered in cases/hooks.py) ----------------------------------


def facts_panel(request: HttpRequest, case: Case, access: CaseAccess) -> dict[str, Any]:
    """ "About the case" on Overview: the status and its closing, the opening date, the risk
    and its threats (who sees the risk), the lead officer (the owner)."""
    return {"threat_types": case.threat_types.all() if access.sees_risk else []}


def identity_panel(request: HttpRequest, case: Case, access: CaseAccess) -> dict[str, Any] | None:
    """ "Show identity" (each view is recorded) and the summary, for who may see the identity."""
    if not access.sees_identity or case.purged_at:
        return None
    return {}


def timeline_panel(request: HttpRequest, case: Case, access: CaseAccess) -> dict[str, Any]:
    """The ``TIMELINE_LIMIT`` latest events of every provider (``cases.registries.timeline``)."""
    items = case_timeline(case, access, limit=TIMELINE_LIMIT + 1)
    return {"items": items[:TIMELINE_LIMIT], "trimmed": len(items) > TIMELINE_LIMIT}


def other_cases_panel(
    request: HttpRequest, case: Case, access: CaseAccess
) -> dict[str, Any] | None:
    """The defender's other cases the viewer may open."""
    other_cases = list(other_cases_of_defender(request.user, case)[:10])
    return {"cases": other_cases} if other_cases else None
