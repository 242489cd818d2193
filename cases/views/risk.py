"""Risk pages: the versions of a case's assessment with their trend, one version with its
formula, a new version, and the override of the case's level.

Who: the owner organisation's writers assess and override; its viewers and ``full``
partners read; anyone else (``feedback`` partners included) gets 404, as for a case that
does not exist. Thin: access check -> service/selector -> template.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cases.access import NEED_RISK, get_case_for
from cases.forms_risk import RiskAssessmentForm, RiskOverrideForm
from cases.models import RiskLevel
from cases.models.risk import Capacity, Dimension
from cases.risk_chart import trend_chart
from cases.risk_formula import BANDS, CAPACITY_PERCENT
from cases.selectors_risk import assessments_of, latest_assessment, risk_trend
from cases.services.case import case_override_risk
from cases.services.risk import RATING_FIELDS, risk_assessment_create
from hrdcase.forms import add_service_errors
from hrdcase.tenancy import NEED_CHANGE, get_object_for

# A new assessment proposes a review in three months; the officer changes it as needed.
DEFAULT_REVIEW_AFTER = timedelta(days=91)


def formula_context() -> dict:
    """What the pages show of the formula (the numbers come from cases.risk_formula)."""
    return {
        "capacity_rows": [
            (Capacity(code).label, percent) for code, percent in CAPACITY_PERCENT.items()
        ],
        "bands": _bands(),
    }


def _bands() -> list[tuple[str, str, int, int]]:
    rows = []
    upper = 25
    for lowest, level in BANDS:
        rows.append((level, RiskLevel(level).label, lowest, upper))
        upper = lowest - 1
    return list(reversed(rows))


@login_required
@require_GET
def risk_list(request: HttpRequest, pk) -> HttpResponse:
    case, access = get_case_for(request.user, pk, need=NEED_RISK)
    assessments = list(assessments_of(case))
    return render(
        request,
        "cases/risk/list.html",
        {
            "case": case,
            "access": access,
            "assessments": assessments,
            "chart": trend_chart(risk_trend(case)),
            "can_edit": access.can_edit and not case.purged_at,
        },
    )


@login_required
@require_GET
def risk_detail(request: HttpRequest, pk, assessment_pk) -> HttpResponse:
    case, access = get_case_for(request.user, pk, need=NEED_RISK)
    assessment = get_object_for(
        request.user, case.assessments.select_related("assessed_by"), assessment_pk
    )
    result = assessment.result()
    previous = case.assessments.filter(version__lt=assessment.version).order_by("-version").first()
    return render(
        request,
        "cases/risk/detail.html",
        {
            "case": case,
            "access": access,
            "assessment": assessment,
            "result": result,
            "dimension_rows": [
                (
                    Dimension(score.dimension).label,
                    Capacity(score.capacity).label,
                    RiskLevel(score.level).label,
                    score,
                )
                for score in result.dimensions
            ],
            "previous": previous,
            "is_latest": not case.assessments.filter(version__gt=assessment.version).exists(),
            "can_edit": access.can_edit and not case.purged_at,
            **formula_context(),
        },
    )


@login_required
def risk_create(request: HttpRequest, pk) -> HttpResponse:
    """A new version. The form starts from the latest version, so the officer records what
    changed rather than retyping it; the previous version stays as it was."""
    case, access = get_case_for(request.user, pk, need=NEED_CHANGE)
    if case.purged_at:
        raise Http404
    form = RiskAssessmentForm(request.POST or None, initial=_initial_from(latest_assessment(case)))
    if request.method == "POST" and form.is_valid():
        try:
            assessment = risk_assessment_create(
                case=case, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Assessment version %(version)s recorded: %(level)s.")
                % {"version": assessment.version, "level": assessment.get_level_display()},
            )
            return redirect("cases:risk_detail", pk=case.pk, assessment_pk=assessment.pk)
    return render(
        request,
        "cases/risk/form.html",
        {"case": case, "access": access, "form": form, **formula_context()},
    )


def _initial_from(latest) -> dict:
    today = timezone.localdate()
    initial = {"assessed_on": today, "next_review_date": today + DEFAULT_REVIEW_AFTER}
    if latest is not None:
        for name in ("threats", "vulnerabilities", "capacities", "mitigation", *RATING_FIELDS):
            initial[name] = getattr(latest, name)
    return initial


@login_required
def risk_override(request: HttpRequest, pk) -> HttpResponse:
    """Set the case's level by hand with a reason, or return to the assessed level."""
    case, access = get_case_for(request.user, pk, need=NEED_CHANGE)
    if case.purged_at:
        raise Http404
    form = RiskOverrideForm(
        request.POST or None,
        initial={
            "risk_level": case.risk_level if case.risk_overridden else "",
            "risk_override_reason": case.risk_override_reason,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            case_override_risk(
                case=case,
                level=form.cleaned_data["risk_level"],
                reason=form.cleaned_data["risk_override_reason"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if case.risk_overridden:
                messages.success(
                    request,
                    _("Risk level set to %(level)s.") % {"level": case.get_risk_level_display()},
                )
            else:
                messages.success(request, _("The case follows the latest assessment again."))
            return redirect("cases:risk_list", pk=case.pk)
    return render(
        request,
        "cases/risk/override.html",
        {"case": case, "access": access, "form": form},
    )
