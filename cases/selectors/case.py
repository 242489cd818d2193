"""Reads of the case file. Everything starts from ``Case.objects.visible_to(user)``: the
list, search, counts, the "other cases of this defender" panel and the API use the same rule
as the single-object helper, so a row shown is a row that opens."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, QuerySet

from cases.models import Case, CaseAccessLog, CaseShare, CoordinationRequest, Defender

if TYPE_CHECKING:
    from accounts.models import User
    from cases.access import CaseAccess
    from cases.models import Consent

SORTS = {
    "opened": "opened_on",
    "-opened": "-opened_on",
    "reference": "reference",
    "-reference": "-reference",
    "pseudonym": "pseudonym",
    "-pseudonym": "-pseudonym",
    "updated": "updated_at",
    "-updated": "-updated_at",
}


@dataclass(frozen=True)
class CaseFilters:
    status: str = ""
    risk: str = ""
    country: str = ""
    threat: str = ""
    lead: str = ""
    scope: str = ""  # "own" | "shared" | ""
    q: str = ""
    sort: str = "-opened"


def case_list_for(user: User, filters: CaseFilters | None = None) -> QuerySet[Case]:
    """The cases ``user`` may open, filtered and sorted, ready to paginate: a fixed number
    of queries per page whatever its size (related rows joined, threat types prefetched)."""
    filters = filters or CaseFilters()
    where = Q()
    codename = "view_case"
    if filters.status:
        where &= Q(status=filters.status)
    # Risk, threats and the defender's country are part of the full file: a feedback
    # partner cannot filter (so infer) by them. A share granting the identity grants the
    # risk too (cases.access.LEVEL_PERMISSIONS): one codename covers both.
    if filters.risk:
        codename = "view_case_risk"
        where &= Q(risk_level=filters.risk)
    if filters.threat:
        codename = "view_case_risk"
        # A subquery rather than a join: no duplicate rows, so no DISTINCT over the page.
        tagged = Case.threat_types.through.objects.filter(threattype__code=filters.threat)
        where &= Q(pk__in=tagged.values("case_id"))
    if filters.country:
        codename = "view_case_identity"
        where &= Q(defender__country=filters.country)
    if filters.lead:
        where &= Q(lead_officer_id=filters.lead, organisation_id=user.organisation_id)
    if filters.scope == "own":
        where &= Q(organisation_id=user.organisation_id)
    elif filters.scope == "shared":
        where &= ~Q(organisation_id=user.organisation_id)
    if filters.q:
        term = filters.q.strip()
        where &= Q(reference__icontains=term) | Q(pseudonym__icontains=term)
    # The filters narrow each half of the visible id union (own cases, shared cases), so
    # only matching cases are fetched and counted (docs/performance.md, round 4).
    cases = Case.objects.visible_to(user, where=where or None, codename=codename)
    # Only what a row shows (the owner's name, threat types): the defender's and the
    # summary's ciphertexts are neither fetched nor decrypted for a list (bench/: 100,000
    # cases, docs/performance.md).
    return (
        cases.prefetch_related("organisation")
        .defer("summary", "risk_override_reason")
        # a list per case (``listed_threats``): through the related manager, Django built a
        # queryset per case to hold its threats, and the template another to read them.
        .prefetch_related(Prefetch("threat_types", to_attr="listed_threats"))
        .order_by(SORTS.get(filters.sort, "-opened_on"), "-created_at")
    )


def other_cases_of_defender(user: User, case: Case) -> QuerySet[Case]:
    """The "other cases of this defender" panel: visible cases on the same defender record."""
    return Case.objects.visible_to(user).filter(defender_id=case.defender_id).exclude(pk=case.pk)


#: keys of the case page's reads shared by panels and timeline (``CaseAccess.remember``).
CONSENTS = "cases.consents"
SHARES = "cases.shares"


def case_consents_seen(case: Case, access: CaseAccess) -> list[Consent]:
    """The case's consents for the case page, read once per request (the timeline and the
    owner's sharing panel both show them)."""
    return access.remember(
        CONSENTS,
        lambda: list(case.consents.select_related("partner", "network", "recorded_by")),
    )


def case_shares_seen(case: Case, access: CaseAccess) -> list[CaseShare]:
    """``shares_of`` read once per request (owner's timeline and sharing panel)."""
    return access.remember(SHARES, lambda: list(shares_of(case)))


def shares_of(case: Case) -> QuerySet[CaseShare]:
    return (
        CaseShare.objects.owned_by(case.organisation)
        .filter(case=case)
        .select_related("partner", "granted_by", "ended_by")
    )


def access_log_of(case: Case, *, limit: int = 50) -> QuerySet[CaseAccessLog]:
    """The "who viewed this case" panel (owner organisation only)."""
    return (
        CaseAccessLog.objects.owned_by(case.organisation)
        .filter(case=case)
        .select_related("user", "viewer_organisation")[:limit]
    )


def coordination_inbox(user: User) -> QuerySet[CoordinationRequest]:
    """Requests addressed to the user's organisation (about its own cases)."""
    return (
        CoordinationRequest.objects.visible_to(user)
        .filter(holder_id=user.organisation_id)
        .select_related("organisation", "case", "requested_by")
    )


def defenders_visible_to(user: User) -> QuerySet[Defender]:
    return Defender.objects.visible_to(user)


def duplicate_hint_counts(organisation, *, since) -> list[dict]:
    """Per member of ``organisation`` since ``since``: checks of new names, hints shown, checks
    refused by the daily limit (the organisation's admins watch the oracle's use)."""
    from django.db.models import Count

    from accounts.models import User
    from cases.models import DuplicateHintCheck
    from hrdcase.models import AuditEvent

    checks = dict(
        DuplicateHintCheck.objects.owned_by(organisation)
        .filter(first=True, at__gte=since)
        .values_list("user_id")
        .annotate(n=Count("id"))
    )
    events: dict = {}
    for actor_id, action, n in (
        AuditEvent.objects.filter(
            organisation=organisation,
            at__gte=since,
            action__in=["case.duplicate_hint", "case.duplicate_hint_limited"],
        )
        .values_list("actor_id", "action")
        .annotate(n=Count("id"))
    ):
        events[(actor_id, action)] = n
    rows = []
    for user in User.objects.filter(organisation=organisation).order_by("email"):
        row = {
            "user": user,
            "checks": checks.get(user.pk, 0),
            "shown": events.get((user.pk, "case.duplicate_hint"), 0),
            "limited": events.get((user.pk, "case.duplicate_hint_limited"), 0),
        }
        if row["checks"] or row["shown"] or row["limited"]:
            rows.append(row)
    return rows
