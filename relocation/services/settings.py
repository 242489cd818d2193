"""Each organisation's relocation settings: its visa service level, its grant cap and whether
it offers emergency grants (its admins)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from accounts.models import Organisation, User
from hrdcase.audit import audit_record
from relocation.models import RelocationSettings
from relocation.selectors.settings import settings_for
from relocation.services.access import require_admin_of


def _audited(row: RelocationSettings) -> dict[str, Any]:
    return {
        "visa_service_days": row.visa_service_days,
        "grant_cap_amount": str(row.grant_cap_amount),
        "grant_cap_currency": row.grant_cap_currency,
        "offers_grants": row.offers_grants,
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
) -> RelocationSettings:
    require_admin_of(acting_user, organisation.pk)
    row = settings_for(organisation.pk)
    before = _audited(row)
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
        data={"before": before, "after": _audited(row)},
    )
    return row
