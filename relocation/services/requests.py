"""Relocation requests and their workflow: raised by the case owner or a ``full`` partner,
reviewed by the case owner, carried out through referrals; frozen while the requester no
longer holds the case, resumed when it does again (docs/relocation.md)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from accounts.models import User
from alerts.services.notify import notify
from cases.access import require_case_write
from cases.models import Case
from hrdcase.audit import audit_record
from hrdcase.dates import plausible_date_errors
from hrdcase.exceptions import StateConflict
from hrdcase.later import label, later
from relocation.models import (
    REQUEST_TEXT_FIELDS,
    REVIEW_STEPS,
    SETTLING_STATUSES,
    TERMINAL_STATUSES,
    RelocationRequest,
    RequestStatus,
    RequestTransition,
    Support,
    Urgency,
)
from relocation.selectors.referral import org_people
from relocation.selectors.requests import request_settlement
from relocation.services.access import (
    FROZEN_MESSAGE,
    REFERRAL_PERMISSION,
    locked,
    requester_holds_case,
    require_open_case,
    require_requester,
)
from relocation.services.deadlines import REVIEW, answer_due
from relocation.services.grants import GRANT
from relocation.services.referral import (
    referrals_withdraw_open,
    relocation_url,
    requester_side,
    with_deadline,
)
from relocation.services.shelter import SHELTER
from relocation.services.visa import VISA

#: what a cancelled or frozen request withdraws, in this order.
REFERRAL_KINDS = (VISA, SHELTER, GRANT)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _validate_request_fields(
    *, support: Iterable[str], urgency: str, window_start, window_end, family_members: int
) -> list[str]:
    errors: dict[str, str] = {}
    support = list(dict.fromkeys(support or []))
    valid = set(Support.values)
    if not support:
        errors["support"] = _("Choose at least one kind of support.")
    elif any(value not in valid for value in support):
        errors["support"] = _("Unknown kind of support: %(values)s.") % {
            "values": ", ".join(v for v in support if v not in valid)
        }
    if urgency not in Urgency.values:
        errors["urgency"] = _("Choose an urgency.")
    date_errors = plausible_date_errors({"window_start": window_start, "window_end": window_end})
    errors.update(date_errors)
    if not date_errors and window_start and window_end and window_end < window_start:
        errors["window_end"] = _("The preferred window ends before it starts.")
    if family_members is not None and not 0 <= int(family_members) <= 20:
        errors["family_members"] = _("Between 0 and 20 accompanying family members.")
    if errors:
        raise ValidationError(errors)
    return support


def _record_step(
    relocation_request: RelocationRequest,
    *,
    previous: str,
    acting_user: User,
    at: datetime.datetime,
    reason: str = "",
) -> None:
    """The request's new status as a step of its history: from, to, who, when, why."""
    RequestTransition.objects.create(
        organisation_id=relocation_request.organisation_id,
        request=relocation_request,
        from_status=previous,
        to_status=relocation_request.status,
        actor=acting_user,
        reason=reason,
        at=at,
    )


@transaction.atomic
def request_create(
    *,
    case: Case,
    acting_user: User,
    support: Iterable[str],
    urgency: str = Urgency.URGENT,
    window_start: datetime.date | None = None,
    window_end: datetime.date | None = None,
    family_members: int = 0,
    submit: bool = False,
    **texts: str,
) -> RelocationRequest:
    """A new request on ``case``, by the case owner's writers or a ``full`` partner's (one
    holding ``add_case_referral`` now). Saved as a draft, or submitted at once with
    ``submit``."""
    unknown = set(texts) - set(REQUEST_TEXT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    require_case_write(case=case, acting_user=acting_user, need=REFERRAL_PERMISSION)
    require_open_case(case)
    support = _validate_request_fields(
        support=support,
        urgency=urgency,
        window_start=window_start,
        window_end=window_end,
        family_members=family_members,
    )
    now = timezone.now()
    relocation_request = RelocationRequest(
        organisation=acting_user.organisation,
        case=case,
        reviewer_id=case.organisation_id,
        created_by=acting_user,
        support=support,
        urgency=urgency,
        window_start=window_start,
        window_end=window_end,
        family_members=family_members or 0,
        status=RequestStatus.DRAFT,
        status_changed_at=now,
        **{name: (value or "").strip() for name, value in texts.items()},
    )
    relocation_request.full_clean(exclude=["case"])
    relocation_request.save()
    _record_step(relocation_request, previous="", acting_user=acting_user, at=now)
    audit_record(
        action="relocation.request_create",
        actor=acting_user,
        target=relocation_request,
        data={"case": str(case.pk), "support": support, "urgency": urgency},
    )
    if submit:
        request_transition(
            relocation_request=relocation_request,
            to_status=RequestStatus.SUBMITTED,
            acting_user=acting_user,
        )
    return relocation_request


@transaction.atomic
def request_update(
    *, relocation_request: RelocationRequest, acting_user: User, **fields: Any
) -> RelocationRequest:
    """Edit a draft or submitted request (before review starts): requester's writers only."""
    require_requester(acting_user, relocation_request)
    current = locked(RelocationRequest, relocation_request.pk)
    if current.is_frozen:
        raise StateConflict(str(FROZEN_MESSAGE), allowed=list(current.allowed_next))
    if current.status not in (RequestStatus.DRAFT, RequestStatus.SUBMITTED):
        raise StateConflict(
            _("A request can be edited only before its review starts."),
            allowed=list(current.allowed_next),
        )
    support = _validate_request_fields(
        support=fields.get("support", current.support),
        urgency=fields.get("urgency", current.urgency),
        window_start=fields.get("window_start", current.window_start),
        window_end=fields.get("window_end", current.window_end),
        family_members=fields.get("family_members", current.family_members),
    )
    fields["support"] = support
    urgency_before = current.urgency
    for name, value in fields.items():
        if name in REQUEST_TEXT_FIELDS:
            value = (value or "").strip()
        setattr(current, name, value)
    if current.status == RequestStatus.SUBMITTED and current.urgency != urgency_before:
        # A new urgency moves the reviewer's deadline, still counted from the submission.
        current.review_due_at, current.review_remind_at = answer_due(
            current.reviewer_id, current.urgency, REVIEW, current.status_changed_at
        )
    current.full_clean(exclude=["case"])
    current.save()
    audit_record(
        action="relocation.request_update",
        actor=acting_user,
        target=current,
        data={"fields": sorted(fields)},
    )
    return current


def request_steps_for(user: User, relocation_request: RelocationRequest) -> list[str]:
    """The transitions ``user`` may take now (for buttons): allowed by the workflow and by
    their side (requester or reviewer)."""
    return [
        status
        for status in relocation_request.allowed_next
        if _may_take_now(user, relocation_request, status)
    ]


def _may_take(user: User, relocation_request: RelocationRequest, to_status: str) -> bool:
    """Review steps (in review, approve, decline) belong to the reviewer: the case owner.
    When the requester *is* the case owner, its admins review (four eyes are not always
    available in a small NGO, so an admin may review a colleague's request). The other
    steps (submit, start, complete, cancel) belong to the requester's writers, while their
    organisation holds the case. A frozen request (its requester no longer holds the case)
    can only be cancelled, by the reviewer's writers."""
    if not user.can_write:
        return False
    if relocation_request.is_frozen:
        return (
            to_status == RequestStatus.CANCELLED
            and user.organisation_id == relocation_request.reviewer_id
        )
    if to_status in REVIEW_STEPS:
        if user.organisation_id != relocation_request.reviewer_id:
            return False
        if relocation_request.reviewer_id == relocation_request.organisation_id:
            return user.is_org_admin
        return True
    return user.organisation_id == relocation_request.organisation_id


def _may_take_now(user: User, relocation_request: RelocationRequest, to_status: str) -> bool:
    """``_may_take``, and a requester's step only while its organisation holds the case."""
    if not _may_take(user, relocation_request, to_status):
        return False
    if relocation_request.is_frozen or to_status in REVIEW_STEPS:
        return True  # the reviewer is the case owner: it always holds its case
    return requester_holds_case(relocation_request)


REASON_REQUIRED = frozenset({RequestStatus.DECLINED, RequestStatus.CANCELLED})


@transaction.atomic
def request_transition(
    *,
    relocation_request: RelocationRequest,
    to_status: str,
    acting_user: User,
    reason: str = "",
) -> RelocationRequest:
    current = locked(RelocationRequest, relocation_request.pk)
    allowed = list(current.allowed_next)
    if to_status not in allowed:
        labels = dict(RequestStatus.choices)
        raise StateConflict(
            _("A %(from)s request cannot become %(to)s. Allowed: %(allowed)s.")
            % {
                "from": current.get_status_display(),
                "to": labels.get(to_status, to_status),
                "allowed": ", ".join(str(labels[s]) for s in allowed) or _("none (finished)"),
            },
            allowed=allowed,
        )
    if not _may_take_now(acting_user, current, to_status):
        raise PermissionDenied
    reason = (reason or "").strip()
    if to_status in REASON_REQUIRED and not reason:
        raise ValidationError({"reason": _("Give a reason: the other side will read it.")})
    previous = current.status
    now = timezone.now()
    current.status = to_status
    current.status_changed_at = now
    updated = ["status", "status_changed_at"]
    if to_status == RequestStatus.SUBMITTED:
        # The reviewer's deadline: its service level for the request's urgency.
        current.review_due_at, current.review_remind_at = answer_due(
            current.reviewer_id, current.urgency, REVIEW, now
        )
        updated += ["review_due_at", "review_remind_at"]
    current.save(update_fields=updated)
    _record_step(current, previous=previous, acting_user=acting_user, at=now, reason=reason)
    audit_record(
        action="relocation.request_transition",
        actor=acting_user,
        target=current,
        data={"from": previous, "to": to_status, "case": str(current.case_id)},
    )
    if to_status == RequestStatus.CANCELLED:
        referrals_withdraw_open(current, acting_user, REFERRAL_KINDS)
    _notify_request_step(current, previous, to_status, acting_user)
    relocation_request.status = current.status
    relocation_request.status_changed_at = now
    relocation_request.review_due_at = current.review_due_at
    relocation_request.review_remind_at = current.review_remind_at
    return current


def _notify_request_step(relocation_request, previous, to_status, acting_user) -> None:
    pseudonym = relocation_request.case.pseudonym
    labels = dict(RequestStatus.choices)
    subject = later(
        gettext_noop("Relocation request for %(pseudonym)s: %(status)s"),
        pseudonym=pseudonym,
        status=labels[to_status],
    )
    same_org = relocation_request.organisation_id == relocation_request.reviewer_id
    if to_status == RequestStatus.SUBMITTED:
        subject = with_deadline(
            subject, label(relocation_request, "urgency"), relocation_request.review_due_at
        )
        recipients = org_people(relocation_request.reviewer_id, admins_only=same_org)
    elif to_status in REVIEW_STEPS:
        recipients = requester_side(relocation_request)
    elif to_status == RequestStatus.CANCELLED and previous != RequestStatus.DRAFT:
        recipients = org_people(relocation_request.reviewer_id, admins_only=same_org)
    elif not same_org:
        # A partner's relocation under way or done: the case owner follows it.
        recipients = org_people(relocation_request.reviewer_id)
    else:
        return
    recipients = [user for user in recipients if user.pk != acting_user.pk]
    notify(
        recipients=recipients,
        kind="relocation_request",
        subject=subject,
        dedupe_key=f"relocation.request:{relocation_request.pk}:{to_status}",
        url=relocation_url("detail", relocation_request.pk),
        case=relocation_request.case,
    )


@transaction.atomic
def requests_freeze(
    *, case: Case, organisation_id, reason: str, acting_user: User | None
) -> list[RelocationRequest]:
    """``organisation_id`` stopped holding ``case`` (its share ended, was suspended or lowered
    below ``full``): its open requests on the case are frozen and their pending referrals
    and grants withdrawn (the addressees are told), and both sides hear of it. Nothing
    happens to a request the case owner raised itself.

    A completed request is frozen too: it completed because its referrals were granted or
    accepted, and an accepted stay still opens the defender's identity to the city until it
    is withdrawn. Only a declined or cancelled request is over."""
    if organisation_id == case.organisation_id:
        return []
    # unscoped: the partner's requests on the owner's case, found by the owner's action.
    open_requests = (
        RelocationRequest.objects.unscoped()
        .select_for_update()
        .filter(case=case, organisation_id=organisation_id, frozen_at__isnull=True)
        .exclude(status__in=TERMINAL_STATUSES - {RequestStatus.COMPLETED})
    )
    frozen = []
    now = timezone.now()
    for relocation_request in open_requests:
        relocation_request.frozen_at = now
        relocation_request.frozen_reason = reason
        relocation_request.save(update_fields=["frozen_at", "frozen_reason"])
        referrals_withdraw_open(relocation_request, acting_user, REFERRAL_KINDS)
        audit_record(
            action="relocation.request_freeze",
            actor=acting_user,
            organisation=case.organisation,
            target=relocation_request,
            data={"case": str(case.pk), "reason": reason},
        )
        _notify_hold(relocation_request, acting_user, event=gettext_lazy("on hold"), key="frozen")
        frozen.append(relocation_request)
    return frozen


@transaction.atomic
def requests_thaw(*, case: Case, organisation_id, acting_user: User | None) -> list:
    """The owner shared ``case`` with ``organisation_id`` again at a level that grants
    referrals: its frozen requests resume (withdrawn referrals stay withdrawn)."""
    # unscoped: the partner's frozen requests on the owner's case.
    frozen = (
        RelocationRequest.objects.unscoped()
        .select_for_update()
        .filter(case=case, organisation_id=organisation_id, frozen_at__isnull=False)
    )
    thawed = []
    for relocation_request in frozen:
        relocation_request.frozen_at = None
        relocation_request.frozen_reason = ""
        relocation_request.save(update_fields=["frozen_at", "frozen_reason"])
        audit_record(
            action="relocation.request_thaw",
            actor=acting_user,
            organisation=case.organisation,
            target=relocation_request,
            data={"case": str(case.pk)},
        )
        _notify_hold(relocation_request, acting_user, event=gettext_lazy("resumed"), key="thawed")
        thawed.append(relocation_request)
    return thawed


def _notify_hold(relocation_request, acting_user, *, event: StrOrPromise, key: str) -> None:
    """Both sides of a request frozen or resumed: the requester (who raised it and its
    admins) and the reviewing case owner's writers; not the person who acted."""
    people = requester_side(relocation_request) + org_people(relocation_request.reviewer_id)
    notify(
        recipients=[user for user in people if acting_user is None or user.pk != acting_user.pk],
        kind="relocation_request",
        subject=later(
            gettext_noop("Relocation request for %(pseudonym)s: %(event)s"),
            pseudonym=relocation_request.case.pseudonym,
            event=event,
        ),
        # Once per freeze or thaw: the time tells two freezes of one request apart.
        dedupe_key=f"relocation.request:{relocation_request.pk}:{key}:{timezone.now():%s%f}",
        url=relocation_url("detail", relocation_request.pk),
    )


# --- completion ------------------------------------------------------------------------------


def request_settle(relocation_request: RelocationRequest, acting_user: User) -> RelocationRequest:
    """After a referral's answer or withdrawal: an approved or under-way request whose
    referrals are settled (none waits for an answer, at least one granted or accepted: a
    refused one has no alternative pending) completes by itself, audited, and the requester
    (and a partner's reviewer) told. A frozen request never completes; a request whose every
    referral was refused waits for the requester (another referral, or cancel). Call it in the
    answer's transaction."""
    current = locked(RelocationRequest, relocation_request.pk)
    if current.is_frozen or current.status not in SETTLING_STATUSES:
        return current
    if request_settlement(current) != "settled":
        return current
    previous = current.status
    now = timezone.now()
    current.status = RequestStatus.COMPLETED
    current.status_changed_at = now
    current.save(update_fields=["status", "status_changed_at"])
    _record_step(
        current,
        previous=previous,
        acting_user=acting_user,
        at=now,
        reason=_("Completed by itself: every referral is answered."),
    )
    audit_record(
        action="relocation.request_complete",
        actor=acting_user,
        organisation=current.organisation,
        target=current,
        data={"from": previous, "case": str(current.case_id), "automatic": True},
    )
    people = requester_side(current)
    if current.reviewer_id != current.organisation_id:
        people += org_people(current.reviewer_id)
    notify(
        recipients=[user for user in people if user.pk != acting_user.pk],
        kind="relocation_completed",
        subject=later(
            gettext_noop("Relocation request for %(pseudonym)s: completed"),
            pseudonym=current.case.pseudonym,
        ),
        dedupe_key=f"relocation.request:{current.pk}:completed:{now:%s%f}",
        url=relocation_url("detail", current.pk),
        case=current.case,
    )
    return current


def request_reopen(relocation_request: RelocationRequest, acting_user: User) -> None:
    """A new referral on a completed request: the request is under way again (in progress),
    audited. Call it in the referral's transaction."""
    current = locked(RelocationRequest, relocation_request.pk)
    if current.status != RequestStatus.COMPLETED:
        return
    now = timezone.now()
    current.status = RequestStatus.IN_PROGRESS
    current.status_changed_at = now
    current.save(update_fields=["status", "status_changed_at"])
    _record_step(
        current,
        previous=RequestStatus.COMPLETED,
        acting_user=acting_user,
        at=now,
        reason=_("Reopened by a new referral."),
    )
    audit_record(
        action="relocation.request_reopen",
        actor=acting_user,
        target=current,
        data={"case": str(current.case_id)},
    )
    relocation_request.status = current.status
    relocation_request.status_changed_at = now
