"""Reads of relocation requests: the requester's and the reviewer's (the case owner's), and
where each stands (whom it waits for, its referrals' statuses, whether they are settled)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from relocation.models import (
    TERMINAL_STATUSES,
    GrantRequest,
    RelocationRequest,
    RequestStatus,
    ShelterReferral,
    VisaReferral,
)
from relocation.selectors.deadlines import by_review_deadline


def requests_for(user: User, *, status: str = "", side: str = "") -> QuerySet[RelocationRequest]:
    """The requests ``user``'s organisation raised and those it reviews (drafts of others
    are not shown to the reviewer: they are not submitted yet)."""
    own = getattr(user, "organisation_id", None)
    queryset = (
        RelocationRequest.objects.visible_to(user)
        .exclude(~Q(organisation_id=own) & Q(status=RequestStatus.DRAFT))
        .select_related("case", "organisation", "reviewer", "created_by")
        .order_by("-created_at")
    )
    if status:
        queryset = queryset.filter(status=status)
    if side == "mine":
        queryset = queryset.filter(organisation_id=own)
    elif side == "review":
        queryset = by_review_deadline(queryset.filter(reviewer_id=own).exclude(organisation_id=own))
    return queryset


def request_for(user: User) -> QuerySet[RelocationRequest]:
    """The single-object scope of request pages (same rule as the list)."""
    return requests_for(user)


# --- where a request stands ------------------------------------------------------------------

#: per kind of referral (its related name on the request): the statuses still waiting for an
#: answer, those granted (or accepted), those refused. Withdrawn referrals count for nothing.
PENDING = {
    "visa_referrals": (VisaReferral.Status.PENDING,),
    "shelter_referrals": (ShelterReferral.Status.PROPOSED, ShelterReferral.Status.WAITLISTED),
    "grants": (GrantRequest.Status.PENDING,),
}
GRANTED = {
    "visa_referrals": (VisaReferral.Status.GRANTED,),
    "shelter_referrals": (
        ShelterReferral.Status.ACCEPTED,
        ShelterReferral.Status.CONFIRMED,
        ShelterReferral.Status.HOSTING,
        ShelterReferral.Status.COMPLETED,
    ),
    "grants": (GrantRequest.Status.APPROVED, GrantRequest.Status.DISBURSED),
}
REFUSED = {
    "visa_referrals": (VisaReferral.Status.REFUSED,),
    "shelter_referrals": (ShelterReferral.Status.DECLINED,),
    "grants": (GrantRequest.Status.DECLINED,),
}
#: each kind: its model, its addressee field, its label, its page, the step its addressee owes.
KINDS = (
    ("visa_referrals", VisaReferral, "mission", gettext_lazy("Visa"), "visa_detail"),
    ("shelter_referrals", ShelterReferral, "city", gettext_lazy("Shelter city"), "shelter_detail"),
    ("grants", GrantRequest, "grantor", gettext_lazy("Grant"), "grant_detail"),
)
STEP_NAMES = {
    ("visa_referrals", VisaReferral.Status.PENDING): gettext_lazy("visa decision"),
    ("shelter_referrals", ShelterReferral.Status.PROPOSED): gettext_lazy("shelter answer"),
    ("shelter_referrals", ShelterReferral.Status.WAITLISTED): gettext_lazy("a place (waitlisted)"),
    ("grants", GrantRequest.Status.PENDING): gettext_lazy("grant decision"),
}


def settlement(statuses: Iterable[tuple[str, str]]) -> str:
    """``settled`` when no referral waits for an answer and at least one was granted or
    accepted (the refused ones have no alternative pending); ``pending`` while one waits;
    ``refused`` when every referral was refused (the requester must find another way);
    ``none`` when there is no referral (withdrawn ones do not count). ``statuses``:
    (related name, status) of the request's referrals."""
    pending = granted = refused = False
    for kind, status in statuses:
        pending = pending or status in PENDING[kind]
        granted = granted or status in GRANTED[kind]
        refused = refused or status in REFUSED[kind]
    if pending:
        return "pending"
    if granted:
        return "settled"
    return "refused" if refused else "none"


def request_settlement(relocation_request: RelocationRequest) -> str:
    """``settlement`` of one request's referrals, read now (three small queries)."""
    statuses: list[tuple[str, str]] = []
    for kind, model, _addressee, _label, _route in KINDS:
        # unscoped: the referrals of a request its caller already holds (a service's lock).
        rows = model.objects.unscoped().filter(request_id=relocation_request.pk)
        statuses += [(kind, status) for status in rows.values_list("status", flat=True)]
    return settlement(statuses)


@dataclass(frozen=True)
class Waiting:
    """Whom a request waits for, for what, until when (``due``: a date or a time, or None)."""

    who: str
    step: str
    due: datetime.date | datetime.datetime | None = None


@dataclass(frozen=True)
class ReferralLine:
    """A referral's status as shown with its request."""

    kind: str
    label: str
    addressee: str
    status: str
    status_label: str
    url: str
    due: datetime.date | datetime.datetime | None = None


@dataclass
class Standing:
    """Where a request stands: its settlement, whom it waits for, its referrals' statuses,
    and when it completed."""

    settlement: str
    waiting: list[Waiting] = field(default_factory=list)
    referrals: list[ReferralLine] = field(default_factory=list)
    completed_at: datetime.datetime | None = None

    @property
    def text(self) -> str:
        """``Waiting for: NL Embassy (visa decision, due 5 Dec 2026); …`` or ``""``."""
        if not self.waiting:
            return ""
        parts = []
        for item in self.waiting:
            if item.due is None:
                parts.append(_("%(who)s (%(step)s)") % {"who": item.who, "step": item.step})
            else:
                if isinstance(item.due, datetime.datetime):
                    due = date_format(localtime(item.due), "DATETIME_FORMAT")
                else:
                    due = date_format(item.due, "DATE_FORMAT")
                parts.append(
                    _("%(who)s (%(step)s, due %(due)s)")
                    % {"who": item.who, "step": item.step, "due": due}
                )
        return _("Waiting for: %(parts)s") % {"parts": "; ".join(parts)}


def _due(referral) -> datetime.date | datetime.datetime | None:
    """The deadline of the answer a referral waits for (issue 20), None when it owes none (a
    waitlisted stay waits for a place, not for an answer); a visa referral without one has its
    fast-track date."""
    if not referral.awaits_answer:
        return None
    return referral.due_at or getattr(referral, "deadline", None)


def standing_of(relocation_request: RelocationRequest, referrals: dict[str, list]) -> Standing:
    """Where ``relocation_request`` stands, from its referrals by kind (``KINDS``' related
    names, each with its addressee joined): no query of its own but the request's organisations,
    which its callers join."""
    statuses = [(kind, ref.status) for kind, rows in referrals.items() for ref in rows]
    standing = Standing(settlement=settlement(statuses))
    for kind, _model, addressee, label, route in KINDS:
        for ref in referrals.get(kind, ()):
            standing.referrals.append(
                ReferralLine(
                    kind=kind,
                    label=str(label),
                    addressee=getattr(ref, addressee).name,
                    status=ref.status,
                    status_label=ref.get_status_display(),
                    url=reverse(f"relocation:{route}", args=[ref.pk]),
                    due=_due(ref) if ref.status in PENDING[kind] else None,
                )
            )
            if ref.status in PENDING[kind]:
                standing.waiting.append(
                    Waiting(
                        getattr(ref, addressee).name, str(STEP_NAMES[kind, ref.status]), _due(ref)
                    )
                )
    status = relocation_request.status
    requester = relocation_request.organisation.name
    reviewer = relocation_request.reviewer.name
    if status == RequestStatus.COMPLETED:
        standing.completed_at = relocation_request.status_changed_at
        standing.waiting = []
    elif status in TERMINAL_STATUSES:
        standing.waiting = []
    elif relocation_request.is_frozen:
        standing.waiting = [Waiting(reviewer, str(_("share the case again, or cancel")))]
    elif status == RequestStatus.DRAFT:
        standing.waiting = [Waiting(requester, str(_("submit the request")))]
    elif status in (RequestStatus.SUBMITTED, RequestStatus.IN_REVIEW):
        standing.waiting = [
            Waiting(reviewer, str(_("review")), getattr(relocation_request, "review_due_at", None))
        ]
    elif standing.settlement == "none":
        standing.waiting = [Waiting(requester, str(_("raise the referrals and grants")))]
    elif standing.settlement == "refused":
        standing.waiting = [Waiting(requester, str(_("another referral: every one was refused")))]
    elif standing.settlement == "settled":
        # Settled but not completed (marked in progress by hand): the requester completes it.
        standing.waiting = [Waiting(requester, str(_("mark the request completed")))]
    return standing


def standings(requests: Sequence[RelocationRequest]) -> dict:
    """``standing_of`` every request of ``requests`` (their ``organisation`` and ``reviewer``
    joined), by primary key: one query per kind of referral, whatever their number; none
    without requests."""
    ids = [r.pk for r in requests]
    if not ids:
        return {}
    by_request: dict = defaultdict(lambda: defaultdict(list))
    for kind, model, addressee, _label, _route in KINDS:
        # unscoped: the referrals of requests the caller's user sees (``requests_for``); the
        # request pages show them all to the requester and the reviewer.
        rows = (
            model.objects.unscoped()
            .filter(request_id__in=ids)
            .select_related(addressee)
            .order_by("created_at")
        )
        for ref in rows:
            by_request[ref.request_id][kind].append(ref)
    return {r.pk: standing_of(r, by_request[r.pk]) for r in requests}


def with_standings(requests: Sequence[RelocationRequest]) -> Sequence[RelocationRequest]:
    """``requests``, each with its ``standing`` attribute set (for templates)."""
    found = standings(requests)
    for relocation_request in requests:
        relocation_request.standing = found[relocation_request.pk]
    return requests
