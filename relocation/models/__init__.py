"""Relocation: emergency relocation requests and what carries them out — fast-track visa
referrals to missions, shelter-city referrals and stays, emergency grants. One module per
sub-domain; this package re-exports every model and the constants the other layers use.

Who owns and who sees what (need to know, DESIGN.md):

- A ``RelocationRequest`` belongs to the requesting organisation (an NGO or a mission that
  may add referrals to the case: the case owner, or a ``full`` partner). The case owner
  organisation reviews it (when the requester *is* the owner, its own admins review it).
  Requester and reviewer see it; nobody else.
- A referral (``VisaReferral``, ``ShelterReferral``, ``GrantRequest``) belongs to the
  requester too and names its addressee (a mission, a shelter city, a grantor). The
  addressee sees the referral row and what its decision needs, never the case file: the
  case stays invisible to it (``Case.objects.visible_to`` is unchanged).

Sources: ../shared/domain/001 (fast-track visa valid one year, multiple entries; Shelter City
three-month stays) and 003 ("exceptional or emergency support").
"""

from relocation.models.capacity import (
    DEFAULT_STAY_MONTHS,
    MAX_STAY_MONTHS,
    CapacityPeriod,
    ShelterProgramme,
)
from relocation.models.grants import GrantPurpose, GrantRequest
from relocation.models.referral import (
    NEEDS_MAX_LENGTH,
    WITHDRAWN,
    AddressedQuerySet,
    DecidedReferral,
    Referral,
)
from relocation.models.requests import (
    ACTIONABLE_STATUSES,
    PLAN_MAX_LENGTH,
    REQUEST_NEEDS,
    REQUEST_PLANS,
    REQUEST_TEXT_FIELDS,
    REQUEST_TRANSITIONS,
    REVIEW_STEPS,
    SETTLING_STATUSES,
    TERMINAL_STATUSES,
    RelocationRequest,
    RequestStatus,
    RequestTransition,
    Support,
    Urgency,
)
from relocation.models.returns import (
    RETURN_CHECK_IN_HOURS,
    RETURN_CHECK_IN_WEEKS,
    RETURN_FOLLOW_UP_DAYS,
    RETURN_RISK_REVIEW_DAYS,
    VISA_VALIDITY_REMINDER_DAYS,
    ReturnPlan,
)
from relocation.models.settings import (
    DEFAULT_GRANT_CAP,
    DEFAULT_GRANT_CURRENCY,
    DEFAULT_VISA_SERVICE_DAYS,
    RelocationSettings,
    currency_validator,
)
from relocation.models.shelter import STAY_ENDING_DAYS, ShelterReferral
from relocation.models.visa import DECIDED_ON_TIME, VISA_NEAR_DAYS, VisaReferral

__all__ = [
    "ACTIONABLE_STATUSES",
    "DECIDED_ON_TIME",
    "DEFAULT_GRANT_CAP",
    "DEFAULT_GRANT_CURRENCY",
    "DEFAULT_STAY_MONTHS",
    "DEFAULT_VISA_SERVICE_DAYS",
    "MAX_STAY_MONTHS",
    "NEEDS_MAX_LENGTH",
    "PLAN_MAX_LENGTH",
    "REQUEST_NEEDS",
    "REQUEST_PLANS",
    "REQUEST_TEXT_FIELDS",
    "REQUEST_TRANSITIONS",
    "RETURN_CHECK_IN_HOURS",
    "RETURN_CHECK_IN_WEEKS",
    "RETURN_FOLLOW_UP_DAYS",
    "RETURN_RISK_REVIEW_DAYS",
    "REVIEW_STEPS",
    "SETTLING_STATUSES",
    "STAY_ENDING_DAYS",
    "TERMINAL_STATUSES",
    "VISA_NEAR_DAYS",
    "VISA_VALIDITY_REMINDER_DAYS",
    "WITHDRAWN",
    "AddressedQuerySet",
    "CapacityPeriod",
    "DecidedReferral",
    "GrantPurpose",
    "GrantRequest",
    "Referral",
    "RelocationRequest",
    "RelocationSettings",
    "RequestStatus",
    "RequestTransition",
    "ReturnPlan",
    "ShelterProgramme",
    "ShelterReferral",
    "Support",
    "Urgency",
    "VisaReferral",
    "currency_validator",
]
