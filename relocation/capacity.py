"""Shelter-city capacity: places per day (from the capacity periods) against occupancy per day
(confirmed and hosting stays).

Two queries whatever the stay's length: the overlapping stays' date ranges and the
overlapping capacity periods, each as plain value tuples; the per-day counts are then a
sweep over the window's days (a difference array), not a query per day or per stay.
A day covered by no capacity period has no places.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from relocation.models import CapacityPeriod, ShelterReferral

ONE_DAY = datetime.timedelta(days=1)


def _days(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    return [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]


def occupancy_by_day(
    *, city_id, start: datetime.date, end: datetime.date, exclude_pk=None
) -> dict[datetime.date, int]:
    """Guests staying each day from ``start`` to ``end`` (inclusive: a stay occupies its
    arrival day through its return day)."""
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
    length = (end - start).days + 1
    diff = [0] * (length + 1)
    for stay_start, stay_end in stays.values_list("start", "end"):
        first = max((stay_start - start).days, 0)
        last = min((stay_end - start).days, length - 1)
        diff[first] += 1
        diff[last + 1] -= 1
    occupancy: dict[datetime.date, int] = {}
    running = 0
    for offset, day in enumerate(_days(start, end)):
        running += diff[offset]
        occupancy[day] = running
    return occupancy


def places_by_day(*, city_id, start: datetime.date, end: datetime.date) -> dict[datetime.date, int]:
    places = dict.fromkeys(_days(start, end), 0)
    # unscoped: the city's own periods, filtered by city.
    periods = CapacityPeriod.objects.unscoped().filter(
        organisation_id=city_id, start__lte=end, end__gte=start
    )
    for period_start, period_end, count in periods.values_list("start", "end", "places"):
        day = max(period_start, start)
        while day <= min(period_end, end):
            places[day] = count
            day += ONE_DAY
    return places


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
    occupied = occupancy_by_day(city_id=city_id, start=start, end=end, exclude_pk=exclude_pk)
    places = places_by_day(city_id=city_id, start=start, end=end)
    return [DayLoad(day, occupied[day], places[day]) for day in _days(start, end)]


def conflicting_days(
    *, city_id, start: datetime.date, end: datetime.date, exclude_pk=None
) -> list[DayLoad]:
    """Days on which one more guest from ``start`` to ``end`` would exceed the places."""
    return [
        load
        for load in load_by_day(city_id=city_id, start=start, end=end, exclude_pk=exclude_pk)
        if load.occupied + 1 > load.places
    ]


def date_ranges(days: list[datetime.date]) -> list[tuple[datetime.date, datetime.date]]:
    """Consecutive days folded into (first, last) ranges, for a readable message."""
    ranges: list[tuple[datetime.date, datetime.date]] = []
    for day in sorted(days):
        if ranges and ranges[-1][1] + ONE_DAY == day:
            ranges[-1] = (ranges[-1][0], day)
        else:
            ranges.append((day, day))
    return ranges


def format_ranges(days: list[datetime.date]) -> str:
    parts = []
    for first, last in date_ranges(days):
        parts.append(
            first.isoformat() if first == last else f"{first.isoformat()} to {last.isoformat()}"
        )
    return ", ".join(parts)
