"""Each organisation's relocation settings: its visa service level, its grant cap, whether
it offers emergency grants and its service levels per urgency (its admins)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from hrdcase.audit import audit_record
from relocation.models import GrantPurpose, RelocationSettings
from relocation.selectors.settings import settings_for
from relocation.services.access import require_admin_of

#: a setting the caller leaves as it is.
UNCHANGED = object()


def _audited(row: RelocationSettings) -> dict[str, Any]:
    return {
        "visa_service_days": row.visa_service_days,
        "grant_cap_amount": str(row.grant_cap_amount),
        "grant_cap_currency": row.grant_cap_currency,
        "offers_grants": row.offers_grants,
        "grant_activities": list(row.grant_activities),
        "grant_cap_per_defender_year": (
            None
            if row.grant_cap_per_defender_year is None
            else str(row.grant_cap_per_defender_year)
        ),
        "grant_eligibility_changed": False,
    }


@transaction.atomic
def settings_update(
    *,
    organisation: Organisation,
    acting_user: User,
    visa_service_days: int,
    grant_cap_amount: Decimal,
    grant_cap_currency: str,
    offers_grants: bool | None = None,
    grant_activities: list[str] | None = None,
    grant_eligibility: str | None = None,
    grant_cap_per_defender_year: Decimal | object | None = UNCHANGED,
) -> RelocationSettings:
    """None (or ``UNCHANGED`` for the yearly cap, which may be emptied) leaves a grant
    setting as it is."""
    require_admin_of(acting_user, organisation.pk)
    row = settings_for(organisation.pk)
    before = _audited(row)
    eligibility_before = row.grant_eligibility
    if grant_activities is not None:
        unknown = sorted(set(grant_activities) - set(GrantPurpose.values))
        if unknown:
            raise ValidationError(
                {
                    "grant_activities": _("Unknown activity types: %(names)s.")
                    % {"names": ", ".join(unknown)}
                }
            )
        row.grant_activities = [v for v in GrantPurpose.values if v in grant_activities]
    if grant_eligibility is not None:
        row.grant_eligibility = grant_eligibility.strip()
    if grant_cap_per_defender_year is not UNCHANGED:
        row.grant_cap_per_defender_year = cast("Decimal | None", grant_cap_per_defender_year)
    row.visa_service_days = visa_service_days
    row.grant_cap_amount = grant_cap_amount
    row.grant_cap_currency = (grant_cap_currency or "").upper()
    if offers_grants is not None:
        row.offers_grants = bool(offers_grants)
    row.full_clean()
    row.save()
    audit_record(
        action="relocation.settings_update",
        actor=acting_user,
        target=row,
        data={
            "before": before,
            "after": {
                **_audited(row),
                "grant_eligibility_changed": row.grant_eligibility != eligibility_before,
            },
        },
    )
    return row


#: the service level fields an admin sets (relocation.models.settings: hours, visa days).
SERVICE_LEVEL_FIELDS = (
    "emergency_review_hours",
    "emergency_visa_days",
    "emergency_shelter_hours",
    "emergency_grant_hours",
    "urgent_review_hours",
    "urgent_visa_days",
    "urgent_shelter_hours",
    "urgent_grant_hours",
    "routine_review_hours",
    "routine_shelter_hours",
    "routine_grant_hours",
)


@transaction.atomic
def service_levels_update(
    *, organisation: Organisation, acting_user: User, **levels: int
) -> RelocationSettings:
    """Set the organisation's service levels per urgency (its admins): each a whole number of
    hours (visa decisions: days) within the model's bounds. Answers already due keep their
    deadline; the new levels apply to what is submitted or referred from now on. Audited."""
    require_admin_of(acting_user, organisation.pk)
    unknown = set(levels) - set(SERVICE_LEVEL_FIELDS)
    if unknown:
        raise ValidationError({name: _("Unknown service level.") for name in sorted(unknown)})
    row = settings_for(organisation.pk)
    before = {name: getattr(row, name) for name in SERVICE_LEVEL_FIELDS}
    for name, value in levels.items():
        setattr(row, name, value)
    row.full_clean()
    row.save()
    audit_record(
        action="relocation.service_levels_update",
        actor=acting_user,
        target=row,
        data={
            "before": before,
            "after": {name: getattr(row, name) for name in SERVICE_LEVEL_FIELDS},
        },
    )
    return row
