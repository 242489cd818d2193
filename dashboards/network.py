"""The figures of a protection network's dashboard, each computed by the database in one
aggregate query over the member organisations' rows, grouped by member (and by month) so
that each member's values are suppressed on their own before they are added up (the
building blocks and why: ``dashboards.figures``).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.conf import settings
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
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from alerts.models import Alert
from cases.models import BenchmarkMilestone, Detention, Incident, RiskLevel
from dashboards.figures import (
    BAR,
    Figure,
    bar,
    breakdown,
    by_member_and_month,
    measure,
    member_cases,
    member_years,
    members_with_enough,
    network_year,
    open_cases,
    series,
    within,
)
from dashboards.measures import elapsed_percentiles
from dashboards.periods import MONTH, QUARTER, YEAR, Node, Period
from dashboards.suppression import (
    Published,
    protect_year,
    published_rate,
    rests_on_few,
    total,
    year_values,
)
from logbooks.models import ActionParticipant, DiplomaticAction, LogEntry, ParticipantStatus
from relocation.models import DECIDED_ON_TIME, CapacityPeriod, ShelterReferral, VisaReferral


def open_by_country(members) -> Figure:
    counted = (
        open_cases(members)
        .order_by()
        .values(member=F("organisation"), group=F("defender__country"))
        .annotate(n=Count("pk"))
    )
    return bar(
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
    return bar(
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
    return bar(
        "open_by_threat",
        _("Open cases by threat type"),
        counted,
        lambda label: label or _("none recorded"),
        column=_("Open cases"),
        note=_("A case with several threat types counts once for each: no total."),
        summable=False,
    )


def open_by_area(members) -> Figure:
    counted = (
        open_cases(members)
        .order_by()
        .values(member=F("organisation"), group=F("defender__areas_of_work__label"))
        .annotate(n=Count("pk"))
    )
    return bar(
        "open_by_area",
        _("Open cases by area of work"),
        counted,
        lambda label: label or _("none recorded"),
        column=_("Open cases"),
        note=_("A defender with several areas of work counts once for each: no total."),
        summable=False,
    )


def new_cases_and_incidents(members, period: Period) -> Figure:
    cases = by_member_and_month(member_cases(members), "opened_on", period, "organisation")
    # unscoped: network aggregate, counts only.
    incidents = by_member_and_month(
        Incident.objects.unscoped().filter(case__organisation__in=members),
        "occurred_on",
        period,
        "case__organisation",
    )
    return series(
        "new_cases_incidents",
        _("New cases and incidents per month"),
        [
            (_("New cases"), network_year(member_years(cases))),
            (_("Incidents"), network_year(member_years(incidents))),
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
    cells = breakdown(rows)
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
    return by_member_and_month(
        actions,
        "taken_on",
        period,
        "organisation",
        n=Count("*"),
        joint=Count("pk", filter=Exists(accepted)),
    )


def diplomatic_actions(actions: list[dict], period: Period) -> Figure:
    return series(
        "diplomatic_actions",
        _("Diplomatic actions per month"),
        [
            (_("All actions"), network_year(member_years(actions))),
            (_("Joint actions"), network_year(member_years(actions, "joint"))),
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
    entries = by_member_and_month(
        LogEntry.objects.unscoped().filter(organisation__in=ids, is_current=True),
        "occurred_at",
        period,
        "organisation",
    )
    entry_years, action_years = member_years(entries), member_years(actions)
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
    counted = by_member_and_month(
        decided,
        "decided_at",
        period,
        "mission",
        on_time=Count("pk", filter=DECIDED_ON_TIME),
        late=Count("pk", filter=~DECIDED_ON_TIME),
    )
    on_time = network_year(member_years(counted, "on_time"))[period.node]
    late = network_year(member_years(counted, "late"))[period.node]
    times = elapsed_percentiles(
        members_with_enough(within(decided, "decided_at", period), "mission"),
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
            measure(times, 0.5, unit=" " + _("days"), events=on_time + late),
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
        summable=False,
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
    monthly = by_member_and_month(alerts, "created_at", period, "organisation")
    acknowledged = within(alerts, "created_at", period).filter(acknowledged_at__isnull=False)
    times = elapsed_percentiles(
        members_with_enough(acknowledged, "organisation"),
        start="created_at",
        end="acknowledged_at",
        unit_seconds=60,
        fractions=(0.5, 0.9),
    )
    figure = series(
        "alerts",
        _("Urgent alerts raised per month"),
        [(_("Alerts"), network_year(member_years(monthly)))],
        period,
    )
    minutes, raised = " " + _("min"), figure.totals[0]
    figure.measures = [
        (_("Median time to acknowledge"), measure(times, 0.5, unit=minutes, events=raised)),
        (
            _("90th percentile time to acknowledge"),
            measure(times, 0.9, unit=minutes, events=raised),
        ),
    ]
    return figure


def network_members(network) -> list[tuple[Any, str]]:
    """The member organisations as (pk, name), by name (the activity table's order). A
    member closed on the platform (deactivated) counts no more: its cases are followed by
    nobody, and it chose to leave. Its deactivation raises the network's members version,
    so the cached figures drop it at once (``accounts.services.organisation_deactivate``)."""
    return list(network.members.filter(is_active=True).order_by("name").values_list("pk", "name"))


def open_case_figures(members: list[tuple[Any, str]]) -> list[Figure]:
    """The figures of the cases open today: the same whatever the period (the page says
    "open cases are counted as of today"), so one copy serves every period's page. They
    are also the costliest (each joins every open case to its defender or to a
    many-to-many table)."""
    ids = [pk for pk, _name in members]
    with timezone.override(settings.TIME_ZONE):  # "today": see period_figures
        return [
            open_by_country(ids),
            open_by_risk(ids),
            open_by_threat(ids),
            open_by_area(ids),
            detentions_overdue(ids),
        ]


def period_figures(members: list[tuple[Any, str]], period: Period) -> list[Figure]:
    """The figures of the period (each computed from its whole calendar year), its days and
    months cut in the deployment's time zone (``settings.TIME_ZONE``), whoever reads them:
    cut in each reader's zone, an event near midnight would fall in one month on one page
    and in the next on another (a coordinator need only change their zone), and the
    difference would date it."""
    ids = [pk for pk, _name in members]
    with timezone.override(settings.TIME_ZONE):
        actions = _actions_by_month(ids, period)
        return [
            new_cases_and_incidents(ids, period),
            alerts_raised(ids, period),
            diplomatic_actions(actions, period),
            visa_decisions(ids, period),
            shelter_capacity(ids, period),
            member_activity(members, period, actions),
        ]
