"""The calendar's dated events for what the user may see, between two days: hearings and
detention benchmarks (cases whose full file the user holds), the user's open tasks (theirs
and the organisation's unassigned ones), shelter arrivals and departures (the requester and
the city), and visa deadlines (the requester and the mission). One query per kind, each
bounded by ``MAX_PER_KIND``.

An event's ``subject`` holds a case reference and a pseudonym at most, as the lists of the
apps show them; free text the user typed (a task's title, a court) is ``detail``, shown on
the page and never put in the iCal feed (work.views.feed), which leaves hrdcase.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access import NEED_IDENTITY
from cases.models import Case, Hearing, Task
from cases.selectors.detention import due_benchmarks
from hrdcase.tenancy import member_in_force
from relocation.models import ShelterReferral, VisaReferral

if TYPE_CHECKING:
    from accounts.models import User

#: the most events of one kind a calendar page or the feed reads; past it, the page says so.
MAX_PER_KIND = 500
#: the stays that happen (or happened): their arrival and departure are on the calendar.
STAYS_ON_CALENDAR = ("accepted", "confirmed", "hosting", "completed")


@dataclass(frozen=True)
class Event:
    day: datetime.date
    kind: str
    label: str
    subject: str
    url: str
    uid: str
    #: free text shown on the page only (never in the feed).
    detail: str = ""


@dataclass
class Events:
    events: list[Event]
    #: a kind had more than ``MAX_PER_KIND`` events in the window: some are not shown.
    truncated: bool = False

    def by_day(self) -> dict[datetime.date, list[Event]]:
        days: dict[datetime.date, list[Event]] = {}
        for event in self.events:
            days.setdefault(event.day, []).append(event)
        return days


def _bounded(queryset: QuerySet[Any]) -> tuple[list[Any], bool]:
    rows = list(queryset[: MAX_PER_KIND + 1])
    return rows[:MAX_PER_KIND], len(rows) > MAX_PER_KIND


def _case_label(case: Case) -> str:
    return f"{case.reference} {case.pseudonym}"


def _full_file_cases(user: User) -> QuerySet:
    """Ids of the cases whose full file (detention, hearings, plan) the user may open."""
    return Case.objects.ids_granted(user, NEED_IDENTITY)


def hearing_events(user: User, start: datetime.date, end: datetime.date) -> tuple[list, bool]:
    # unscoped: narrowed to the cases whose full file the user holds (owner or full partner),
    # the rule of the proceeding page these events link to.
    hearings = (
        Hearing.objects.unscoped()
        .filter(
            date__gte=start,
            date__lte=end,
            proceeding__case_id__in=_full_file_cases(user),
            proceeding__case__purged_at__isnull=True,
        )
        .select_related("proceeding__case")
        .order_by("date", "created_at")
    )
    rows, more = _bounded(hearings)
    events = []
    for hearing in rows:
        case = hearing.proceeding.case
        events.append(
            Event(
                day=hearing.date,
                kind="hearing",
                label=_("Hearing"),
                subject=_case_label(case),
                url=reverse("cases:proceeding", args=[case.pk, hearing.proceeding_id]),
                uid=f"hearing-{hearing.pk}",
                detail=hearing.court,
            )
        )
    return events, more


def benchmark_events(user: User, start: datetime.date, end: datetime.date) -> tuple[list, bool]:
    """Open steps of the benchmark plans, by the rule of their reminders (not of closed or
    purged cases, no public step the defender did not consent to)."""
    today = timezone.localdate()
    milestones = (
        due_benchmarks(within=end - today)
        .filter(due_on__gte=start, detention__incident__case_id__in=_full_file_cases(user))
        # only the case is shown: fewer joins to plan
        .select_related(None)
        .select_related("detention__incident__case")
    )
    rows, more = _bounded(milestones)
    events = []
    for milestone in rows:
        incident = milestone.detention.incident
        events.append(
            Event(
                day=milestone.due_on,
                kind="benchmark",
                label=str(milestone.get_kind_display()),
                subject=_case_label(incident.case),
                url=reverse("cases:detention", args=[incident.case_id, incident.pk]),
                uid=f"benchmark-{milestone.pk}",
                detail=milestone.label,
            )
        )
    return events, more


def task_events(user: User, start: datetime.date, end: datetime.date) -> tuple[list, bool]:
    """The user's open tasks and the organisation's unassigned ones, on their due day
    (snoozed or not: the calendar shows when a task is due)."""
    tasks = (
        Task.objects.visible_to(user)
        .open()
        .filter(Q(assignee_id=user.pk) | Q(assignee__isnull=True))
        .filter(due_on__gte=start, due_on__lte=end)
        .select_related("case")
        .order_by("due_on", "created_at")
    )
    rows, more = _bounded(tasks)
    events = [
        Event(
            day=task.due_on,
            kind="task",
            label=_("Task"),
            subject=_case_label(task.case) if task.case else "",
            url=reverse("cases:task_detail", args=[task.pk]),
            uid=f"task-{task.pk}",
            detail=task.title,
        )
        for task in rows
    ]
    return events, more


def stay_events(user: User, start: datetime.date, end: datetime.date) -> tuple[list, bool]:
    """Arrivals and departures of the stays the user's organisation requested or hosts: the
    days recorded once they happened, the planned ones until then (a guest arriving a week
    late is on the month of the arrival, not lost between the planned month and hers)."""
    stays = (
        ShelterReferral.objects.visible_to(user)
        .filter(status__in=STAYS_ON_CALENDAR)
        .annotate(arrival=Coalesce("arrived_on", "start"), departure=Coalesce("returned_on", "end"))
        .filter(Q(arrival__range=(start, end)) | Q(departure__range=(start, end)))
        .select_related("case")
        .order_by("arrival", "created_at")
    )
    rows, more = _bounded(stays)
    events = []
    for stay in rows:
        url = reverse("relocation:shelter_detail", args=[stay.pk])
        moves = (
            ("arrival", _("Shelter arrival"), stay.arrival),
            ("departure", _("Shelter departure"), stay.departure),
        )
        for kind, label, day in moves:
            if start <= day <= end:
                uid = f"{kind}-{stay.pk}"
                events.append(Event(day, kind, label, stay.case.pseudonym, url, uid))
    return events, more


def visa_events(user: User, start: datetime.date, end: datetime.date) -> tuple[list, bool]:
    """Fast-track deadlines of the undecided visa referrals the user's organisation made or
    must decide."""
    referrals = (
        VisaReferral.objects.visible_to(user)
        .filter(status=VisaReferral.Status.PENDING, deadline__gte=start, deadline__lte=end)
        .select_related("case")
        .order_by("deadline", "created_at")
    )
    rows, more = _bounded(referrals)
    events = [
        Event(
            day=referral.deadline,
            kind="visa_deadline",
            label=_("Visa deadline"),
            subject=referral.case.pseudonym,
            url=reverse("relocation:visa_detail", args=[referral.pk]),
            uid=f"visa-{referral.pk}",
        )
        for referral in rows
    ]
    return events, more


EventSource = Callable[["User", datetime.date, datetime.date], tuple[list, bool]]
SOURCES: list[EventSource] = [
    hearing_events,
    benchmark_events,
    task_events,
    stay_events,
    visa_events,
]


def events_for(user: User, *, start: datetime.date, end: datetime.date) -> Events:
    """Every event from ``start`` to ``end`` (inclusive), by day, for ``user``. A member of no
    organisation in force sees none (each ``visible_to`` says so; the case ids need it)."""
    if not member_in_force(user):
        return Events([])
    events: list[Event] = []
    truncated = False
    for source in SOURCES:
        found, more = source(user, start, end)
        events.extend(found)
        truncated = truncated or more
    events.sort(key=lambda event: event.day)
    return Events(events, truncated)
