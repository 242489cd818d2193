"""Detention pages: the record with its hearings and benchmark plan, marking a step done,
and the organisation's benchmark template (edited by its admins). Also what the case page
shows of detentions: the timeline's arrests, releases, hearings and benchmarks done."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.access import NEED_IDENTITY, CaseAccess, get_case_for, require_org_admin
from cases.forms.detention import (
    BenchmarkRuleForm,
    DetentionForm,
    DetentionUpdateForm,
    HearingForm,
    MilestoneDoneForm,
)
from cases.models import BenchmarkRule, Case, CaseAccessLog
from cases.registries.timeline import TimelineItem
from cases.selectors.detention import (
    case_detentions_seen,
    detention_of,
    hearings_of,
    milestone_of,
    milestones_of,
)
from cases.selectors.incident import incident_of, sees_incidents
from cases.services import detention as services
from cases.services.access_log import case_part_viewed
from hrdcase.audit import client_ip
from hrdcase.exceptions import StateConflict
from hrdcase.forms import add_service_errors
from hrdcase.tenancy import NEED_CHANGE, get_object_for


def _detention_incident(request: HttpRequest, pk, incident_pk, *, need: str):
    case, access = get_case_for(request.user, pk, need=need)
    incident = incident_of(case, incident_pk)
    if case.purged_at or not incident.is_detention:
        raise Http404
    return case, access, incident, detention_of(case, incident)


def _render_detention(
    request: HttpRequest, case, access, incident, detention, **forms: Any
) -> HttpResponse:
    context: dict[str, Any] = {
        "case": case,
        "access": access,
        "incident": incident,
        "detention": detention,
    }
    if detention is None:
        if access.can_edit:
            context["record_form"] = forms.get("record_form") or DetentionForm(
                initial={"detained_since": incident.occurred_on}
            )
    else:
        context.update(
            hearings=hearings_of(detention),
            milestones=milestones_of(detention),
            today=timezone.localdate(),
            days_held=detention.days_held(timezone.localdate()),
        )
        if access.can_edit:
            context["hearing_form"] = forms.get("hearing_form") or HearingForm()
            context["update_form"] = forms.get("update_form") or DetentionUpdateForm(
                initial={
                    "place": detention.place,
                    "charges": detention.charges,
                    "lawyer": detention.lawyer,
                    "released_on": detention.released_on,
                }
            )
    # A submitted form shown again with its errors is a 400 (nothing was written).
    shown_again = any(form is not None and form.is_bound and form.errors for form in forms.values())
    return render(
        request, "cases/incidents/detention.html", context, status=400 if shown_again else 200
    )


@login_required
def detention_page(request: HttpRequest, pk, incident_pk) -> HttpResponse:
    """GET: the detention, its hearings and plan (owner and full partners). POST (owner's
    writers): ``action=record`` the detention, ``update`` it, or ``refresh`` the plan."""
    need = NEED_IDENTITY if request.method == "GET" else NEED_CHANGE
    case, access, incident, detention = _detention_incident(request, pk, incident_pk, need=need)
    if request.method == "GET":
        case_part_viewed(
            case=case, user=request.user, part=CaseAccessLog.Part.FILE, ip=client_ip(request)
        )
        return _render_detention(request, case, access, incident, detention)

    action = request.POST.get("action", "")
    if detention is None:
        form = DetentionForm(request.POST)
        if action == "record" and form.is_valid():
            try:
                services.detention_record(
                    incident=incident, acting_user=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Detention recorded; the benchmark plan is ready."))
                return redirect("cases:detention", pk=case.pk, incident_pk=incident.pk)
        return _render_detention(request, case, access, incident, detention, record_form=form)

    if action == "refresh":
        added, set_aside = services.benchmark_plan_refresh(
            detention=detention, acting_user=request.user
        )
        messages.success(
            request,
            _("Plan refreshed: %(added)s step(s) added, %(aside)s set aside.")
            % {"added": added, "aside": set_aside},
        )
        return redirect("cases:detention", pk=case.pk, incident_pk=incident.pk)
    form = DetentionUpdateForm(request.POST)
    if action == "update" and form.is_valid():
        data = form.cleaned_data
        try:
            services.detention_update(
                detention=detention,
                acting_user=request.user,
                place=data["place"],
                charges=data["charges"],
                lawyer=data["lawyer"],
                released_on=data["released_on"] or detention.released_on,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Detention updated."))
            return redirect("cases:detention", pk=case.pk, incident_pk=incident.pk)
    elif action != "update":
        form.add_error(None, _("Unknown action."))
    return _render_detention(request, case, access, incident, detention, update_form=form)


@login_required
@require_POST
def hearing_add(request: HttpRequest, pk, incident_pk) -> HttpResponse:
    case, access, incident, detention = _detention_incident(
        request, pk, incident_pk, need=NEED_CHANGE
    )
    if detention is None:
        raise Http404
    form = HearingForm(request.POST)
    if form.is_valid():
        try:
            services.hearing_add(detention=detention, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Hearing added."))
            return redirect("cases:detention", pk=case.pk, incident_pk=incident.pk)
    return _render_detention(request, case, access, incident, detention, hearing_form=form)


@login_required
def milestone_done(request: HttpRequest, pk, milestone_pk) -> HttpResponse:
    case, _access = get_case_for(request.user, pk, need=NEED_CHANGE)
    milestone = milestone_of(case, milestone_pk)
    detention_url_kwargs = {"pk": case.pk, "incident_pk": milestone.detention.incident_id}
    form = MilestoneDoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_mark_done(
                milestone=milestone, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except StateConflict as conflict:
            form.add_error(None, conflict.message)
        else:
            messages.success(request, _("Marked done: %(step)s.") % {"step": milestone.title})
            return redirect("cases:detention", **detention_url_kwargs)
    return render(
        request,
        "cases/incidents/milestone_done.html",
        {
            "case": case,
            "milestone": milestone,
            "form": form,
            "detention_url_kwargs": detention_url_kwargs,
        },
    )


# --- the organisation's benchmark template -------------------------------------------------------


def _rule_form_data(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data[name] for name in services.RULE_FIELDS}


@login_required
def benchmark_rules(request: HttpRequest) -> HttpResponse:
    """The template every new detention plan follows. Members read it; admins change it."""
    organisation = request.user.organisation
    if organisation is None:
        raise Http404
    form = BenchmarkRuleForm(request.POST or None, initial={"offset_days": 0, "active": True})
    if request.method == "POST":
        require_org_admin(request.user)
        action = request.POST.get("action", "add")
        if action == "reset":
            services.benchmark_rules_reset(organisation=organisation, acting_user=request.user)
            messages.success(request, _("The default benchmark template is restored."))
            return redirect("cases:benchmark_rules")
        if form.is_valid():
            try:
                services.benchmark_rule_create(
                    organisation=organisation,
                    acting_user=request.user,
                    **_rule_form_data(form.cleaned_data),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Benchmark added to the template."))
                return redirect("cases:benchmark_rules")
    rules = services.benchmark_rules_for(organisation)
    return render(request, "cases/incidents/benchmark_rules.html", {"rules": rules, "form": form})


@login_required
def benchmark_rule_edit(request: HttpRequest, rule_pk) -> HttpResponse:
    rule = get_object_for(request.user, BenchmarkRule.objects.visible_to(request.user), rule_pk)
    require_org_admin(request.user)
    initial = {name: getattr(rule, name) for name in services.RULE_FIELDS}
    form = BenchmarkRuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.benchmark_rule_update(
                rule=rule, acting_user=request.user, **_rule_form_data(form.cleaned_data)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Benchmark changed."))
            return redirect("cases:benchmark_rules")
    return render(request, "cases/incidents/benchmark_rule_edit.html", {"rule": rule, "form": form})


# --- the case page -------------------------------------------------------------------------------


def detention_timeline(case: Case, access: CaseAccess) -> Iterator[TimelineItem]:
    # Part of the full file: the owner and ``full`` partners, never a ``feedback`` partner.
    if not sees_incidents(access):
        return
    for detention in case_detentions_seen(case, access):
        url = reverse(
            "cases:detention", kwargs={"pk": case.pk, "incident_pk": detention.incident_id}
        )
        yield TimelineItem(
            at=detention.detained_since,
            kind="detention",
            title=_("Detained"),
            url=url,
        )
        if detention.released_on:
            yield TimelineItem(
                at=detention.released_on,
                kind="detention",
                title=_("Released"),
                url=url,
            )
        for hearing in detention.hearings.all():
            yield TimelineItem(
                at=hearing.date,
                kind="hearing",
                title=_("Hearing: %(court)s") % {"court": hearing.court},
                url=url,
            )
        for milestone in detention.milestones.all():
            if milestone.done_at:
                yield TimelineItem(
                    at=milestone.done_at,
                    kind="benchmark",
                    title=_("Benchmark done: %(step)s") % {"step": milestone.title},
                    url=url,
                )
