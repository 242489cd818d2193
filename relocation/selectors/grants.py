"""Reads of emergency grants: the requester's and the grantor's, the grantor's inbox, and
which organisations offer grants."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Organisation, User
from relocation.models import GrantRequest, RelocationSettings
from relocation.selectors.deadlines import by_deadline
from relocation.selectors.referral import inbox_for


def grants_for(user: User) -> QuerySet[GrantRequest]:
    return GrantRequest.objects.visible_to(user).select_related(
        "case", "grantor", "organisation", "request", "created_by", "decided_by"
    )


def grants_inbox_for(user: User, *, status: str = "") -> QuerySet[GrantRequest]:
    """The grantor's inbox: the requests awaiting its decision first, nearest deadline first;
    then the others, newest first."""
    inbox = inbox_for(
        user,
        GrantRequest,
        status=status,
        related=("case", "organisation", "request"),
        order=("-created_at",),
    )
    return by_deadline(inbox, GrantRequest.AWAITING)


def grantors() -> QuerySet[Organisation]:
    """Active organisations that offer emergency grants (the choices of a grant request)."""
    # unscoped: which organisations offer grants is public to every requester.
    offering = RelocationSettings.objects.unscoped().filter(offers_grants=True)
    return Organisation.objects.filter(
        is_active=True, pk__in=offering.values("organisation_id")
    ).order_by("name")


def grantor_offers() -> list[tuple[Organisation, RelocationSettings]]:
    """Each grantor with its settings: the activities it funds, its caps and its eligibility
    criteria, as the new grant form shows them (two queries)."""
    # unscoped: a grantor's criteria and caps are public to every requester.
    rows = {
        row.organisation_id: row
        for row in RelocationSettings.objects.unscoped().filter(offers_grants=True)
    }
    return [(org, rows[org.pk]) for org in grantors() if org.pk in rows]
