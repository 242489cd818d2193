"""Reads of a user's notification preferences."""

from __future__ import annotations

from typing import TYPE_CHECKING

from alerts.kinds import KINDS, email_wanted
from alerts.models import NotificationPreference

if TYPE_CHECKING:
    from accounts.models import User


def email_choices_of(user: User) -> dict[str, bool]:
    """Every kind of the table -> whether it reaches ``user`` by e-mail now (their own
    choice, else the kind's default; urgent kinds always)."""
    stored = (
        NotificationPreference.objects.filter(user_id=user.pk)
        .values_list("email", flat=True)
        .first()
    )
    return {kind: email_wanted(kind, stored or {}) for kind in KINDS}
