"""Who may open which dashboard: coordinators, for the networks their organisation belongs to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from accounts.models import ProtectionNetwork, Role
from hrdcase.tenancy import get_object_for

if TYPE_CHECKING:
    from accounts.models import User


def networks_for(user: User) -> QuerySet[ProtectionNetwork]:
    """The networks whose dashboard ``user`` may open: a coordinator's organisation must be a
    member. Everyone else gets none (and a 404 on any network URL)."""
    if user.role != Role.COORDINATOR or user.organisation_id is None:
        return ProtectionNetwork.objects.none()
    return ProtectionNetwork.objects.filter(members=user.organisation_id).order_by("name")


def get_network_for(user: User, pk) -> ProtectionNetwork:
    return get_object_for(user, networks_for(user), pk)
