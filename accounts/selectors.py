"""Reads of accounts data, scoped to the asking user."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Organisation, ProtectionNetwork, Role, User


def users_visible_to(user: User) -> QuerySet[User]:
    """Members of the user's own organisation; nobody else's."""
    if not user.is_authenticated or user.organisation_id is None:
        return User.objects.none()
    return (
        User.objects.filter(organisation_id=user.organisation_id)
        .order_by("email")
        .prefetch_related("invitations")  # User.account_status reads them
    )


def organisation_admins(organisation: Organisation) -> QuerySet[User]:
    return User.objects.filter(organisation=organisation, role=Role.ADMIN, is_active=True)


def networks_coordinated_by(user: User) -> QuerySet[ProtectionNetwork]:
    """Networks whose dashboards the user may open: coordinators of a member organisation."""
    if not user.is_authenticated or user.role != Role.COORDINATOR or not user.organisation_id:
        return ProtectionNetwork.objects.none()
    return ProtectionNetwork.objects.filter(members=user.organisation_id)


def networks_of(organisation: Organisation) -> QuerySet[ProtectionNetwork]:
    return ProtectionNetwork.objects.filter(members=organisation)
