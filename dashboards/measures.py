"""Medians and percentiles of elapsed times, computed by the database.

PostgreSQL (production, benchmark) computes them with ``percentile_cont ... WITHIN GROUP``
over the filtered rows. SQLite (the embedded mode and the default test run) has no such
aggregate; there the two timestamps are fetched and ranked in Python — fine for a
one-machine demo, and the benchmark runs on PostgreSQL.
"""

from __future__ import annotations

import statistics
from datetime import datetime, time

from django.db import connection
from django.db.models import Aggregate, Count, DateTimeField, F, FloatField, Func, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone


class PercentileCont(Aggregate):
    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


class ElapsedSeconds(Func):
    """``end - start`` in seconds (PostgreSQL)."""

    template = "EXTRACT(EPOCH FROM (%(expressions)s))"
    arg_joiner = " - "
    output_field = FloatField()


def _as_datetime(value) -> datetime:
    if isinstance(value, datetime):
        return value
    return timezone.make_aware(datetime.combine(value, time.min))


def elapsed_percentiles(
    queryset: QuerySet,
    *,
    start: str,
    end: str,
    unit_seconds: float,
    fractions: tuple[float, ...] = (0.5, 0.9),
) -> dict:
    """``{"n": count, fraction: value in units}`` of ``end - start`` over ``queryset``."""
    queryset = queryset.filter(**{f"{end}__isnull": False, f"{start}__isnull": False})
    if connection.vendor == "postgresql":
        start_field = queryset.model._meta.get_field(start.split("__")[-1])
        start_expr = F(start)
        if start_field.get_internal_type() == "DateField":
            start_expr = Cast(start_expr, DateTimeField())
        elapsed = ElapsedSeconds(F(end), start_expr)
        aggregates = {f"p{int(f * 100)}": PercentileCont(elapsed, f) for f in fractions}
        result = queryset.aggregate(n=Count("pk"), **aggregates)
        return {
            "n": result["n"],
            **{
                f: (
                    None
                    if result[f"p{int(f * 100)}"] is None
                    else result[f"p{int(f * 100)}"] / unit_seconds
                )
                for f in fractions
            },
        }
    values = sorted(
        (_as_datetime(b) - _as_datetime(a)).total_seconds() / unit_seconds
        for a, b in queryset.values_list(start, end)
    )
    return {
        "n": len(values),
        **{f: (_percentile(values, f) if values else None) for f in fractions},
    }


def _percentile(values: list[float], fraction: float) -> float:
    """Linear interpolation between closest ranks, as PostgreSQL's percentile_cont."""
    if len(values) == 1:
        return float(values[0])
    if fraction == 0.5:
        return float(statistics.median(values))
    position = fraction * (len(values) - 1)
    lower = int(position)
    upper = min(lower + 1, len(values) - 1)
    return float(values[lower] + (values[upper] - values[lower]) * (position - lower))
