"""Reads of calendar feeds: the user's live feed, and the feed a secret URL opens."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from hrdcase.tenancy import member_in_force
from work.models import CalendarFeed

if TYPE_CHECKING:
    from accounts.models import User

#: what ``secrets.token_urlsafe(32)`` gives: anything longer is not a token of ours.
TOKEN_MAX_LENGTH = 64


def token_hash(raw: str) -> str:
    """The stored form of a token (SHA-256, as for the accounts' invitation links)."""
    return hashlib.sha256(raw.encode()).hexdigest()


def live_feed_of(user: User) -> CalendarFeed | None:
    """The user's feed that is not revoked (one at most), for the calendar page."""
    return (
        CalendarFeed.objects.visible_to(user)
        .filter(user_id=user.pk, revoked_at__isnull=True)
        .first()
    )


def feed_for_token(raw: str) -> CalendarFeed | None:
    """The feed whose secret is ``raw``, with its user, while it may answer: not revoked,
    its user active in an organisation in force and still the organisation the feed was made
    in, and not signed out everywhere since (``CalendarFeed.session_generation``). None
    otherwise: a wrong, revoked or ended feed is the same "not found"."""
    if not raw or len(raw) > TOKEN_MAX_LENGTH:
        return None
    # unscoped: the token is the secret; its hash finds one row at most, and the checks below
    # decide whether it still answers.
    feed = (
        CalendarFeed.objects.unscoped()
        .select_related("user__organisation")
        .filter(token_hash=token_hash(raw), revoked_at__isnull=True)
        .first()
    )
    if feed is None:
        return None
    user = feed.user
    if (
        not member_in_force(user)
        or user.organisation_id != feed.organisation_id
        or user.session_generation != feed.session_generation
    ):
        return None
    return feed
