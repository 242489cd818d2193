"""The figures of the dashboards, each computed by the database in one aggregate query.

Network figures count the cases of every member organisation of a protection network: a
coordinator sees these counts, suppressed (``dashboards.suppression``), never the rows, the
pseudonyms or the identities. The querysets here are ``unscoped()`` for that reason only, and
nothing in this module returns a model instance.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

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
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, Least, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from accounts.models import Organisation
from alerts.models import Alert
from cases.models import BenchmarkMilestone, Case, Detention, Incident, RiskLevel
from dashboards.measures import elapsed_percentiles
from dashboards.suppression import Cell, suppress, suppress_measure
from logbooks.models import ActionParticipant, DiplomaticAction, LogEntry, ParticipantStatus
from relocation.models import CapacityPeriod, ShelterReferral, VisaReferral

BAR = "bar"
SERIES = "series"


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def months(self) -> list[date]:
        months, current = [], self.start.replace(day=1)
        while current <= self.end:
            months.append(current)
            current = (current.replace(day=28) + timezone.timedelta(days=4)).replace(day=1)
        return months


@dataclass
class Figure:
    key: str
    title: str
    kind: str  # BAR (categories) or SERIES (months)
    columns: list[str]
    rows: list[tuple[str, list[int]]]
    note: str = ""
    #: filled by ``finish``: per column, the shown cells and the shown total.
    cells: list[list[Cell]] = field(default_factory=list)
    totals: list[str] = field(default_factory=list)
    #: extra measures shown beside the chart (median, percentiles, rates), already suppressed.
    measures: list[tuple[str, str]] = field(default_factory=list)

    def finish(self, *, small_counts: bool = False) -> Figure:
        """Work out what may be shown; ``small_counts=True`` only for an organisation's own
        figures (its officers see those cases anyway)."""
        self.cells, self.totals = [], []
        for index in range(len(self.columns)):
            column = [(label, values[index]) for label, values in self.rows]
            if small_counts:
                cells = [Cell(label, value, str(value)) for label, value in column]
                total = str(sum(value for _label, value in column))
            else:
                cells, total = suppress(column)
            self.cells.append(cells)
            self.totals.append(total)
        return self

    def table(self) -> list[tuple[str, list[str]]]:
        """Rows as shown: label and one shown value per column."""
        return [
            (label, [self.cells[column][index].shown for column in range(len(self.columns))])
            for index, (label, _values) in enumerate(self.rows)
        ]


def member_cases(members: QuerySet[Organisation]) -> QuerySet[Case]:
    # unscoped: network aggregates over the member organisations' cases; only counts leave.
    return Case.objects.unscoped().filter(organisation__in=members.values("pk"))


def open_cases(members: QuerySet[Organisation]) -> QuerySet[Case]:
    return member_cases(members).exclude(status=Case.Status.CLOSED)


def _bar(key: str, title: str, counted, label_of, *, column: str, note: str = "") -> Figure:
    rows = [(label_of(row["group"]), row["n"]) for row in counted]
    rows.sort(key=lambda row: (-row[1], row[0]))
    return Figure(key, title, BAR, [column], [(label, [n]) for label, n in rows], note).finish()


def open_by_country(members) -> Figure:
    counted = open_cases(members).values(group=F("defender__country")).annotate(n=Count("pk"))
    return _bar(
        "open_by_country",
        _("Open cases by country"),
        counted,
        lambda code: str(countries.name(code)) or _("unknown"),
        column=_("Open cases"),
    )


def open_by_risk(members) -> Figure:
    counted = open_cases(members).values(group=F("risk_level")).annotate(n=Count("pk"))
    labels = dict(RiskLevel.choices)
    return _bar(
        "open_by_risk",
        _("Open cases by risk level"),
        counted,
        lambda level: str(labels.get(level, _("not assessed"))),
        column=_("Open cases"),
    )


def open_by_threat(members) -> Figure:
    counted = open_cases(members).values(group=F("threat_types__label")).annotate(n=Count("pk"))
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
        .values(group=F("defender__areas_of_work__label"))
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


def _monthly(queryset, date_field: str, period: Period) -> dict[date, int]:
    counted = (
        queryset.filter(**{f"{date_field}__gte": period.start, f"{date_field}__lte": period.end})
        .annotate(month=TruncMonth(date_field))
        .values("month")
        .annotate(n=Count("*"))
        .order_by("month")
    )
    result = {}
    for row in counted:
        month = row["month"]
        result[month.date() if hasattr(month, "date") else month] = row["n"]
    return result


def _month_label(month: date) -> str:
    return month.strftime("%Y-%m")


def new_cases_and_incidents(members, period: Period) -> Figure:
    cases = _monthly(member_cases(members), "opened_on", period)
    # unscoped: network aggregate, counts only.
    incidents = _monthly(
        Incident.objects.unscoped().filter(case__organisation__in=members.values("pk")),
        "occurred_on",
        period,
    )
    rows = [
        (_month_label(month), [cases.get(month, 0), incidents.get(month, 0)])
        for month in period.months()
    ]
    return Figure(
        "new_cases_incidents",
        _("New cases and incidents per month"),
        SERIES,
        [_("New cases"), _("Incidents")],
        rows,
    ).finish()


def detentions_overdue(members, *, today: date | None = None) -> Figure:
    today = today or timezone.localdate()
    overdue = BenchmarkMilestone.objects.unscoped().filter(
        detention=OuterRef("pk"), status=BenchmarkMilestone.Status.OPEN, due_on__lt=today
    )
    # unscoped: network aggregate, counts only.
    counted = (
        Detention.objects.unscoped()
        .filter(incident__case__organisation__in=members.values("pk"), released_on__isnull=True)
        .annotate(has_overdue=Exists(overdue))
        .aggregate(
            late=Count("pk", filter=Q(has_overdue=True)),
            on_track=Count("pk", filter=Q(has_overdue=False)),
        )
    )
    return Figure(
        "detentions",
        _("Defenders in detention"),
        BAR,
        [_("Detentions")],
        [
            (_("With overdue benchmarks"), [counted["late"]]),
            (_("Benchmarks on track"), [counted["on_track"]]),
        ],
        note=_("Detention benchmarks: visits, trial observation and other steps due by a date."),
    ).finish()


def count_per_member(queryset, member_field: str = "organisation"):
    """A subquery counting ``queryset`` rows per member organisation (0 when none), to
    annotate the members with: one query for the whole table."""
    counted = (
        queryset.filter(**{member_field: OuterRef("pk")})
        .order_by()
        .values(member_field)
        # COUNT(*), not COUNT(id): the rows can then be counted from an index alone (the
        # logbook entries of a member in a period: logentry_org_current_when).
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


def member_activity(members, period: Period, extra: dict | None = None) -> Figure:
    """Which missions carry the load: per member organisation, its open cases, plus the
    columns other apps contribute (``{column title: (annotation name, subquery)}``)."""
    extra = extra or {}
    annotations = {"followed": count_per_member(open_cases(members))}
    annotations.update({name: expression for name, expression in extra.values()})
    names = ["followed", *(name for name, _expression in extra.values())]
    counted = members.annotate(**annotations).order_by("name").values_list("name", *names)
    rows = [(row[0], list(row[1:])) for row in counted]
    return Figure(
        "member_activity",
        _("Activity per member organisation"),
        BAR,
        [_("Open cases followed"), *extra.keys()],
        rows,
    ).finish()


def _in_period(field: str, period: Period) -> dict:
    """A datetime ``field`` within the period's days (in the current time zone), as a range
    an index on ``field`` serves: ``field__date`` wraps the column in a cast no index matches
    (the member activity figure scanned every logbook entry, docs/performance.md)."""
    start = timezone.make_aware(datetime.combine(period.start, time.min))
    after = timezone.make_aware(datetime.combine(period.end + timedelta(days=1), time.min))
    return {f"{field}__gte": start, f"{field}__lt": after}


def diplomatic_actions(members, period: Period) -> Figure:
    """Actions led by member organisations per month, and how many were joint (at least one
    other mission took part)."""
    accepted = ActionParticipant.objects.filter(
        action=OuterRef("pk"), status=ParticipantStatus.ACCEPTED
    )
    # unscoped: network aggregate, counts only.
    actions = DiplomaticAction.objects.unscoped().filter(organisation__in=members.values("pk"))
    every = _monthly(actions, "taken_on", period)
    joint = _monthly(actions.filter(Exists(accepted)), "taken_on", period)
    rows = [
        (_month_label(month), [every.get(month, 0), joint.get(month, 0)])
        for month in period.months()
    ]
    return Figure(
        "diplomatic_actions",
        _("Diplomatic actions per month"),
        SERIES,
        [_("All actions"), _("Joint actions")],
        rows,
        note=_("Démarches, statements, trial observations and visits led by member missions."),
    ).finish()


def visa_decisions(members, period: Period) -> Figure:
    """Fast-track visa referrals to member missions decided in the period: within the
    deadline or not, with the median decision time."""
    # unscoped: network aggregate, counts only.
    decided = VisaReferral.objects.unscoped().filter(
        mission__in=members.values("pk"),
        status__in=[VisaReferral.Status.GRANTED, VisaReferral.Status.REFUSED],
        **_in_period("decided_at", period),
    )
    counted = decided.aggregate(
        on_time=Count("pk", filter=Q(decided_at__date__lte=F("deadline"))),
        late=Count("pk", filter=Q(decided_at__date__gt=F("deadline"))),
    )
    times = elapsed_percentiles(
        decided, start="requested_on", end="decided_at", unit_seconds=86400, fractions=(0.5,)
    )
    total = counted["on_time"] + counted["late"]
    figure = Figure(
        "visa_decisions",
        _("Fast-track visa decisions"),
        BAR,
        [_("Referrals decided")],
        [
            (_("Within the fast-track deadline"), [counted["on_time"]]),
            (_("After the deadline"), [counted["late"]]),
        ],
    ).finish()
    figure.measures = [
        (
            _("Decided within the deadline"),
            suppress_measure(
                100 * counted["on_time"] / total if total else None, basis=total, unit=" %"
            ),
        ),
        (
            _("Median decision time"),
            suppress_measure(times[0.5], basis=times["n"], unit=" " + _("days")),
        ),
    ]
    return figure


def shelter_capacity(members, period: Period, *, today: date | None = None) -> Figure:
    """Shelter-city places used in the period (guest-nights over place-nights offered by the
    member cities' capacity periods) and the waiting list today."""
    # unscoped (three queries below): network aggregates, counts only.
    cities = members.values("pk")
    offered = CapacityPeriod.objects.unscoped().filter(
        organisation__in=cities, start__lte=period.end, end__gte=period.start
    )
    stays = ShelterReferral.objects.unscoped().filter(
        city__in=cities,
        status__in=[
            ShelterReferral.Status.CONFIRMED,
            ShelterReferral.Status.HOSTING,
            ShelterReferral.Status.COMPLETED,
        ],
        start__lte=period.end,
        end__gte=period.start,
    )
    place_days = _clipped_days(offered, period, weight="places")
    guest_days = _clipped_days(stays, period)
    waiting = (
        ShelterReferral.objects.unscoped()
        .filter(city__in=cities, status=ShelterReferral.Status.WAITLISTED)
        .count()
    )
    figure = Figure(
        "shelter_capacity",
        _("Shelter-city places"),
        BAR,
        [_("Days")],
        [(_("Guest-days hosted"), [guest_days]), (_("Place-days offered"), [place_days])],
    ).finish()
    used = 100 * guest_days / place_days if place_days else None
    figure.measures = [
        (_("Capacity used"), suppress_measure(used, basis=stays.count(), unit=" %")),
        (_("On the waiting list today"), suppress([("", waiting)])[1]),
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


def _clipped_days(queryset, period: Period, *, weight: str | None = None) -> int:
    """Sum over rows of the days of [start, end] inside the period (times ``weight``),
    summed by the database."""
    days = (
        DaysBetween(
            Least(F("end"), Value(period.end, output_field=DateField())),
            Greatest(F("start"), Value(period.start, output_field=DateField())),
        )
        + 1
    )
    if weight:
        days = days * F(weight)
    return queryset.aggregate(total=Coalesce(Sum(days), 0))["total"]


def alerts_raised(members, period: Period) -> Figure:
    """Urgent alerts on member organisations' cases per month, and how fast someone took
    them on (time to acknowledge: median and 90th percentile)."""
    # unscoped: network aggregate, counts only.
    raised = Alert.objects.unscoped().filter(
        organisation__in=members.values("pk"), **_in_period("created_at", period)
    )
    monthly = _monthly_datetime(raised, "created_at", period)
    times = elapsed_percentiles(
        raised, start="created_at", end="acknowledged_at", unit_seconds=60, fractions=(0.5, 0.9)
    )
    figure = Figure(
        "alerts",
        _("Urgent alerts raised per month"),
        SERIES,
        [_("Alerts")],
        [(_month_label(month), [monthly.get(month, 0)]) for month in period.months()],
    ).finish()
    minutes = " " + _("min")
    figure.measures = [
        (
            _("Median time to acknowledge"),
            suppress_measure(times[0.5], basis=times["n"], unit=minutes),
        ),
        (
            _("90th percentile time to acknowledge"),
            suppress_measure(times[0.9], basis=times["n"], unit=minutes),
        ),
    ]
    return figure


def _monthly_datetime(queryset, field: str, period: Period) -> dict[date, int]:
    counted = (
        queryset.annotate(month=TruncMonth(field))
        .values("month")
        .annotate(n=Count("*"))
        .order_by("month")
    )
    return {
        (row["month"].date() if hasattr(row["month"], "date") else row["month"]): row["n"]
        for row in counted
    }


def network_figures(network, period: Period) -> list[Figure]:
    members = network.members.all()
    # unscoped (both): per-member activity of the period, counts only.
    entries = LogEntry.objects.unscoped().filter(
        is_current=True, **_in_period("occurred_at", period)
    )
    actions = DiplomaticAction.objects.unscoped().filter(
        taken_on__gte=period.start, taken_on__lte=period.end
    )
    activity = {
        _("Logbook entries"): ("entries", count_per_member(entries)),
        _("Diplomatic actions"): ("actions", count_per_member(actions)),
    }
    return [
        open_by_country(members),
        open_by_risk(members),
        open_by_threat(members),
        open_by_area(members),
        new_cases_and_incidents(members, period),
        detentions_overdue(members),
        alerts_raised(members, period),
        diplomatic_actions(members, period),
        visa_decisions(members, period),
        shelter_capacity(members, period),
        member_activity(members, period, activity),
    ]
