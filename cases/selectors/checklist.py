"""The new case's checklist on Overview, for the owner's writers: consent recorded, then
shared with a partner (or "not shared", said explicitly), then the first risk assessment.
Each step reuses the rows the case page reads anyway (``CaseAccess.remember``: nothing read
for a part the case does not have); gone once every step is done."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cases.selectors.consent import case_consents_seen
from cases.selectors.risk import case_risk_trend
from cases.selectors.sharing import case_share_counts
from cases.services.checklist import is_marked_not_shared

if TYPE_CHECKING:
    from cases.access import CaseAccess
    from cases.models import Case


@dataclass(frozen=True)
class Step:
    key: str
    label: Any
    done: bool
    url: str


def case_checklist(case: Case, access: CaseAccess) -> list[Step] | None:
    """The steps, or None when there is nothing to show: not the owner's writer, a closed or
    purged case, or every step done."""
    if not access.can_edit or case.is_closed or case.purged_at:
        return None
    consented = any(consent.revoked_at is None for consent in case_consents_seen(case, access))
    shared = bool(case_share_counts(case, access).total) or is_marked_not_shared(case)
    assessed = bool(case_risk_trend(case, access))
    if consented and shared and assessed:
        return None
    return [
        Step(
            "consent",
            _("Record the defender's consent"),
            consented,
            reverse("cases:consents", args=[case.pk]),
        ),
        Step(
            "share",
            _("Share the case with a partner, or say it is not shared"),
            shared,
            reverse("cases:section", args=[case.pk, "sharing"]),
        ),
        Step(
            "risk",
            _("Make the first risk assessment"),
            assessed,
            reverse("cases:risk_create", args=[case.pk]),
        ),
    ]
