"""Reads of relocation requests: the requester's and the reviewer's (the case owner's)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.models import User
from relocation.models import RelocationRequest, RequestStatus


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
        queryset = queryset.filter(reviewer_id=own).exclude(organisation_id=own)
    return queryset


def request_for(user: User) -> QuerySet[RelocationRequest]:
    """The single-object scope of request pages (same rule as the list)."""
    return requests_for(user)
