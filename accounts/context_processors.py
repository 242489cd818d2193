from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from accounts.models import Role
from accounts.twofactor import second_factor_pending
from hrdcase.navigation import nav_items_for


def navigation(request: HttpRequest) -> dict:
    """Role flags for the base layout's navigation (no queries beyond the user row)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": None}
    if second_factor_pending(user):
        # Password alone opens nothing: until the second factor, the menu offers only logout
        # (no organisation name, no links to pages that would bounce back here).
        return {"nav": {"pending": True}}
    organisation = user.organisation
    return {
        "nav": {
            "organisation": organisation,
            "is_admin": user.role == Role.ADMIN,
            "is_coordinator": user.role == Role.COORDINATOR,
            "can_write": user.can_write,
            "is_staff": user.is_staff,
            # Lazy: the entries (and their badge counts, one query each) are computed only
            # when a template draws the menu, never for htmx fragments and partials.
            "items": SimpleLazyObject(lambda: nav_items_for(user)) if organisation else [],
        }
    }
