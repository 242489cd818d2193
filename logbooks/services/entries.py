"""Writes of logbook entries: a new entry, and a correction (a new version; the older stays
in the history)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models.case import NARRATIVE_MAX_LENGTH
from cases.models.task import Task
from cases.services.task import task_sync_from_source
from hrdcase.audit import audit_record
from hrdcase.exceptions import StateConflict
from logbooks.access import require_log_write, require_own
from logbooks.models import QUICK_LOG_ACTIONS, ActionStatus, EntryKind, LogEntry, Visibility
from logbooks.services.actions import (
    NO_OBSERVATION,
    Observation,
    action_create,
    internal_observation_record,
)
from logbooks.services.benchmarks import milestone_error, milestone_fulfil
from logbooks.services.inbox import shared_entry_notify

if TYPE_CHECKING:
    from accounts.models import User
    from cases.models import BenchmarkMilestone, Case

# A clock a few minutes fast on the officer's laptop is not a "future" entry.
FUTURE_TOLERANCE = datetime.timedelta(minutes=10)


def _entry_errors(
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
    is_owner = require_log_write(case=case, acting_user=acting_user)
    errors = _entry_errors(kind, summary, visibility, occurred_at, follow_up_on)
    problem = milestone_error(milestone, case, is_owner=is_owner)
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
    shared_entry_notify(entry)
    if follow_up_on is not None:
        _follow_up_task(entry, acting_user)
    milestone_fulfil(
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
    require_own(entry, acting_user)
    require_log_write(case=entry.case, acting_user=acting_user)
    errors = _entry_errors(kind, summary, visibility, occurred_at, follow_up_on)
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
    shared_entry_notify(new)
    if new.follow_up_on != entry.follow_up_on:
        _follow_up_task(new, acting_user)
    return new


@transaction.atomic
def quick_log_record(
    *,
    case: Case,
    kind: str,
    summary: str,
    acting_user: User,
    visibility: str = Visibility.INTERNAL,
    occurred_at: datetime.datetime | None = None,
    follow_up_on: datetime.date | None = None,
    authority: str = "",
    observation: Observation = NO_OBSERVATION,
) -> LogEntry:
    """The quick log: an entry, and for a diplomatic kind (démarche, trial observation,
    prison visit: ``QUICK_LOG_ACTIONS``) of a *shared* entry the diplomatic action it records,
    done on the entry's day, linked to the entry, its summary as the shared outcome, so
    invited missions and "who already raised it" see it. A trial observation carries its
    structured fields (``Observation``). An internal entry stays an entry: an action would
    show every follower (and invited missions) that the step was taken, with whom and when
    (``internal_observation_record`` says what an internal trial observation still records).
    One transaction: a refused action writes no entry."""
    entry = entry_create(
        case=case,
        kind=kind,
        summary=summary,
        visibility=visibility,
        occurred_at=occurred_at,
        follow_up_on=follow_up_on,
        acting_user=acting_user,
    )
    action_type = QUICK_LOG_ACTIONS.get(kind)
    if action_type is None:
        if not observation.is_empty:
            raise ValidationError(
                {"hearing": _("Only a trial observation records a hearing and its outcome.")}
            )
        return entry
    if not entry.is_shared:
        internal_observation_record(
            case=case, kind=kind, entry=entry, observation=observation, acting_user=acting_user
        )
        return entry
    action_create(
        case=case,
        type=action_type,
        authority=authority,
        taken_on=timezone.localdate(entry.occurred_at),
        status=ActionStatus.DONE,
        outcome=entry.summary,
        outcome_shared=entry.is_shared,
        observation=observation,
        entry=entry,
        acting_user=acting_user,
    )
    return entry


def follow_up_title(entry: LogEntry) -> str:
    """A follow-up task's title: the entry's kind and day, never its summary (which may name
    people; a task's title is shown in lists and on Home)."""
    return _("Follow up: %(kind)s of %(date)s") % {
        "kind": entry.get_kind_display(),
        "date": timezone.localdate(entry.occurred_at).isoformat(),
    }


def _follow_up_task(entry: LogEntry, acting_user: User) -> None:
    """An entry's follow-up date is a task of its organisation (one per entry thread, kept in
    step by each correction that changes the date; cancelled when the date is cleared), given
    to whoever set the date."""
    task_sync_from_source(
        kind=Task.Kind.FOLLOW_UP,
        source_id=entry.version_of_id,
        organisation=acting_user.organisation,
        case=entry.case,
        title=follow_up_title(entry),
        due_on=entry.follow_up_on,
        assignee=acting_user,
        acting_user=acting_user,
    )
