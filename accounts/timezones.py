"""Time zones: the organisation's, a user's own, and the one every page is shown in.

An organisation has a time zone (an IANA name such as ``America/Bogota``, by default
``settings.TIME_ZONE``); each member may choose another (``User.time_zone``, blank: the
organisation's). ``accounts.middleware.UserTimeZoneMiddleware`` activates the user's
effective zone for each page, so every date and time is shown, and every "today" computed,
in it. The API answers in UTC (machine format) and the workers run in UTC.
"""

from __future__ import annotations

import datetime
import functools
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: names the tz database ships that are not places (or describe the host, not a zone).
_NOT_ZONES = frozenset({"localtime", "posixrules", "Factory"})


@functools.cache
def time_zone_names() -> frozenset[str]:
    """Every IANA time zone name this server knows."""
    return frozenset(zoneinfo.available_timezones() - _NOT_ZONES)


@functools.cache
def time_zone_choices() -> list[tuple[str, str]]:
    """``(name, label)`` pairs for a select: UTC first, then the places alphabetically."""
    names = sorted(name for name in time_zone_names() if name != "UTC")
    return [("UTC", "UTC"), *((name, name.replace("_", " ")) for name in names)]


def default_time_zone() -> str:
    """A new organisation's zone (the model field's default)."""
    return settings.TIME_ZONE


def validate_time_zone(value: str) -> None:
    """Refuse what is not an IANA time zone name (a blank value is the field's business)."""
    if value and value not in time_zone_names():
        raise ValidationError(
            _("“%(value)s” is not a time zone. Choose one from the list, e.g. America/Bogota."),
            code="invalid_time_zone",
            params={"value": value},
        )


@functools.cache
def zone(name: str) -> zoneinfo.ZoneInfo:
    """The ``ZoneInfo`` for ``name``; UTC for a name the server no longer knows (a stored
    name dropped by a tz database update must not break every page of its users)."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def organisation_today(organisation, now: datetime.datetime | None = None) -> datetime.date:
    """The day it is at ``now`` where ``organisation`` works. A date the organisation set or
    was promised (a purge day, a deadline day, a review day) falls due on that day, not on
    the server's: the workers run in UTC, which is the evening before in Bogotá."""
    return timezone.localdate(now or timezone.now(), zone(organisation.time_zone))


ONE_DAY = datetime.timedelta(days=1)


def days_anywhere(now: datetime.datetime) -> tuple[datetime.date, datetime.date]:
    """The earliest and the latest day it is somewhere on Earth at ``now``: UTC's, one day
    either side (zones run from UTC-12 to UTC+14). A sweep running in UTC reads the rows due
    within them, then judges each on its organisation's day (``organisation_today``)."""
    utc_today = timezone.localdate(now, datetime.UTC)
    return utc_today - ONE_DAY, utc_today + ONE_DAY


def effective_time_zone_name(user) -> str:
    """The zone ``user`` sees dates in: their own, else their organisation's, else UTC.

    Reads ``user.organisation``: the authentication backends load it with the user, so
    this costs no query on a request."""
    own = getattr(user, "time_zone", "")
    if own:
        return own
    organisation = getattr(user, "organisation", None) if user.organisation_id else None
    if organisation is not None and organisation.time_zone:
        return organisation.time_zone
    return settings.TIME_ZONE


def time_zone_for(user) -> zoneinfo.ZoneInfo:
    """``effective_time_zone_name`` as a ``ZoneInfo`` (cached per name)."""
    return zone(effective_time_zone_name(user))
