"""Registers the risk part of the case file with the case timeline and the retention purge
(imported by ``CasesConfig.ready``)."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases import timeline
from cases.models import RiskAssessment, RiskLevel
from cases.parts import register_part
from cases.retention import register_purger
from cases.selectors_risk import RISK_TREND, case_risk_trend
from cases.timeline import TimelineItem


def _assessments(case, access) -> Iterator[TimelineItem]:
    # Risk is part of the full file: owners and ``full`` partners, never ``feedback``.
    if not access.sees_risk:
        return
    levels = dict(RiskLevel.choices)
    for point in case_risk_trend(case, access):
        yield TimelineItem(
            at=TimelineItem.moment(point.assessed_on),
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


def _purge_assessments(case) -> None:
    # unscoped: the purge job runs for every tenant; narrowed to this case.
    for assessment in RiskAssessment.objects.unscoped().filter(case=case):
        assessment.purge_narratives()


timeline.register("cases.assessments", _assessments)
register_part(RISK_TREND, RiskAssessment)
register_purger("cases.assessments", _purge_assessments)
