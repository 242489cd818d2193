"""Reads of the deadlines of the answers relocation requests wait for
(``relocation.services.deadlines`` sets them): the receiving side's queues in deadline
order, and the due sources of the alerts sweep — a reminder at half the time allowed, and
past the deadline the escalation of the receiving organisation's alert policy (its admins,
then its networks' coordinators), once per step."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Case, F, Q, QuerySet, When
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy, gettext_noop

from accounts.models import Organisation, ProtectionNetwork, Role, User
from alerts.models import EscalationStep
from hrdcase.later import label, later
from relocation.models import (
    GrantRequest,
    RelocationRequest,
    RequestStatus,
    ShelterReferral,
    VisaReferral,
)
from relocation.selectors.referral import people_by_org

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

#: a queryset keeps its own class through the deadline orderings.
Q_ = TypeVar("Q_", bound=QuerySet)


def format_due(due: datetime.datetime | None) -> str:
    """A due time as subjects and pages say it: in the reader's time zone and language's
    date format, to the minute ("4 Dec 2026, 14:30")."""
    if due is None:
        return ""
    return date_format(timezone.localtime(due), "DATETIME_FORMAT")


#: ``format_due`` when the subject is read (``hrdcase.later``): in each recipient's zone and
#: language, not the sweep's.
later_due = lazy(format_due, str)


def by_deadline(queryset: Q_, awaiting) -> Q_:
    """``queryset`` with the answers still owed first, nearest deadline first (those without
    one after them), then the rest as ``queryset`` orders them."""
    owed = Case(When(status__in=list(awaiting), then=F("due_at")), default=None)
    return queryset.alias(owed_by=owed).order_by(
        F("owed_by").asc(nulls_last=True), *queryset.query.order_by
    )


def by_review_deadline(queryset: Q_) -> Q_:
    """Requests with the reviews still owed first (submitted or in review, not frozen),
    nearest review deadline first, then the rest as ``queryset`` orders them."""
    owed = Case(
        When(status__in=REVIEW_WAITING, frozen_at__isnull=True, then=F("review_due_at")),
        default=None,
    )
    return queryset.alias(review_owed=owed).order_by(
        F("review_owed").asc(nulls_last=True), *queryset.query.order_by
    )


# --- the due sources: reminders and escalation ------------------------------------------------


@dataclass(frozen=True)
class Owed:
    """One answer owed: what, by whom (``organisation_id``), about which pseudonym, by when,
    where it is answered."""

    key: str  # "<kind>:<pk>"
    step: StrOrPromise  # translated when read (``hrdcase.later``)
    organisation_id: Any
    organisation_name: str
    pseudonym: str
    urgency_label: StrOrPromise
    due_at: datetime.datetime
    url: str
    admins_only: bool = False  # a request reviewed by its own organisation: its admins


#: the answers owed with a deadline: kind, model, addressee field, step name, page.
_REFERRALS = (
    ("visa", VisaReferral, "mission", gettext_lazy("visa decision"), "visa_detail"),
    ("shelter", ShelterReferral, "city", gettext_lazy("shelter answer"), "shelter_detail"),
    ("grant", GrantRequest, "grantor", gettext_lazy("grant decision"), "grant_detail"),
)
#: a request waits for its review in these statuses (not frozen).
REVIEW_WAITING = (RequestStatus.SUBMITTED, RequestStatus.IN_REVIEW)
#: past its deadline, an answer is escalated for this long at most (the longest policy step
#: is a week): the sweep never reads the whole history.
ESCALATION_WINDOW = datetime.timedelta(days=8)


def answers_owed(*, due_from=None, due_until=None, remind_until=None) -> Iterator[Owed]:
    """Every answer still owed (every organisation's: the sweep's), with ``due_at`` in
    [``due_from``, ``due_until``] or ``remind_at`` up to ``remind_until``."""
    window = Q()
    if due_from is not None:
        window &= Q(due_at__gte=due_from)
    if due_until is not None:
        window &= Q(due_at__lte=due_until)
    if remind_until is not None:
        window &= Q(remind_at__lte=remind_until, due_at__gt=remind_until)
    for kind, model, addressee, step, route in _REFERRALS:
        # unscoped: the sweep runs for every addressee; each item goes to its addressee only.
        rows = (
            model.objects.unscoped()
            .filter(window, status__in=model.AWAITING, due_at__isnull=False)
            .select_related("case", "request", addressee)
            .order_by("due_at")
        )
        for row in rows:
            yield Owed(
                key=f"{kind}:{row.pk}",
                step=step,
                organisation_id=row.addressee_id,
                organisation_name=getattr(row, addressee).name,
                pseudonym=row.case.pseudonym,
                # a grant on its own (issue 20) has its own urgency, no request
                urgency_label=label(row.request or row, "urgency"),
                due_at=row.due_at,
                url=reverse(f"relocation:{route}", args=[row.pk]),
            )
    review_window = Q()
    if due_from is not None:
        review_window &= Q(review_due_at__gte=due_from)
    if due_until is not None:
        review_window &= Q(review_due_at__lte=due_until)
    if remind_until is not None:
        review_window &= Q(review_remind_at__lte=remind_until, review_due_at__gt=remind_until)
    # unscoped: as above, every reviewer's requests.
    requests = (
        RelocationRequest.objects.unscoped()
        .filter(
            review_window,
            status__in=REVIEW_WAITING,
            frozen_at__isnull=True,
            review_due_at__isnull=False,
        )
        .select_related("case", "reviewer")
        .order_by("review_due_at")
    )
    for row in requests:
        yield Owed(
            key=f"review:{row.pk}",
            step=gettext_lazy("review of a relocation request"),
            organisation_id=row.reviewer_id,
            organisation_name=row.reviewer.name,
            pseudonym=row.case.pseudonym,
            urgency_label=label(row, "urgency"),
            due_at=row.review_due_at,
            url=reverse("relocation:detail", args=[row.pk]),
            admins_only=row.reviewer_id == row.organisation_id,
        )


def answer_reminders(now: datetime.datetime) -> Iterator:
    """Half the time allowed has passed and the answer is still owed: its organisation's
    writers (a request reviewed by its own organisation: its admins) are reminded, once per
    answer and deadline. A visa decision has its own reminders, by day
    (``relocation.visa_deadlines``: two days before the fast-track deadline, and past it)."""
    owed = [item for item in answers_owed(remind_until=now) if not item.key.startswith("visa:")]
    yield from owed_reminders(owed, prefix="relocation.answer_due", kind="answer_due")


def owed_reminders(owed: list[Owed], *, prefix: str, kind: str) -> Iterator:
    """One reminder per answer in ``owed`` and deadline, to the writers of the organisation
    that owes it (its admins when ``admins_only``); the due-item key starts with ``prefix``.
    Shared by the answers relocation requests and support requests wait for."""
    from alerts.due import DueItem

    people = people_by_org(item.organisation_id for item in owed)
    for item in owed:
        recipients = people.get(item.organisation_id, [])
        if item.admins_only:
            recipients = [user for user in recipients if user.role == Role.ADMIN]
        yield DueItem(
            key=f"{prefix}:{item.key}:{item.due_at.isoformat()}",
            kind=kind,
            subject=later(
                gettext_noop("Answer due: %(step)s for %(pseudonym)s (%(urgency)s, due %(due)s)"),
                step=item.step,
                pseudonym=item.pseudonym,
                urgency=item.urgency_label,
                due=later_due(item.due_at),
            ),
            recipients=recipients,
            url=item.url,
            due_at=item.due_at,
        )


def step_people(organisation_id, step: EscalationStep) -> list[User]:
    """Who an escalation step of ``organisation_id``'s policy reaches (as an alert's step:
    ``alerts.services.recipients.step_recipients``): a role of the organisation, or the
    coordinators of its protection networks (or of the step's network)."""
    users = User.objects.filter(is_active=True, organisation__is_active=True)
    if step.target == EscalationStep.Target.ROLE:
        users = users.filter(organisation_id=organisation_id, role=step.role)
    else:
        networks = (
            ProtectionNetwork.objects.filter(pk=step.network_id)
            if step.network_id
            else ProtectionNetwork.objects.filter(members=organisation_id)
        )
        users = users.filter(role=Role.COORDINATOR, organisation__networks__in=networks).distinct()
    return list(users.select_related("organisation").order_by("email"))


def answer_escalations(now: datetime.datetime) -> Iterator:
    """Past its deadline, an answer still owed follows the escalation policy of the
    organisation that owes it (``/alerts/policy/``; by default its admins 15 minutes after
    the deadline, its networks' coordinators after an hour): each step once per answer and
    deadline, counted from the deadline (``owed_escalations``)."""
    owed = list(answers_owed(due_from=now - ESCALATION_WINDOW, due_until=now))
    yield from owed_escalations(
        owed, now, prefix="relocation.answer_overdue", kind="answer_overdue"
    )


def owed_escalations(
    owed: list[Owed], now: datetime.datetime, *, prefix: str, kind: str
) -> Iterator:
    """The escalation of each answer in ``owed`` (past its deadline, still owed) by the policy
    of the organisation that owes it: each step once per answer and deadline, counted from the
    deadline. A coordinator gets no link (it may not open what is owed): the subject names the
    organisation to call. Shared by relocation's answers and support requests."""
    from alerts.due import DueItem
    from alerts.services.policy import policy_for, policy_steps

    if not owed:
        return
    organisations = {
        org.pk: org
        for org in Organisation.objects.filter(pk__in={item.organisation_id for item in owed})
    }
    steps = {pk: policy_steps(policy_for(org)) for pk, org in organisations.items()}
    reached: dict = {}
    for item in owed:
        for step in steps.get(item.organisation_id, []):
            if item.due_at + datetime.timedelta(seconds=step.after_seconds) > now:
                break
            target = f"{step.target}:{step.role or step.network_id or 'networks'}"
            if (item.organisation_id, target) not in reached:
                reached[item.organisation_id, target] = step_people(item.organisation_id, step)
            coordinators = step.target != EscalationStep.Target.ROLE
            yield DueItem(
                key=f"{prefix}:{item.key}:{item.due_at.isoformat()}:{target}",
                kind=kind,
                subject=later(
                    gettext_noop(
                        "Overdue: %(step)s for %(pseudonym)s at %(organisation)s "
                        "(%(urgency)s, was due %(due)s)"
                    ),
                    step=item.step,
                    pseudonym=item.pseudonym,
                    organisation=item.organisation_name,
                    urgency=item.urgency_label,
                    due=later_due(item.due_at),
                ),
                recipients=reached[item.organisation_id, target],
                url="" if coordinators else item.url,
                due_at=item.due_at,
            )
