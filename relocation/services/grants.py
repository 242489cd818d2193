"""Emergency grants: the requester asks a grantor (an organisation that offers grants) for an
amount within its cap, the grantor approves or declines, then records the disbursement."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.models import Organisation, User
from cases.access import require_case_write
from cases.models import Case, Defender
from hrdcase.audit import audit_record
from hrdcase.exceptions import StateConflict
from hrdcase.later import label
from relocation.models import GrantPurpose, GrantRequest, RelocationRequest, Urgency
from relocation.selectors.settings import settings_for
from relocation.services.access import (
    REFERRAL_PERMISSION,
    locked,
    require_consent,
    require_open_case,
    require_writer_of,
)
from relocation.services.deadlines import REFERRAL_ANSWERS, answer_due
from relocation.services.referral import (
    ReferralKind,
    Step,
    recorded_day,
    referral_decide,
    referral_open,
    referral_save,
    tell_addressee,
    tell_requester,
    with_deadline,
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


def granted_this_year(grantor_id, case: Case) -> Decimal:
    """What a grantor granted or has pending for one defender this calendar year: on every
    case about the case's defender (a defender may have more than one case)."""
    # unscoped: the cap counts every organisation's requests to this grantor for the
    # defender, a total only, never the rows.
    total = (
        GrantRequest.objects.unscoped()
        .filter(
            grantor_id=grantor_id,
            case__defender_id=case.defender_id,
            status__in=GrantRequest.COUNTED,
            created_at__year=timezone.localdate().year,
        )
        .aggregate(total=Sum("amount"))["total"]
    )
    return total or Decimal("0.00")


def _grant_errors(grantor, purpose: str, amount, currency: str, case=None) -> dict[str, str]:
    """What is missing, field by field; once nothing is, the first rule of the grantor's
    settings the request breaks (it offers grants, for this activity, in its currency, up to
    its cap per grant and its cap per defender per calendar year)."""
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
    if cap.grant_activities and purpose not in cap.grant_activities:
        message = _("%(org)s does not fund %(activity)s: choose an activity it funds.")
        return {
            "purpose": message
            % {"org": grantor.name, "activity": GrantPurpose(purpose).label.lower()}
        }
    if currency != cap.grant_cap_currency:
        message = _("%(org)s grants in %(currency)s: ask in that currency.")
        return {"currency": message % {"org": grantor.name, "currency": cap.grant_cap_currency}}
    if amount > cap.grant_cap_amount:
        message = _("%(org)s grants at most %(cap)s %(currency)s per request: lower the amount.")
        return {
            "amount": message
            % {"org": grantor.name, "cap": cap.grant_cap_amount, "currency": currency}
        }
    yearly = cap.grant_cap_per_defender_year
    if yearly is not None and case is not None:
        counted = granted_this_year(grantor.pk, case)
        if counted + amount > yearly:
            message = _(
                "%(org)s grants at most %(cap)s %(currency)s per defender per calendar year; "
                "%(counted)s %(currency)s are already granted or pending this year: at most "
                "%(left)s %(currency)s remain."
            )
            return {
                "amount": message
                % {
                    "org": grantor.name,
                    "cap": yearly,
                    "currency": currency,
                    "counted": counted,
                    "left": max(yearly - counted, Decimal("0.00")),
                }
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
    lock_case(relocation_request.case)
    errors = _grant_errors(grantor, purpose, amount, currency, relocation_request.case)
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
        urgency=relocation_request.urgency,
        justification=(justification or "").strip(),
    )


#: the confirmations of a grant on its own, by field: the grantor's eligibility criteria.
CONFIRMATIONS = {
    "confirm_situation": _lazy(
        "Confirm that the defender's situation fits the grantor's eligibility criteria."
    ),
    "confirm_need": _lazy("Confirm that the need is described in the justification."),
    "confirm_consent": _lazy("Confirm that the defender consented to this request."),
}


def lock_case(case: Case) -> None:
    """Two grant requests for one defender (on one case or on two of its cases) are checked
    against the yearly cap one after the other: the defender's row is locked until the
    transaction ends."""
    # unscoped: locking the defender of a case the caller already checked access to; no
    # field of it is read.
    Defender.objects.unscoped().select_for_update().filter(pk=case.defender_id).values("pk").first()


@transaction.atomic
def grant_request_on_case(
    *,
    case: Case,
    grantor: Organisation | None,
    purpose: str,
    amount: Decimal | None,
    currency: str,
    urgency: str,
    acting_user: User,
    justification: str = "",
    confirm_situation: bool = False,
    confirm_need: bool = False,
    confirm_consent: bool = False,
) -> GrantRequest:
    """A grant asked on a case, without a relocation request (issue 20): by the case owner or
    a partner whose live share grants referrals (re-checked here), on an open case with
    relocation consent on record, the grantor's eligibility criteria confirmed, within its
    activities and caps; the deadline of its decision from the urgency and the grantor's
    service level."""
    require_case_write(case=case, acting_user=acting_user, need=REFERRAL_PERMISSION)
    require_open_case(case)
    lock_case(case)
    currency = (currency or "").strip().upper()
    justification = (justification or "").strip()
    errors: dict[str, Any] = {}
    if urgency not in Urgency.values:
        errors["urgency"] = _("Choose an urgency.")
    if not justification:
        errors["justification"] = _("Describe the need: the grantor decides on it.")
    confirmed = {
        "confirm_situation": confirm_situation,
        "confirm_need": confirm_need,
        "confirm_consent": confirm_consent,
    }
    for name, message in CONFIRMATIONS.items():
        if not confirmed[name]:
            errors[name] = str(message)
    errors.update(_grant_errors(grantor, purpose, amount, currency, case))
    if errors:
        raise ValidationError(errors)
    require_consent(case)
    # _grant_errors refused a missing grantor or amount; require_case_write an organisation.
    assert grantor is not None and amount is not None
    assert acting_user.organisation_id is not None
    due_at, remind_at = answer_due(grantor.pk, urgency, REFERRAL_ANSWERS[GRANT.kind])
    grant = GrantRequest(
        organisation_id=acting_user.organisation_id,
        request=None,
        case=case,
        created_by=acting_user,
        grantor=grantor,
        purpose=purpose,
        amount=amount,
        currency=currency,
        urgency=urgency,
        justification=justification,
        eligibility_confirmed_at=timezone.now(),
        due_at=due_at,
        remind_at=remind_at,
    )
    grant.full_clean(exclude=["case", "request", "grantor"])
    grant.save()
    audit_record(
        action=GRANT.create_action,
        actor=acting_user,
        target=grant,
        data={
            "grantor": str(grantor.pk),
            "purpose": purpose,
            "amount": str(amount),
            "currency": currency,
            "urgency": urgency,
            "due_at": due_at.isoformat(),
            "eligibility_confirmed": sorted(CONFIRMATIONS),
        },
    )
    event = with_deadline(GRANT.new_event, label(grant, "urgency"), due_at)
    tell_addressee(grant, GRANT, event, key="new")
    return grant


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
    tell_requester(current, GRANT, label(current, "status"))
    return current


#: the grantor's steps, by the name the page and the API give them.
GRANT_STEPS = {
    "decide": Step(grant_decide, target="grant"),
    "disburse": Step(grant_disburse, target="grant", rename={"day": "disbursed_on"}),
}
