"""Quiet hours: a user's nightly window (in their own time zone) during which non-urgent
notifications wait. Urgent alerts (``alerts.kinds``: raised, escalated, still
unacknowledged) ignore it: a defender's safety does not wait for the morning."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo


def quiet_until(
    now: datetime, start: time | None, end: time | None, zone: ZoneInfo
) -> datetime | None:
    """When the quiet hours around ``now`` end (an aware datetime), or None when ``now`` is
    outside them (or none are set). ``start`` > ``end`` spans midnight (22:00-07:00);
    ``start`` == ``end`` is no window. Computed on the wall clock of ``zone``, so a daylight
    saving change moves the end with the clock, as the user expects."""
    if start is None or end is None or start == end:
        return None
    local = now.astimezone(zone)
    clock = local.time().replace(tzinfo=None)
    if start < end:
        inside = start <= clock < end
        end_day = local.date()
    else:  # across midnight
        inside = clock >= start or clock < end
        end_day = local.date() + timedelta(days=1) if clock >= start else local.date()
    if not inside:
        return None
    return datetime.combine(end_day, end, tzinfo=zone)
