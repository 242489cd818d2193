"""Writes of the work app: a user's calendar feed made, replaced or revoked (audited)."""

from __future__ import annotations

import datetime
import secrets
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from hrdcase.audit import audit_record
from hrdcase.tenancy import member_in_force
from work.models import CalendarFeed
from work.selectors.feed import token_hash

if TYPE_CHECKING:
    from uuid import UUID

#: a feed's last use is written at most this often (calendar applications poll it).
LAST_USED_EVERY = datetime.timedelta(hours=1)


def _lock_user(user: User) -> None:
    # Two requests of the same user (a double click) take turns: one live feed per user.
    User.objects.select_for_update().filter(pk=user.pk).first()


def _revoke_live(user: User) -> int:
    # unscoped: every live feed of this user, also one made in an organisation they left
    # (it answers nothing, but it holds the one live place per user).
    return (
        CalendarFeed.objects.unscoped()
        .filter(user_id=user.pk, revoked_at__isnull=True)
        .update(revoked_at=timezone.now())
    )


@transaction.atomic
def calendar_feed_create(*, acting_user: User) -> tuple[CalendarFeed, str]:
    """A new secret address of the user's calendar; the one they had stops answering. The raw
    token is returned once (shown once); only its hash is stored."""
    if not member_in_force(acting_user) or acting_user.organisation_id is None:
        raise PermissionDenied
    _lock_user(acting_user)
    replaced = _revoke_live(acting_user)
    raw = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(
        user=acting_user,
        organisation_id=acting_user.organisation_id,
        token_hash=token_hash(raw),
        session_generation=acting_user.session_generation,
    )
    audit_record(
        action="calendar.feed_create",
        actor=acting_user,
        target=feed,
        data={"replaced": replaced} if replaced else None,
    )
    return feed, raw


@transaction.atomic
def calendar_feed_revoke(*, acting_user: User) -> int:
    """The user's secret address stops answering; how many feeds were revoked (0 or 1)."""
    if not member_in_force(acting_user):
        raise PermissionDenied
    _lock_user(acting_user)
    revoked = _revoke_live(acting_user)
    if revoked:
        audit_record(action="calendar.feed_revoke", actor=acting_user, data={"revoked": revoked})
    return revoked


def calendar_feed_used(*, feed_id: UUID) -> None:
    """Note that the feed answered (shown on the calendar page), at most once an hour: one
    conditional UPDATE, whatever the polling rate."""
    now = timezone.now()
    # unscoped: the feed was found by its token; this touches its one row.
    CalendarFeed.objects.unscoped().filter(pk=feed_id).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_EVERY)
    ).update(last_used_at=now)
