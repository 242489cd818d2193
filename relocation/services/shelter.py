"""Shelter-city referrals and stays: the requester proposes a stay, the city accepts,
waitlists or declines, confirms it against its capacity, records the arrival and the return;
the requester may withdraw until the guest arrives. The city reads the defender's identity on
its own page, only while ``selectors.shelter.city_may_see_identity`` holds."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta  # type: ignore[import-untyped]
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.models import Organisation, User
from accounts.timezones import zone
from cases.models import CaseAccessLog, Defender
from cases.services.access_log import case_part_viewed
from hrdcase.audit import audit_record
from hrdcase.dates import plausible_date_errors
from hrdcase.exceptions import StateConflict
from hrdcase.later import label
from relocation.models import MAX_STAY_MONTHS, RelocationRequest, ShelterProgramme, ShelterReferral
from relocation.selectors.capacity import conflicting_ranges, format_ranges, programme_of
from relocation.selectors.shelter import city_may_see_identity
from relocation.services.access import (
    locked,
    require_consent,
    require_live_request,
    require_writer_of,
)
from relocation.services.referral import (
    ReferralKind,
    Step,
    recorded_day,
    referral_decide,
    referral_open,
    referral_save,
    referral_withdraw,
    tell_requester,
)
from relocation.services.returns import return_plan_after_stay

Status = ShelterReferral.Status
_DECLINE_REASON = _lazy("Give the reason for declining: the requester reads it.")

SHELTER = ReferralKind(
    model=ShelterReferral,
    kind="shelter_referral",
    label=_lazy("Shelter referral"),
    route="shelter_detail",
    related_name="shelter_referrals",
    create_action="relocation.shelter_referral_create",
    decide_action="relocation.shelter_answer",
    withdraw_action="relocation.shelter_withdraw",
    new_event=_lazy("new referral"),
    # The requester may withdraw until the guest arrives.
    open_statuses=(Status.PROPOSED, Status.WAITLISTED, Status.ACCEPTED, Status.CONFIRMED),
    answers={
        Status.PROPOSED: (Status.ACCEPTED, Status.WAITLISTED, Status.DECLINED),
        Status.WAITLISTED: (Status.ACCEPTED, Status.DECLINED),
    },
    answer_field="answer",
    answer_fields=("answer_reason", "answered_at", "answered_by"),
    reason_required=frozenset({Status.DECLINED}),
    reason_message=_DECLINE_REASON,
    answered_message=_lazy("A %(status)s referral cannot be answered %(answer)s."),
    # Which answers a stay may take depends on its state: any other one is a conflict.
    choose_message=None,
    decide_audit=lambda referral: {"case": str(referral.case_id)},
    withdraw_message=_lazy("This referral can no longer be withdrawn (it is %(status)s)."),
    next_steps={
        Status.PROPOSED: (Status.ACCEPTED, Status.WAITLISTED, Status.DECLINED, Status.WITHDRAWN),
        Status.WAITLISTED: (Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN),
        Status.ACCEPTED: (Status.CONFIRMED, Status.WITHDRAWN),
        Status.CONFIRMED: (Status.HOSTING, Status.WITHDRAWN),
        Status.HOSTING: (Status.COMPLETED,),
    },
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def stay_limit(start: datetime.date) -> datetime.date:
    """The last return day a stay arriving on ``start`` may plan, whatever the reason:
    ``MAX_STAY_MONTHS`` later."""
    return start + relativedelta(months=MAX_STAY_MONTHS)


def _validate_stay(
    *, programme: ShelterProgramme, start, end, override_reason: str
) -> dict[str, str]:
    errors = {}
    if not start:
        errors["start"] = _("Give the planned arrival date.")
    if not end:
        errors["end"] = _("Give the planned return date.")
    if errors:
        return errors
    # Before any arithmetic on them: months added to 9999-12-31 overflowed (issue 17).
    errors = plausible_date_errors({"start": start, "end": end})
    if errors:
        return errors
    longest = stay_limit(start)
    if end < start:
        errors["end"] = _("The stay ends before it starts.")
    elif end > longest:
        # Not even with an override reason: it also bounds what a confirmation counts.
        errors["end"] = _(
            "A stay lasts at most %(months)s months, whatever the reason: plan the return by "
            "%(day)s at the latest."
        ) % {"months": MAX_STAY_MONTHS, "day": longest.isoformat()}
    elif end > start + relativedelta(months=programme.stay_months) and not override_reason:
        errors["override_reason"] = _(
            "The stay is longer than the %(months)s months %(city)s's programme allows: "
            "give a reason for the longer stay (at most %(longest)s months)."
        ) % {
            "months": programme.stay_months,
            "city": programme.organisation.name,
            "longest": MAX_STAY_MONTHS,
        }
    return errors


@transaction.atomic
def shelter_referral_create(
    *,
    relocation_request: RelocationRequest,
    city: Organisation,
    start: datetime.date,
    end: datetime.date,
    acting_user: User,
    override_reason: str = "",
) -> ShelterReferral:
    referral_open(relocation_request=relocation_request, acting_user=acting_user)
    if city is None or city.kind != Organisation.Kind.SHELTER_CITY:
        raise ValidationError({"city": _("Choose a shelter city.")})
    programme = programme_of(city.pk)
    if programme is None or not programme.active:
        raise ValidationError(
            {"city": _("%(city)s is not accepting referrals now.") % {"city": city.name}}
        )
    override_reason = (override_reason or "").strip()
    errors = _validate_stay(
        programme=programme, start=start, end=end, override_reason=override_reason
    )
    if start and start < timezone.localdate():
        errors.setdefault("start", _("The planned arrival is in the past."))
    if errors:
        raise ValidationError(errors)
    require_consent(relocation_request.case)
    return referral_save(
        SHELTER,
        relocation_request=relocation_request,
        addressee=city,
        acting_user=acting_user,
        audit={"city": str(city.pk), "start": start.isoformat(), "end": end.isoformat()},
        start=start,
        end=end,
        override_reason=override_reason,
    )


@transaction.atomic
def shelter_answer(
    *, referral: ShelterReferral, answer: str, acting_user: User, reason: str = ""
) -> ShelterReferral:
    """The city accepts, waitlists or declines (a decline needs a reason; the requester
    reads it)."""
    return referral_decide(
        SHELTER, referral=referral, answer=answer, acting_user=acting_user, reason=reason
    )


def _stay_in(referral: ShelterReferral, expected: str, conflict: Promise) -> ShelterReferral:
    """The stay re-read under a lock, in the ``expected`` state for the city's next step;
    ``conflict`` (naming ``%(status)s`` where it says it) otherwise."""
    current = locked(ShelterReferral, referral.pk)
    if current.status != expected:
        raise StateConflict(
            conflict % {"status": current.get_status_display()},
            allowed=list(SHELTER.next_steps.get(current.status, ())),
        )
    return current


def _stay_recorded(
    current: ShelterReferral,
    acting_user: User,
    *,
    action: str,
    fields: list[str],
    event: StrOrPromise,
    data: dict[str, Any] | None = None,
) -> ShelterReferral:
    """The city's step written, audited and told to the requester."""
    current.save(update_fields=fields)
    audit_record(action=action, actor=acting_user, target=current, data=data)
    tell_requester(current, SHELTER, event)
    return current


@transaction.atomic
def shelter_confirm(
    *,
    referral: ShelterReferral,
    acting_user: User,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> ShelterReferral:
    """The city confirms an accepted stay (dates may be adjusted). Refused when one more
    guest would exceed the places on any day of the stay; the message names those days.

    The city's programme row is locked first, so two confirmations for the same city are
    counted one after the other and cannot both take the last place."""
    require_writer_of(acting_user, referral.city_id)
    programme = programme_of(referral.city_id)
    if programme is None:
        raise ValidationError(_("Set up the shelter programme and its capacity first."))
    locked(ShelterProgramme, programme.pk)
    current = _stay_in(
        referral,
        Status.ACCEPTED,
        _lazy("Only an accepted referral can be confirmed (it is %(status)s)."),
    )
    require_live_request(current.request)
    start = start or current.start
    end = end or current.end
    errors = _validate_stay(
        programme=programme, start=start, end=end, override_reason=current.override_reason
    )
    if errors:
        raise ValidationError(errors)
    conflicts = conflicting_ranges(
        city_id=current.city_id, start=start, end=end, exclude_pk=current.pk
    )
    if conflicts:
        raise ValidationError(
            {
                "start": _(
                    "The city has no free place on %(days)s: confirming this stay would "
                    "exceed its capacity. Change the dates or add capacity."
                )
                % {"days": format_ranges(conflicts)}
            }
        )
    current.start = start
    current.end = end
    current.status = Status.CONFIRMED
    return _stay_recorded(
        current,
        acting_user,
        action="relocation.shelter_confirm",
        fields=["start", "end", "status"],
        event=label(current, "status"),
        data={"start": start.isoformat(), "end": end.isoformat()},
    )


@transaction.atomic
def shelter_arrive(
    *, referral: ShelterReferral, acting_user: User, arrived_on: datetime.date | None = None
) -> ShelterReferral:
    require_writer_of(acting_user, referral.city_id)
    current = _stay_in(
        referral, Status.CONFIRMED, _lazy("Only a confirmed stay can start hosting.")
    )
    arrived_on = recorded_day("arrived_on", arrived_on, _("The arrival cannot be in the future."))
    # The January typo: last year's number on this year's arrival. The day the stay was
    # proposed is the city's, and a day's slack leaves any zone's evening alone (the API
    # and a member's own zone read dates elsewhere): only a wrong year is refused.
    proposed_on = timezone.localdate(current.created_at, zone(current.city.time_zone))
    if arrived_on < proposed_on - datetime.timedelta(days=1):
        raise ValidationError(
            {
                "arrived_on": _(
                    "The arrival is before the stay was proposed (%(day)s): check the year."
                )
                % {"day": proposed_on.isoformat()}
            }
        )
    current.status = Status.HOSTING
    current.arrived_on = arrived_on
    return _stay_recorded(
        current,
        acting_user,
        action="relocation.shelter_arrive",
        fields=["status", "arrived_on"],
        event=_lazy("arrived"),
    )


@transaction.atomic
def shelter_complete(
    *, referral: ShelterReferral, acting_user: User, returned_on: datetime.date | None = None
) -> ShelterReferral:
    require_writer_of(acting_user, referral.city_id)
    current = _stay_in(referral, Status.HOSTING, _lazy("Only a stay in progress can be completed."))
    returned_on = recorded_day("returned_on", returned_on, _("The return cannot be in the future."))
    if current.arrived_on and returned_on < current.arrived_on:
        raise ValidationError({"returned_on": _("The return is before the arrival.")})
    current.status = Status.COMPLETED
    current.returned_on = returned_on
    # The stay frees its places from the day after the return.
    if returned_on < current.end:
        current.end = max(returned_on, current.start)
    recorded = _stay_recorded(
        current,
        acting_user,
        action="relocation.shelter_complete",
        fields=["status", "returned_on", "end"],
        event=label(current, "status"),
    )
    # Issue 20, item 5: the departure sets up the case's return plan (once per request); the
    # city is not the case's writer, so the plan is nobody's in particular.
    return_plan_after_stay(recorded)
    return recorded


@transaction.atomic
def shelter_withdraw(*, referral: ShelterReferral, acting_user: User) -> ShelterReferral:
    return referral_withdraw(SHELTER, referral=referral, acting_user=acting_user)


#: the city's and the requester's steps, by the name the page and the API give them.
SHELTER_STEPS = {
    "answer": Step(shelter_answer),
    "confirm": Step(shelter_confirm),
    "hosting": Step(shelter_arrive, rename={"day": "arrived_on"}),
    "complete": Step(shelter_complete, rename={"day": "returned_on"}),
    "withdraw": Step(shelter_withdraw),
}


def shelter_identity_reveal(
    *, referral: ShelterReferral, user: User, ip: str | None = None
) -> Defender:
    """The defender's identity for the city's staff; recorded in the case's "who viewed"
    log (the owner sees that the city looked) and audited. Anyone else: 404."""
    if user.organisation_id != referral.city_id or not city_may_see_identity(referral):
        raise Http404
    case = referral.case
    case_part_viewed(case=case, user=user, part=CaseAccessLog.Part.IDENTITY, ip=ip)
    audit_record(
        action="relocation.identity_reveal",
        actor=user,
        target=referral,
        ip=ip,
        data={"case": str(case.pk), "owner": str(case.organisation_id)},
    )
    return case.defender
