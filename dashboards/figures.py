"""The figures of the dashboards (``Figure``: a chart and its table, holding only what may be
shown) and the building blocks of the network figures (``dashboards.network``).

Network figures count the cases of every member organisation of a protection network: a
coordinator sees these counts, suppressed, never the rows, the pseudonyms or the identities.
The querysets here are ``unscoped()`` for that reason only, and nothing in this module returns
a model instance.

Every query groups by member organisation (and by month for the figures of a period), so
that each member's values are suppressed on their own before they are added up
(``dashboards.suppression``): what a network shows is then the sum of what each of its
members would show alone, and two networks sharing members, two periods or two figures of
the same cases cannot be subtracted into a hidden count. A period's figures are computed
from its whole calendar year, month by month, for the same reason (the year, its quarters
and its months are protected together).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, F, QuerySet
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from cases.models import Case
from dashboards.periods import MONTH, Node, Period
from dashboards.suppression import (
    THRESHOLD,
    Published,
    protect_breakdown,
    protect_year,
    suppress_measure,
    suppressed,
    total,
)

BAR = "bar"
SERIES = "series"


@dataclass
class Figure:
    """One chart and its table, holding only what may be shown: published counts."""

    key: str
    title: str
    kind: str  # BAR (categories) or SERIES (months)
    columns: list[str]
    rows: list[tuple[str, list[Published]]]
    totals: list[Published] = field(default_factory=list)
    note: str = ""
    #: extra measures shown beside the chart (median, percentiles, rates), already suppressed.
    measures: list[tuple[str, str]] = field(default_factory=list)
    #: whether its rows add up to something: not when one case counts in several rows (threat
    #: types, areas of work) or the rows measure different things (guest-days, place-days).
    summable: bool = True

    def __post_init__(self) -> None:
        if not self.totals:
            self.totals = [
                total([values[column] for _label, values in self.rows])
                for column in range(len(self.columns))
            ]

    @classmethod
    def own(
        cls, key: str, title: str, columns: list[str], rows: list[tuple[str, list[int]]]
    ) -> Figure:
        """An organisation's own figure (its dashboard): its officers see these cases
        anyway, so every count is shown."""
        exact = [(label, [Published(n) for n in values]) for label, values in rows]
        return cls(key, title, BAR, columns, exact)

    def table(self) -> list[tuple[str, list[str]]]:
        """Rows as shown: label and one shown value per column."""
        return [(label, [count.shown for count in values]) for label, values in self.rows]

    @property
    def shown_totals(self) -> list[str]:
        return [count.shown for count in self.totals]


# --- building blocks -----------------------------------------------------------------------


def member_cases(members: Sequence[Any]) -> QuerySet[Case]:
    # unscoped: network aggregates over the member organisations' cases; only counts leave.
    return Case.objects.unscoped().filter(organisation__in=members)


def open_cases(members: Sequence[Any]) -> QuerySet[Case]:
    return member_cases(members).exclude(status=Case.Status.CLOSED)


def _sort_key(row: tuple[str, list[Published]]) -> tuple:
    # By what is shown, never by the true counts: the order of two hidden cells would tell
    # which is larger.
    count = row[1][0]
    return (-count.known, -count.hidden, row[0])


def breakdown(counted: Iterable[dict]) -> dict[Any, Published]:
    """``{category: published count}`` over the members, from rows ``{member, group, n}``:
    each member's categories are suppressed on their own, then added up."""
    per_member: dict[Any, dict[Any, int]] = defaultdict(lambda: defaultdict(int))
    for row in counted:
        per_member[row["member"]][row["group"]] += row["n"]
    cells: dict[Any, Published] = defaultdict(Published)
    for values in per_member.values():
        for group, count in protect_breakdown(values).items():
            cells[group] += count
    return cells


def bar(
    key: str,
    title: str,
    counted,
    label_of: Callable[[Any], str],
    *,
    column: str,
    note: str = "",
    summable: bool = True,
) -> Figure:
    rows = [(label_of(group), [count]) for group, count in breakdown(counted).items()]
    return Figure(
        key, title, BAR, [column], sorted(rows, key=_sort_key), note=note, summable=summable
    )


def _in_period(field_name: str, period: Period) -> dict:
    """A datetime field within the period's days (in the current time zone), as a range an
    index on the field serves: ``field__date`` wraps the column in a cast no index matches
    (the member activity figure scanned every logbook entry, docs/performance.md)."""
    start = timezone.make_aware(datetime.combine(period.start, time.min))
    after = timezone.make_aware(datetime.combine(period.end + timedelta(days=1), time.min))
    return {f"{field_name}__gte": start, f"{field_name}__lt": after}


def within(queryset: QuerySet, field_name: str, period: Period) -> QuerySet:
    if queryset.model._meta.get_field(field_name).get_internal_type() == "DateTimeField":
        return queryset.filter(**_in_period(field_name, period))
    return queryset.filter(**{f"{field_name}__gte": period.start, f"{field_name}__lte": period.end})


def by_member_and_month(
    queryset: QuerySet, field_name: str, period: Period, member: str, **counts
) -> list[dict]:
    """Rows ``{member, month, <count>...}`` over the period's whole calendar year (``month``
    its number, 1-12, in the current time zone): a quarter's or a month's figures are
    protected together with their year's. The number rather than the month's first moment:
    the rows are of one year, and an aware datetime per row cost ~7 ms of conversions a
    network dashboard."""
    counts = counts or {"n": Count("*")}
    return list(
        within(queryset, field_name, period.calendar_year())
        .annotate(month=ExtractMonth(field_name))
        .order_by()
        .values("month", member=F(member))
        .annotate(**counts)
    )


def member_years(rows: Iterable[dict], column: str = "n") -> dict[Any, dict[Node, Published]]:
    """Each member's year, quarters and months of ``column``, as published."""
    months: dict[Any, list[int]] = defaultdict(lambda: [0] * 12)
    for row in rows:
        months[row["member"]][row["month"] - 1] += row[column]
    return {member: protect_year(values) for member, values in months.items()}


def network_year(members: dict[Any, dict[Node, Published]]) -> dict[Node, Published]:
    """The network's published year: each node the sum of the members' published nodes."""
    result: dict[Node, Published] = defaultdict(Published)
    for nodes in members.values():
        for node, count in nodes.items():
            result[node] += count
    return result


def _month_label(month: date) -> str:
    return month.strftime("%Y-%m")


def series(
    key: str,
    title: str,
    columns: list[tuple[str, dict[Node, Published]]],
    period: Period,
    note: str = "",
) -> Figure:
    """Monthly rows of the period; each column's total is the period's published value."""
    rows = [
        (_month_label(month), [year[(MONTH, month.month)] for _title, year in columns])
        for month in period.months()
    ]
    return Figure(
        key,
        title,
        SERIES,
        [column_title for column_title, _year in columns],
        rows,
        totals=[year[period.node] for _title, year in columns],
        note=note,
    )


def measure(times: dict, fraction: float, *, unit: str, events: Published) -> str:
    """A median or percentile as shown: hidden when the period has events but none from a
    member with at least 5 (``members_with_enough``), "—" when it has none."""
    if times["n"] == 0 and (events.known or events.hidden):
        return suppressed()
    return suppress_measure(times[fraction], basis=times["n"], unit=unit)


def members_with_enough(queryset: QuerySet, member: str) -> QuerySet:
    """The rows of members that each have at least 5 of them: a median or percentile then
    never mixes in a member's one or two events, which another member who knows its own
    events (or a network without that member) could work back to."""
    enough = (
        queryset.order_by()
        .values(member)
        .annotate(n=Count("*"))
        .filter(n__gte=THRESHOLD)
        .values(member)
    )
    return queryset.filter(**{f"{member}__in": enough})
