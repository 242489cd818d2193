"""Retention: a closed case is purged after its owner organisation's retention period.

Purging destroys the defender's identity and every narrative of the case (each part of the
file registers a purger with ``cases.retention``) and keeps an anonymous statistical shell
for dashboards: the case row with its status, dates, risk level and threat types, the
defender's country and profile categories, the pseudonym replaced with "purged".

A case is due when ``closed_on + retention_years <= today`` (29 February + n years is
1 March when that year has no 29 February). The beat task purges due cases in batches,
each in its own transaction, and is idempotent: a purged case is skipped.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access import revoke_all
from cases.models import (
    BreakGlassAccess,
    Case,
    CaseShare,
    Consent,
    CoordinationRequest,
    Defender,
    RetentionPolicy,
)
from cases.models.retention import (
    DEFAULT_RETENTION_YEARS,
    MAX_RETENTION_YEARS,
    MIN_RETENTION_YEARS,
)
from cases.retention import register_purger, run_purgers
from hrdcase.audit import audit_record

if TYPE_CHECKING:
    from accounts.models import Organisation, User

logger = logging.getLogger(__name__)

PURGED_PSEUDONYM = "purged"
DEFENDER_IDENTITY_FIELDS = ("legal_name", "other_names", "contact_channels", "location", "notes")


# --- dates ------------------------------------------------------------------------------------
def add_years(day: date, years: int) -> date:
    """``day`` plus ``years``; 29 February becomes 1 March in a year without one (a purge is
    never early)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


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


@transaction.atomic
def retention_policy_set(
    *, organisation: Organisation, retention_years: int, acting_user: User
) -> RetentionPolicy:
    if not acting_user.is_org_admin or acting_user.organisation_id != organisation.pk:
        raise PermissionDenied
    if (
        isinstance(retention_years, bool)
        or not isinstance(retention_years, int)
        or not MIN_RETENTION_YEARS <= retention_years <= MAX_RETENTION_YEARS
    ):
        raise ValidationError(
            {
                "retention_years": _("Choose a period between %(min)d and %(max)d years.")
                % {"min": MIN_RETENTION_YEARS, "max": MAX_RETENTION_YEARS}
            }
        )
    policy = RetentionPolicy.objects.owned_by(organisation).select_for_update().first()
    previous = policy.retention_years if policy else DEFAULT_RETENTION_YEARS
    if policy is None:
        policy = RetentionPolicy(organisation=organisation)
    policy.retention_years = retention_years
    policy.updated_by = acting_user
    policy.full_clean()
    policy.save()
    audit_record(
        action="retention.policy_set",
        actor=acting_user,
        target=policy,
        data={"from": previous, "to": retention_years},
    )
    return policy


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


# --- purging ----------------------------------------------------------------------------------
@transaction.atomic
def case_purge(
    *,
    case_id: UUID,
    today: date | None = None,
    now: datetime | None = None,
    acting_user: User | None = None,
) -> bool:
    """Purge one case if it is (still) due; returns whether it did. Idempotent: a purged,
    reopened or not-yet-due case is left alone."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    # Locked, and re-checked under the lock: the case may have been reopened, or purged by a
    # concurrent run, since it was selected.
    case = Case.objects.unscoped().select_for_update().filter(pk=case_id).first()
    if case is None or case.purged_at is not None or not case.is_closed or case.closed_on is None:
        return False
    years = retention_years_for(case.organisation_id)
    if add_years(case.closed_on, years) > today:
        return False
    purgers = run_purgers(case)
    case.pseudonym = PURGED_PSEUDONYM
    case.purged_at = now
    case.save(update_fields=["pseudonym", "purged_at", "updated_at"])
    audit_record(
        action="case.purge",
        actor=acting_user,
        organisation=case.organisation,
        target=case,
        data={
            "reference": case.reference,
            "closed_on": case.closed_on.isoformat(),
            "retention_years": years,
            "purgers": purgers,
        },
    )
    return True


def retention_purge_due(*, today: date | None = None, batch_size: int = 100) -> dict[str, int]:
    """Purge every due case, ``batch_size`` ids at a time, each in its own transaction. A case
    that fails is logged and left for the next run; the others go on."""
    today = today or timezone.localdate()
    counts = {"purged": 0, "skipped": 0, "failed": 0}
    after = None
    while True:
        batch = cases_due_by(today).order_by("pk")
        if after is not None:
            batch = batch.filter(pk__gt=after)
        ids = list(batch.values_list("pk", flat=True)[:batch_size])
        if not ids:
            break
        for case_id in ids:
            try:
                purged = case_purge(case_id=case_id, today=today)
            except Exception:
                logger.exception("retention purge of case %s failed", case_id)
                counts["failed"] += 1
            else:
                counts["purged" if purged else "skipped"] += 1
        after = ids[-1]
    return counts


# --- the purgers of the parts this module owns --------------------------------------------------
def _blank(instance, fields: tuple[str, ...]) -> None:
    """Overwrite ``fields`` with "" through save(): encrypted columns get the ciphertext of
    an empty string, plain ones an empty string."""
    changed = [name for name in fields if getattr(instance, name) not in ("", None)]
    for name in changed:
        setattr(instance, name, "")
    if changed:
        instance.save(update_fields=changed)


def _purge_defender(case: Case) -> None:
    defender = Defender.objects.unscoped().select_for_update().get(pk=case.defender_id)
    # One defender record may carry several cases: the identity goes with the last of them,
    # never from under a case still followed.
    others = (
        Case.objects.unscoped()
        .filter(defender_id=defender.pk, purged_at__isnull=True)
        .exclude(pk=case.pk)
    )
    if others.exists():
        return
    _blank(defender, DEFENDER_IDENTITY_FIELDS)
    if defender.name_index:
        # The blind index goes too: the duplicate hint must no longer match this defender.
        defender.name_index = ""
        defender.save(update_fields=["name_index"])


def _purge_case_narratives(case: Case) -> None:
    _blank(case, ("summary", "risk_override_reason"))


def _purge_consents(case: Case) -> None:
    for consent in Consent.objects.unscoped().filter(case=case):
        _blank(consent, ("note", "revocation_note", "channel"))


def _purge_coordination(case: Case) -> None:
    requests = CoordinationRequest.objects.unscoped().filter(Q(case=case) | Q(requester_case=case))
    for request in requests:
        _blank(request, ("message",))


def _purge_shares(case: Case) -> None:
    now = timezone.now()
    for share in CaseShare.objects.unscoped().filter(case=case).select_related("partner"):
        if share.status == CaseShare.Status.ACTIVE:  # expired but not yet swept too
            share.status = CaseShare.Status.REVOKED
            share.end_reason = CaseShare.EndReason.PURGED
            share.ended_at = now
            share.ended_by = None
            share.save(update_fields=["status", "end_reason", "ended_at", "ended_by"])
            revoke_all(case=case, organisation=share.partner)
            audit_record(
                action="case.unshare",
                organisation=case.organisation,
                target=case,
                data={"partner": str(share.partner_id), "reason": "retention purge"},
            )
        _blank(share, ("reason",))


def _purge_break_glass(case: Case) -> None:
    now = timezone.now()
    for opening in BreakGlassAccess.objects.unscoped().filter(case=case):
        if opening.is_active_at(now):
            opening.ended_at = now
            opening.save(update_fields=["ended_at"])
        _blank(opening, ("reason",))


register_purger("cases.defender", _purge_defender)
register_purger("cases.case", _purge_case_narratives)
register_purger("cases.consents", _purge_consents)
register_purger("cases.coordination", _purge_coordination)
register_purger("cases.shares", _purge_shares)
register_purger("cases.break_glass", _purge_break_glass)
