"""The return plan (issue 20, item 5): when the defender's stay ends (its planned end passes,
or the city records the departure) or the requester records the return home, the case gets,
once per relocation request:

- a check-in schedule for the first weeks (alerts' check-ins, on the case's owner), unless the
  case already has an active schedule (a stricter one set by the owner stays);
- a risk review due date (``ReturnPlan.risk_review_due``), reminded to the owner's writers
  until an assessment is recorded after the return (``selectors.returns``);
- a follow-up task for the requesting organisation (``Task.Kind.RETURN_PLAN``).

Nothing is created while the requesting organisation no longer holds the case (a partner
whose share ended): the plan would put work on a case it may not open."""

from __future__ import annotations

import datetime
import logging
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from alerts.models import CheckInSchedule
from cases.models import Task
from hrdcase.audit import audit_record
from hrdcase.later import later
from relocation.models import (
    RETURN_CHECK_IN_HOURS,
    RETURN_CHECK_IN_WEEKS,
    RETURN_FOLLOW_UP_DAYS,
    RETURN_RISK_REVIEW_DAYS,
    RelocationRequest,
    RequestStatus,
    ReturnPlan,
    ShelterReferral,
)
from relocation.services.access import requester_holds_case, require_requester
from relocation.services.referral import recorded_day

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

#: a request whose return may be recorded: it went ahead (approved, or completed by itself).
#: the sweep looks this far back for ended stays without a plan (not at every stay ever).
ENDED_STAYS_DAYS = 30

RETURNABLE = (RequestStatus.APPROVED, RequestStatus.IN_PROGRESS, RequestStatus.COMPLETED)


def return_plan_create(
    *,
    relocation_request: RelocationRequest,
    trigger: str,
    returned_on: datetime.date,
    acting_user: User | None = None,
) -> ReturnPlan | None:
    """The request's return plan, created once: the existing plan when there is one, ``None``
    when the requester no longer holds the case (or the case is closed or purged)."""
    with transaction.atomic():
        # unscoped: the request the caller loaded through its scoped path, locked so that two
        # triggers at once (the city's departure and the requester's return) make one plan.
        current = (
            RelocationRequest.objects.unscoped()
            .select_for_update()
            .select_related("case", "organisation", "created_by")
            .get(pk=relocation_request.pk)
        )
        existing = ReturnPlan.objects.unscoped().filter(request=current).first()
        if existing is not None:
            return existing
        case = current.case
        if case.purged_at is not None or case.is_closed or not requester_holds_case(current):
            return None
        plan = ReturnPlan.objects.create(
            organisation_id=current.organisation_id,
            request=current,
            case=case,
            trigger=trigger,
            returned_on=returned_on,
            risk_review_due=returned_on + datetime.timedelta(days=RETURN_RISK_REVIEW_DAYS),
            follow_up_due=returned_on + datetime.timedelta(days=RETURN_FOLLOW_UP_DAYS),
            created_by=acting_user,
        )
        _check_ins(plan, acting_user or current.created_by)
        Task.objects.create(
            organisation_id=current.organisation_id,
            case=case,
            kind=Task.Kind.RETURN_PLAN,
            source_id=plan.pk,
            title=_("Follow up with %(pseudonym)s after the return home")
            % {"pseudonym": case.pseudonym},
            due_on=plan.follow_up_due,
            created_by=acting_user,
        )
        audit_record(
            action="relocation.return_plan",
            actor=acting_user,
            target=current,
            data={
                "trigger": trigger,
                "returned_on": returned_on.isoformat(),
                "risk_review_due": plan.risk_review_due.isoformat(),
                "check_ins_until": plan.check_ins_until.isoformat()
                if plan.check_ins_until
                else None,
            },
        )
        return plan


def _check_ins(plan: ReturnPlan, author: User) -> None:
    """Check-ins every ``RETURN_CHECK_IN_HOURS`` until ``RETURN_CHECK_IN_WEEKS`` after the
    return, on the case's owner; none when the case has an active schedule already or the
    weeks are over. The schedule is recorded as set up by whoever triggered the plan (the
    request's author when the clock did)."""
    now = timezone.now()
    until = plan.returned_on + datetime.timedelta(weeks=RETURN_CHECK_IN_WEEKS)
    ends_at = datetime.datetime.combine(until, datetime.time.min, now.tzinfo)
    if ends_at <= now:
        return
    if (
        CheckInSchedule.objects.owned_by(plan.case.organisation)
        .filter(case=plan.case, active=True)
        .exists()
    ):
        return
    CheckInSchedule.objects.create(
        organisation_id=plan.case.organisation_id,
        case=plan.case,
        interval_hours=RETURN_CHECK_IN_HOURS,
        starts_at=now,
        ends_at=ends_at,
        created_by=author,
    )
    plan.check_ins_until = until
    plan.check_in_hours = RETURN_CHECK_IN_HOURS
    plan.save(update_fields=["check_ins_until", "check_in_hours"])


def return_record(
    *,
    relocation_request: RelocationRequest,
    acting_user: User,
    returned_on: datetime.date | None = None,
) -> ReturnPlan:
    """The requester records the defender's return home (a writer of the requesting
    organisation, which still holds the case): the return plan is set up, once."""
    require_requester(acting_user, relocation_request)
    if relocation_request.status not in RETURNABLE:
        raise ValidationError(
            {"returned_on": _("A return is recorded on an approved or completed request.")}
        )
    returned_on = recorded_day("returned_on", returned_on, _("The return cannot be in the future."))
    plan = return_plan_create(
        relocation_request=relocation_request,
        trigger=ReturnPlan.Trigger.RETURN,
        returned_on=returned_on,
        acting_user=acting_user,
    )
    if plan is None:  # the case was closed meanwhile
        raise ValidationError({"returned_on": _("The case is closed: no return plan is set up.")})
    return plan


def return_plan_after_stay(referral: ShelterReferral, acting_user: User | None = None) -> None:
    """A stay ended (the city recorded the departure, or the clock passed its end)."""
    trigger = (
        ReturnPlan.Trigger.DEPARTURE
        if referral.status == ShelterReferral.Status.COMPLETED
        else ReturnPlan.Trigger.STAY_ENDED
    )
    return_plan_create(
        relocation_request=referral.request,
        trigger=trigger,
        returned_on=referral.returned_on or referral.end,
        acting_user=acting_user,
    )


def return_plans_for_ended_stays(today: datetime.date) -> list[ReturnPlan]:
    """The sweep's part: a plan for every request whose stay (hosting or completed) ended
    before ``today`` (within ``ENDED_STAYS_DAYS``) and has none yet; the stays whose
    requester no longer holds the case get none (``return_plan_create``)."""
    # unscoped: the sweep runs for every requester; each plan goes to its request's requester.
    stays = (
        ShelterReferral.objects.unscoped()
        .filter(
            status__in=(ShelterReferral.Status.HOSTING, ShelterReferral.Status.COMPLETED),
            end__lt=today,
            end__gte=today - datetime.timedelta(days=ENDED_STAYS_DAYS),
            request__return_plan__isnull=True,
        )
        .select_related("request")
        .order_by("end")
    )
    plans = []
    for stay in stays:
        plan = return_plan_create(
            relocation_request=stay.request,
            trigger=ReturnPlan.Trigger.STAY_ENDED,
            returned_on=stay.returned_on or stay.end,
        )
        if plan is not None:
            plans.append(plan)
    return plans


def return_plans_due(now: datetime.datetime):
    """The sweep's due source: sets up the plans of the stays that ended, and tells each
    requester's writers what was set up (once per plan)."""
    from alerts.due import DueItem
    from relocation.selectors.referral import people_by_org

    plans = return_plans_for_ended_stays(now.date())
    people = people_by_org(plan.organisation_id for plan in plans)
    for plan in plans:
        yield DueItem(
            key=f"relocation.return_plan:{plan.pk}",
            kind="follow_up",
            subject=later(
                gettext_noop("The stay of %(pseudonym)s ended: the return plan is set up"),
                pseudonym=plan.case.pseudonym,
            ),
            recipients=people.get(plan.organisation_id, []),
            url=reverse("relocation:detail", args=[plan.request_id]),
            case=plan.case,
        )
