"""The figures of the dashboards, each computed by the database in one aggregate query.

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

from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, Least, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from alerts.models import Alert
from cases.models import BenchmarkMilestone, Case, Detention, Incident, RiskLevel
from dashboards.measures import elapsed_percentiles
from dashboards.periods import MONTH, QUARTER, YEAR, Node, Period
from dashboards.suppression import (
    SUPPRESSED,
    THRESHOLD,
    Published,
    protect_breakdown,
    protect_year,
    published_rate,
    rests_on_few,
    suppress_measure,
    total,
    year_values,
)
from logbooks.models import ActionParticipant, DiplomaticAction, LogEntry, ParticipantStatus
from relocation.models import CapacityPeriod, ShelterReferral, VisaReferral

__all__ = ["BAR", "SERIES", "Figure", "Period", "network_figures"]

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


def _breakdown(counted: Iterable[dict]) -> dict[Any, Published]:
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


def _bar(
    key: str, title: str, counted, label_of: Callable[[Any], str], *, column: str, note: str = ""
) -> Figure:
    rows = [(label_of(group), [count]) for group, count in _breakdown(counted).items()]
    return Figure(key, title, BAR, [column], sorted(rows, key=_sort_key), note=note)


def _in_period(field_name: str, period: Period) -> dict:
    """A datetime field within the period's days (in the current time zone), as a range an
    index on the field serves: ``field__date`` wraps the column in a cast no index matches
    (the member activity figure scanned every logbook entry, docs/performance.md)."""
    start = timezone.make_aware(datetime.combine(period.start, time.min))
    after = timezone.make_aware(datetime.combine(period.end + timedelta(days=1), time.min))
    return {f"{field_name}__gte": start, f"{field_name}__lt": after}


def _within(queryset: QuerySet, field_name: str, period: Period) -> QuerySet:
    if queryset.model._meta.get_field(field_name).get_internal_type() == "DateTimeField":
        return queryset.filter(**_in_period(field_name, period))
    return queryset.filter(**{f"{field_name}__gte": period.start, f"{field_name}__lte": period.end})


def _by_member_and_month(
    queryset: QuerySet, field_name: str, period: Period, member: str, **counts
) -> list[dict]:
    """Rows ``{member, month, <count>...}`` over the period's whole calendar year: a
    quarter's or a month's figures are protected together with their year's."""
    counts = counts or {"n": Count("*")}
    return list(
        _within(queryset, field_name, period.calendar_year())
        .annotate(month=TruncMonth(field_name))
        .order_by()
        .values("month", member=F(member))
        .annotate(**counts)
    )


def _member_years(rows: Iterable[dict], column: str = "n") -> dict[Any, dict[Node, Published]]:
    """Each member's year, quarters and months of ``column``, as published."""
    months: dict[Any, list[int]] = defaultdict(lambda: [0] * 12)
    for row in rows:
        months[row["member"]][row["month"].month - 1] += row[column]
    return {member: protect_year(values) for member, values in months.items()}


def _network_year(members: dict[Any, dict[Node, Published]]) -> dict[Node, Published]:
    """The network's published year: each node the sum of the members' published nodes."""
    result: dict[Node, Published] = defaultdict(Published)
    for nodes in members.values():
        for node, count in nodes.items():
            result[node] += count
    return result


def _month_label(month: date) -> str:
    return month.strftime("%Y-%m")


def _series(
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


def _measure(times: dict, fraction: float, *, unit: str, events: Published) -> str:
    """A median or percentile as shown: "<5" when the period has events but none from a
    member with at least 5 (``_members_with_enough``), "—" when it has none."""
    if times["n"] == 0 and (events.known or events.hidden):
        return SUPPRESSED
    return suppress_measure(times[fraction], basis=times["n"], unit=unit)


def _members_with_enough(queryset: QuerySet, member: str) -> QuerySet:
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


# --- the figures ---------------------------------------------------------------------------


def open_by_country(members) -> Figure:
    counted = (
        open_cases(members)
        .order_by()
        .values(member=F("organisation"), group=F("defender__country"))
        .annotate(n=Count("pk"))
    )
    return _bar(
        "open_by_country",
        _("Open cases by country"),
        counted,
        lambda code: str(countries.name(code)) or _("unknown"),
        column=_("Open cases"),
    )


def open_by_risk(members) -> Figure:
    counted = (
        open_cases(members)
        .order_by()
        .values(member=F("organisation"), group=F("risk_level"))
        .annotate(n=Count("pk"))
    )
    labels = dict(RiskLevel.choices)
    return _bar(
        "open_by_risk",
        _("Open cases by risk level"),
        counted,
        lambda level: str(labels.get(level, _("not assessed"))),
        column=_("Open cases"),
    )


def open_by_threat(members) -> Figure:
    counted = (
        open_cases(members)
        .order_by()
        .values(member=F("organisation"), group=F("threat_types__label"))
        .annotate(n=Count("pk"))
    )
    return _bar(
        "open_by_threat",
        _("Open cases by threat type"),
        counted,
        lambda label: label or _("none recorded"),
        column=_("Open cases"),
        note=_("A case with several threat types counts once for each."),
    )


def open_by_area(members) -> Figure:
    counted = (
        open_cases(members)
        .order_by()
        .values(member=F("organisation"), group=F("defender__areas_of_work__label"))
        .annotate(n=Count("pk"))
    )
    return _bar(
        "open_by_area",
        _("Open cases by area of work"),
        counted,
        lambda label: label or _("none recorded"),
        column=_("Open cases"),
        note=_("A defender with several areas of work counts once for each."),
    )


def new_cases_and_incidents(members, period: Period) -> Figure:
    cases = _by_member_and_month(member_cases(members), "opened_on", period, "organisation")
    # unscoped: network aggregate, counts only.
    incidents = _by_member_and_month(
        Incident.objects.unscoped().filter(case__organisation__in=members),
        "occurred_on",
        period,
        "case__organisation",
    )
    return _series(
        "new_cases_incidents",
        _("New cases and incidents per month"),
        [
            (_("New cases"), _network_year(_member_years(cases))),
            (_("Incidents"), _network_year(_member_years(incidents))),
        ],
        period,
    )


def detentions_overdue(members, *, today: date | None = None) -> Figure:
    today = today or timezone.localdate()
    overdue = BenchmarkMilestone.objects.unscoped().filter(
        detention=OuterRef("pk"), status=BenchmarkMilestone.Status.OPEN, due_on__lt=today
    )
    # unscoped: network aggregate, counts only.
    counted = (
        Detention.objects.unscoped()
        .filter(incident__case__organisation__in=members, released_on__isnull=True)
        .annotate(has_overdue=Exists(overdue))
        .order_by()
        .values(member=F("incident__case__organisation"))
        .annotate(
            late=Count("pk", filter=Q(has_overdue=True)),
            on_track=Count("pk", filter=Q(has_overdue=False)),
        )
    )
    rows = [
        {"member": row["member"], "group": group, "n": row[group]}
        for row in counted
        for group in ("late", "on_track")
    ]
    cells = _breakdown(rows)
    return Figure(
        "detentions",
        _("Defenders in detention"),
        BAR,
        [_("Detentions")],
        [
            (_("With overdue benchmarks"), [cells["late"]]),
            (_("Benchmarks on track"), [cells["on_track"]]),
        ],
        note=_("Detention benchmarks: visits, trial observation and other steps due by a date."),
    )


def _actions_by_month(members, period: Period) -> list[dict]:
    """Actions led by member organisations per member and month, and how many were joint
    (at least one other mission took part): the series and the activity table share them."""
    accepted = ActionParticipant.objects.filter(
        action=OuterRef("pk"), status=ParticipantStatus.ACCEPTED
    )
    # unscoped: network aggregate, counts only.
    actions = DiplomaticAction.objects.unscoped().filter(organisation__in=members)
    return _by_member_and_month(
        actions,
        "taken_on",
        period,
        "organisation",
        n=Count("*"),
        joint=Count("pk", filter=Exists(accepted)),
    )


def diplomatic_actions(actions: list[dict], period: Period) -> Figure:
    return _series(
        "diplomatic_actions",
        _("Diplomatic actions per month"),
        [
            (_("All actions"), _network_year(_member_years(actions))),
            (_("Joint actions"), _network_year(_member_years(actions, "joint"))),
        ],
        period,
        note=_("Démarches, statements, trial observations and visits led by member missions."),
    )


def member_activity(members: list[tuple[Any, str]], period: Period, actions: list[dict]) -> Figure:
    """Which missions carry the load: per member organisation, its open cases, its logbook
    entries and its diplomatic actions of the period. Each member's values are suppressed on
    their own, so every network it belongs to shows the same values for it, and the totals
    add up the published ones only."""
    ids = [pk for pk, _name in members]
    followed = dict(open_cases(ids).order_by().values_list("organisation").annotate(n=Count("*")))
    # unscoped: per-member activity of the period, counts only.
    entries = _by_member_and_month(
        LogEntry.objects.unscoped().filter(organisation__in=ids, is_current=True),
        "occurred_at",
        period,
        "organisation",
    )
    entry_years, action_years = _member_years(entries), _member_years(actions)
    empty: dict[Node, Published] = defaultdict(Published)
    rows = []
    for pk, name in members:
        open_count = followed.get(pk, 0)
        rows.append(
            (
                name,
                [
                    Published.of(open_count, hidden=rests_on_few(open_count)),
                    entry_years.get(pk, empty)[period.node],
                    action_years.get(pk, empty)[period.node],
                ],
            )
        )
    return Figure(
        "member_activity",
        _("Activity per member organisation"),
        BAR,
        [_("Open cases followed"), _("Logbook entries"), _("Diplomatic actions")],
        rows,
    )


def visa_decisions(members, period: Period) -> Figure:
    """Fast-track visa referrals to member missions decided in the period: within the
    deadline or not, with the median decision time."""
    # unscoped: network aggregate, counts only.
    decided = VisaReferral.objects.unscoped().filter(
        mission__in=members,
        status__in=[VisaReferral.Status.GRANTED, VisaReferral.Status.REFUSED],
    )
    counted = _by_member_and_month(
        decided,
        "decided_at",
        period,
        "mission",
        on_time=Count("pk", filter=Q(decided_at__date__lte=F("deadline"))),
        late=Count("pk", filter=Q(decided_at__date__gt=F("deadline"))),
    )
    on_time = _network_year(_member_years(counted, "on_time"))[period.node]
    late = _network_year(_member_years(counted, "late"))[period.node]
    times = elapsed_percentiles(
        _members_with_enough(_within(decided, "decided_at", period), "mission"),
        start="requested_on",
        end="decided_at",
        unit_seconds=86400,
        fractions=(0.5,),
    )
    figure = Figure(
        "visa_decisions",
        _("Fast-track visa decisions"),
        BAR,
        [_("Referrals decided")],
        [
            (_("Within the fast-track deadline"), [on_time]),
            (_("After the deadline"), [late]),
        ],
    )
    figure.measures = [
        (_("Decided within the deadline"), published_rate(on_time, on_time + late)),
        (
            _("Median decision time"),
            _measure(times, 0.5, unit=" " + _("days"), events=on_time + late),
        ),
    ]
    return figure


class DaysBetween(Func):
    """Whole days from the second date to the first, as an integer, on both backends."""

    arity = 2
    output_field = IntegerField()

    def as_postgresql(self, compiler, connection, **extra):
        # date - date is an integer number of days in PostgreSQL.
        return self.as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" - ")

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
        )


def _days_inside(start: date, end: date, weight: str | None = None):
    """Days of a row's [start, end] inside [start, end] (times ``weight``), for the rows
    that overlap it."""
    days = (
        DaysBetween(
            Least(F("end"), Value(end, output_field=DateField())),
            Greatest(F("start"), Value(start, output_field=DateField())),
        )
        + 1
    )
    return days * F(weight) if weight else days


def _overlapping(start: date, end: date) -> Q:
    return Q(start__lte=end, end__gte=start)


def _clipped_days(queryset, period: Period, *, weight: str | None = None) -> int:
    """Sum over rows of the days of [start, end] inside the period (times ``weight``),
    summed by the database."""
    days = _days_inside(period.start, period.end, weight)
    return queryset.aggregate(total=Coalesce(Sum(days), 0))["total"]


def _year_nodes(year: int) -> list[tuple[Node, Period]]:
    return [
        ((kind, number), period)
        for kind, number, period in [
            (YEAR, 0, Period(year)),
            *((QUARTER, q, Period(year, quarter=q)) for q in range(1, 5)),
            *((MONTH, m, Period(year, month=m)) for m in range(1, 13)),
        ]
    ]


def _guest_days(stays: QuerySet, period: Period) -> Published:
    """The member cities' guest-days of the period, each city's suppressed on its own when
    they rest on fewer than 5 stays: the days of one or two stays tell their length, and
    the months they fall in their dates. One query: per city, the days of each month of the
    year and the stays overlapping each month, quarter and the year."""
    year = period.calendar_year()
    nodes = _year_nodes(year.year)
    aggregates = {
        f"stays_{kind}_{number}": Count("pk", filter=_overlapping(node.start, node.end))
        for (kind, number), node in nodes
    }
    aggregates.update(
        {
            f"days_{number}": Coalesce(
                Sum(
                    _days_inside(node.start, node.end),
                    filter=_overlapping(node.start, node.end),
                ),
                0,
            )
            for (kind, number), node in nodes
            if kind == MONTH
        }
    )
    per_city = (
        stays.filter(_overlapping(year.start, year.end))
        .order_by()
        .values(member=F("city"))
        .annotate(**aggregates)
    )
    result = Published()
    for row in per_city:
        months = [row[f"days_{m}"] for m in range(1, 13)]
        bases = {node: row[f"stays_{node[0]}_{node[1]}"] for node in year_values(months)}
        result += protect_year(months, bases)[period.node]
    return result


def shelter_capacity(members, period: Period) -> Figure:
    """Shelter-city places used in the period (guest-days over place-days offered by the
    member cities' capacity periods) and the waiting list today."""
    # unscoped (three queries below): network aggregates, counts only.
    offered = CapacityPeriod.objects.unscoped().filter(
        organisation__in=members, start__lte=period.end, end__gte=period.start
    )
    stays = ShelterReferral.objects.unscoped().filter(
        city__in=members,
        status__in=[
            ShelterReferral.Status.CONFIRMED,
            ShelterReferral.Status.HOSTING,
            ShelterReferral.Status.COMPLETED,
        ],
    )
    guest_days = _guest_days(stays, period)
    # The places a city offers are no one's secret: shown as they are.
    place_days = Published(_clipped_days(offered, period, weight="places"))
    waiting = ShelterReferral.objects.unscoped().filter(
        city__in=members, status=ShelterReferral.Status.WAITLISTED
    )
    waiting_per_city = waiting.order_by().values_list("city").annotate(n=Count("*"))
    on_the_list = total([Published.of(n, hidden=rests_on_few(n)) for _city, n in waiting_per_city])
    figure = Figure(
        "shelter_capacity",
        _("Shelter-city places"),
        BAR,
        [_("Days")],
        [(_("Guest-days hosted"), [guest_days]), (_("Place-days offered"), [place_days])],
        note=_("Guest-days of a city resting on fewer than 5 stays are not shown."),
    )
    figure.measures = [
        (_("Capacity used"), published_rate(guest_days, place_days)),
        (_("On the waiting list today"), on_the_list.shown),
    ]
    return figure


def alerts_raised(members, period: Period) -> Figure:
    """Urgent alerts on member organisations' cases per month, and how fast someone took
    them on (time to acknowledge: median and 90th percentile)."""
    # unscoped: network aggregate, counts only.
    alerts = Alert.objects.unscoped().filter(organisation__in=members)
    monthly = _by_member_and_month(alerts, "created_at", period, "organisation")
    acknowledged = _within(alerts, "created_at", period).filter(acknowledged_at__isnull=False)
    times = elapsed_percentiles(
        _members_with_enough(acknowledged, "organisation"),
        start="created_at",
        end="acknowledged_at",
        unit_seconds=60,
        fractions=(0.5, 0.9),
    )
    figure = _series(
        "alerts",
        _("Urgent alerts raised per month"),
        [(_("Alerts"), _network_year(_member_years(monthly)))],
        period,
    )
    minutes, raised = " " + _("min"), figure.totals[0]
    figure.measures = [
        (_("Median time to acknowledge"), _measure(times, 0.5, unit=minutes, events=raised)),
        (
            _("90th percentile time to acknowledge"),
            _measure(times, 0.9, unit=minutes, events=raised),
        ),
    ]
    return figure


def network_figures(network, period: Period) -> list[Figure]:
    members = list(network.members.order_by("name").values_list("pk", "name"))
    ids = [pk for pk, _name in members]
    actions = _actions_by_month(ids, period)
    return [
        open_by_country(ids),
        open_by_risk(ids),
        open_by_threat(ids),
        open_by_area(ids),
        new_cases_and_incidents(ids, period),
        detentions_overdue(ids),
        alerts_raised(ids, period),
        diplomatic_actions(actions, period),
        visa_decisions(ids, period),
        shelter_capacity(ids, period),
        member_activity(members, period, actions),
    ]
