"""The private iCal feed (RFC 5545): GET calendar/feed/<token>.ics, no sign-in (a calendar
application cannot sign in: the token is the secret, and only its hash is stored).

A wrong, revoked or ended feed answers the same 404 (work.selectors.feed.feed_for_token).
The feed leaves hrdcase for a phone or a third-party calendar service, so an event says what
happens and on which case, by its reference and pseudonym only: never a name, a court, a
task's free text or anything else the selectors put in ``Event.detail``."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.views.decorators.http import require_safe

from accounts.timezones import time_zone_for
from work.selectors.calendar import Event, events_for
from work.selectors.feed import feed_for_token
from work.services import calendar_feed_used

#: the feed's window: what happened in the past month and what comes in the next year.
PAST = datetime.timedelta(days=31)
AHEAD = datetime.timedelta(days=366)
#: RFC 5545 3.1: lines longer than 75 octets are folded (CRLF and one space).
FOLD_AT = 75


_SPECIAL = frozenset("\\;,\r\n")


def escape(text: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newline escaped."""
    if _SPECIAL.isdisjoint(text):  # most values: nothing to escape
        return text
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """One content line folded at 75 octets, never inside a UTF-8 character."""
    data = line.encode()
    if len(data) <= FOLD_AT:  # most lines: nothing to fold
        return line
    parts: list[bytes] = []
    start, limit = 0, FOLD_AT
    while len(data) - start > limit:
        cut = start + limit
        while data[cut] & 0xC0 == 0x80:  # a continuation byte: cut before its character
            cut -= 1
        parts.append(data[start:cut])
        # a continuation line starts with a space, which counts in its 75 octets
        start, limit = cut, FOLD_AT - 1
    parts.append(data[start:])
    return b"\r\n ".join(parts).decode()


def _stamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _day(day: datetime.date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def _summary(event: Event) -> str:
    return f"{event.label}: {event.subject}" if event.subject else str(event.label)


def render_calendar(
    events: Iterable[Event], *, base_url: str, now: datetime.datetime, domain: str
) -> str:
    """The VCALENDAR of ``events``: all-day events whose summary is the event's kind and its
    case's reference and pseudonym, and whose URL is the page in hrdcase (ids only)."""
    stamp = _stamp(now)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//hrdcase//Calendar//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:hrdcase",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            # ids of ours (kind-uuid) and the host Django validated (ALLOWED_HOSTS)
            f"UID:{event.uid}@{domain}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{_day(event.day)}",
            f"DTEND;VALUE=DATE:{_day(event.day + datetime.timedelta(days=1))}",
            f"SUMMARY:{escape(_summary(event))}",
            f"CATEGORIES:{event.kind}",
            f"URL:{base_url}{event.url}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


@require_safe
def feed(request: HttpRequest, token: str) -> HttpResponse:
    found = feed_for_token(token)
    if found is None:
        raise Http404
    user = found.user
    # Nobody is signed in: the feed takes its user's language and time zone itself (the
    # user's organisation came with the feed: no query).
    with (
        translation.override(user.language or settings.LANGUAGE_CODE),
        timezone.override(time_zone_for(user)),
    ):
        today = timezone.localdate()
        events = events_for(user, start=today - PAST, end=today + AHEAD).events
        body = render_calendar(
            events,
            base_url=request.build_absolute_uri("/").rstrip("/"),
            now=timezone.now(),
            domain=request.get_host().split(":")[0],
        )
    calendar_feed_used(feed_id=found.pk)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    # Not signed in, so NoStoreMiddleware leaves it: the feed is a defender's calendar all
    # the same, and no shared cache or proxy may keep a copy.
    response["Cache-Control"] = "no-store"
    response["Pragma"] = "no-cache"
    response["X-Robots-Tag"] = "noindex"
    return response
