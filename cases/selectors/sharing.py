"""Reads of shares, "who viewed this case", coordination requests and the duplicate-hint
counts. A case's shares and access log are its owner's: the callers opened the case as its
owner (``get_case_for(..., need=NEED_OWNER)``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Count, QuerySet

from accounts.models import User
from cases.models import Case, CaseAccessLog, CaseShare, CoordinationRequest, DuplicateHintCheck
from cases.models.sharing import live_condition
from hrdcase.models import AuditEvent

if TYPE_CHECKING:
    from accounts.models import Organisation
    from cases.access import CaseAccess

#: the key of the case page's read of shares (``CaseAccess.remember``, cases.registries.parts).
SHARES = "cases.shares"
#: the key of their counts, when no row of them is read (``case_share_counts``).
SHARE_COUNTS = "cases.share_counts"


def shares_of(case: Case) -> QuerySet[CaseShare]:
    return (
        CaseShare.objects.owned_by(case.organisation)
        .filter(case=case)
        .select_related("partner", "granted_by", "ended_by")
    )


def case_shares_seen(case: Case, access: CaseAccess) -> list[CaseShare]:
    """``shares_of`` read once per request (owner's timeline and sharing panel)."""
    return access.remember(SHARES, lambda: list(shares_of(case)))


@dataclass(frozen=True)
class ShareCounts:
    total: int
    live: int


def case_share_counts(case: Case, access: CaseAccess) -> ShareCounts:
    """How many shares the case has and how many are in force (the summary header's
    partners, the checklist's sharing step): from the shares this request already read (the
    sharing section, the timeline), else one count (Overview shows no share row; reading
    them with their partners and officers cost ~2 ms for two figures)."""
    shares = access.remembered(SHARES)
    if shares is not None:
        return ShareCounts(len(shares), sum(1 for share in shares if share.is_active))
    if not access.has_part(SHARES):
        return ShareCounts(0, 0)

    def count() -> ShareCounts:
        figures = (
            CaseShare.objects.owned_by(case.organisation)
            .filter(case=case)
            .aggregate(total=Count("pk"), live=Count("pk", filter=live_condition()))
        )
        return ShareCounts(figures["total"], figures["live"])

    return access.remember(SHARE_COUNTS, count)


def access_log_of(case: Case, *, limit: int = 50) -> QuerySet[CaseAccessLog]:
    """The "who viewed this case" panel (owner organisation only)."""
    return (
        CaseAccessLog.objects.owned_by(case.organisation)
        .filter(case=case)
        .select_related("user", "viewer_organisation")[:limit]
    )


def shares_to_accept(user: User) -> QuerySet[CaseShare]:
    """Live shares made to the user's organisation that it has not accepted yet (Home and the
    case page offer accept / decline), oldest first, with their case and owner.

    Relocation-level shares are left out: they open no case page, and the partner answers
    them through the referrals addressed to it (visa referrals to decide, stays to answer).
    Empty for a member who may not write (a viewer cannot accept or decline)."""
    if not user.can_write:
        return CaseShare.objects.visible_to(user).none()
    return (
        CaseShare.objects.visible_to(user)
        .live()
        .filter(partner_id=user.organisation_id, accepted_at__isnull=True)
        .exclude(level=CaseShare.Level.RELOCATION)
        .select_related("case", "organisation", "granted_by")
        .order_by("created_at")
    )


def partner_share_of(case: Case, user: User) -> CaseShare | None:
    """The live share that opens ``case`` to the user's organisation (a partner's), if any."""
    return (
        CaseShare.objects.visible_to(user)
        .live()
        .filter(case=case, partner_id=user.organisation_id)
        .select_related("organisation", "accepted_by")
        .first()
    )


def coordination_inbox(user: User) -> QuerySet[CoordinationRequest]:
    """Requests addressed to the user's organisation (about its own cases)."""
    return (
        CoordinationRequest.objects.visible_to(user)
        .filter(holder_id=user.organisation_id)
        .select_related("organisation", "case", "requested_by")
    )


def duplicate_hint_counts(organisation: Organisation, *, since: datetime) -> list[dict[str, Any]]:
    """Per member of ``organisation`` since ``since``: checks of new names, hints shown, checks
    refused by the daily limit (the organisation's admins watch the oracle's use)."""
    checks = dict(
        DuplicateHintCheck.objects.owned_by(organisation)
        .filter(first=True, at__gte=since)
        .values_list("user_id")
        .annotate(n=Count("id"))
    )
    events: dict = {}
    for actor_id, action, n in (
        AuditEvent.objects.filter(
            organisation=organisation,
            at__gte=since,
            action__in=["case.duplicate_hint", "case.duplicate_hint_limited"],
        )
        .values_list("actor_id", "action")
        .annotate(n=Count("id"))
    ):
        events[(actor_id, action)] = n
    rows = []
    for user in User.objects.filter(organisation=organisation).order_by("email"):
        row = {
            "user": user,
            "checks": checks.get(user.pk, 0),
            "shown": events.get((user.pk, "case.duplicate_hint"), 0),
            "limited": events.get((user.pk, "case.duplicate_hint_limited"), 0),
        }
        if row["checks"] or row["shown"] or row["limited"]:
            rows.append(row)
    return rows
