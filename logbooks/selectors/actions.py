"""Reads of diplomatic actions: a case's actions ("who already raised it"), the joint actions
an organisation takes part in, and the missions it may invite."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from accounts.models import Organisation
from cases.models import Case, Hearing
from logbooks.models import (
    ActionParticipant,
    ActionStatus,
    ActionType,
    DiplomaticAction,
    ParticipantStatus,
)

if TYPE_CHECKING:
    from accounts.models import User


def actions_visible(user: User) -> QuerySet[DiplomaticAction]:
    return (
        DiplomaticAction.objects.visible_to(user)
        .select_related("organisation", "created_by", "case")
        .prefetch_related(
            Prefetch(
                "participants",
                queryset=ActionParticipant.objects.select_related("organisation"),
            )
        )
    )


def actions_of_case(case: Case, user: User) -> QuerySet[DiplomaticAction]:
    """Every organisation's actions on a case the user sees ("who already raised it")."""
    return actions_visible(user).filter(case=case).order_by("-taken_on", "-created_at")


def actions_taken_part_in(user: User) -> QuerySet[DiplomaticAction]:
    """Joint actions the user's organisation was invited to (pending or accepted)."""
    return (
        actions_visible(user)
        .filter(
            participants__organisation_id=user.organisation_id,
            participants__status__in=[ParticipantStatus.INVITED, ParticipantStatus.ACCEPTED],
        )
        .distinct()
        .order_by("-taken_on", "-created_at")
    )


def user_sees_case(user: User, case_id: Any) -> bool:
    return Case.objects.visible_to(user).filter(pk=case_id).exists()


def cases_seen(user: User, actions: Iterable[DiplomaticAction]) -> set[Any]:
    """Which of the actions' cases ``user`` sees: an invited mission may not follow the case,
    and then sees neither its pseudonym nor a link to it."""
    case_ids = {action.case_id for action in actions}
    return set(Case.objects.visible_to(user).filter(pk__in=case_ids).values_list("pk", flat=True))


def cases_seen_in_full(user: User, case_ids: Iterable[Any]) -> set[Any]:
    """Which of ``case_ids`` ``user`` sees the full file of (``CaseAccess.sees_identity``:
    the owner, a ``full`` partner, a feedback partner under break-glass): a trial
    observation's hearing (its court and date) is part of the full file (docs/court.md)."""
    from cases.access import case_access

    cases = Case.objects.visible_to(user).filter(pk__in=set(case_ids))
    return {case.pk for case in cases if case_access(user, case).sees_identity}


def next_hearing_visible(
    action: DiplomaticAction, user: User, *, outcome_visible: bool, sees_full_file: bool
) -> bool:
    """A trial observation's next hearing date: its author's organisation, or a viewer who
    may read the outcome and sees the case's full file (a hearing date is out of a feedback
    partner's or a non-following invitee's reach)."""
    if action.organisation_id == user.organisation_id:
        return True
    return outcome_visible and sees_full_file


def participation_of(action: DiplomaticAction, user: User) -> ActionParticipant | None:
    for participant in action.participants.all():
        if participant.organisation_id == user.organisation_id:
            return participant
    return None


def invitable_organisations(action: DiplomaticAction) -> QuerySet[Organisation]:
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


def hearings_without_observation(hearings: QuerySet[Hearing]) -> QuerySet[Hearing]:
    """``hearings`` that no mission is planned to observe (Home's "hearings to observe"; the
    rule of the automatic alert, ``logbooks.hooks.hearings_without_observation``): no
    observer planned or attended (``cases.models.HearingObserver``), no trial observation
    naming the hearing, and, for records from before proceedings, no trial observation of
    the case on the hearing's day (planned or done, by any organisation)."""
    from cases.models import HearingObserver, ObserverStatus

    live = [ActionStatus.PLANNED, ActionStatus.DONE, ActionStatus.FOLLOW_UP_DUE]
    observer = HearingObserver.objects.filter(
        hearing_id=OuterRef("pk"), status__in=[ObserverStatus.PLANNED, ObserverStatus.ATTENDED]
    )
    # unscoped: correlated to the caller's (scoped) hearing rows.
    named = DiplomaticAction.objects.unscoped().filter(
        hearing_id=OuterRef("pk"), type=ActionType.TRIAL_OBSERVATION, status__in=live
    )
    same_day = DiplomaticAction.objects.unscoped().filter(
        case_id=OuterRef("proceeding__case_id"),
        type=ActionType.TRIAL_OBSERVATION,
        taken_on=OuterRef("date"),
        status__in=live,
    )
    return hearings.filter(~Exists(observer), ~Exists(named), ~Exists(same_day))
