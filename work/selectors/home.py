"""Home's work queue: what needs the user now, from every source of "something due" and
"waiting for my organisation" (DESIGN.md, "What is due, and who is waiting").

Each source is one query with a LIMIT, read through the scoped entry point of its app
(``visible_to``, ``addressed_to``, ``owned_by`` the user's organisation), so Home lists nothing
the user could not open: every item links to a page that answers them (tests/work follows
each link). A source reads one row more than it shows, to say "more" without a count.

The items are then placed in one queue by urgency and due time (``Bucket``): urgent alerts,
then what is overdue (never dropped however old), due today, due this week, and the
decisions waiting for the organisation without a date this week.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import IntEnum
from typing import TYPE_CHECKING, Any, cast

from django.db.models import (
    Count,
    DateTimeField,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Organisation, ProtectionNetwork
from alerts.kinds import SHARED_ENTRY
from alerts.models import Alert, Notification
from alerts.selectors.alerts import alerts_for
from cases.models import BenchmarkMilestone, Case, CaseShare, CoordinationRequest, Hearing, Task
from cases.models.court import LIVE_PROCEEDING_STATUSES
from cases.selectors.detention import due_benchmarks
from cases.selectors.risk import cases_due_for_review
from cases.selectors.sharing import coordination_inbox, shares_to_accept
from cases.selectors.task import open_tasks_for
from dashboards.selectors import networks_for
from dashboards.suppression import Published, rests_on_few, total
from hrdcase.tenancy import member_in_force
from logbooks.models import ActionParticipant, DiplomaticAction, ParticipantStatus
from logbooks.selectors.actions import hearings_without_observation
from logbooks.selectors.inbox import unread_entries
from relocation.models import (
    GrantRequest,
    RelocationRequest,
    RequestStatus,
    ShelterReferral,
    VisaReferral,
)
from relocation.selectors.grants import grants_inbox_for
from relocation.selectors.requests import requests_for
from relocation.selectors.shelter import city_inbox_for
from relocation.selectors.visa import visa_queue_for
from support.models import SupportRequest, SupportStatus
from support.selectors import RECEIVER_WAITING
from support.selectors import work_items_of as support_work_items_of
from work.selectors.probe import Probe, probe

if TYPE_CHECKING:
    from accounts.models import User

#: items shown per source; the source reads one more to know whether there are more.
LIMIT = 10
#: unread shared updates shown under the queue.
UPDATES_LIMIT = 5
#: "this week": due within the next seven days.
WEEK = datetime.timedelta(days=7)

WAITING_REQUEST = (RequestStatus.SUBMITTED, RequestStatus.IN_REVIEW)
STAYS_TO_ANSWER = (ShelterReferral.Status.PROPOSED, ShelterReferral.Status.WAITLISTED)


class Bucket(IntEnum):
    """Where an item stands in the queue, most urgent first."""

    URGENT = 0
    OVERDUE = 1
    TODAY = 2
    WEEK = 3
    WAITING = 4


def bucket_titles() -> dict[Bucket, str]:
    return {
        Bucket.URGENT: _("Urgent alerts"),
        Bucket.OVERDUE: _("Overdue"),
        Bucket.TODAY: _("Due today"),
        Bucket.WEEK: _("Due this week"),
        Bucket.WAITING: _("Waiting for your organisation"),
    }


@dataclass(frozen=True)
class Action:
    """A button next to an item: a form posting to ``url`` or a link (``post=False``)."""

    url: str
    label: str
    post: bool = True
    #: where the page that takes the step sends the user back (``next``), when it reads one.
    back: str = ""


@dataclass
class WorkItem:
    """One line of the queue. ``title`` holds a pseudonym and a reference at most (what the
    lists of the apps show), ``url`` the page where the thing is done."""

    source: str
    kind: str
    title: str
    url: str
    due: datetime.date | None = None
    #: the instant an answer is owed by (a review, a stay's answer, a grant's decision): past
    #: it the item is overdue, although its day is today (it was escalated already).
    due_at: datetime.datetime | None = None
    urgent: bool = False
    detail: str = ""
    case: Case | None = None
    action: Action | None = None
    bucket: Bucket = Bucket.WAITING

    def place(self, today: datetime.date, now: datetime.datetime) -> WorkItem:
        if self.urgent:
            self.bucket = Bucket.URGENT
        elif self.due is None or self.due > today + WEEK:
            self.bucket = Bucket.WAITING
        elif self.due < today or (self.due_at is not None and self.due_at <= now):
            self.bucket = Bucket.OVERDUE
        elif self.due == today:
            self.bucket = Bucket.TODAY
        else:
            self.bucket = Bucket.WEEK
        return self

    @property
    def overdue(self) -> bool:
        return self.bucket == Bucket.OVERDUE


@dataclass
class Source:
    """What one source gave: its items (at most ``LIMIT``), and where to see the rest."""

    key: str
    title: str
    items: list[WorkItem]
    more: bool = False
    more_url: str = ""
    #: items shown beside the queue, not in it (alerts someone acknowledged: in hand).
    aside: list[WorkItem] = field(default_factory=list)


def _first(queryset: QuerySet[Any]) -> tuple[list[Any], bool]:
    """The first ``LIMIT`` rows and whether there are more: one query."""
    rows = list(queryset[: LIMIT + 1])
    return rows[:LIMIT], len(rows) > LIMIT


def _organisation(user: User) -> Organisation:
    # work_queue asks member_in_force first: every source's user has an organisation.
    return cast(Organisation, user.organisation)


#: what ``_case_label`` reads of an item's case (the items' reads load no more of it).
CASE_LABEL = ("case__reference", "case__pseudonym")


#: the same, read through a detention's incident and a hearing's proceeding.
DETENTION_CASE_LABEL = tuple(f"detention__incident__{field}" for field in CASE_LABEL)
PROCEEDING_CASE_LABEL = tuple(f"proceeding__{field}" for field in CASE_LABEL)


def _case_label(case: Case) -> str:
    return f"{case.reference} {case.pseudonym}"


# --- urgent alerts ---------------------------------------------------------------------------


#: what an urgent alert's item reads (the rest of the alert and its case stays in the table).
ALERT_ITEM_FIELDS = ("kind", "severity", "status", "created_at", *CASE_LABEL)


def alert_items(user: User, today: datetime.date) -> Source:
    """Open alerts on cases the user may see (own organisation, ``full`` partners),
    unacknowledged first. An unacknowledged alert is the most urgent item of the queue; once
    someone acknowledged it, it leaves the queue for "Alerts in hand" beside it until it is
    resolved (its page, and the alerts list, still show it)."""
    alerts, more = _first(
        alerts_for(user, status="open")
        .select_related(None)
        .select_related("case")
        # what the item shows: not the message, the escalation state, nor the case's summary
        .only(*ALERT_ITEM_FIELDS)
    )
    items: list[WorkItem] = []
    in_hand: list[WorkItem] = []
    for alert in alerts:
        raised = alert.status == Alert.Status.RAISED
        item = WorkItem(
            source="alerts",
            kind=_("Urgent alert"),
            title=f"{alert.get_kind_display()} — {_case_label(alert.case)}",
            url=reverse("alerts:detail", args=[alert.pk]),
            urgent=raised,
            detail=f"{alert.get_severity_display()} · {alert.get_status_display()}",
            case=alert.case,
            action=(
                Action(reverse("alerts:acknowledge", args=[alert.pk]), _("Acknowledge"))
                if user.can_write and raised
                else None
            ),
        )
        (items if raised else in_hand).append(item)
    return Source("alerts", _("Urgent alerts"), items, more, reverse("alerts:list"), aside=in_hand)


# --- tasks -----------------------------------------------------------------------------------


def task_items(user: User, today: datetime.date) -> Source:
    """Open tasks due by the end of the week: the user's, then the organisation's unassigned
    ones. Read by due date first, so overdue tasks come before any other and the LIMIT never
    leaves one out while a later task is shown."""
    tasks, more = _first(
        open_tasks_for(user, until=today + WEEK)
        .select_related(None)
        .select_related("case")
        .order_by("due_on", "-mine", "created_at")
        .only("title", "due_on", "case", *CASE_LABEL)
    )
    items = []
    for task in tasks:
        items.append(
            WorkItem(
                source="tasks",
                kind=_("Task"),
                title=task.title,
                url=reverse("cases:task_detail", args=[task.pk]),
                due=task.due_on,
                detail=_task_detail(task),
                case=task.case,
                action=(
                    Action(
                        reverse("cases:task_step", args=[task.pk, "done"]),
                        _("Done"),
                        back=reverse("home"),
                    )
                    if user.can_write
                    else None
                ),
            )
        )
    return Source("tasks", _("Tasks"), items, more, reverse("cases:tasks"))


def _task_detail(task: Task) -> str:
    # ``mine``: annotated by open_tasks_for (1 for the user's own task)
    who = _("assigned to you") if getattr(task, "mine", 0) else _("unassigned")
    if task.case is None:
        return who
    return f"{_case_label(task.case)} · {who}"


# --- decisions waiting for the organisation --------------------------------------------------


def _review_due() -> Coalesce:
    """When a request's review is due: the deadline its submission set (its urgency, the
    reviewer's service level: relocation.services.deadlines); a request submitted before
    deadlines existed counts as due since it was created (shown, never hidden)."""
    return Coalesce(F("review_due_at"), F("created_at"), output_field=DateTimeField())


def request_items(user: User, today: datetime.date) -> Source:
    """Relocation requests about the organisation's cases waiting for its review (the
    organisation is their reviewer), nearest review deadline first."""
    requests, more = _first(
        requests_for(user, side="review")
        .select_related(None)
        .select_related("case", "organisation")
        .filter(status__in=WAITING_REQUEST, frozen_at__isnull=True)
        .annotate(review_due=_review_due())
        .order_by("review_due", "created_at")
        .only("urgency", *CASE_LABEL, "organisation__name")
    )
    items = [
        WorkItem(
            source="requests",
            kind=_("Relocation request to review"),
            title=_case_label(request.case),
            url=reverse("relocation:detail", args=[request.pk]),
            due=timezone.localdate(request.review_due),
            due_at=request.review_due,
            detail=f"{request.get_urgency_display()} · {request.organisation.name}",
            case=request.case,
        )
        for request in requests
    ]
    url = reverse("relocation:list") + "?side=review"
    return Source("requests", _("Relocation requests to review"), items, more, url)


def visa_items(user: User, today: datetime.date) -> Source:
    """Visa referrals addressed to the mission, undecided, nearest fast-track deadline first."""
    referrals, more = _first(
        visa_queue_for(user)
        .select_related(None)
        .select_related("case", "organisation")
        # what the item shows: not the request's needs and plans, nor the case's summary
        # (each encrypted: read and decrypted for nothing, 11 rows at a time)
        .only("visa_type", "deadline", "case__pseudonym", "organisation__name")
    )
    items = [
        WorkItem(
            source="visas",
            kind=_("Visa decision"),
            title=f"{referral.get_visa_type_display()} — {referral.case.pseudonym}",
            url=reverse("relocation:visa_detail", args=[referral.pk]),
            due=referral.deadline,
            detail=_("deadline %(day)s · %(org)s")
            % {"day": date_format(referral.deadline), "org": referral.organisation.name},
        )
        for referral in referrals
    ]
    return Source("visas", _("Visa decisions"), items, more, reverse("relocation:visa_queue"))


def _stay_due(stay: ShelterReferral) -> datetime.date:
    """A proposal's answer deadline (issue 20); a waitlisted stay's (or an older
    proposal's) arrival."""
    if stay.awaits_answer and stay.due_at is not None:
        return timezone.localdate(stay.due_at)
    return stay.start


def stay_items(user: User, today: datetime.date) -> Source:
    """Stays proposed to the shelter city (or waitlisted), to answer before the arrival."""
    stays, more = _first(
        city_inbox_for(user)
        .filter(status__in=STAYS_TO_ANSWER)
        .select_related(None)
        .select_related("case", "organisation")
        .only("status", "start", "end", "due_at", "case__pseudonym", "organisation__name")
    )
    items = [
        WorkItem(
            source="stays",
            kind=_("Shelter stay to answer"),
            title=_("%(pseudonym)s: %(start)s to %(end)s")
            % {
                "pseudonym": stay.case.pseudonym,
                "start": date_format(stay.start),
                "end": date_format(stay.end),
            },
            url=reverse("relocation:shelter_detail", args=[stay.pk]),
            due=_stay_due(stay),
            due_at=stay.due_at if stay.awaits_answer else None,
            detail=f"{stay.get_status_display()} · {stay.organisation.name}",
        )
        for stay in stays
    ]
    return Source("stays", _("Shelter stays"), items, more, reverse("relocation:city_inbox"))


def grant_items(user: User, today: datetime.date) -> Source:
    """Emergency grants asked of the organisation, undecided, nearest decision deadline
    first."""
    grants, more = _first(
        grants_inbox_for(user, status=GrantRequest.Status.PENDING)
        .select_related(None)
        .select_related("case", "organisation")
        .only("purpose", "due_at", "amount", "currency", "case__pseudonym", "organisation__name")
    )
    items = [
        WorkItem(
            source="grants",
            kind=_("Grant to decide"),
            title=f"{grant.get_purpose_display()} — {grant.case.pseudonym}",
            url=reverse("relocation:grant_detail", args=[grant.pk]),
            due=timezone.localdate(grant.due_at) if grant.due_at else None,
            due_at=grant.due_at,
            detail=f"{grant.amount} {grant.currency} · {grant.organisation.name}",
        )
        for grant in grants
    ]
    return Source("grants", _("Grants"), items, more, reverse("relocation:grants_inbox"))


def invitation_items(user: User, today: datetime.date) -> Source:
    """Joint actions the organisation is invited to and has not answered, by their date. The
    invited mission may not follow the case: no pseudonym, the action and who invited."""
    actions, more = _first(
        DiplomaticAction.objects.visible_to(user)
        .filter(
            participants__organisation_id=user.organisation_id,
            participants__status=ParticipantStatus.INVITED,
        )
        .select_related("organisation")
        .order_by("taken_on", "created_at")
        .only("type", "authority", "taken_on", "organisation__name")
    )
    items = [
        WorkItem(
            source="invitations",
            kind=_("Joint action invitation"),
            title=f"{action.get_type_display()} — {action.authority}",
            url=reverse("logbooks:action_detail", args=[action.pk]),
            due=action.taken_on,
            detail=_("invited by %(org)s") % {"org": action.organisation.name},
        )
        for action in actions
    ]
    url = reverse("logbooks:my_actions")
    return Source("invitations", _("Joint action invitations"), items, more, url)


def coordination_items(user: User, today: datetime.date) -> Source:
    """Requests to coordinate on the organisation's own cases, not answered yet."""
    requests, more = _first(
        coordination_inbox(user)
        .filter(status="open")
        .select_related(None)
        .select_related("case", "organisation")
        .order_by("created_at")
        .only(*CASE_LABEL, "organisation__name")
    )
    items = [
        WorkItem(
            source="coordination",
            kind=_("Coordination request"),
            title=_case_label(request.case),
            url=reverse("cases:coordination_answer", args=[request.pk]),
            detail=_("from %(org)s") % {"org": request.organisation.name},
            case=request.case,
        )
        for request in requests
    ]
    url = reverse("cases:coordination_inbox")
    return Source("coordination", _("Coordination requests"), items, more, url)


def share_items(user: User, today: datetime.date) -> Source:
    """Cases another organisation shared with the user's and that it has not accepted yet
    (writers only: a viewer cannot accept); the case page offers accept and decline."""
    # The first shares' ids, then their rows: sorted and cut before the join, so the read
    # joins 11 shares to their cases, not every share waiting (500 at scale 1.0: 3.5 ms of
    # SQL to 1).
    waiting = shares_to_accept(user).select_related(None).order_by("created_at", "pk")
    first = waiting.values("pk")[: LIMIT + 1]
    shares, more = _first(
        CaseShare.objects.visible_to(user)
        .filter(pk__in=first)
        .select_related("case", "organisation")
        .order_by("created_at", "pk")
        .only("level", *CASE_LABEL, "organisation__name")
    )
    items = [
        WorkItem(
            source="shares",
            kind=_("Share to accept"),
            title=_case_label(share.case),
            url=reverse("cases:detail", args=[share.case_id]),
            detail=f"{share.get_level_display()} · {share.organisation.name}",
            case=share.case,
        )
        for share in shares
    ]
    return Source("shares", _("Shares to accept"), items, more)


# --- what falls due on the organisation's cases ----------------------------------------------


def milestone_items(user: User, today: datetime.date) -> Source:
    """Open steps of the organisation's detention benchmark plans, overdue or due this week."""
    milestones, more = _first(
        due_benchmarks(within=WEEK)
        .filter(organisation=_organisation(user))
        .select_related(None)
        .select_related("detention__incident__case")
        .only("kind", "label", "due_on", "detention__incident__case", *DETENTION_CASE_LABEL)
    )
    items = []
    for milestone in milestones:
        incident = milestone.detention.incident
        items.append(
            WorkItem(
                source="milestones",
                kind=_("Detention benchmark"),
                title=f"{milestone.title} — {_case_label(incident.case)}",
                url=reverse("cases:detention", args=[incident.case_id, incident.pk]),
                due=milestone.due_on,
                case=incident.case,
            )
        )
    url = reverse("dashboards:organisation")
    return Source("milestones", _("Detention benchmarks"), items, more, url)


def hearing_items(user: User, today: datetime.date) -> Source:
    """Hearings of the organisation's cases this week (of live proceedings, with or without a
    detention) that no mission is planned to observe."""
    hearings = (
        Hearing.objects.owned_by(_organisation(user))
        .filter(date__gte=today, date__lte=today + WEEK)
        .filter(proceeding__status__in=LIVE_PROCEEDING_STATUSES)
        .filter(proceeding__case__purged_at__isnull=True)
        .exclude(proceeding__case__status=Case.Status.CLOSED)
        .select_related("proceeding__case")
        .order_by("date", "created_at")
        .only("date", "proceeding__case", *PROCEEDING_CASE_LABEL)
    )
    rows, more = _first(hearings_without_observation(hearings))
    items = []
    for hearing in rows:
        case = hearing.proceeding.case
        items.append(
            WorkItem(
                source="hearings",
                kind=_("Hearing without a trial observation"),
                title=_case_label(case),
                url=reverse("cases:proceeding", args=[case.pk, hearing.proceeding_id]),
                due=hearing.date,
                case=case,
                action=(
                    Action(
                        reverse("logbooks:action_create", args=[case.pk]),
                        _("Plan an observation"),
                        post=False,
                    )
                    if user.can_write
                    else None
                ),
            )
        )
    return Source("hearings", _("Hearings to observe"), items, more)


def review_items(user: User, today: datetime.date) -> Source:
    """The organisation's open cases whose risk review is due by the end of the week."""
    cases, more = _first(
        cases_due_for_review(today=today + WEEK, organisation=user.organisation).only(
            "reference", "pseudonym"
        )
    )
    items = [
        WorkItem(
            source="reviews",
            kind=_("Risk review"),
            title=_case_label(case),
            url=reverse("cases:risk_list", args=[case.pk]),
            due=case.review_due,
            case=case,
            action=(
                Action(reverse("cases:risk_create", args=[case.pk]), _("Assess"), post=False)
                if user.can_write
                else None
            ),
        )
        for case in cases
    ]
    url = reverse("dashboards:organisation")
    return Source("reviews", _("Risk reviews"), items, more, url)


def support_items(user: User, today: datetime.date) -> Source:
    """Support requests: those asked of the organisation and waiting for it (to answer, by
    urgency then the day needed by; accepted ones to report on), and the organisation's own
    requests with an answer or outcome it has not opened. The receiver may not follow the
    case: the pseudonym and reference only, as the request's page shows."""
    rows, more = _first(
        support_work_items_of(user)
        .select_related(None)
        .select_related("case", "organisation", "receiver")
        .only(
            "kind",
            "status",
            "needed_by",
            "organisation__name",
            "receiver__name",
            *CASE_LABEL,
        )
    )
    org = user.organisation_id
    items = []
    for row in rows:
        received = row.receiver_id == org
        if received:
            kind = (
                _("Support to answer")
                if row.status == SupportStatus.OPEN
                else _("Support to report on")
            )
            detail = _("from %(org)s") % {"org": row.organisation.name}
        else:
            kind = _("Support answered")
            detail = f"{row.receiver.name} · {row.get_status_display()}"
        items.append(
            WorkItem(
                source="support",
                kind=kind,
                title=f"{row.get_kind_display()} — {_case_label(row.case)}",
                url=reverse("support:detail", args=[row.pk]),
                due=row.needed_by if received else None,
                detail=detail,
            )
        )
    return Source("support", _("Support requests"), items, more, reverse("support:queue"))


#: The queue's sources, in the order their items come within the same bucket and day.
SOURCES: list[Callable[[User, datetime.date], Source]] = [
    alert_items,
    task_items,
    milestone_items,
    hearing_items,
    review_items,
    visa_items,
    request_items,
    stay_items,
    grant_items,
    invitation_items,
    coordination_items,
    support_items,
    share_items,
]

#: sources only some kinds of organisation can ever fill, by the rule of the service that
#: addresses them: visa referrals name a mission, joint actions invite missions, stays are
#: proposed to shelter cities. Skipped for the other kinds: each is a query (and ~2 ms of
#: building it) on every Home (docs/performance.md). An organisation whose kind an operator
#: changes keeps what was addressed to it under its old kind on the source's own page.
ONLY_FOR_KINDS: dict[Callable[[User, datetime.date], Source], frozenset[str]] = {
    visa_items: frozenset({Organisation.Kind.MISSION}),
    invitation_items: frozenset({Organisation.Kind.MISSION}),
    stay_items: frozenset({Organisation.Kind.SHELTER_CITY}),
}


#: what every row of a source has (``work.selectors.probe``): Home asks them all in one query
#: and runs only the sources that may have rows. Urgent alerts and risk reviews always run.
PROBES: dict[Callable[[User, datetime.date], Source], tuple[Probe, ...]] = {
    task_items: (Probe(Task, "organisation", (Task.Status.OPEN,)),),
    milestone_items: (
        Probe(BenchmarkMilestone, "organisation", (BenchmarkMilestone.Status.OPEN,)),
    ),
    hearing_items: (Probe(Hearing, "organisation", on_or_after="date"),),
    visa_items: (Probe(VisaReferral, VisaReferral.ADDRESSEE, (VisaReferral.Status.PENDING,)),),
    request_items: (
        Probe(RelocationRequest, RelocationRequest.ADDRESSEE, WAITING_REQUEST, null=("frozen_at",)),
    ),
    stay_items: (Probe(ShelterReferral, ShelterReferral.ADDRESSEE, STAYS_TO_ANSWER),),
    grant_items: (Probe(GrantRequest, GrantRequest.ADDRESSEE, (GrantRequest.Status.PENDING,)),),
    invitation_items: (Probe(ActionParticipant, "organisation", (ParticipantStatus.INVITED,)),),
    coordination_items: (Probe(CoordinationRequest, "holder", (CoordinationRequest.Status.OPEN,)),),
    support_items: (
        Probe(SupportRequest, "receiver", RECEIVER_WAITING),
        Probe(SupportRequest, "organisation", not_null=("answered_at",)),
    ),
    share_items: (Probe(CaseShare, "partner", (CaseShare.Status.ACTIVE,), null=("accepted_at",)),),
}


def sources_of_kind(kind: str) -> list[Callable[[User, datetime.date], Source]]:
    return [source for source in SOURCES if kind in ONLY_FOR_KINDS.get(source, (kind,))]


def probed(
    user: User, today: datetime.date
) -> tuple[list[Callable[[User, datetime.date], Source]], bool]:
    """The sources that may have rows for the user's organisation (those its kind can fill,
    and of those with a probe, the ones whose probe finds a row), and whether the user may
    have unread updates: one query."""
    sources = sources_of_kind(_organisation(user).kind)
    probed: list[tuple[Any, tuple[Probe, ...]]] = [
        (source, PROBES[source]) for source in sources if source in PROBES
    ]
    probed.append((unread_updates, UPDATES_PROBE))
    found = probe(probed, user.organisation_id, today, user_id=user.pk)
    asked = [source for source in sources if source not in PROBES or source in found]
    return asked, unread_updates in found


# --- unread updates and networks -------------------------------------------------------------


@dataclass(frozen=True)
class Update:
    title: str
    detail: str
    url: str
    at: datetime.datetime


def unread_updates(user: User) -> tuple[list[Update], bool]:
    """The first unread shared updates on followed cases (partners' shared entries whose
    inbox notification the user has not read), and whether there are more: one query."""
    entries = list(
        unread_entries(user)
        .select_related("case", "organisation")
        .only("kind", "created_at", *CASE_LABEL, "organisation__name")[: UPDATES_LIMIT + 1]
    )
    updates = [
        Update(
            title=f"{entry.get_kind_display()} — {_case_label(entry.case)}",
            detail=entry.organisation.name,
            url=reverse("logbooks:entry_detail", args=[entry.pk]),
            at=entry.created_at,
        )
        for entry in entries[:UPDATES_LIMIT]
    ]
    return updates, len(entries) > UPDATES_LIMIT


#: every unread update is an unread ``shared_entry`` notification of the user's: without one,
#: Home skips the updates' read (most of its cost is building the inbox's visibility query).
UPDATES_PROBE = (
    Probe(
        Notification, "recipient", of_user=True, equals=(("kind", SHARED_ENTRY),), null=("read_at",)
    ),
)


@dataclass(frozen=True)
class NetworkWaiting:
    """A network of the coordinator and what waits in it, as a suppressed count."""

    network: ProtectionNetwork
    waiting: Published


def network_waiting(user: User) -> list[NetworkWaiting]:
    """The coordinator's networks with the relocation requests waiting for a member's review:
    one count per network, each member's count published only when 0 or at least 5
    (``dashboards.suppression``): coordinators see aggregates, never rows. Two queries."""
    networks = list(networks_for(user))
    if not networks:
        return []
    # unscoped: a count per member organisation of the coordinator's networks; no row leaves.
    waiting = (
        RelocationRequest.objects.unscoped()
        .filter(reviewer_id=OuterRef("organisation_id"), status__in=WAITING_REQUEST)
        .order_by()
        .values("reviewer_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    membership = ProtectionNetwork.members.through.objects.filter(
        protectionnetwork_id__in=[network.pk for network in networks]
    ).values_list(
        "protectionnetwork_id", Coalesce(Subquery(waiting, output_field=IntegerField()), 0)
    )
    per_network: dict[Any, list[Published]] = {network.pk: [] for network in networks}
    for network_id, n in membership:
        per_network[network_id].append(Published.of(n, hidden=rests_on_few(n)))
    return [NetworkWaiting(network, total(per_network[network.pk])) for network in networks]


# --- the queue -------------------------------------------------------------------------------


@dataclass
class Queue:
    today: datetime.date
    sources: list[Source] = field(default_factory=list)
    buckets: list[tuple[Bucket, str, list[WorkItem]]] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)
    more_updates: bool = False
    networks: list[NetworkWaiting] = field(default_factory=list)
    #: open alerts someone acknowledged (not resolved yet): beside the queue.
    in_hand: list[WorkItem] = field(default_factory=list)

    @property
    def more(self) -> list[Source]:
        return [source for source in self.sources if source.more]

    @property
    def empty(self) -> bool:
        return not self.buckets and not self.updates and not self.in_hand


def _ordered(items: Iterable[WorkItem]) -> list[tuple[Bucket, str, list[WorkItem]]]:
    """Items by bucket, then by due day; within a day, in the order of ``SOURCES`` (a stable
    sort keeps each source's own order: alerts unacknowledged first, my tasks first)."""
    far = datetime.date.max
    ordered = sorted(items, key=lambda item: (item.bucket, item.due or far))
    titles = bucket_titles()
    buckets: list[tuple[Bucket, str, list[WorkItem]]] = []
    for item in ordered:
        if not buckets or buckets[-1][0] != item.bucket:
            buckets.append((item.bucket, titles[item.bucket], []))
        buckets[-1][2].append(item)
    return buckets


def work_queue(user: User) -> Queue:
    """The user's queue. A member of no organisation (platform staff) or of one no longer in
    force has none: the sources read through ``owned_by``/``addressed_to`` (the
    organisation's rows) do not ask whether the user is still in force, so Home asks first."""
    today = timezone.localdate()
    queue = Queue(today=today)
    if not member_in_force(user):
        return queue
    sources, may_have_updates = probed(user, today)
    queue.sources = [source(user, today) for source in sources]
    now = timezone.now()
    queue.buckets = _ordered(item.place(today, now) for s in queue.sources for item in s.items)
    queue.in_hand = [item for source in queue.sources for item in source.aside]
    if may_have_updates:
        queue.updates, queue.more_updates = unread_updates(user)
    queue.networks = network_waiting(user)
    return queue
