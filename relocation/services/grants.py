"""Emergency grants: the requester asks a grantor (an organisation that offers grants) for an
amount within its cap, the grantor approves or declines, then records the disbursement."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.models import Organisation, User
from hrdcase.audit import audit_record
from hrdcase.exceptions import StateConflict
from relocation.models import GrantPurpose, GrantRequest, RelocationRequest
from relocation.selectors.settings import settings_for
from relocation.services.access import locked, require_writer_of
from relocation.services.referral import (
    ReferralKind,
    Step,
    recorded_day,
    referral_decide,
    referral_open,
    referral_save,
    tell_requester,
)

GRANT = ReferralKind(
    model=GrantRequest,
    kind="grant_request",
    label=_lazy("Grant request"),
    route="grant_detail",
    related_name="grants",
    create_action="relocation.grant_create",
    decide_action="relocation.grant_decide",
    new_event=_lazy("new request"),
    open_statuses=(GrantRequest.Status.PENDING,),
    answers={
        GrantRequest.Status.PENDING: (GrantRequest.Status.APPROVED, GrantRequest.Status.DECLINED)
    },
    answer_field="decision",
    answer_fields=("decision_reason", "decided_at", "decided_by"),
    reason_required=frozenset({GrantRequest.Status.DECLINED}),
    reason_message=_lazy("Give the reason for declining: the requester reads it."),
    answered_message=_lazy("This grant request was already answered (%(status)s)."),
    choose_message=_lazy("Choose approved or declined."),
    decide_audit=lambda grant: {"amount": str(grant.amount), "currency": grant.currency},
)


def _grant_errors(grantor, purpose: str, amount, currency: str) -> dict[str, str]:
    """What is missing, field by field; once nothing is, the first rule of the grantor's
    settings the request breaks (it offers grants, in its currency, up to its cap)."""
    errors = {}
    if grantor is None:
        errors["grantor"] = _("Choose the granting organisation.")
    if purpose not in GrantPurpose.values:
        errors["purpose"] = _("Choose a purpose.")
    if amount is None or amount <= 0:
        errors["amount"] = _("Give an amount above zero.")
    if errors:
        return errors
    cap = settings_for(grantor.pk)
    if not grantor.is_active or not cap.offers_grants:
        message = _("%(org)s does not offer emergency grants: choose an organisation that does.")
        return {"grantor": message % {"org": grantor.name}}
    if currency != cap.grant_cap_currency:
        message = _("%(org)s grants in %(currency)s: ask in that currency.")
        return {"currency": message % {"org": grantor.name, "currency": cap.grant_cap_currency}}
    if amount > cap.grant_cap_amount:
        message = _("%(org)s grants at most %(cap)s %(currency)s per request: lower the amount.")
        return {
            "amount": message
            % {"org": grantor.name, "cap": cap.grant_cap_amount, "currency": currency}
        }
    return {}


@transaction.atomic
def grant_request_create(
    *,
    relocation_request: RelocationRequest,
    grantor: Organisation,
    purpose: str,
    amount: Decimal,
    currency: str,
    acting_user: User,
    justification: str = "",
) -> GrantRequest:
    referral_open(relocation_request=relocation_request, acting_user=acting_user)
    currency = (currency or "").strip().upper()
    errors = _grant_errors(grantor, purpose, amount, currency)
    if errors:
        raise ValidationError(errors)
    return referral_save(
        GRANT,
        relocation_request=relocation_request,
        addressee=grantor,
        acting_user=acting_user,
        audit={
            "grantor": str(grantor.pk),
            "purpose": purpose,
            "amount": str(amount),
            "currency": currency,
        },
        purpose=purpose,
        amount=amount,
        currency=currency,
        justification=(justification or "").strip(),
    )


@transaction.atomic
def grant_decide(
    *, grant: GrantRequest, decision: str, acting_user: User, reason: str = ""
) -> GrantRequest:
    return referral_decide(
        GRANT, referral=grant, answer=decision, acting_user=acting_user, reason=reason
    )


@transaction.atomic
def grant_disburse(
    *, grant: GrantRequest, acting_user: User, disbursed_on: datetime.date | None = None
) -> GrantRequest:
    require_writer_of(acting_user, grant.grantor_id)
    current = locked(GrantRequest, grant.pk)
    if current.status != GrantRequest.Status.APPROVED:
        raise StateConflict(
            _("Only an approved grant can be disbursed (it is %(status)s).")
            % {"status": current.get_status_display()},
            allowed=[],
        )
    disbursed_on = recorded_day(
        "disbursed_on", disbursed_on, _("The disbursement date cannot be in the future.")
    )
    if disbursed_on < current.decided_at.date():
        raise ValidationError({"disbursed_on": _("The disbursement is before the approval.")})
    current.status = GrantRequest.Status.DISBURSED
    current.disbursed_on = disbursed_on
    current.save(update_fields=["status", "disbursed_on"])
    audit_record(
        action="relocation.grant_disburse",
        actor=acting_user,
        target=current,
        data={"disbursed_on": disbursed_on.isoformat()},
    )
    tell_requester(current, GRANT, current.get_status_display())
    return current


#: the grantor's steps, by the name the page and the API give them.
GRANT_STEPS = {
    "decide": Step(grant_decide, target="grant"),
    "disburse": Step(grant_disburse, target="grant", rename={"day": "disbursed_on"}),
}
