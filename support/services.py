"""Writes of support requests: ask (one mission, or every mission of a protection network),
accept (creating the diplomatic action), decline, report the outcome, withdraw, and share
the case with the receiver in one step. Every write re-checks access itself."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from accounts.models import Organisation, Role, User
from accounts.timezones import zone
from alerts.services.notifications import notifications_forget_purged
from alerts.services.notify import notify
from cases.access import case_access, require_case_write
from cases.models import CaseShare
from cases.models.court import HearingObserver, ObserverStatus
from cases.services.consent import require_public_action_consent
from cases.services.court import hearing_observer_plan_for_support, hearing_observer_record
from cases.services.sharing import case_share
from hrdcase.audit import audit_record
from hrdcase.dates import plausible_date_errors
from hrdcase.exceptions import StateConflict
from hrdcase.later import label, later
from hrdcase.text import single_line_refusal
from logbooks.models import ActionStatus, DiplomaticAction
from relocation.models import Urgency
from relocation.services.deadlines import end_of_day, halfway
from support.models import (
    PUBLIC_KINDS,
    REASON_MAX_LENGTH,
    SupportKind,
    SupportRequest,
    SupportStatus,
)
from support.selectors import (
    hearing_case_id,
    networks_of,
    receivers_in_network,
    support_receivers,
)

if TYPE_CHECKING:
    from accounts.models import ProtectionNetwork
    from cases.models import Case, Hearing

#: who may ask on a case besides its owner: a partner whose live share lets it add shared
#: entries (``full`` and ``feedback``; a ``relocation`` partner sees only its referrals).
NEED_ASK = "add_shared_entry"
#: the answer is owed within these hours of the request, by urgency (and before the day the
#: support is needed in any case): reminded at half the time, escalated past it.
ANSWER_HOURS: dict[str, int] = {
    Urgency.EMERGENCY: 24,
    Urgency.URGENT: 72,
    Urgency.ROUTINE: 7 * 24,
}
#: the levels the owner may share the case at from a request.
SHARE_LEVELS = (CaseShare.Level.FULL, CaseShare.Level.FEEDBACK)
#: a hearing named by an organisation that does not see the case's identity (a feedback
#: partner): the hearings (courts, dates) are not its to see.
HEARING_NOT_SEEN = gettext_lazy(
    "Your organisation does not see this case's hearings: ask without naming one."
)
AUTHORITY_MAX_LENGTH = 200


def answer_due(
    urgency: str, needed_by: datetime.date, start: datetime.datetime, mission: Organisation
) -> tuple[datetime.datetime, datetime.datetime]:
    """(due_at, remind_at) of ``mission``'s answer: the urgency's hours, but by the end of the
    day before the support is needed where the mission works (never before ``start``);
    reminded at half the time."""
    hours = ANSWER_HOURS.get(urgency, ANSWER_HOURS[Urgency.URGENT])
    day_before = end_of_day(needed_by, zone(mission.time_zone)) - datetime.timedelta(days=1)
    due = min(start + datetime.timedelta(hours=hours), day_before)
    due = max(due, start)
    return due, halfway(start, due)


def _writers(organisation_id) -> list[User]:
    return list(
        User.objects.filter(
            organisation_id=organisation_id, is_active=True, role__in=[Role.ADMIN, Role.OFFICER]
        )
    )


def _members(organisation_id) -> list[User]:
    return list(User.objects.filter(organisation_id=organisation_id, is_active=True))


def _detail_url(request: SupportRequest) -> str:
    return reverse("support:detail", args=[request.pk])


# --- asking ------------------------------------------------------------------------------------


def _request_errors(
    *,
    case: Case,
    kind: str,
    reason: str,
    needed_by: datetime.date | None,
    urgency: str,
    hearing: Hearing | None,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if kind not in SupportKind.values:
        errors["kind"] = _("Unknown kind of support: choose one of %(kinds)s.") % {
            "kinds": ", ".join(SupportKind.values)
        }
    elif kind in PUBLIC_KINDS:
        try:
            require_public_action_consent(case=case)
        except ValidationError as error:
            # Do no harm: nothing public is asked for without the defender's consent.
            errors["kind"] = " ".join(error.messages)
    if urgency not in Urgency.values:
        errors["urgency"] = _("Choose an urgency: routine, urgent or emergency.")
    if not reason:
        errors["reason"] = _("Say why the defender needs this support.")
    elif len(reason) > REASON_MAX_LENGTH:
        errors["reason"] = _("Keep it under %(n)d characters.") % {"n": REASON_MAX_LENGTH}
    if not isinstance(needed_by, datetime.date):
        errors["needed_by"] = _("Give the date the support is needed by.")
    else:
        errors.update(plausible_date_errors({"needed_by": needed_by}))
        if "needed_by" not in errors and needed_by < timezone.localdate():
            errors["needed_by"] = _("The date the support is needed by cannot be in the past.")
    if hearing is not None:
        if kind != SupportKind.TRIAL_OBSERVATION:
            errors["hearing"] = _("Name a hearing only for a trial observation.")
        elif hearing_case_id(hearing) != case.pk:
            errors["hearing"] = _("Choose a hearing of this case.")
        elif hearing.date < timezone.localdate():
            errors["hearing"] = _("This hearing has already taken place.")
    if case.is_closed or case.purged_at:
        errors["case"] = _("Support cannot be asked on a closed case.")
    return errors


def _receivers(
    *,
    case: Case,
    acting_user: User,
    receiver: Organisation | None,
    network: ProtectionNetwork | None,
) -> list[Organisation]:
    """The missions the request goes to: ``receiver``, or every other active mission of
    ``network`` (one of the requester's networks)."""
    if (receiver is None) == (network is None):
        raise ValidationError({"receiver": _("Ask one mission, or the missions of one network.")})
    if receiver is not None:
        if receiver.pk == acting_user.organisation_id:
            raise ValidationError({"receiver": _("Ask another organisation than your own.")})
        if not support_receivers().filter(pk=receiver.pk).exists():
            raise ValidationError({"receiver": _("Ask an active mission.")})
        return [receiver]
    assert network is not None
    if not networks_of(acting_user).filter(pk=network.pk).exists():
        raise ValidationError({"network": _("Ask through a network your organisation belongs to.")})
    missions = list(receivers_in_network(network, exclude=acting_user.organisation_id))
    if not missions:
        raise ValidationError({"network": _("This network has no other active mission to ask.")})
    return missions


@transaction.atomic
def support_request_create(
    *,
    case: Case,
    kind: str,
    reason: str,
    needed_by: datetime.date | None,
    urgency: str,
    acting_user: User,
    receiver: Organisation | None = None,
    network: ProtectionNetwork | None = None,
    hearing: Hearing | None = None,
) -> list[SupportRequest]:
    """Ask ``receiver`` (a mission), or each mission of ``network`` (one request each: every
    mission answers for itself), for ``kind`` of support on ``case``. The owner's writers, or
    a ``full``/``feedback`` partner's writers while its share lasts; 403 otherwise."""
    require_case_write(case=case, acting_user=acting_user, need=NEED_ASK)
    if hearing is not None and not case_access(acting_user, case).sees_identity:
        # hearings (courts, dates) are the identity level's: a feedback partner names none
        raise ValidationError({"hearing": str(HEARING_NOT_SEEN)})
    requester = acting_user.organisation
    assert requester is not None  # require_case_write: a member of an organisation in force
    reason = (reason or "").strip()
    errors = _request_errors(
        case=case, kind=kind, reason=reason, needed_by=needed_by, urgency=urgency, hearing=hearing
    )
    if errors:
        raise ValidationError(errors)
    assert needed_by is not None
    receivers = _receivers(case=case, acting_user=acting_user, receiver=receiver, network=network)
    already = set(
        SupportRequest.objects.unscoped()
        .filter(case=case, kind=kind, status=SupportStatus.OPEN, receiver__in=receivers)
        .values_list("receiver_id", flat=True)
    )
    if receiver is not None and already:
        raise ValidationError(
            {
                "receiver": _(
                    "This mission has already been asked for this support and not answered."
                )
            }
        )
    now = timezone.now()
    created = []
    for mission in receivers:
        if mission.pk in already:
            continue
        due_at, remind_at = answer_due(urgency, needed_by, now, mission)
        request = SupportRequest.objects.create(
            organisation=requester,
            case=case,
            receiver=mission,
            network=network,
            kind=kind,
            reason=reason,
            needed_by=needed_by,
            urgency=urgency,
            hearing=hearing,
            requested_by=acting_user,
            due_at=due_at,
            remind_at=remind_at,
            created_at=now,
        )
        audit_record(
            action="support.request",
            actor=acting_user,
            target=case,
            data={"request": str(request.pk), "receiver": str(mission.pk), "kind": kind},
        )
        notify(
            recipients=_writers(mission.pk),
            kind="support_request",
            subject=later(
                gettext_noop("Support asked: %(kind)s for %(pseudonym)s (%(urgency)s)"),
                kind=label(request, "kind"),
                pseudonym=case.pseudonym,
                urgency=label(request, "urgency"),
            ),
            dedupe_key=f"support.request:{request.pk}",
            url=_detail_url(request),
            source_id=request.pk,
        )
        created.append(request)
    if not created:
        raise ValidationError(
            {"network": _("Every mission of this network has already been asked for this support.")}
        )
    return created


# --- the receiver's answer ---------------------------------------------------------------------


def _require_receiver_writer(request: SupportRequest, acting_user: User) -> None:
    """A writer of the receiving organisation, in force. The receiver need not see the case."""
    if (
        acting_user.organisation_id != request.receiver_id
        or not acting_user.can_write
        or not request.receiver.is_active
    ):
        raise PermissionDenied


def _claim(request: SupportRequest, *, expected: str, to: str) -> None:
    """Move ``request`` from ``expected`` to ``to`` with a conditional update: two answers at
    once, one wins, the other is told (409)."""
    claimed = (
        SupportRequest.objects.unscoped()
        .filter(pk=request.pk, status=expected)
        .update(status=to, updated_at=timezone.now())
    )
    if claimed != 1:
        request.refresh_from_db(fields=["status"])
        raise StateConflict(
            _("This request is %(status)s: nothing to do.")
            % {"status": request.get_status_display().lower()},
            allowed=[],
        )
    request.status = to


def _action_errors(
    request: SupportRequest, authority: str, taken_on: datetime.date | None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if request.action_type is None:
        return errors
    if not authority:
        errors["authority"] = _("Name the authority (or the court) the action addresses.")
    elif len(authority) > AUTHORITY_MAX_LENGTH:
        errors["authority"] = _("Keep it under %(n)d characters.") % {"n": AUTHORITY_MAX_LENGTH}
    elif (refusal := single_line_refusal(authority)) is not None:
        errors["authority"] = " ".join(refusal.messages)
    if not isinstance(taken_on, datetime.date):
        errors["taken_on"] = _("Give the date the action is planned for.")
    else:
        errors.update(plausible_date_errors({"taken_on": taken_on}))
    if request.kind in PUBLIC_KINDS:
        try:
            require_public_action_consent(case=request.case)
        except ValidationError as error:
            errors["kind"] = " ".join(error.messages)
    return errors


@transaction.atomic
def support_request_accept(
    *,
    request: SupportRequest,
    acting_user: User,
    authority: str = "",
    taken_on: datetime.date | None = None,
    note: str = "",
) -> SupportRequest:
    """The receiver takes the request on: the diplomatic action of its kind is created,
    planned, in the receiver's name and linked here (visa support and "other" have none);
    a trial observation naming a hearing is dated on the hearing. The requester is told."""
    _require_receiver_writer(request, acting_user)
    if request.case.is_closed or request.case.purged_at is not None:
        # a request left open on a case closed since (its close withdraws them; an older one)
        raise StateConflict(_("This case is closed: the request can no longer be accepted."))
    authority = (authority or "").strip()
    if request.hearing is not None and taken_on is None:
        taken_on = request.hearing.date
    if taken_on is None:
        taken_on = request.needed_by
    if request.hearing is not None and not authority:
        # Never the hearing's court: the action's authority is shown to every follower of
        # the case, feedback partners included, and the court is the full file's
        # (docs/court.md); the mission reads the court on the request itself.
        authority = _("Court (hearing)")
    errors = _action_errors(request, authority, taken_on)
    if len(note or "") > REASON_MAX_LENGTH:
        errors["note"] = _("Keep it under %(n)d characters.") % {"n": REASON_MAX_LENGTH}
    if errors:
        raise ValidationError(errors)
    _claim(request, expected=SupportStatus.OPEN, to=SupportStatus.ACCEPTED)
    if request.action_type is not None:
        # Created here, not through logbooks' action_create: the receiver need not hold the
        # case (its share is the owner's choice); the request is what entitles it. The
        # consent of a public kind was re-checked above.
        request.action = DiplomaticAction.objects.create(
            organisation_id=request.receiver_id,
            case=request.case,
            type=request.action_type,
            authority=authority,
            taken_on=taken_on,
            status=ActionStatus.PLANNED,
            created_by=acting_user,
        )
        audit_record(
            action="logbooks.action_create",
            actor=acting_user,
            target=request.action,
            data={"case": str(request.case_id), "type": request.action_type, "support": "1"},
        )
    if request.hearing is not None:
        # The receiver observes the hearing: planned on it (cases' court service), which
        # opens nothing of the case to it.
        hearing_observer_plan_for_support(
            hearing=request.hearing,
            organisation=request.receiver,
            acting_user=acting_user,
            source=f"support:{request.pk}",
        )
    request.answer = (note or "").strip()
    request.answered_by = acting_user
    request.answered_at = timezone.now()
    request.save(update_fields=["action", "answer", "answered_by", "answered_at"])
    audit_record(
        action="support.accept",
        actor=acting_user,
        target=request,
        data={"action": str(request.action_id or "")},
    )
    _tell_requester(
        request, "support_answer", gettext_noop("%(org)s accepted: %(kind)s for %(pseudonym)s")
    )
    return request


@transaction.atomic
def support_request_decline(
    *, request: SupportRequest, reason: str, acting_user: User
) -> SupportRequest:
    """The receiver declines, saying why (the requester reads it)."""
    _require_receiver_writer(request, acting_user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why you decline: the requester reads it.")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("Keep it under %(n)d characters.") % {"n": REASON_MAX_LENGTH}}
        )
    _claim(request, expected=SupportStatus.OPEN, to=SupportStatus.DECLINED)
    request.answer = reason
    request.answered_by = acting_user
    request.answered_at = timezone.now()
    request.save(update_fields=["answer", "answered_by", "answered_at"])
    audit_record(action="support.decline", actor=acting_user, target=request)
    _tell_requester(
        request, "support_answer", gettext_noop("%(org)s declined: %(kind)s for %(pseudonym)s")
    )
    return request


@transaction.atomic
def support_request_report(
    *,
    request: SupportRequest,
    outcome: str,
    done_on: datetime.date | None,
    acting_user: User,
    share_with_followers: bool = True,
) -> SupportRequest:
    """The receiver reports what came of an accepted request: the diplomatic action is done
    with this outcome (shared with the case's followers unless ``share_with_followers`` is
    off), and the outcome reaches the requester (inbox) whatever that choice."""
    _require_receiver_writer(request, acting_user)
    outcome = (outcome or "").strip()
    errors: dict[str, str] = {}
    if not outcome:
        errors["outcome"] = _("Say what came of it: the requester reads it.")
    elif len(outcome) > REASON_MAX_LENGTH:
        errors["outcome"] = _("Keep it under %(n)d characters.") % {"n": REASON_MAX_LENGTH}
    if not isinstance(done_on, datetime.date):
        errors["done_on"] = _("Give the date it was done.")
    elif done_on > timezone.localdate():
        errors["done_on"] = _("It cannot be done in the future.")
    else:
        errors.update(plausible_date_errors({"done_on": done_on}))
    if errors:
        raise ValidationError(errors)
    assert isinstance(done_on, datetime.date)  # checked above
    _claim(request, expected=SupportStatus.ACCEPTED, to=SupportStatus.DONE)
    action = request.action
    if action is not None and action.status != ActionStatus.CLOSED:
        action.status = ActionStatus.DONE
        action.taken_on = done_on
        action.outcome = outcome
        action.outcome_shared = bool(share_with_followers)
        action.save(update_fields=["status", "taken_on", "outcome", "outcome_shared", "updated_at"])
        audit_record(
            action="logbooks.action_transition",
            actor=acting_user,
            target=action,
            data={"case": str(action.case_id), "to": ActionStatus.DONE, "support": "1"},
        )
    _record_observation(request, acting_user)
    request.outcome = outcome
    request.reported_by = acting_user
    request.reported_at = timezone.now()
    request.save(update_fields=["outcome", "reported_by", "reported_at"])
    audit_record(action="support.report", actor=acting_user, target=request)
    _tell_requester(
        request,
        "support_answer",
        gettext_noop("%(org)s reported the outcome: %(kind)s for %(pseudonym)s"),
        everyone=True,
    )
    return request


def _record_observation(request: SupportRequest, acting_user: User) -> None:
    """A reported trial observation of a named hearing: the receiver attended it."""
    if request.hearing_id is None:
        return
    row = HearingObserver.objects.filter(
        hearing_id=request.hearing_id, organisation_id=request.receiver_id
    ).first()
    if row is not None and row.status == ObserverStatus.PLANNED:
        hearing_observer_record(
            observer_row=row, status=ObserverStatus.ATTENDED, acting_user=acting_user
        )


def _tell_requester(
    request: SupportRequest, kind: str, subject: str, *, everyone: bool = False
) -> None:
    """The requester's writers (``everyone``: every member, viewers too) are told in their
    inbox; the line names the case, so it goes when the requester stops following it.
    ``subject``: a message marked with ``gettext_noop``, written in each reader's language."""
    recipients = (
        _members(request.organisation_id) if everyone else _writers(request.organisation_id)
    )
    notify(
        recipients=recipients,
        kind=kind,
        subject=later(
            subject,
            org=request.receiver.name,
            kind=label(request, "kind"),
            pseudonym=request.case.pseudonym,
        ),
        dedupe_key=f"{kind}:{request.pk}:{request.status}",
        url=_detail_url(request),
        case=request.case,
        source_id=request.pk,
    )


# --- the requester's side ----------------------------------------------------------------------


def _require_requester_writer(request: SupportRequest, acting_user: User) -> None:
    if acting_user.organisation_id != request.organisation_id:
        raise PermissionDenied
    require_case_write(case=request.case, acting_user=acting_user, need=NEED_ASK)


@transaction.atomic
def support_request_withdraw(*, request: SupportRequest, acting_user: User) -> SupportRequest:
    """The requester no longer needs it (only before an answer)."""
    _require_requester_writer(request, acting_user)
    _claim(request, expected=SupportStatus.OPEN, to=SupportStatus.WITHDRAWN)
    audit_record(action="support.withdraw", actor=acting_user, target=request)
    _tell_receiver_withdrawn([request], WITHDRAWN_BY_REQUESTER)
    return request


#: why a request was withdrawn, as its receiver is told (``_tell_receiver_withdrawn``).
WITHDRAWN_BY_REQUESTER = "requester"
WITHDRAWN_UNFOLLOWED = "unfollowed"
WITHDRAWN_CASE_CLOSED = "closed"


#: marked for translation, written in each reader's language (``hrdcase.later``).
WITHDRAWN_SUBJECTS = {
    WITHDRAWN_BY_REQUESTER: gettext_noop(
        "%(org)s withdrew its request: %(kind)s for %(pseudonym)s"
    ),
    WITHDRAWN_UNFOLLOWED: gettext_noop(
        "Support no longer asked: %(kind)s for %(pseudonym)s (%(org)s no longer follows the case)"
    ),
    WITHDRAWN_CASE_CLOSED: gettext_noop(
        "Support no longer needed: %(kind)s for %(pseudonym)s (the case was closed)"
    ),
}


def _tell_receiver_withdrawn(requests: list[SupportRequest], why: str) -> None:
    """The receiver's writers learn that a request they were asked to act on is withdrawn,
    so nobody goes to a hearing or writes a démarche for nothing. Like the request's own
    notification: the pseudonym and the kind, never the case file (the receiver may not
    follow the case)."""
    for request in requests:
        notify(
            recipients=_writers(request.receiver_id),
            kind="support_request",
            subject=later(
                WITHDRAWN_SUBJECTS[why],
                org=request.organisation.name,
                kind=label(request, "kind"),
                pseudonym=request.case.pseudonym,
            ),
            dedupe_key=f"support.withdrawn:{request.pk}",
            url=_detail_url(request),
            source_id=request.pk,
        )


@transaction.atomic
def support_request_share(*, request: SupportRequest, level: str, acting_user: User) -> CaseShare:
    """The case's owner (whoever asked: itself or a partner) shares the case with the
    receiver from the request, in one step: the share service decides (the owner's writers,
    the defender's consent to share with this organisation)."""
    if acting_user.organisation_id != request.case.organisation_id:
        raise PermissionDenied
    if level not in SHARE_LEVELS:
        raise ValidationError({"level": _("Share at full or feedback level.")})
    share = case_share(
        case=request.case,
        partner=request.receiver,
        level=level,
        reason=_("Support request: %(kind)s") % {"kind": request.get_kind_display()},
        acting_user=acting_user,
    )
    audit_record(action="support.share", actor=acting_user, target=request, data={"level": level})
    return share


@transaction.atomic
def support_requests_withdraw_unfollowed(*, case: Case, organisation_id: Any, reason: str) -> int:
    """A partner stopped following ``case`` (its share ended): its requests on it that are
    still unanswered are withdrawn (the mission is not left acting for an organisation that
    no longer follows the case). Answered ones stay the mission's record. Returns how many."""
    # unscoped: the partner's rows on the owner's case, in the share's ending.
    open_ones = SupportRequest.objects.unscoped().filter(
        case=case, organisation_id=organisation_id, status=SupportStatus.OPEN
    )
    ids = list(open_ones.values_list("pk", flat=True))
    if not ids:
        return 0
    SupportRequest.objects.unscoped().filter(pk__in=ids).update(
        status=SupportStatus.WITHDRAWN, updated_at=timezone.now()
    )
    for pk in ids:
        audit_record(
            action="support.withdraw",
            organisation=case.organisation,
            target=case,
            data={"request": str(pk), "reason": reason or "share ended"},
        )
    _tell_receiver_withdrawn(_withdrawn(ids), WITHDRAWN_UNFOLLOWED)
    return len(ids)


def _withdrawn(ids: list[Any]) -> list[SupportRequest]:
    # unscoped: the rows just withdrawn, read back to tell their receivers.
    return list(
        SupportRequest.objects.unscoped()
        .filter(pk__in=ids)
        .select_related("case", "organisation")
        .order_by("created_at")
    )


@transaction.atomic
def support_requests_withdraw_for_case(
    *, case: Case, reason: str, acting_user: User | None = None, tell: bool = True
) -> int:
    """``case`` was closed or purged: its requests still unanswered are withdrawn (no
    reminder nor escalation after; the mission is not left acting on a closed case),
    audited in the owner's trail. Answered ones stay the mission's record."""
    # unscoped: every requester's rows on the case (the owner's and its partners').
    open_ones = SupportRequest.objects.unscoped().filter(case=case, status=SupportStatus.OPEN)
    ids = list(open_ones.values_list("pk", flat=True))
    if not ids:
        return 0
    SupportRequest.objects.unscoped().filter(pk__in=ids, status=SupportStatus.OPEN).update(
        status=SupportStatus.WITHDRAWN, updated_at=timezone.now()
    )
    for pk in ids:
        audit_record(
            action="support.withdraw",
            actor=acting_user,
            organisation=case.organisation,
            target=case,
            data={"request": str(pk), "reason": reason},
        )
    if tell:  # a purge is silent: the pseudonym goes with it
        _tell_receiver_withdrawn(_withdrawn(ids), WITHDRAWN_CASE_CLOSED)
    return len(ids)


def support_request_seen(*, request: SupportRequest, user: User) -> None:
    """A member of the requester opened the request: its answer or outcome is no longer news
    (it leaves the requester's queue). Not audited: a read of the organisation's own row."""
    if user.organisation_id != request.organisation_id:
        return
    now = timezone.now()
    SupportRequest.objects.unscoped().filter(pk=request.pk).update(requester_seen_at=now)
    request.requester_seen_at = now


def support_requests_purge(case: Case) -> None:
    """Retention: the open requests are withdrawn and the texts of the case's requests go."""
    from cases.services.retention import blank_fields

    support_requests_withdraw_for_case(case=case, reason="case purged", tell=False)
    # unscoped: the purge job runs for every tenant; narrowed to this case.
    requests = list(SupportRequest.objects.unscoped().filter(case=case))
    for request in requests:
        blank_fields(request, ("reason", "answer", "outcome"))
    # the receivers' notifications name the pseudonym with no case link
    notifications_forget_purged(object_ids=[request.pk for request in requests])
