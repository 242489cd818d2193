"""Reads of the deadlines of the answers relocation requests wait for
(``relocation.services.deadlines`` sets them): the receiving side's queues in deadline
order, and the due sources of the alerts sweep — a reminder at half the time allowed, and
past the deadline the escalation of the receiving organisation's alert policy (its admins,
then its networks' coordinators), once per step."""

from __future__ import annotations

from django.db.models import Case, F, QuerySet, When


def by_deadline(queryset: QuerySet, awaiting) -> QuerySet:
    """``queryset`` with the answers still owed first, nearest deadline first (those without
    one after them), then the rest as ``queryset`` orders them."""
    owed = Case(When(status__in=list(awaiting), then=F("due_at")), default=None)
    return queryset.alias(owed_by=owed).order_by(
        F("owed_by").asc(nulls_last=True), *queryset.query.order_by
    )
