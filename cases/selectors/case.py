"""Reads of defenders and cases. Everything starts from ``Case.objects.visible_to(user)``:
the list, search, counts, the "other cases of this defender" panel and the API use the same
rule as the single-object helper, so a row shown is a row that opens."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from cases.models import Case, Defender

if TYPE_CHECKING:
    from accounts.models import User

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
        .with_listed_threats()
        # pk last: a page never depends on how the database breaks a tie
        .order_by(SORTS.get(filters.sort, "-opened_on"), "-created_at", "pk")
    )


def other_cases_of_defender(user: User, case: Case) -> QuerySet[Case]:
    """The "other cases of this defender" panel: visible cases on the same defender record."""
    return Case.objects.visible_to(user).filter(defender_id=case.defender_id).exclude(pk=case.pk)


def other_organisations_following(*, defender: Defender) -> bool:
    """Whether another organisation has a defender with the same blind index. Answers yes or
    no only: who, and which case, stay hidden until that organisation shares."""
    # unscoped: the one cross-tenant question hrdcase answers, and it returns a boolean.
    return (
        Defender.objects.unscoped()
        .filter(name_index=defender.name_index)
        .exclude(organisation_id=defender.organisation_id)
        .exists()
    )
