"""Which channels a notification goes through, per recipient: the plan ``notify`` writes.

- **E-mail**: as the user chose per kind (``alerts.kinds.email_wanted``). Urgent kinds are
  e-mailed unless the user turned e-mail off for that kind *and* Signal reaches them for it
  now (the channel configured, their number verified): an urgent alert always reaches at
  least one channel outside hrdcase.
- **Signal**: only to a verified number, while the channel is configured; as the user chose
  per kind, by default the urgent kinds only.
- **Webhook**: the organisation's (once per event and organisation, for the kinds its
  administrators chose), not a member's choice.
- **Quiet hours** hold back a non-urgent notification's e-mail and Signal message until they
  end (the inbox shows it at once); urgent kinds ignore them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from accounts.timezones import time_zone_for
from alerts import conf
from alerts.kinds import KINDS, email_wanted
from alerts.models import NotificationPreference, OrganisationWebhook, SignalNumber
from alerts.services.quiet_hours import quiet_until

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class Plan:
    email: bool
    signal: bool
    deliver_after: datetime | None = None


def signal_wanted(kind: str, choices: dict[str, bool]) -> bool:
    """Whether ``kind`` goes by Signal to a user (with a verified number) whose own choices
    are ``choices``: as chosen, else the urgent kinds only. Never an in-app-only kind, nor a
    kind the table does not know."""
    known = KINDS.get(kind)
    if known is None or known.in_app_only:
        return False
    return bool(choices.get(kind, known.urgent))


def signal_choices_of(user: User) -> dict[str, bool]:
    stored = (
        NotificationPreference.objects.filter(user_id=user.pk)
        .values_list("signal", flat=True)
        .first()
    )
    return {kind: signal_wanted(kind, stored or {}) for kind in KINDS}


def verified_signal_users(user_ids: Iterable[Any]) -> set[Any]:
    """Which of ``user_ids`` Signal reaches now (channel configured, number verified)."""
    if not conf.signal_enabled():
        return set()
    return set(
        SignalNumber.objects.filter(
            user_id__in=list(user_ids), verified_at__isnull=False
        ).values_list("user_id", flat=True)
    )


def plans_for(kind: str, users: list[User], now: datetime) -> dict[Any, Plan]:
    """Each user's plan for a ``kind`` notification written at ``now``: two queries (the
    preferences, the verified numbers), whatever the number of recipients."""
    known = KINDS.get(kind)
    urgent = known is None or known.urgent  # an unknown kind is e-mailed at once, as before
    ids = [user.pk for user in users]
    prefs = {p.user_id: p for p in NotificationPreference.objects.filter(user_id__in=ids)}
    reachable = verified_signal_users(ids) if known is not None else set()
    plans = {}
    for user in users:
        pref = prefs.get(user.pk)
        email_choices = pref.email if pref else {}
        signal = user.pk in reachable and signal_wanted(kind, pref.signal if pref else {})
        if known is not None and known.urgent:
            email = not (signal and email_choices.get(kind) is False)
        else:
            email = email_wanted(kind, email_choices)
        after = None
        if not urgent and pref is not None and pref.quiet_start is not None:
            after = quiet_until(now, pref.quiet_start, pref.quiet_end, time_zone_for(user))
        plans[user.pk] = Plan(email=email, signal=signal, deliver_after=after)
    return plans


def webhook_organisations(kind: str, organisation_ids: Iterable[Any]) -> set[Any]:
    """Which of these organisations' active webhooks take ``kind``: one query."""
    ids = list(organisation_ids)
    if not ids or kind not in KINDS:
        return set()
    # unscoped: the outbox plans for the recipients' organisations, one column read.
    hooks = OrganisationWebhook.objects.unscoped().filter(organisation_id__in=ids, active=True)
    rows = hooks.values_list("organisation_id", "kinds")
    return {org_id for org_id, kinds in rows if kind in kinds}
