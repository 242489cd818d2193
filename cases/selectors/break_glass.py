"""Reads of break-glass openings: whether a user may open a case's full file, the opening in
force that widens a partner's access (``cases.access.case_access`` consults it), and a case's
openings for its owner."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import BreakGlassAccess, Case, CaseShare

if TYPE_CHECKING:
    from accounts.models import User
    from cases.access import CaseAccess

#: the key of the case page's read of openings (``CaseAccess.remember``, cases.registries.parts).
OPENINGS = "cases.break_glass_openings"


def _live_shares(now: datetime) -> QuerySet[CaseShare]:
    return CaseShare.objects.unscoped().live(now)


def break_glass_refusal(user: User, case: Case, *, now: datetime | None = None) -> str | None:
    """Why ``user`` may not open ``case``'s full file under break-glass; ``None`` if they may.

    The caller has already established that the case is visible to the user (otherwise 404).
    """
    now = now or timezone.now()
    if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
        return _("Only members of an organisation may use break-glass access.")
    if case.organisation_id == user.organisation_id:
        return _("Your organisation owns this case and already sees its full file.")
    if not user.is_org_admin:
        return _(
            "Only an administrator of your organisation may open the full file in an emergency."
        )
    if case.purged_at is not None:
        return _("This case was purged under the retention policy: there is no file to open.")
    share = (
        _live_shares(now)
        .filter(case_id=case.pk, partner_id=user.organisation_id)
        .values_list("level", flat=True)
        .first()
    )
    if share == CaseShare.Level.FULL:
        return _("Your organisation has full access already: break-glass access is not needed.")
    if share != CaseShare.Level.FEEDBACK:
        return _("Break-glass access needs an active feedback share of this case.")
    return None


def break_glass_active(
    user: User, case: Case, *, now: datetime | None = None
) -> BreakGlassAccess | None:
    """The opening in force that gives ``user``'s organisation the full file of ``case``, if any.

    An opening stands on the feedback share it was made through: when the owner revokes the
    share (or it expires, or consent is withdrawn) the opening stops counting at once, and a
    later share does not bring it back. A share is never reopened (a new level or a new grant
    is a new row), so "made through" is "live, and granted before the opening".
    """
    if (
        not getattr(user, "is_authenticated", False)
        or not user.is_active
        or user.organisation_id is None
    ):
        return None
    if case.organisation_id == user.organisation_id or case.purged_at is not None:
        return None
    now = now or timezone.now()
    share = _live_shares(now).filter(
        case_id=OuterRef("case_id"),
        partner_id=OuterRef("opener_organisation_id"),
        level=CaseShare.Level.FEEDBACK,
        created_at__lte=OuterRef("opened_at"),
    )
    return (
        BreakGlassAccess.objects.visible_to(user)
        .active(now)
        .filter(Exists(share), case_id=case.pk, opener_organisation_id=user.organisation_id)
        .order_by("-expires_at")
        .first()
    )


def break_glass_in_force(
    case: Case, *, opener_organisation_id: object, now: datetime
) -> BreakGlassAccess | None:
    """The opening of ``case`` by that organisation still in force at ``now``, if any (whatever
    became of the share it was made through: a second opening waits for it to end)."""
    return (
        BreakGlassAccess.objects.owned_by(case.organisation)
        .active(now)
        .filter(case=case, opener_organisation_id=opener_organisation_id)
        .order_by("-expires_at")
        .first()
    )


def break_glass_openings(case: Case, access: CaseAccess) -> list[BreakGlassAccess]:
    """Every opening of ``case``, newest first, for its owner (read once per case page: the
    panel shows those in force, the timeline all of them); empty for anyone else."""
    if not access.is_owner:
        return []
    return access.remember(
        OPENINGS,
        lambda: list(
            BreakGlassAccess.objects.owned_by(case.organisation)
            .filter(case=case)
            .select_related("opener_organisation", "opened_by")
        ),
    )
