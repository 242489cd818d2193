"""Reads of risk assessments: a case's versions, its trend, and the reviews that are due.

A case's assessments are read through the case (``get_case_for(user, pk, need=NEED_RISK)``
then these functions), so whoever may not see the risk never reaches them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import F, QuerySet
from django.utils import timezone

from cases.models import Case, RiskAssessment

if TYPE_CHECKING:
    from accounts.models import Organisation
    from cases.access import CaseAccess


def assessments_of(case: Case) -> QuerySet[RiskAssessment]:
    """Every version of ``case``'s assessment, newest first."""
    return case.assessments.select_related("assessed_by").order_by("-version")


def latest_assessment(case: Case) -> RiskAssessment | None:
    return assessments_of(case).first()


@dataclass(frozen=True)
class TrendPoint:
    version: int
    assessed_on: date
    score: int
    level: str
    next_review_date: date
    pk: object


def risk_trend(case: Case, *, last: int | None = None) -> list[TrendPoint]:
    """The levels over versions, oldest first (``last``: only the most recent ones)."""
    rows = case.assessments.order_by("-version").values_list(
        "pk", "version", "assessed_on", "score", "level", "next_review_date"
    )
    if last is not None:
        rows = rows[:last]
    points = [
        TrendPoint(
            pk=pk, version=version, assessed_on=on, score=score, level=level, next_review_date=due
        )
        for pk, version, on, score, level, due in rows
    ]
    points.reverse()
    return points


#: the key of the case page's read of the risk trend (``CaseAccess.remember``,
#: cases.registries.parts).
RISK_TREND = "cases.risk_trend"


def case_risk_trend(case: Case, access: CaseAccess) -> list[TrendPoint]:
    """Every version's point, oldest first, read once per case page (the risk panel draws the
    latest, the timeline lists them all); the caller checked ``access.sees_risk``."""
    return access.remember(RISK_TREND, lambda: risk_trend(case))


def cases_due_for_review(
    *, today: date | None = None, organisation: Organisation | None = None
) -> QuerySet[Case]:
    """Open (or monitored) cases whose latest assessment's next review date is ``today`` or
    earlier, annotated with ``review_due``: the feed of the "risk review due" reminders.

    With ``organisation``, that organisation's cases only. Without it, every organisation's:
    only for the alerts sweep, which notifies each case's owner organisation.
    """
    today = today or timezone.localdate()
    cases = (
        Case.objects.owned_by(organisation)
        if organisation is not None
        # unscoped: the beat sweep runs for every tenant and notifies each case's owner.
        else Case.objects.unscoped()
    )
    # risk_review_on: the latest assessment's next review date, kept on the case by
    # case_set_risk (an index, not a read of every case's latest assessment).
    return (
        cases.exclude(status=Case.Status.CLOSED)
        .filter(purged_at__isnull=True, risk_review_on__lte=today)
        .annotate(review_due=F("risk_review_on"))
        .order_by("review_due", "pk")
    )
