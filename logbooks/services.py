"""Writes of the logbooks app: entries (and their corrections), attachments, diplomatic
actions, joint-action invitations and inbox reads.

Every function validates first and raises ``ValidationError({field: message})`` before it
writes anything, so a refused request leaves no row behind (and runs in one transaction).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation
from cases.access import CaseAccess, require_case_write
from cases.models import BenchmarkMilestone, Case
from cases.models.case import NARRATIVE_MAX_LENGTH
from cases.services.consent import require_public_action_consent
from cases.services.detention import milestone_mark_done
from hrdcase.audit import audit_record
from hrdcase.exceptions import StateConflict
from logbooks import attachments as files
from logbooks.models import (
    ACTION_TRANSITIONS,
    PUBLIC_ACTION_TYPES,
    ActionParticipant,
    ActionStatus,
    ActionType,
    Attachment,
    AttachmentContent,
    DiplomaticAction,
    EntryKind,
    EntryRead,
    LogEntry,
    ParticipantStatus,
    Visibility,
)

if TYPE_CHECKING:
    from accounts.models import User

# A clock a few minutes fast on the officer's laptop is not a "future" entry.
FUTURE_TOLERANCE = datetime.timedelta(minutes=10)
AUTHORITY_MAX_LENGTH = 200


# --- permissions ---------------------------------------------------------------------------------


def can_log(access: CaseAccess) -> bool:
    """Owner organisation's writers log anything; ``full``/``feedback`` partners' writers log
    on the cases they follow (their entries are theirs: internal to them, or shared)."""
    return access.can_write_role and (access.is_owner or access.has("add_shared_entry"))


def _require_can_log(*, case: Case, acting_user: User) -> bool:
    """The owner's writers, and writers of a partner whose live share lets it add entries
    (``cases.access.require_case_write``: the last line, whatever the caller checked).
    Returns whether the acting user's organisation owns the case."""
    require_case_write(case=case, acting_user=acting_user, need="add_shared_entry")
    if case.purged_at:
        raise ValidationError(_("This case was purged: nothing can be added to it."))
    return case.organisation_id == acting_user.organisation_id


# --- validation ---------------------------------------------------------------------------------


def _entry_errors(
    *,
    kind: Any,
    summary: Any,
    visibility: Any,
    occurred_at: datetime.datetime | None,
    follow_up_on: datetime.date | None,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if kind not in EntryKind.values:
        errors["kind"] = _("Unknown kind of entry: choose one of %(kinds)s.") % {
            "kinds": ", ".join(EntryKind.values)
        }
    if not isinstance(summary, str) or not summary.strip():
        errors["summary"] = _("Write what happened: the summary cannot be empty.")
    elif len(summary) > NARRATIVE_MAX_LENGTH:
        errors["summary"] = _("Keep the summary under %(n)d characters; attach documents.") % {
            "n": NARRATIVE_MAX_LENGTH
        }
    if visibility not in Visibility.values:
        errors["visibility"] = _("Visibility is 'internal' or 'shared'.")
    if occurred_at is not None and occurred_at > timezone.now() + FUTURE_TOLERANCE:
        errors["occurred_at"] = _(
            "An entry records what happened: it cannot be dated in the future. Use the "
            "follow-up date, or record a planned diplomatic action."
        )
    if follow_up_on is not None:
        start = timezone.localdate(occurred_at) if occurred_at else timezone.localdate()
        if follow_up_on < start:
            errors["follow_up_on"] = _("The follow-up date cannot be before the entry's date.")
    return errors


def _milestone_of_case(milestone: BenchmarkMilestone | None, case: Case) -> str | None:
    if milestone is None:
        return None
    if milestone.detention.incident.case_id != case.pk:
        return _("This benchmark belongs to another case.")
    if not milestone.is_open:
        return _("This benchmark is already %(status)s.") % {
            "status": milestone.get_status_display().lower()
        }
    return None


def _mark_milestone(
    *, milestone: BenchmarkMilestone | None, reference: str, note: str, acting_user: User
) -> None:
    if milestone is not None:
        milestone_mark_done(
            milestone=milestone, acting_user=acting_user, evidence_ref=reference, note=note
        )


# --- entries -------------------------------------------------------------------------------------


@transaction.atomic
def entry_create(
    *,
    case: Case,
    kind: str,
    summary: str,
    acting_user: User,
    visibility: str = Visibility.INTERNAL,
    occurred_at: datetime.datetime | None = None,
    follow_up_on: datetime.date | None = None,
    milestone: BenchmarkMilestone | None = None,
) -> LogEntry:
    is_owner = _require_can_log(case=case, acting_user=acting_user)
    errors = _entry_errors(
        kind=kind,
        summary=summary,
        visibility=visibility,
        occurred_at=occurred_at,
        follow_up_on=follow_up_on,
    )
    if milestone is not None:
        if not is_owner:
            errors["milestone"] = _("Only the organisation that owns the case marks benchmarks.")
        else:
            problem = _milestone_of_case(milestone, case)
            if problem:
                errors["milestone"] = problem
    if errors:
        raise ValidationError(errors)
    entry = LogEntry(
        organisation_id=acting_user.organisation_id,
        case=case,
        author=acting_user,
        kind=kind,
        summary=summary.strip(),
        visibility=visibility,
        occurred_at=occurred_at or timezone.now(),
        follow_up_on=follow_up_on,
        milestone=milestone,
    )
    entry.save()
    audit_record(
        action="logbooks.entry_create",
        actor=acting_user,
        target=entry,
        data={"case": str(case.pk), "kind": kind, "visibility": visibility},
    )
    _mark_milestone(
        milestone=milestone,
        reference=reverse("logbooks:entry_detail", kwargs={"pk": entry.pk}),
        note=_("Logbook entry: %(kind)s") % {"kind": entry.get_kind_display()},
        acting_user=acting_user,
    )
    return entry


@transaction.atomic
def entry_correct(
    *,
    entry: LogEntry,
    acting_user: User,
    kind: str,
    summary: str,
    visibility: str,
    occurred_at: datetime.datetime | None = None,
    follow_up_on: datetime.date | None = None,
) -> LogEntry:
    """A new version of ``entry`` (the older stays in the history)."""
    if entry.organisation_id != acting_user.organisation_id:
        # Another organisation's shared entry: visible, but not theirs to correct.
        raise PermissionDenied
    _require_can_log(case=entry.case, acting_user=acting_user)
    errors = _entry_errors(
        kind=kind,
        summary=summary,
        visibility=visibility,
        occurred_at=occurred_at,
        follow_up_on=follow_up_on,
    )
    if errors:
        raise ValidationError(errors)
    # Claim the current version: two simultaneous corrections make one version, not a fork.
    claimed = (
        LogEntry.objects.owned_by(entry.organisation)
        .filter(pk=entry.pk, is_current=True)
        .update(is_current=False)
    )
    if claimed != 1:
        raise StateConflict(
            _("This is not the current version of the entry: correct the latest one."),
            allowed=[],
        )
    new = LogEntry(
        organisation_id=entry.organisation_id,
        case_id=entry.case_id,
        author=acting_user,
        kind=kind,
        summary=summary.strip(),
        visibility=visibility,
        occurred_at=occurred_at or entry.occurred_at,
        follow_up_on=follow_up_on,
        milestone_id=entry.milestone_id,
        version_of_id=entry.version_of_id,
        supersedes=entry,
        version=entry.version + 1,
    )
    new.save()
    audit_record(
        action="logbooks.entry_correct",
        actor=acting_user,
        target=new,
        data={
            "case": str(entry.case_id),
            "supersedes": str(entry.pk),
            "version": new.version,
            "visibility": visibility,
        },
    )
    return new


def entry_versions(entry: LogEntry, user: User):
    """Every version of ``entry``'s thread that ``user`` may see, oldest first."""
    return (
        LogEntry.objects.visible_to(user)
        .filter(version_of_id=entry.version_of_id)
        .select_related("author")
        .order_by("version")
    )


# --- attachments ---------------------------------------------------------------------------------


@transaction.atomic
def attachment_add(*, entry: LogEntry, filename: str, data: bytes, acting_user: User) -> Attachment:
    if entry.organisation_id != acting_user.organisation_id:
        raise PermissionDenied
    _require_can_log(case=entry.case, acting_user=acting_user)
    if not entry.is_current:
        raise StateConflict(_("Attach files to the current version of the entry."), allowed=[])
    checked = files.check_upload(filename=filename, data=data)
    attachment = Attachment(
        organisation_id=entry.organisation_id,
        entry=entry,
        filename=checked.filename,
        content_type=checked.content_type,
        size=len(checked.data),
        sha256=checked.sha256,
        uploaded_by=acting_user,
    )
    attachment.save()
    kid, nonce, sealed = files.seal(
        attachment_pk=attachment.pk, sha256=checked.sha256, data=checked.data
    )
    AttachmentContent.objects.create(
        attachment=attachment, key_id=kid, nonce=nonce, ciphertext=sealed
    )
    audit_record(
        action="logbooks.attachment_add",
        actor=acting_user,
        target=attachment,
        data={
            "entry": str(entry.pk),
            "content_type": checked.content_type,
            "size": len(checked.data),
        },
    )
    return attachment


def attachment_read(*, attachment: Attachment, acting_user: User, ip: str | None = None) -> bytes:
    """The decrypted bytes, for a user who reached ``attachment`` through ``visible_to``;
    every download is audited."""
    if attachment.purged_at is not None:
        raise Http404
    content = AttachmentContent.objects.filter(attachment=attachment).first()
    if content is None:
        raise Http404
    data = files.open_sealed(
        attachment_pk=attachment.pk,
        sha256=attachment.sha256,
        kid=content.key_id,
        nonce=content.nonce,
        ciphertext=content.ciphertext,
    )
    audit_record(
        action="logbooks.attachment_download",
        actor=acting_user,
        target=attachment,
        ip=ip,
        data={"entry": str(attachment.entry_id), "size": attachment.size},
    )
    return data


# --- diplomatic actions -----------------------------------------------------------------------


def _consent_error(case: Case, action_type: str) -> str | None:
    if action_type not in PUBLIC_ACTION_TYPES:
        return None
    try:
        require_public_action_consent(case=case)
    except ValidationError as error:
        return " ".join(error.messages)
    return None


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
) -> DiplomaticAction:
    is_owner = _require_can_log(case=case, acting_user=acting_user)
    errors: dict[str, str] = {}
    if type not in ActionType.values:
        errors["type"] = _("Unknown type of action: choose one of %(types)s.") % {
            "types": ", ".join(ActionType.values)
        }
    authority = (authority or "").strip()
    if not authority:
        errors["authority"] = _("Name the authority or company addressed.")
    elif len(authority) > AUTHORITY_MAX_LENGTH:
        errors["authority"] = _("Keep it under %(n)d characters.") % {"n": AUTHORITY_MAX_LENGTH}
    if status not in (ActionStatus.PLANNED, ActionStatus.DONE):
        errors["status"] = _("A new action is either planned or done.")
    if not isinstance(taken_on, datetime.date):
        errors["taken_on"] = _("Give the date of the action.")
    elif status == ActionStatus.DONE and taken_on > timezone.localdate():
        errors["taken_on"] = _("An action that is done cannot be dated in the future.")
    if outcome and len(outcome) > NARRATIVE_MAX_LENGTH:
        errors["outcome"] = _("Keep the outcome under %(n)d characters.") % {
            "n": NARRATIVE_MAX_LENGTH
        }
    if milestone is not None:
        if not is_owner:
            errors["milestone"] = _("Only the organisation that owns the case marks benchmarks.")
        else:
            problem = _milestone_of_case(milestone, case)
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
    )
    action.save()
    audit_record(
        action="logbooks.action_create",
        actor=acting_user,
        target=action,
        data={"case": str(case.pk), "type": type, "status": status},
    )
    if status == ActionStatus.DONE:
        _mark_action_milestone(action, acting_user)
    return action


def _mark_action_milestone(action: DiplomaticAction, acting_user: User) -> None:
    milestone = action.milestone
    if milestone is not None and milestone.is_open:
        _mark_milestone(
            milestone=milestone,
            reference=reverse("logbooks:action_detail", kwargs={"pk": action.pk}),
            note=_("Diplomatic action: %(type)s") % {"type": action.get_type_display()},
            acting_user=acting_user,
        )


def _require_action_writer(action: DiplomaticAction, acting_user: User) -> None:
    """The action's own organisation's writers, while that organisation holds the case."""
    if action.organisation_id != acting_user.organisation_id:
        raise PermissionDenied
    require_case_write(case=action.case, acting_user=acting_user, need="add_shared_entry")


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
    errors: dict[str, str] = {}
    if to == ActionStatus.DONE:
        if action.taken_on > timezone.localdate():
            errors["taken_on"] = _(
                "The action is dated %(date)s: it cannot be done before that date."
            ) % {"date": action.taken_on.isoformat()}
        consent = _consent_error(action.case, action.type)
        if consent:
            errors["type"] = consent
    if outcome is not None and len(outcome) > NARRATIVE_MAX_LENGTH:
        errors["outcome"] = _("Keep the outcome under %(n)d characters.") % {
            "n": NARRATIVE_MAX_LENGTH
        }
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
        _mark_action_milestone(action, acting_user)
    return action


def invitable_organisations(action: DiplomaticAction):
    """Missions of a protection network the action's organisation belongs to, not yet invited."""
    already = action.participants.values("organisation_id")
    return (
        Organisation.objects.filter(
            networks__members=action.organisation_id, kind=Organisation.Kind.MISSION
        )
        .exclude(pk=action.organisation_id)
        .exclude(pk__in=already)
        .distinct()
        .order_by("name")
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
    from accounts.models import Role, User
    from alerts.services.notify import notify

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
        subject=_("Invitation to a joint action: %(type)s") % {"type": action.get_type_display()},
        dedupe_key=f"logbooks.invite:{participant.pk}",
        url=reverse("logbooks:action_detail", kwargs={"pk": action.pk}),
    )


@transaction.atomic
def action_answer(
    *, action: DiplomaticAction, accept: bool, acting_user: User
) -> ActionParticipant:
    if not acting_user.can_write:
        raise PermissionDenied
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


# --- inbox -------------------------------------------------------------------------------------


def entry_mark_read(*, entry: LogEntry, user: User) -> None:
    from logbooks.selectors import forget_inbox_badge

    _read, created = EntryRead.objects.get_or_create(user=user, entry=entry)
    if created:
        forget_inbox_badge(user)


@transaction.atomic
def inbox_mark_all_read(*, user: User) -> int:
    from logbooks.selectors import forget_inbox_badge, inbox_for

    unread = list(inbox_for(user).filter(is_unread=True).values_list("pk", flat=True))
    EntryRead.objects.bulk_create(
        [EntryRead(user=user, entry_id=pk) for pk in unread], ignore_conflicts=True
    )
    forget_inbox_badge(user)
    return len(unread)


# --- retention ---------------------------------------------------------------------------------


def purge_case(case: Case) -> None:
    """Retention purger: blank summaries and outcomes, destroy attachment bytes and names.
    Kinds, dates, types and statuses stay for the statistics."""
    # unscoped: retention runs for the owner over every organisation's rows of the case.
    for entry in LogEntry.objects.unscoped().filter(case=case):
        entry.summary = ""
        entry.save(update_fields=["summary"])
    for action in DiplomaticAction.objects.unscoped().filter(case=case):
        action.outcome = ""
        action.save(update_fields=["outcome"])
    attachments = Attachment.objects.unscoped().filter(Q(entry__case=case))
    AttachmentContent.objects.filter(attachment__in=attachments.values("pk")).delete()
    now = timezone.now()
    for attachment in attachments.filter(purged_at__isnull=True):
        attachment.filename = ""
        attachment.purged_at = now
        attachment.save(update_fields=["filename", "purged_at"])
