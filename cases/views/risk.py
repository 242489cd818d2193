"""Risk pages: the versions of a case's assessment with their trend, one version with its
formula, a new version, and the override of the case's level.

Who: the owner organisation's writers assess and override; its viewers and ``full``
partners read; anyone else (``feedback`` partners included) gets 404, as for a case that
does not exist. Thin: access check -> service/selector -> template. Also what the case page
shows of the risk: the risk panel (level, latest assessment, trend) and the timeline's
assessments; and the trend chart both draw.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cases.access import NEED_RISK, CaseAccess, get_case_for
from cases.forms.risk import RiskAssessmentForm, RiskOverrideForm
from cases.models import Case, RiskLevel
from cases.models.risk import BANDS, CAPACITY_PERCENT, Capacity, Dimension
from cases.registries.timeline import TimelineItem
from cases.selectors.risk import (
    TrendPoint,
    assessments_of,
    case_risk_trend,
    latest_assessment,
    risk_trend,
)
from cases.services.case import case_override_risk
from cases.services.risk import RATING_FIELDS, risk_assessment_create
from hrdcase.forms import add_service_errors, form_status
from hrdcase.tenancy import NEED_CHANGE, get_object_for

# A new assessment proposes a review in three months; the officer changes it as needed.
DEFAULT_REVIEW_AFTER = timedelta(days=91)


def formula_context() -> dict:
    """What the pages show of the formula (the numbers come from cases.models.risk)."""
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
        status=form_status(form),
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
        status=form_status(form),
    )


# --- the case page -------------------------------------------------------------------------------

#: The panel shows the recent trend; the risk page shows every version.
PANEL_VERSIONS = 12


def risk_panel(request: HttpRequest, case: Case, access: CaseAccess) -> dict[str, Any] | None:
    """The level's latest assessment, whether a review is due, and the recent trend, for who
    may see the risk."""
    if not access.sees_risk:
        return None
    points = case_risk_trend(case, access)[-PANEL_VERSIONS:]
    latest = points[-1] if points else None
    return {
        "latest": latest,
        "review_due": bool(latest and latest.next_review_date <= timezone.localdate()),
        "chart": trend_chart(points),
        "can_edit": access.can_edit and not case.purged_at,
    }


def assessment_timeline(case: Case, access: CaseAccess) -> Iterator[TimelineItem]:
    # Risk is part of the full file: owners and ``full`` partners, never ``feedback``.
    if not access.sees_risk:
        return
    levels = dict(RiskLevel.choices)
    for point in case_risk_trend(case, access):
        yield TimelineItem(
            at=point.assessed_on,
            kind="assessment",
            title=_("Risk assessment, version %(version)s: %(level)s")
            % {"version": point.version, "level": levels.get(point.level, point.level)},
            detail=_("Score %(score)s of 25; next review %(date)s")
            % {
                "score": point.score,
                "date": date_format(point.next_review_date, "DATE_FORMAT"),
            },
            url=reverse("cases:risk_detail", kwargs={"pk": case.pk, "assessment_pk": point.pk}),
        )


# --- the trend chart: a small server-rendered SVG bar chart: no script, no inline style (the CSP
# forbids both); sizes and colours are SVG attributes, computed here.

MAX_SCORE = 25
UNIT = 5  # pixels per score point: the plot is 125 px high
BAR = 28
GAP = 12
LEFT = 34  # room for the axis labels
TOP = 8
BOTTOM = 22  # room for the version labels
PLOT_HEIGHT = MAX_SCORE * UNIT

# The stylesheet's .risk-* colours (AA contrast on white).
LEVEL_FILL = {
    "low": "#1d6b2f",
    "medium": "#7a5a00",
    "high": "#a24000",
    "critical": "#a10d0d",
}


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    height: int
    fill: str
    label_x: int
    label: str
    title: str
    level: str
    pk: object


@dataclass(frozen=True)
class BandLine:
    y: int
    label: str
    label_y: int


@dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_bottom: int
    bars: tuple[Bar, ...]
    bands: tuple[BandLine, ...]
    summary: str

    def __bool__(self) -> bool:
        return bool(self.bars)


def _y(score: int) -> int:
    return TOP + (MAX_SCORE - score) * UNIT


def trend_chart(points: Sequence[TrendPoint]) -> TrendChart:
    """Bars per version (oldest left), height = score, colour = level, with the band edges
    drawn as lines so a reader sees which band each bar reaches."""
    labels = dict(RiskLevel.choices)
    bars = []
    for index, point in enumerate(points):
        x = LEFT + GAP + index * (BAR + GAP)
        level = labels.get(point.level, point.level)
        bars.append(
            Bar(
                x=x,
                y=_y(point.score),
                height=point.score * UNIT,
                fill=LEVEL_FILL.get(point.level, "#555555"),
                label_x=x + BAR // 2,
                label=f"v{point.version}",
                title=_("Version %(version)s, %(date)s: %(level)s (score %(score)s)")
                % {
                    "version": point.version,
                    "date": date_format(point.assessed_on, "DATE_FORMAT"),
                    "level": level,
                    "score": point.score,
                },
                level=str(level),
                pk=point.pk,
            )
        )
    width = LEFT + GAP + max(len(points), 1) * (BAR + GAP)
    bands = tuple(
        BandLine(y=_y(lowest - 1), label=str(lowest), label_y=_y(lowest - 1) + 4)
        for lowest, _level in BANDS
        if lowest > 1
    )
    summary = (
        " → ".join(f"{bar.label} {bar.level}" for bar in bars) if bars else _("No assessment yet.")
    )
    return TrendChart(
        width=width,
        height=TOP + PLOT_HEIGHT + BOTTOM,
        plot_left=LEFT,
        plot_right=width,
        plot_bottom=TOP + PLOT_HEIGHT,
        bars=tuple(bars),
        bands=bands,
        summary=summary,
    )
