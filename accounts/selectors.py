"""Reads of accounts data, scoped to the asking user."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User


def users_visible_to(user: User) -> QuerySet[User]:
    """Members of the user's own organisation; nobody else's."""
    if not user.is_authenticated or user.organisation_id is None:
        return User.objects.none()
    return (
        User.objects.filter(organisation_id=user.organisation_id)
        .order_by("email")
        .prefetch_related("invitations")  # User.account_status reads them
    )
