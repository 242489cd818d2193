"""Reads of support requests: the requester's list, the receiver's queue (by urgency, then the
day the support is needed), the case page's panel, Home's items, and the due sources of the
alerts sweep (reminders at half the answer time, escalation past it)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.db.models import Case as Choose
from django.db.models import F, IntegerField, Q, QuerySet, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from accounts.models import Organisation, ProtectionNetwork
from cases.models import Hearing
from hrdcase.later import label, later
from relocation.models import Urgency
from relocation.selectors.deadlines import (
    ESCALATION_WINDOW,
    Owed,
    owed_escalations,
    owed_reminders,
)
from support.models import CHASED_URGENCIES, SupportRequest, SupportStatus

if TYPE_CHECKING:
    from accounts.models import User
    from cases.models import Case

#: the receiver's queue: emergency first, then urgent, then routine.
URGENCY_RANK = {Urgency.EMERGENCY: 0, Urgency.URGENT: 1, Urgency.ROUTINE: 2}
#: a request the receiver still has to act on: answer it, or report its outcome.
RECEIVER_WAITING = (SupportStatus.OPEN, SupportStatus.ACCEPTED)


def support_receivers() -> QuerySet[Organisation]:
    """The organisations support may be asked of: active missions."""
    return Organisation.objects.filter(is_active=True, kind=Organisation.Kind.MISSION)


def receivers_in_network(network: ProtectionNetwork, *, exclude: Any) -> QuerySet[Organisation]:
    return support_receivers().filter(networks=network).exclude(pk=exclude).order_by("name")


def networks_of(user: User) -> QuerySet[ProtectionNetwork]:
    """The protection networks the user's organisation belongs to (a request may go to the
    missions of one of them)."""
    return ProtectionNetwork.objects.filter(members=user.organisation_id).order_by("name")


def hearing_case_id(hearing: Hearing) -> Any:
    """The case a hearing belongs to: its proceeding's (a detention's older hearing: the
    detention's incident's)."""
    if hearing.proceeding is not None:
        return hearing.proceeding.case_id
    assert hearing.detention is not None  # a hearing has a proceeding or a detention
    return hearing.detention.incident.case_id


def hearings_of(case: Case) -> QuerySet[Hearing]:
    """The case's hearings to come, which a trial observation may name (the caller may ask on
    the case: owner or partner)."""
    # owned_by: the hearings are the owner's rows; the caller was let in on the case.
    return (
        Hearing.objects.owned_by(case.organisation)
        .filter(proceeding__case=case, date__gte=timezone.localdate())
        .order_by("date", "created_at")
    )


def _related(queryset: QuerySet[SupportRequest]) -> QuerySet[SupportRequest]:
    return queryset.select_related("case", "organisation", "receiver", "hearing", "action")


def requests_sent(user: User, *, status: str = "") -> QuerySet[SupportRequest]:
    """The requests the user's organisation made (on cases it still sees), newest first."""
    rows = SupportRequest.objects.visible_to(user).filter(organisation_id=user.organisation_id)
    if status:
        rows = rows.filter(status=status)
    return _related(rows).order_by("-created_at")


def by_urgency(queryset: QuerySet[SupportRequest]) -> QuerySet[SupportRequest]:
    rank = Choose(
        *[When(urgency=value, then=order) for value, order in URGENCY_RANK.items()],
        default=3,
        output_field=IntegerField(),
    )
    return queryset.alias(rank=rank).order_by("rank", "needed_by", "created_at")


def requests_received(user: User, *, status: str = "") -> QuerySet[SupportRequest]:
    """The requests addressed to the user's organisation: those still waiting for it (to
    answer, or to report on) first, by urgency then the day the support is needed by; then
    the rest, newest first. ``status`` narrows it."""
    rows = SupportRequest.objects.addressed_to(user)
    if status:
        rows = rows.filter(status=status)
    waiting = Choose(
        When(status__in=RECEIVER_WAITING, then=0), default=1, output_field=IntegerField()
    )
    rank = Choose(
        *[When(urgency=value, then=order) for value, order in URGENCY_RANK.items()],
        default=3,
        output_field=IntegerField(),
    )
    return (
        _related(rows)
        .alias(waiting=waiting, rank=rank)
        .order_by("waiting", "rank", "needed_by", "-created_at")
    )


def requests_for(user: User) -> QuerySet[SupportRequest]:
    """Both sides' requests (the API's list): sent and received."""
    return _related(SupportRequest.objects.visible_to(user)).order_by("-created_at")


def case_requests_seen(case: Case, user: User) -> list[SupportRequest]:
    """The case page's panel: the requests the viewer's organisation made on this case (the
    owner: every organisation's), newest first."""
    return list(_related(SupportRequest.objects.visible_to(user).filter(case=case))[:20])


def news_for_requester() -> Q:
    """A request whose answer or outcome the requester has not opened since."""
    return Q(answered_at__isnull=False) & (
        Q(requester_seen_at__isnull=True)
        | Q(answered_at__gt=F("requester_seen_at"))
        | Q(reported_at__gt=F("requester_seen_at"))
    )


def work_items_of(user: User) -> QuerySet[SupportRequest]:
    """Home's rows, one query: addressed to the organisation and waiting for it, and the
    organisation's own requests with an answer or outcome it has not opened."""
    org = user.organisation_id
    received = Q(receiver_id=org, status__in=RECEIVER_WAITING)
    sent = Q(organisation_id=org) & news_for_requester()
    return by_urgency(_related(SupportRequest.objects.visible_to(user).filter(received | sent)))


# --- the due sources: reminders and escalation (relocation's machinery) ------------------------


def _owed(*, due_from=None, due_until=None, remind_until=None) -> list[Owed]:
    window = Q()
    if due_from is not None:
        window &= Q(due_at__gte=due_from)
    if due_until is not None:
        window &= Q(due_at__lte=due_until)
    if remind_until is not None:
        window &= Q(remind_at__lte=remind_until, due_at__gt=remind_until)
    # unscoped: the sweep runs for every receiver; each item goes to its receiver only.
    rows = (
        SupportRequest.objects.unscoped()
        .filter(window, status=SupportStatus.OPEN, urgency__in=CHASED_URGENCIES)
        # as relocation's return plans: a closed or purged case is chased no more
        .filter(case__purged_at__isnull=True)
        .exclude(case__status="closed")
        .select_related("case", "receiver")
        .order_by("due_at")
    )
    return [
        Owed(
            key=f"support:{row.pk}",
            step=later(
                gettext_noop("answer to a support request (%(kind)s)"), kind=label(row, "kind")
            ),
            organisation_id=row.receiver_id,
            organisation_name=row.receiver.name,
            pseudonym=row.case.pseudonym,
            urgency_label=label(row, "urgency"),
            due_at=row.due_at,
            url=reverse("support:detail", args=[row.pk]),
        )
        for row in rows
        if row.due_at is not None
    ]


def support_answer_reminders(now: datetime.datetime) -> Iterator:
    """An urgent or emergency request unanswered at half its answer time: the receiver's
    writers are reminded, once per request and deadline."""
    yield from owed_reminders(
        _owed(remind_until=now), prefix="support.answer_due", kind="support_answer_due"
    )


def support_answer_escalations(now: datetime.datetime) -> Iterator:
    """Past its deadline, an urgent request still unanswered follows the receiver's escalation
    policy (its admins, then its networks' coordinators), each step once."""
    owed = _owed(due_from=now - ESCALATION_WINDOW, due_until=now)
    yield from owed_escalations(
        owed, now, prefix="support.answer_overdue", kind="support_answer_overdue"
    )
