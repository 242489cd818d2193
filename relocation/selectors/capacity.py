"""Reads of shelter-city capacity: the city's programme, and places (from the capacity
periods) against occupancy (confirmed and hosting stays), per run of days or per day for the
occupancy calendar.

Two queries whatever the dates: the overlapping stays' date ranges and the overlapping
capacity periods, as plain value tuples. Occupancy and places are step functions of the day,
so they are swept over their boundary events only (a stay's arrival and the day after its
return, a period's first day and the day after its last): the work grows with the number of
stays and periods, never with the number of days counted. Issue 17: a per-day count over a
7,970-year stay took 12 s and ~950 MB of a web worker. Days are handled as ordinals, so the
day after 9999-12-31 is a number, not an overflow.

A day covered by no capacity period has no places. Periods of one city do not overlap
(``services.capacity.capacity_period_add`` refuses it under the programme's lock).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from django.db.models import Case, IntegerField, Q, Value, When

from accounts.models import Organisation, User
from relocation.models import CapacityPeriod, ShelterProgramme, ShelterReferral, Urgency

ONE_DAY = datetime.timedelta(days=1)


def programme_of(organisation_id) -> ShelterProgramme | None:
    # unscoped: the city's own programme row, by organisation id (read by requesters too:
    # a programme's name, stay length, languages and support are public to requesters).
    return ShelterProgramme.objects.unscoped().filter(organisation_id=organisation_id).first()


@dataclass(frozen=True)
class Segment:
    """Consecutive days, ``first`` to ``last`` (inclusive), with the same guests and places."""

    first: datetime.date
    last: datetime.date
    occupied: int
    places: int


def segments(
    *, city_id, start: datetime.date, end: datetime.date, exclude_pk=None
) -> list[Segment]:
    """From ``start`` to ``end`` (inclusive), in order: each run of days with the same
    occupancy and places. Two queries."""
    if end < start:
        return []
    # unscoped: capacity is the city's own bookkeeping across every requester's referrals;
    # only dates leave the query, never who is staying.
    stays = ShelterReferral.objects.unscoped().filter(
        city_id=city_id,
        status__in=ShelterReferral.OCCUPYING,
        start__lte=end,
        end__gte=start,
    )
    if exclude_pk is not None:
        stays = stays.exclude(pk=exclude_pk)
    # unscoped: the city's own periods, filtered by city.
    periods = CapacityPeriod.objects.unscoped().filter(
        organisation_id=city_id, start__lte=end, end__gte=start
    )
    return sweep(
        stays=stays.values_list("start", "end"),
        periods=periods.values_list("start", "end", "places"),
        start=start,
        end=end,
    )


def sweep(
    *,
    stays: Iterable[tuple[datetime.date, datetime.date]],
    periods: Iterable[tuple[datetime.date, datetime.date, int]],
    start: datetime.date,
    end: datetime.date,
) -> list[Segment]:
    """The runs of days from ``start`` to ``end`` with the same number of guests (a stay
    occupies its arrival day through its return day) and places, from boundary events only:
    O((stays + periods) log(stays + periods)), whatever the number of days."""
    first, last = start.toordinal(), end.toordinal()
    if last < first:
        return []
    guests: dict[int, int] = defaultdict(int)
    places: dict[int, int] = defaultdict(int)
    for stay_start, stay_end in stays:
        if stay_end < start or stay_start > end:
            continue
        guests[max(stay_start.toordinal(), first)] += 1
        guests[min(stay_end.toordinal(), last) + 1] -= 1
    for period_start, period_end, count in periods:
        if period_end < start or period_start > end:
            continue
        places[max(period_start.toordinal(), first)] += count
        places[min(period_end.toordinal(), last) + 1] -= count
    bounds = sorted({first, *guests, *places} - {last + 1})
    result: list[Segment] = []
    occupied = available = 0
    for index, day in enumerate(bounds):
        occupied += guests.get(day, 0)
        available += places.get(day, 0)
        following = bounds[index + 1] if index + 1 < len(bounds) else last + 1
        if result and (result[-1].occupied, result[-1].places) == (occupied, available):
            day = result.pop().first.toordinal()
        result.append(
            Segment(
                datetime.date.fromordinal(day),
                datetime.date.fromordinal(following - 1),
                occupied,
                available,
            )
        )
    return result


@dataclass(frozen=True)
class DayLoad:
    day: datetime.date
    occupied: int
    places: int

    @property
    def free(self) -> int:
        return max(self.places - self.occupied, 0)

    @property
    def over(self) -> bool:
        return self.occupied > self.places


def load_by_day(
    *, city_id, start: datetime.date, end: datetime.date, exclude_pk=None
) -> list[DayLoad]:
    """One row per day, for the calendar: the caller bounds the window (8 weeks there)."""
    loads: list[DayLoad] = []
    for segment in segments(city_id=city_id, start=start, end=end, exclude_pk=exclude_pk):
        day = segment.first
        while day <= segment.last:
            loads.append(DayLoad(day, segment.occupied, segment.places))
            day += ONE_DAY
    return loads


def conflicting_ranges(
    *, city_id, start: datetime.date, end: datetime.date, exclude_pk=None
) -> list[tuple[datetime.date, datetime.date]]:
    """The (first, last) day ranges on which one more guest from ``start`` to ``end`` would
    exceed the places, consecutive days folded together."""
    ranges: list[tuple[datetime.date, datetime.date]] = []
    for segment in segments(city_id=city_id, start=start, end=end, exclude_pk=exclude_pk):
        if segment.occupied + 1 <= segment.places:
            continue
        if ranges and ranges[-1][1].toordinal() + 1 == segment.first.toordinal():
            ranges[-1] = (ranges[-1][0], segment.last)
        else:
            ranges.append((segment.first, segment.last))
    return ranges


def format_ranges(ranges: list[tuple[datetime.date, datetime.date]]) -> str:
    """``2026-05-01 to 2026-05-03, 2026-05-08``: for a readable message."""
    return ", ".join(
        first.isoformat() if first == last else f"{first.isoformat()} to {last.isoformat()}"
        for first, last in ranges
    )


def city_calendar(city: Organisation, *, start: datetime.date, weeks: int = 8) -> list[dict]:
    """Per-day occupancy and places for ``weeks`` weeks from ``start`` (a Monday), grouped by
    week, with each week's peak and least free places. Three queries."""
    end = start + datetime.timedelta(days=7 * weeks - 1)
    loads = load_by_day(city_id=city.pk, start=start, end=end)
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


# --- planning ahead: months and the waiting list (issue 20, item 6) --------------------------

#: stays that take a place when the city plans ahead: accepted ones too (a place is promised).
PLANNED = ("accepted", "confirmed", "hosting", "completed")
#: the order of the waiting list: the most urgent first.
URGENCY_RANK = {Urgency.EMERGENCY: 0, Urgency.URGENT: 1, Urgency.ROUTINE: 2}


@dataclass(frozen=True)
class MonthPlan:
    """One month of a city's plan: its first day, arrivals and departures (planned stays
    starting or ending in it), the most guests on one day (``used``) against the most places
    offered on one day (``offered``), and the fewest free places on any day (negative: over)."""

    first: datetime.date
    arrivals: int
    departures: int
    used: int
    offered: int
    least_free: int

    @property
    def over(self) -> bool:
        return self.least_free < 0


def month_starts(first: datetime.date, months: int) -> list[datetime.date]:
    """The first day of ``months`` consecutive months from ``first``'s month."""
    year, month = first.year, first.month
    starts = []
    for _index in range(months):
        starts.append(datetime.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return starts


def city_months(city: Organisation, *, first: datetime.date, months: int = 12) -> list[MonthPlan]:
    """``months`` months of ``city``'s plan from ``first``'s month: arrivals, departures and
    places used / offered from its capacity periods and its accepted (and later) stays. Two
    queries, whatever the number of stays or months (the sweep of ``segments``)."""
    starts = month_starts(first, months + 1)
    window_start, window_end = starts[0], starts[-1] - ONE_DAY
    # unscoped: the city's own bookkeeping across every requester's stays (dates only).
    stays = list(
        ShelterReferral.objects.unscoped()
        .filter(city_id=city.pk, status__in=PLANNED, start__lte=window_end, end__gte=window_start)
        .values_list("start", "end")
    )
    # unscoped: the city's own periods.
    periods = CapacityPeriod.objects.unscoped().filter(
        organisation_id=city.pk, start__lte=window_end, end__gte=window_start
    )
    runs = sweep(
        stays=stays,
        periods=periods.values_list("start", "end", "places"),
        start=window_start,
        end=window_end,
    )
    plans = []
    index = 0
    for month_first, following in pairwise(starts):
        month_last = following - ONE_DAY
        used = offered = 0
        least_free: int | None = None
        # the runs overlapping this month (runs are in order and cover the window)
        while index < len(runs) and runs[index].last < month_first:
            index += 1
        cursor = index
        while cursor < len(runs) and runs[cursor].first <= month_last:
            run = runs[cursor]
            used, offered = max(used, run.occupied), max(offered, run.places)
            free = run.places - run.occupied
            least_free = free if least_free is None else min(least_free, free)
            cursor += 1
        plans.append(
            MonthPlan(
                first=month_first,
                arrivals=sum(1 for start, _end in stays if month_first <= start <= month_last),
                departures=sum(1 for _start, end in stays if month_first <= end <= month_last),
                used=used,
                offered=offered,
                least_free=least_free or 0,
            )
        )
    return plans


@dataclass(frozen=True)
class Waiting:
    """A line of the waiting list: what the city needs to plan (no needs, no identity)."""

    pk: object
    pseudonym: str
    urgency: str
    urgency_label: str
    status: str
    status_label: str
    start: datetime.date
    end: datetime.date
    referred_at: datetime.datetime
    requester: str


def waiting_list(user: User, *, limit: int = 100) -> list[Waiting]:
    """The referrals ``user``'s city has not answered yet or waitlisted (waiting for a place),
    the most urgent first, then the oldest (first come, first served). One query, read as
    plain values (model rows with their joins cost the page ~5 ms more for 25 lines)."""
    urgency = Case(
        *(When(request__urgency=value, then=Value(rank)) for value, rank in URGENCY_RANK.items()),
        default=Value(len(URGENCY_RANK)),
        output_field=IntegerField(),
    )
    rows = (
        ShelterReferral.objects.addressed_to(user.organisation)
        .filter(status__in=(ShelterReferral.Status.PROPOSED, ShelterReferral.Status.WAITLISTED))
        .annotate(urgency_rank=urgency)
        .order_by("urgency_rank", "created_at", "pk")
        .values_list(
            "pk",
            "case__pseudonym",
            "request__urgency",
            "status",
            "start",
            "end",
            "created_at",
            "organisation__name",
        )[:limit]
    )
    urgencies = dict(Urgency.choices)
    statuses = dict(ShelterReferral.Status.choices)
    return [
        Waiting(
            pk=pk,
            pseudonym=pseudonym,
            urgency=urgency_value,
            urgency_label=str(urgencies.get(urgency_value, urgency_value)),
            status=status,
            status_label=str(statuses.get(status, status)),
            start=start,
            end=end,
            referred_at=created_at,
            requester=requester,
        )
        for pk, pseudonym, urgency_value, status, start, end, created_at, requester in rows
    ]
