"""An organisation's own overview: its caseload and what falls due this week.

Everything here is the organisation's own data (``owned_by``), so small counts are shown.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alerts.selectors.alerts import alerts_for
from cases.models import Case, RiskLevel, Task
from cases.selectors.detention import due_benchmarks
from cases.selectors.risk import cases_due_for_review
from dashboards.figures import Figure
from hrdcase.db_router import use_replica
from relocation.models import ShelterReferral, VisaReferral

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
        Figure.own(
            "own_status",
            _("Cases by status"),
            [_("Cases")],
            [(str(label), [by_status.get(value, 0)]) for value, label in Case.Status.choices],
        ),
        Figure.own(
            "own_risk",
            _("Open cases by risk level"),
            [_("Open cases")],
            [(str(risk_labels.get(level, _("not assessed"))), [n]) for level, n in by_risk.items()],
        ),
    ]


def _count_and_first(queryset: QuerySet) -> tuple[int, list]:
    """How many rows match and the first ``LIST_LIMIT``, in one query: the count is a
    window over every matching row, computed before the limit (``COUNT(*) OVER ()``)."""
    rows = list(queryset.annotate(matching=Window(Count("pk")))[:LIST_LIMIT])
    return (rows[0].matching if rows else 0), rows


def due_this_week(user: User) -> list[dict]:
    """Sections of "due this week": each a title, a count and the first few items."""
    organisation = user.organisation
    today = timezone.localdate()
    reviews_count, reviews = _count_and_first(
        cases_due_for_review(today=today + WEEK, organisation=organisation)
    )
    benchmarks_count, benchmarks = _count_and_first(
        due_benchmarks(within=WEEK).filter(organisation=organisation)
    )
    sections = [
        {
            "key": "risk_reviews",
            "title": _("Risk reviews due"),
            "count": reviews_count,
            "items": [
                {
                    "date": case.review_due,
                    "case": case,
                    "label": _("Risk review"),
                    "overdue": case.review_due < today,
                }
                for case in reviews
            ],
        },
        {
            "key": "benchmarks",
            "title": _("Detention benchmarks due"),
            "count": benchmarks_count,
            "items": [
                {
                    "date": milestone.due_on,
                    "case": milestone.detention.incident.case,
                    "label": milestone.label or milestone.get_kind_display(),
                    "overdue": milestone.overdue,
                }
                for milestone in benchmarks
            ],
        },
    ]
    sections.extend([follow_ups_due(user, today), visa_deadlines_due(user, today)])
    sections.append(arrivals_due(user, today))
    return sections


def follow_ups_due(user: User, today) -> dict:
    """The organisation's open logbook follow-ups (tasks of kind ``follow_up``) due by the end
    of the week: overdue ones stay until done or cancelled, however old (they used to drop off
    a week after their day)."""
    tasks = (
        Task.objects.visible_to(user)
        .open()
        .filter(kind=Task.Kind.FOLLOW_UP, due_on__lte=today + WEEK)
        .select_related("case")
        .order_by("due_on", "created_at")
    )
    count, first = _count_and_first(tasks)
    return {
        "key": "follow_ups",
        "title": _("Logbook follow-ups"),
        "count": count,
        "items": [
            {
                "date": task.due_on,
                "label": task.title,
                "url": reverse("cases:task_detail", args=[task.pk]),
                "case": task.case,
                "overdue": task.due_on < today,
            }
            for task in first
        ],
    }


def visa_deadlines_due(user: User, today) -> dict:
    """Fast-track visa referrals addressed to the organisation, undecided, whose deadline is
    this week or past. The mission does not see the case file: items link to the referral."""
    referrals = (
        VisaReferral.objects.addressed_to(user.organisation)
        .filter(status=VisaReferral.Status.PENDING, deadline__lte=today + WEEK)
        .select_related("case")
        .order_by("deadline", "pk")
    )
    count, first = _count_and_first(referrals)
    return {
        "key": "visa_deadlines",
        "title": _("Visa deadlines"),
        "count": count,
        "items": [
            {
                "date": referral.deadline,
                "label": f"{referral.get_visa_type_display()} — {referral.case.pseudonym}",
                "url": reverse("relocation:visa_detail", args=[referral.pk]),
                "overdue": referral.deadline < today,
            }
            for referral in first
        ],
    }


def arrivals_due(user: User, today) -> dict:
    """Shelter-city arrivals this week: for a city, its confirmed guests; for a requester,
    the stays it arranged."""
    arriving = (
        ShelterReferral.objects.visible_to(user)
        .filter(status=ShelterReferral.Status.CONFIRMED, start__gte=today, start__lte=today + WEEK)
        .select_related("case", "city")
        .order_by("start", "pk")
    )
    count, first = _count_and_first(arriving)
    return {
        "key": "arrivals",
        "title": _("Shelter-city arrivals"),
        "count": count,
        "items": [
            {
                "date": stay.start,
                "label": f"{stay.city.name} — {stay.case.pseudonym}",
                "url": reverse("relocation:shelter_detail", args=[stay.pk]),
                "overdue": False,
            }
            for stay in first
        ],
    }


def open_alerts(user: User) -> list:
    """Unresolved urgent alerts the user may see, oldest first: someone must act on them.
    Only what the list shows: joining the people and the organisation of every open alert
    before the limit cost more to plan (~5 ms) than to run."""
    alerts = (
        alerts_for(user, status="open")
        .select_related(None)
        .select_related("case")
        .only("kind", "status", "created_at", "case__pseudonym")
    )
    return list(alerts.order_by("created_at")[:LIST_LIMIT])


def overview(user: User) -> dict:
    # The caseload's aggregates of the organisation's own cases on the read replica, if any;
    # the lists (due, alerts) are scoped to what the user may see now: the primary.
    with use_replica():
        figures = caseload(user.organisation)
    return {
        "caseload": figures,
        "due": due_this_week(user),
        "alerts": open_alerts(user),
        "today": timezone.localdate(),
    }
