"""Fast-track visa referrals: the requester refers, the mission grants or refuses within its
service level, the requester may withdraw while it waits."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.models import Organisation, User
from hrdcase.dates import anniversary, plausible_date_errors, require_plausible_dates
from relocation.models import RelocationRequest, VisaReferral
from relocation.services.access import require_consent
from relocation.services.deadlines import visa_due
from relocation.services.referral import (
    ReferralKind,
    Step,
    referral_decide,
    referral_open,
    referral_save,
    referral_withdraw,
)

VISA = ReferralKind(
    model=VisaReferral,
    kind="visa_referral",
    label=_lazy("Visa referral"),
    route="visa_detail",
    related_name="visa_referrals",
    create_action="relocation.visa_referral_create",
    decide_action="relocation.visa_decide",
    withdraw_action="relocation.visa_withdraw",
    new_event=_lazy("new referral"),
    open_statuses=(VisaReferral.Status.PENDING,),
    answers={
        VisaReferral.Status.PENDING: (VisaReferral.Status.GRANTED, VisaReferral.Status.REFUSED)
    },
    answer_field="decision",
    answer_fields=("decision_reason", "decided_at", "decided_by"),
    reason_required=frozenset({VisaReferral.Status.REFUSED}),
    reason_message=_lazy("Give the reason for the refusal: the requester will read it."),
    answered_message=_lazy("This referral was already answered (%(status)s)."),
    choose_message=_lazy("Choose granted or refused."),
    decide_audit=lambda referral: {
        "case": str(referral.case_id),
        "late": referral.decided_late,
    },
    withdraw_message=_lazy("Only a referral awaiting decision can be withdrawn."),
)


def one_year_from(day: datetime.date) -> datetime.date:
    """The last day of a validity of one year starting ``day`` (domain/001: valid one year)."""
    return last_day_of_years(day, 1)


def last_day_of_years(day: datetime.date, years: int) -> datetime.date:
    """The day before the ``years``-th anniversary of ``day``. A 29 February's anniversary
    in another year is 1 March, so its validity ends on 28 February, a day after one from
    the 28th (``relativedelta`` put both anniversaries on the 28th)."""
    return anniversary(day, years) - datetime.timedelta(days=1)


def entry_window_from(valid_from: datetime.date, valid_until: datetime.date) -> datetime.date:
    """The last day of the three-year window of entries of a multiple-entry visa valid from
    ``valid_from`` (domain/001: "multiple entries within a timeframe of three years"); never
    before the end of its validity, which a mission may set longer."""
    window = last_day_of_years(valid_from, 3)
    return max(window, valid_until)


def _entries_until(
    start: datetime.date,
    end: datetime.date,
    *,
    multiple_entries: bool,
    entries_until: datetime.date | None,
    errors: dict[str, Any],
) -> datetime.date | None:
    """The window of entries of a granted visa: none for a single entry, the mission's date
    or three years by default for multiple entries."""
    if not multiple_entries:
        if entries_until is not None:
            errors["entries_until"] = _("A single-entry visa has no window of entries.")
        return None
    if entries_until is None:
        return entry_window_from(start, end)
    if entries_until < end:
        errors["entries_until"] = _(
            "The window of entries cannot end before the validity (%(day)s)."
        ) % {"day": end.isoformat()}
    return entries_until


@transaction.atomic
def visa_referral_create(
    *,
    relocation_request: RelocationRequest,
    mission: Organisation,
    visa_type: str,
    acting_user: User,
    requested_on: datetime.date | None = None,
    nationality: str = "",
    note_for_mission: str = "",
) -> VisaReferral:
    referral_open(relocation_request=relocation_request, acting_user=acting_user)
    errors = {}
    if mission is None or mission.kind != Organisation.Kind.MISSION:
        errors["mission"] = _("Choose a mission (embassy, consulate, delegation).")
    if visa_type not in VisaReferral.VisaType.values:
        errors["visa_type"] = _("Choose a visa type.")
    today = timezone.localdate()
    requested_on = requested_on or today
    errors.update(plausible_date_errors({"requested_on": requested_on}))
    if "requested_on" not in errors and requested_on > today:
        errors["requested_on"] = _("The request date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    require_consent(relocation_request.case)
    # The mission's service level for the request's urgency (working days for an emergency).
    deadline, due_at, remind_at = visa_due(mission, relocation_request.urgency, requested_on)
    return referral_save(
        VISA,
        relocation_request=relocation_request,
        addressee=mission,
        acting_user=acting_user,
        audit={
            "mission": str(mission.pk),
            "visa_type": visa_type,
            "deadline": deadline.isoformat(),
        },
        visa_type=visa_type,
        nationality=nationality or "",
        requested_on=requested_on,
        deadline=deadline,
        due_at=due_at,
        remind_at=remind_at,
        note_for_mission=(note_for_mission or "").strip(),
    )


@transaction.atomic
def visa_decide(
    *,
    referral: VisaReferral,
    decision: str,
    acting_user: User,
    reason: str = "",
    valid_from: datetime.date | None = None,
    valid_until: datetime.date | None = None,
    multiple_entries: bool = True,
    entries_until: datetime.date | None = None,
) -> VisaReferral:
    """The mission grants or refuses. Granted visas default to one year from the decision
    day, multiple entries within three years (domain/001)."""

    def validity(current: VisaReferral) -> tuple[dict[str, Any], dict[str, Any]]:
        # Before the year of validity is added: 9999-12-31 + 1 year overflowed (issue 17).
        require_plausible_dates(
            valid_from=valid_from, valid_until=valid_until, entries_until=entries_until
        )
        if decision != VisaReferral.Status.GRANTED:
            return {}, {}
        start = valid_from or timezone.localdate()
        end = valid_until or one_year_from(start)
        errors = {}
        if start < current.requested_on:
            errors["valid_from"] = _(
                "The visa cannot be valid before it was requested (%(day)s)."
            ) % {"day": current.requested_on.isoformat()}
        if end < start:
            errors["valid_until"] = _("The validity ends before it starts.")
        fields = {
            "valid_from": start,
            "valid_until": end,
            "multiple_entries": bool(multiple_entries),
            "entries_until": _entries_until(
                start,
                end,
                multiple_entries=bool(multiple_entries),
                entries_until=entries_until,
                errors=errors,
            ),
        }
        return errors, fields

    return referral_decide(
        VISA,
        referral=referral,
        answer=decision,
        acting_user=acting_user,
        reason=reason,
        check=validity,
    )


@transaction.atomic
def visa_withdraw(*, referral: VisaReferral, acting_user: User) -> VisaReferral:
    return referral_withdraw(VISA, referral=referral, acting_user=acting_user)


#: the mission's and the requester's steps, by the name the page and the API give them.
VISA_STEPS = {"decide": Step(visa_decide), "withdraw": Step(visa_withdraw)}
