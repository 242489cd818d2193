"""Retention: a closed case is purged after its owner organisation's retention period.

Purging destroys the defender's identity and every narrative of the case (each part of the
file registers a purger with ``cases.registries.purgers``, ``cases``' own in
``cases/hooks.py``) and keeps an anonymous statistical shell for dashboards: the case row
with its status, dates, risk level and threat types, the defender's country and profile
categories, the pseudonym replaced with "purged".

When a case is due: ``cases.selectors.retention``. The beat task purges due cases in
batches, each in its own transaction, and is idempotent: a purged case is skipped.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import TYPE_CHECKING
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.timezones import days_anywhere, organisation_today
from cases.models import Case, RetentionPolicy
from cases.models.retention import (
    DEFAULT_RETENTION_YEARS,
    MAX_RETENTION_YEARS,
    MIN_RETENTION_YEARS,
)
from cases.registries.purgers import run_purgers
from cases.selectors.retention import add_years, cases_due_by, retention_years_for
from hrdcase.audit import audit_record

if TYPE_CHECKING:
    from accounts.models import Organisation, User

logger = logging.getLogger(__name__)

PURGED_PSEUDONYM = "purged"


def blank_fields(instance: models.Model, fields: tuple[str, ...]) -> None:
    """Overwrite ``fields`` with "" through save() (what every purger does to the free text it
    destroys): encrypted columns get the ciphertext of an empty string, plain ones an empty
    string; a field already empty is left alone."""
    changed = [name for name in fields if getattr(instance, name) not in ("", None)]
    for name in changed:
        setattr(instance, name, "")
    if changed:
        instance.save(update_fields=changed)


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
    reopened or not-yet-due case is left alone. Due on the organisation's day (the one its
    case page announces) unless ``today`` is given, never on the server's: in UTC it is
    already tomorrow on the evening before in the Americas."""
    now = now or timezone.now()
    # Locked, and re-checked under the lock: the case may have been reopened, or purged by a
    # concurrent run, since it was selected.
    case = Case.objects.unscoped().select_for_update().filter(pk=case_id).first()
    if case is None or case.purged_at is not None or not case.is_closed or case.closed_on is None:
        return False
    years = retention_years_for(case.organisation_id)
    due_on = add_years(case.closed_on, years)
    if due_on > (today or organisation_today(case.organisation, now)):
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
    that fails is logged and left for the next run; the others go on. Without ``today``,
    each case on its organisation's day: those due by the latest day anywhere (UTC's plus
    one) are read, and ``case_purge`` skips the ones whose organisation is not there yet."""
    latest = today or days_anywhere(timezone.now())[1]
    counts = {"purged": 0, "skipped": 0, "failed": 0}
    after = None
    while True:
        batch = cases_due_by(latest).order_by("pk")
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
