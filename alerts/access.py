"""Who may act on alerts and check-ins from the pages: one rule each, used by every view
that needs it (the services check again: ``cases.access.require_case_write``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied

from alerts.models import PARTNER_LEVEL_PERMISSION
from cases.access import NEED_IDENTITY, get_case_for

if TYPE_CHECKING:
    from accounts.models import User
    from cases.access import CaseAccess
    from cases.models import Case


def open_full_case(user: User, pk: Any) -> tuple[Case, CaseAccess]:
    """The case if the user holds it with full-level access (owner or ``full`` partner)."""
    return get_case_for(user, pk, need=NEED_IDENTITY)


def open_followed_case(user: User, pk: Any) -> tuple[Case, CaseAccess]:
    """The case if the user's organisation follows it (owner, ``full`` or ``feedback``
    partner): raising an urgent alert (issue 21). A ``relocation`` partner gets 404."""
    return get_case_for(user, pk, need=PARTNER_LEVEL_PERMISSION)


def require_case_editor(access: CaseAccess) -> None:
    """Resolving an alert, scheduling check-ins: the owner's writers (a ``full`` partner
    sees the alert and acknowledges it, and gets 403 here)."""
    if not access.can_edit:
        raise PermissionDenied
