"""Scoped reads of the relocation app: lists (fixed query counts), queues, calendars and the
due items the alerts sweep turns into reminders."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from relocation import capacity
from relocation.models import (
    STAY_ENDING_DAYS,
    VISA_NEAR_DAYS,
    GrantRequest,
    RelocationRequest,
    RequestStatus,
    ShelterReferral,
    VisaReferral,
)
from relocation.services import WRITE_ROLES


def requests_for(user: User, *, status: str = "", side: str = "") -> QuerySet[RelocationRequest]:
    """The requests ``user``'s organisation raised and those it reviews (drafts of others
    are not shown to the reviewer: they are not submitted yet)."""
    own = getattr(user, "organisation_id", None)
    queryset = (
        RelocationRequest.objects.visible_to(user)
        .exclude(~Q(organisation_id=own) & Q(status=RequestStatus.DRAFT))
        .select_related("case", "organisation", "reviewer", "created_by")
        .order_by("-created_at")
    )
    if status:
        queryset = queryset.filter(status=status)
    if side == "mine":
        queryset = queryset.filter(organisation_id=own)
    elif side == "review":
        queryset = queryset.filter(reviewer_id=own).exclude(organisation_id=own)
    return queryset


def request_for(user: User) -> QuerySet[RelocationRequest]:
    """The single-object scope of request pages (same rule as the list)."""
    return requests_for(user)


def visa_referrals_for(user: User) -> QuerySet[VisaReferral]:
    return VisaReferral.objects.visible_to(user).select_related(
        "case", "mission", "organisation", "request", "created_by", "decided_by"
    )


def visa_queue_for(user: User, *, status: str = "pending") -> QuerySet[VisaReferral]:
    """The mission's queue: referrals addressed to it, nearest deadline first."""
    queryset = (
        VisaReferral.objects.addressed_to(user.organisation)
        .select_related("case", "organisation")
        .order_by("deadline", "created_at")
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def shelter_referrals_for(user: User) -> QuerySet[ShelterReferral]:
    return ShelterReferral.objects.visible_to(user).select_related(
        "case", "city", "organisation", "request", "created_by", "answered_by"
    )


def city_inbox_for(user: User, *, status: str = "") -> QuerySet[ShelterReferral]:
    queryset = (
        ShelterReferral.objects.addressed_to(user.organisation)
        .select_related("case", "organisation", "request")
        .order_by("start", "created_at")
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def grants_for(user: User) -> QuerySet[GrantRequest]:
    return GrantRequest.objects.visible_to(user).select_related(
        "case", "grantor", "organisation", "request", "created_by", "decided_by"
    )


def grants_inbox_for(user: User, *, status: str = "") -> QuerySet[GrantRequest]:
    queryset = (
        GrantRequest.objects.addressed_to(user.organisation)
        .select_related("case", "organisation")
        .order_by("-created_at")
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def city_calendar(city: Organisation, *, start: datetime.date, weeks: int = 8) -> list[dict]:
    """Per-day occupancy and places for ``weeks`` weeks from ``start`` (a Monday), grouped by
    week, with each week's peak and least free places. Three queries."""
    end = start + datetime.timedelta(days=7 * weeks - 1)
    loads = capacity.load_by_day(city_id=city.pk, start=start, end=end)
    # unscoped: the city's own stays (arrivals and departures of the window), by city.
    moves = ShelterReferral.objects.unscoped().filter(
        city_id=city.pk, status__in=("confirmed", "hosting", "completed")
    )
    arrivals: dict[datetime.date, int] = defaultdict(int)
    departures: dict[datetime.date, int] = defaultdict(int)
    for stay_start, stay_end in moves.filter(
        Q(start__range=(start, end)) | Q(end__range=(start, end))
    ).values_list("start", "end"):
        arrivals[stay_start] += 1
        departures[stay_end] += 1
    weeks_out = []
    for index in range(weeks):
        days = loads[index * 7 : index * 7 + 7]
        weeks_out.append(
            {
                "start": days[0].day,
                "days": [
                    {
                        "load": load,
                        "arrivals": arrivals.get(load.day, 0),
                        "departures": departures.get(load.day, 0),
                    }
                    for load in days
                ],
                "peak": max(load.occupied for load in days),
                "min_free": min(load.free for load in days),
            }
        )
    return weeks_out


# --- due items (registered with alerts.due in apps.py) ---------------------------------------


def _people_by_org(org_ids: Iterable) -> dict:
    people: dict = defaultdict(list)
    for user in User.objects.filter(
        organisation_id__in=set(org_ids), is_active=True, role__in=WRITE_ROLES
    ):
        people[user.organisation_id].append(user)
    return people


def visa_deadlines_due(now: datetime.datetime) -> Iterator:
    """Pending visa referrals within ``VISA_NEAR_DAYS`` of their fast-track deadline or past
    it -> the mission's officers. One item per referral and phase (near, past)."""
    from alerts.due import DueItem

    today = now.date()
    # unscoped: the sweep runs for every mission; each item goes to the addressed mission only.
    referrals = list(
        VisaReferral.objects.unscoped()
        .filter(
            status=VisaReferral.Status.PENDING,
            deadline__lte=today + datetime.timedelta(days=VISA_NEAR_DAYS),
        )
        .select_related("case")
        .order_by("deadline")
    )
    people = _people_by_org(r.mission_id for r in referrals)
    for referral in referrals:
        phase = "past" if referral.deadline < today else "near"
        subject = (
            _("Visa decision overdue for %(pseudonym)s (deadline %(day)s)")
            if phase == "past"
            else _("Visa decision due for %(pseudonym)s by %(day)s")
        ) % {"pseudonym": referral.case.pseudonym, "day": referral.deadline.isoformat()}
        yield DueItem(
            key=f"relocation.visa_deadline:{referral.pk}:{referral.deadline.isoformat()}:{phase}",
            kind="visa_deadline",
            subject=subject,
            recipients=people.get(referral.mission_id, []),
            url=reverse("relocation:visa_detail", args=[referral.pk]),
            due_at=datetime.datetime.combine(referral.deadline, datetime.time.min, now.tzinfo),
        )


def stays_ending_due(now: datetime.datetime) -> Iterator:
    """Stays (confirmed or hosting) ending within ``STAY_ENDING_DAYS`` days -> the requester
    (who raised it) and the city's officers. One item per side per stay end date."""
    from alerts.due import DueItem

    today = now.date()
    # unscoped: the sweep runs for every city; each item goes to that stay's two sides only.
    stays = list(
        ShelterReferral.objects.unscoped()
        .filter(
            status__in=ShelterReferral.OCCUPYING,
            end__gte=today,
            end__lte=today + datetime.timedelta(days=STAY_ENDING_DAYS),
        )
        .select_related("case", "created_by")
        .order_by("end")
    )
    people = _people_by_org([s.city_id for s in stays] + [s.organisation_id for s in stays])
    for stay in stays:
        subject = _("Stay of %(pseudonym)s ends on %(day)s") % {
            "pseudonym": stay.case.pseudonym,
            "day": stay.end.isoformat(),
        }
        due_at = datetime.datetime.combine(stay.end, datetime.time.min, now.tzinfo)
        url = reverse("relocation:shelter_detail", args=[stay.pk])
        yield DueItem(
            key=f"relocation.stay_ending:{stay.pk}:{stay.end.isoformat()}:city",
            kind="stay_ending",
            subject=subject,
            recipients=people.get(stay.city_id, []),
            url=url,
            due_at=due_at,
        )
        requester = [stay.created_by] if stay.created_by.is_active else []
        requester = requester or people.get(stay.organisation_id, [])
        yield DueItem(
            key=f"relocation.stay_ending:{stay.pk}:{stay.end.isoformat()}:requester",
            kind="stay_ending",
            subject=subject,
            recipients=requester,
            url=url,
            case=stay.case,
            due_at=due_at,
        )
