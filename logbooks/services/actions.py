"""Writes of diplomatic actions: record one, move it through its statuses, invite missions
of a shared protection network to a joint action, and answer an invitation."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import Role, User
from alerts.services.notify import notify
from cases.access import require_case_write, require_writer
from cases.models.case import NARRATIVE_MAX_LENGTH
from cases.services.consent import require_public_action_consent
from hrdcase.audit import audit_record
from hrdcase.dates import plausible_date_errors
from hrdcase.exceptions import StateConflict
from hrdcase.later import label, later
from logbooks.access import NEED_LOG, require_log_write, require_own
from logbooks.models import (
    ACTION_TRANSITIONS,
    PUBLIC_ACTION_TYPES,
    QUICK_LOG_ACTIONS,
    ActionParticipant,
    ActionStatus,
    ActionType,
    DiplomaticAction,
    HearingOutcome,
    LogEntry,
    ParticipantStatus,
)
from logbooks.selectors.actions import invitable_organisations
from logbooks.services.benchmarks import milestone_error, milestone_fulfil

if TYPE_CHECKING:
    from accounts.models import Organisation
    from cases.models import BenchmarkMilestone, Case, Hearing

AUTHORITY_MAX_LENGTH = 200


def _consent_error(case: Case, action_type: str) -> str | None:
    if action_type not in PUBLIC_ACTION_TYPES:
        return None
    try:
        require_public_action_consent(case=case)
    except ValidationError as error:
        return " ".join(error.messages)
    return None


def _outcome_error(outcome: str | None) -> str | None:
    if outcome and len(outcome) > NARRATIVE_MAX_LENGTH:
        return _("Keep the outcome under %(n)d characters.") % {"n": NARRATIVE_MAX_LENGTH}
    return None


def _new_action_errors(
    *,
    type: str,
    authority: str,
    taken_on: datetime.date,
    status: str,
    outcome: str,
    authority_required: bool = True,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if type not in ActionType.values:
        errors["type"] = _("Unknown type of action: choose one of %(types)s.") % {
            "types": ", ".join(ActionType.values)
        }
    if not authority and authority_required:
        errors["authority"] = _("Name the authority or company addressed.")
    elif len(authority) > AUTHORITY_MAX_LENGTH:
        errors["authority"] = _("Keep it under %(n)d characters.") % {"n": AUTHORITY_MAX_LENGTH}
    if status not in (ActionStatus.PLANNED, ActionStatus.DONE):
        errors["status"] = _("A new action is either planned or done.")
    if not isinstance(taken_on, datetime.date):
        errors["taken_on"] = _("Give the date of the action.")
    elif status == ActionStatus.DONE and taken_on > timezone.localdate():
        errors["taken_on"] = _("An action that is done cannot be dated in the future.")
    outcome_problem = _outcome_error(outcome)
    if outcome_problem:
        errors["outcome"] = outcome_problem
    return errors


@dataclass(frozen=True)
class Observation:
    """A trial observation's structured fields (issue 21, item 4): the hearing observed (one
    of the case's), whether the mission attended, what the hearing came to, and the next
    hearing's date (which schedules that hearing when the case is the author's own)."""

    hearing: Hearing | None = None
    attended: bool | None = None
    hearing_outcome: str = ""
    next_hearing_on: datetime.date | None = None

    @property
    def is_empty(self) -> bool:
        return self == Observation()


NO_OBSERVATION = Observation()


def _observation_errors(
    observation: Observation, *, case: Case, type: str, taken_on: Any, acting_user: User
) -> dict[str, str]:
    from cases.access import case_access

    if observation.is_empty:
        return {}
    if type != ActionType.TRIAL_OBSERVATION:
        return {"hearing": _("Only a trial observation records a hearing and its outcome.")}
    errors: dict[str, str] = {}
    hearing = observation.hearing
    if hearing is not None:
        # The hearing is part of the full file: a feedback partner names none.
        of_case = hearing.proceeding is not None and hearing.proceeding.case_id == case.pk
        if not of_case or not case_access(acting_user, case).sees_identity:
            errors["hearing"] = _("Choose a hearing of this case.")
    if observation.hearing_outcome and observation.hearing_outcome not in HearingOutcome.values:
        errors["hearing_outcome"] = _("Choose one of %(values)s.") % {
            "values": ", ".join(HearingOutcome.values)
        }
    next_on = observation.next_hearing_on
    if next_on is not None:
        errors.update(plausible_date_errors({"next_hearing_on": next_on}))
        if (
            "next_hearing_on" not in errors
            and isinstance(taken_on, datetime.date)
            and next_on <= taken_on
        ):
            errors["next_hearing_on"] = _("The next hearing comes after this one.")
    return errors


@transaction.atomic
def action_create(
    *,
    case: Case,
    type: str,
    authority: str,
    taken_on: datetime.date,
    acting_user: User,
    status: str = ActionStatus.PLANNED,
    outcome: str = "",
    outcome_shared: bool = False,
    milestone: BenchmarkMilestone | None = None,
    observation: Observation = NO_OBSERVATION,
    entry: LogEntry | None = None,
) -> DiplomaticAction:
    """Record a diplomatic action. A trial observation may name the hearing it observed (the
    mission is then that hearing's observer: planned, attended or absent) and the next
    hearing's date (scheduled on the same proceeding when the author owns the case).
    ``entry``: the quick log's entry it was recorded with (its authority may be left
    empty: the quick log does not require one)."""
    is_owner = require_log_write(case=case, acting_user=acting_user)
    authority = (authority or "").strip()
    if not authority and observation.hearing is not None:
        # Never the hearing's court: the authority is shown to every follower, feedback
        # partners included, and the court is the full file's (docs/court.md).
        authority = _("Court (hearing)")
    errors = _new_action_errors(
        type=type,
        authority=authority,
        taken_on=taken_on,
        status=status,
        outcome=outcome,
        authority_required=entry is None,
    )
    errors.update(
        _observation_errors(
            observation, case=case, type=type, taken_on=taken_on, acting_user=acting_user
        )
    )
    problem = milestone_error(milestone, case, is_owner=is_owner)
    if problem:
        errors["milestone"] = problem
    if "type" not in errors:
        consent = _consent_error(case, type)
        if consent:
            # Do no harm: nothing public is recorded (or done) without the defender's consent.
            errors["type"] = consent
    if errors:
        raise ValidationError(errors)
    action = DiplomaticAction(
        organisation_id=acting_user.organisation_id,
        case=case,
        type=type,
        authority=authority,
        taken_on=taken_on,
        status=status,
        outcome=(outcome or "").strip(),
        outcome_shared=bool(outcome_shared),
        created_by=acting_user,
        # Linked now; the benchmark is marked done when the action is done.
        milestone=milestone,
        hearing=observation.hearing,
        attended=observation.attended,
        hearing_outcome=observation.hearing_outcome,
        next_hearing_on=observation.next_hearing_on,
        entry_id=entry.version_of_id if entry is not None else None,
    )
    action.save()
    audit_record(
        action="logbooks.action_create",
        actor=acting_user,
        target=action,
        data={
            "case": str(case.pk),
            "type": type,
            "status": status,
            "hearing": str(observation.hearing.pk) if observation.hearing else None,
            "entry": str(entry.pk) if entry is not None else None,
        },
    )
    _observation_effects(action, acting_user, is_owner=is_owner)
    if status == ActionStatus.DONE:
        _mark_action_milestone(action, acting_user)
    return action


def _observation_effects(action: DiplomaticAction, acting_user: User, *, is_owner: bool) -> None:
    """The observing mission becomes the hearing's observer (planned, attended or absent),
    and the next hearing is scheduled on the same proceeding when the case is the author's
    (a partner's date stays on its action, for the owner to read)."""
    from cases.services.court import hearing_observer_from_observation

    hearing = action.hearing
    if hearing is None:
        return
    hearing_observer_from_observation(
        hearing=hearing,
        acting_user=acting_user,
        attended=action.attended,
        planned=action.status == ActionStatus.PLANNED,
        source=f"action:{action.pk}",
    )
    if is_owner:
        _schedule_next_hearing(hearing, action.next_hearing_on, acting_user)


def _schedule_next_hearing(
    hearing: Hearing, next_on: datetime.date | None, acting_user: User
) -> None:
    """The owner's observation of ``hearing`` gives the next date: scheduled on the same
    proceeding unless a hearing already sits on that day."""
    from cases.services.court import hearing_schedule

    if next_on is None or hearing.proceeding is None:
        return
    if hearing.proceeding.hearings.filter(date=next_on).exists():
        return  # already scheduled (by hand, or by another mission's report)
    hearing_schedule(
        proceeding=hearing.proceeding, date=next_on, court=hearing.court, acting_user=acting_user
    )


def internal_observation_record(
    *, case: Case, kind: str, entry: LogEntry, observation: Observation, acting_user: User
) -> None:
    """What an *internal* quick-log entry of a diplomatic kind records besides itself (it
    records no action: ``services.entries.quick_log_record``). Only the owner's own trial
    observation naming one of its hearings does something: the owner's organisation becomes
    that hearing's observer (attended, absent, or planned when attendance is not given) and
    the next date is scheduled, as the owner would on the proceeding page (its own fact on
    its own hearing). A partner's internal entry may not name a hearing (its mission as the
    observer would show the owner and the other partners that it went): 400 ``hearing``.
    The outcome of the hearing is not stored apart from the entry's text."""
    from cases.services.court import hearing_observer_from_observation

    if observation.is_empty:
        return
    errors = _observation_errors(
        observation,
        case=case,
        type=QUICK_LOG_ACTIONS[kind],
        taken_on=timezone.localdate(entry.occurred_at),
        acting_user=acting_user,
    )
    is_owner = case.organisation_id == acting_user.organisation_id
    if observation.hearing is not None and not is_owner and "hearing" not in errors:
        errors["hearing"] = _(
            "An internal entry does not record your organisation as the hearing's observer: "
            "share the entry, or leave the hearing out."
        )
    if errors:
        raise ValidationError(errors)
    hearing = observation.hearing
    if hearing is None:
        return
    row = hearing_observer_from_observation(
        hearing=hearing,
        acting_user=acting_user,
        attended=observation.attended,
        planned=False,
        source=f"entry:{entry.version_of_id}",
    )
    audit_record(
        action="court.observer_record",
        actor=acting_user,
        target=row,
        data={"case": str(case.pk), "hearing": str(hearing.pk), "entry": str(entry.pk)},
    )
    _schedule_next_hearing(hearing, observation.next_hearing_on, acting_user)


def _mark_action_milestone(action: DiplomaticAction, acting_user: User) -> None:
    milestone = action.milestone
    if milestone is not None and milestone.is_open:
        milestone_fulfil(
            milestone=milestone,
            reference=reverse("logbooks:action_detail", kwargs={"pk": action.pk}),
            note=_("Diplomatic action: %(type)s") % {"type": action.get_type_display()},
            acting_user=acting_user,
        )


def _require_action_writer(action: DiplomaticAction, acting_user: User) -> None:
    """The action's own organisation's writers, while that organisation holds the case."""
    require_own(action, acting_user)
    require_case_write(case=action.case, acting_user=acting_user, need=NEED_LOG)


def _transition_errors(action: DiplomaticAction, to: str, outcome: str | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if to == ActionStatus.DONE:
        if action.taken_on > timezone.localdate():
            errors["taken_on"] = _(
                "The action is dated %(date)s: it cannot be done before that date."
            ) % {"date": action.taken_on.isoformat()}
        consent = _consent_error(action.case, action.type)
        if consent:
            errors["type"] = consent
    outcome_problem = _outcome_error(outcome)
    if outcome_problem:
        errors["outcome"] = outcome_problem
    return errors


@transaction.atomic
def action_transition(
    *,
    action: DiplomaticAction,
    to: str,
    acting_user: User,
    outcome: str | None = None,
    outcome_shared: bool | None = None,
) -> DiplomaticAction:
    _require_action_writer(action, acting_user)
    allowed = ACTION_TRANSITIONS.get(action.status, ())
    if to not in allowed:
        raise StateConflict(
            _("A %(status)s action cannot become %(to)s. Allowed: %(allowed)s.")
            % {
                "status": action.get_status_display().lower(),
                "to": to,
                "allowed": ", ".join(allowed) or _("none (the action is closed)"),
            },
            allowed=allowed,
        )
    errors = _transition_errors(action, to, outcome)
    if errors:
        raise ValidationError(errors)
    previous = action.status
    claimed = (
        DiplomaticAction.objects.owned_by(action.organisation)
        .filter(pk=action.pk, status=previous)
        .update(status=to, updated_at=timezone.now())
    )
    if claimed != 1:
        action.refresh_from_db(fields=["status"])
        raise StateConflict(
            _("The action changed meanwhile: it is now %(status)s.")
            % {"status": action.get_status_display().lower()},
            allowed=action.allowed_transitions,
        )
    action.status = to
    fields = []
    if outcome is not None:
        action.outcome = outcome.strip()
        fields.append("outcome")
    if outcome_shared is not None:
        action.outcome_shared = bool(outcome_shared)
        fields.append("outcome_shared")
    if fields:
        action.save(update_fields=fields)
    audit_record(
        action="logbooks.action_transition",
        actor=acting_user,
        target=action,
        data={"case": str(action.case_id), "from": previous, "to": to},
    )
    if to == ActionStatus.DONE:
        _observation_done(action, acting_user)
        _mark_action_milestone(action, acting_user)
    return action


def _observation_done(action: DiplomaticAction, acting_user: User) -> None:
    """A planned observation of a hearing marked done: the mission observed it (unless it
    said it did not attend), and its observer row says so."""
    from cases.services.court import hearing_observer_from_observation

    if action.hearing is None or action.type != ActionType.TRIAL_OBSERVATION:
        return
    if action.attended is None:
        action.attended = True
        action.save(update_fields=["attended"])
    hearing_observer_from_observation(
        hearing=action.hearing,
        acting_user=acting_user,
        attended=action.attended,
        planned=False,
        source=f"action:{action.pk}",
    )


@transaction.atomic
def action_invite(
    *, action: DiplomaticAction, organisation: Organisation, acting_user: User
) -> ActionParticipant:
    _require_action_writer(action, acting_user)
    if action.status == ActionStatus.CLOSED:
        raise StateConflict(_("The action is closed: nobody can be invited."), allowed=[])
    if not invitable_organisations(action).filter(pk=organisation.pk).exists():
        raise ValidationError(
            {
                "organisation": _(
                    "Invite a mission of a protection network your organisation belongs to, "
                    "not yet invited."
                )
            }
        )
    participant = ActionParticipant.objects.create(
        action=action, organisation=organisation, invited_by=acting_user
    )
    audit_record(
        action="logbooks.action_invite",
        actor=acting_user,
        target=action,
        data={"organisation": str(organisation.pk)},
    )
    _notify_invitation(participant)
    return participant


def _notify_invitation(participant: ActionParticipant) -> None:
    recipients = User.objects.filter(
        organisation_id=participant.organisation_id,
        is_active=True,
        role__in=[Role.ADMIN, Role.OFFICER],
    )
    action = participant.action
    notify(
        recipients=list(recipients),
        kind="logbooks.joint_action_invitation",
        # No pseudonym: the invited mission may not follow the case.
        subject=later(
            gettext_noop("Invitation to a joint action: %(type)s"), type=label(action, "type")
        ),
        dedupe_key=f"logbooks.invite:{participant.pk}",
        url=reverse("logbooks:action_detail", kwargs={"pk": action.pk}),
    )


@transaction.atomic
def action_answer(
    *, action: DiplomaticAction, accept: bool, acting_user: User
) -> ActionParticipant:
    require_writer(acting_user)
    participant = action.participants.filter(organisation_id=acting_user.organisation_id).first()
    if participant is None:
        raise Http404
    if participant.status != ParticipantStatus.INVITED:
        raise StateConflict(
            _("Your organisation already answered: %(status)s.")
            % {"status": participant.get_status_display().lower()},
            allowed=[],
        )
    participant.status = ParticipantStatus.ACCEPTED if accept else ParticipantStatus.DECLINED
    participant.answered_by = acting_user
    participant.answered_at = timezone.now()
    participant.save(update_fields=["status", "answered_by", "answered_at"])
    audit_record(
        action="logbooks.action_answer",
        actor=acting_user,
        target=action,
        data={"status": participant.status},
    )
    return participant
