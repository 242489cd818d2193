"""An organisation's own overview: its caseload and what falls due this week.

Everything here is the organisation's own data (``owned_by``), so small counts are shown.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, RiskLevel
from cases.selectors_detention import due_benchmarks
from cases.selectors_risk import cases_due_for_review
from dashboards.figures import BAR, Figure

if TYPE_CHECKING:
    from accounts.models import User

WEEK = timedelta(days=7)
LIST_LIMIT = 10


def caseload(organisation) -> list[Figure]:
    own = Case.objects.owned_by(organisation)
    by_status = dict(own.values_list("status").annotate(n=Count("pk")).order_by())
    by_risk = dict(
        own.exclude(status=Case.Status.CLOSED)
        .values_list("risk_level")
        .annotate(n=Count("pk"))
        .order_by()
    )
    risk_labels = dict(RiskLevel.choices)
    return [
        Figure(
            "own_status",
            _("Cases by status"),
            BAR,
            [_("Cases")],
            [(str(label), [by_status.get(value, 0)]) for value, label in Case.Status.choices],
        ).finish(small_counts=True),
        Figure(
            "own_risk",
            _("Open cases by risk level"),
            BAR,
            [_("Open cases")],
            [(str(risk_labels.get(level, _("not assessed"))), [n]) for level, n in by_risk.items()],
        ).finish(small_counts=True),
    ]


def due_this_week(user: User) -> list[dict]:
    """Sections of "due this week": each a title, a count and the first few items."""
    organisation = user.organisation
    today = timezone.localdate()
    reviews = cases_due_for_review(today=today + WEEK, organisation=organisation)
    benchmarks = due_benchmarks(within=WEEK).filter(organisation=organisation)
    sections = [
        {
            "key": "risk_reviews",
            "title": _("Risk reviews due"),
            "count": reviews.count(),
            "items": [
                {
                    "date": case.review_due,
                    "case": case,
                    "label": _("Risk review"),
                    "overdue": case.review_due < today,
                }
                for case in reviews[:LIST_LIMIT]
            ],
        },
        {
            "key": "benchmarks",
            "title": _("Detention benchmarks due"),
            "count": benchmarks.count(),
            "items": [
                {
                    "date": milestone.due_on,
                    "case": milestone.detention.incident.case,
                    "label": milestone.label or milestone.get_kind_display(),
                    "overdue": milestone.overdue,
                }
                for milestone in benchmarks[:LIST_LIMIT]
            ],
        },
    ]
    sections.extend(section(user, today, WEEK) for section in _extra_sections)
    return sections


#: sections contributed by the apps above cases, ``fn(user, today, window) -> dict``
#: (same shape as above); dashboards sits on top of them, so it imports and lists them here.
_extra_sections: list = []


def overview(user: User) -> dict:
    return {
        "caseload": caseload(user.organisation),
        "due": due_this_week(user),
        "today": timezone.localdate(),
    }
