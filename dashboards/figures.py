"""The figures of the dashboards, each computed by the database in one aggregate query.

Network figures count the cases of every member organisation of a protection network: a
coordinator sees these counts, suppressed (``dashboards.suppression``), never the rows, the
pseudonyms or the identities. The querysets here are ``unscoped()`` for that reason only, and
nothing in this module returns a model instance.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from accounts.models import Organisation
from cases.models import BenchmarkMilestone, Case, Detention, Incident, RiskLevel
from dashboards.suppression import Cell, suppress

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
        .annotate(n=Count("pk"))
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
        .annotate(n=Count("pk"))
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


def network_figures(network, period: Period) -> list[Figure]:
    members = network.members.all()
    return [
        open_by_country(members),
        open_by_risk(members),
        open_by_threat(members),
        open_by_area(members),
        new_cases_and_incidents(members, period),
        detentions_overdue(members),
        member_activity(members, period),
    ]
