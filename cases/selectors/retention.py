"""Reads of the retention policy: an organisation's period, which closed cases the purge
will destroy and when (``retention_preview``: the policy page and ``manage.py
retention_preview``), and a case's purge date.

A case is due when ``closed_on + retention_years <= today`` (29 February + n years is
1 March when that year has no 29 February).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING
from uuid import UUID

from django.db.models import Q, QuerySet
from django.utils import timezone

from cases.models import Case, RetentionPolicy
from cases.models.retention import DEFAULT_RETENTION_YEARS
from hrdcase.dates import anniversary

if TYPE_CHECKING:
    from accounts.models import Organisation


# --- dates ------------------------------------------------------------------------------------
def add_years(day: date, years: int) -> date:
    """``day`` plus ``years``; 29 February becomes 1 March in a year without one (a purge is
    never early)."""
    return anniversary(day, years)


def subtract_years(day: date, years: int) -> date:
    """``day`` minus ``years``; 29 February becomes 28 February (the inverse of ``add_years``
    for the due test ``closed_on <= subtract_years(today, n)``)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return date(day.year - years, 2, 28)


# --- policy -----------------------------------------------------------------------------------
def retention_years_for(organisation: Organisation | UUID | str) -> int:
    organisation_id = getattr(organisation, "pk", organisation)
    years = (
        RetentionPolicy.objects.unscoped()
        .filter(organisation_id=organisation_id)
        .values_list("retention_years", flat=True)
        .first()
    )
    return years or DEFAULT_RETENTION_YEARS


def retention_policy_of(organisation: Organisation) -> RetentionPolicy:
    """The organisation's policy, unsaved with the default when it never set one."""
    policy = RetentionPolicy.objects.owned_by(organisation).first()
    return policy or RetentionPolicy(organisation=organisation)


# --- what is due ------------------------------------------------------------------------------
def _closed_unpurged(organisation: Organisation | None) -> QuerySet[Case]:
    # unscoped: retention is a maintenance job over every organisation's closed cases; the
    # preview page narrows it to the admin's own organisation.
    cases = Case.objects.unscoped().filter(
        status=Case.Status.CLOSED, closed_on__isnull=False, purged_at__isnull=True
    )
    if organisation is not None:
        cases = cases.filter(organisation_id=organisation.pk)
    return cases


def _years_by_organisation(organisation: Organisation | None) -> dict:
    policies = RetentionPolicy.objects.unscoped()
    if organisation is not None:
        policies = policies.filter(organisation_id=organisation.pk)
    return dict(policies.values_list("organisation_id", "retention_years"))


def cases_due_by(
    day: date,
    *,
    organisation: Organisation | None = None,
    years_override: int | None = None,
) -> QuerySet[Case]:
    """Closed, unpurged cases whose purge date is on or before ``day``. ``years_override``
    answers "what if this organisation's period were n years" (the policy page's warning)."""
    cases = _closed_unpurged(organisation)
    if years_override is not None:
        return cases.filter(closed_on__lte=subtract_years(day, years_override))
    explicit = _years_by_organisation(organisation)
    by_years: dict[int, list] = defaultdict(list)
    for organisation_id, years in explicit.items():
        by_years[years].append(organisation_id)
    due = Q(closed_on__lte=subtract_years(day, DEFAULT_RETENTION_YEARS)) & ~Q(
        organisation_id__in=list(explicit)
    )
    for years, organisation_ids in by_years.items():
        due |= Q(organisation_id__in=organisation_ids, closed_on__lte=subtract_years(day, years))
    return cases.filter(due)


@dataclass(frozen=True)
class PurgePreviewRow:
    case_id: UUID
    reference: str
    pseudonym: str
    organisation_id: UUID
    closed_on: date
    purge_on: date
    due: bool


def retention_preview(
    *,
    organisation: Organisation | None = None,
    today: date | None = None,
    within_days: int = 0,
    years_override: int | None = None,
) -> list[PurgePreviewRow]:
    """Cases the purge will destroy by ``today + within_days``, with the date of each: the
    ones already due go at the next run. Reference and pseudonym only, never identity."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=max(within_days, 0))
    explicit = _years_by_organisation(organisation)
    rows = []
    cases = cases_due_by(horizon, organisation=organisation, years_override=years_override)
    for case_id, reference, pseudonym, organisation_id, closed_on in cases.values_list(
        "pk", "reference", "pseudonym", "organisation_id", "closed_on"
    ):
        years = years_override or explicit.get(organisation_id, DEFAULT_RETENTION_YEARS)
        purge_on = add_years(closed_on, years)
        rows.append(
            PurgePreviewRow(
                case_id=case_id,
                reference=reference,
                pseudonym=pseudonym,
                organisation_id=organisation_id,
                closed_on=closed_on,
                purge_on=purge_on,
                due=purge_on <= today,
            )
        )
    rows.sort(key=lambda row: (row.purge_on, row.reference))
    return rows


def purge_date_of(case: Case) -> date | None:
    """When ``case`` will be purged under its owner's current policy (closed cases only)."""
    if not case.is_closed or case.closed_on is None or case.purged_at is not None:
        return None
    return add_years(case.closed_on, retention_years_for(case.organisation_id))
