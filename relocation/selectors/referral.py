"""Reads the three kinds of referral share: whom to tell (an organisation's active writers)
and an addressee's inbox."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import QuerySet

from accounts.models import Role, User
from relocation.models import Referral

WRITE_ROLES = (Role.ADMIN, Role.OFFICER)


def org_people(organisation_id, *, admins_only: bool = False) -> list[User]:
    """Active writers (or admins) of an organisation: whom to tell."""
    roles = (Role.ADMIN,) if admins_only else WRITE_ROLES
    return list(
        User.objects.filter(organisation_id=organisation_id, is_active=True, role__in=roles)
    )


def people_by_org(org_ids: Iterable) -> dict:
    """``org_people`` of several organisations in one query (the due-item sweeps)."""
    people: dict = defaultdict(list)
    for user in User.objects.filter(
        organisation_id__in=set(org_ids), is_active=True, role__in=WRITE_ROLES
    ):
        people[user.organisation_id].append(user)
    return people


def inbox_for(
    user: User, model: type[Referral], *, status: str, related: Iterable[str], order: Iterable[str]
) -> QuerySet:
    """The referrals of ``model`` addressed to ``user``'s organisation, of ``status`` (every
    status when empty), with ``related`` joined, in ``order``."""
    queryset = (
        model.objects.addressed_to(user.organisation).select_related(*related).order_by(*order)
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset
