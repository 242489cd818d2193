"""The calendar pages: a month and an agenda of what the user may see (no JavaScript: the
previous and next periods are links), and the private feed's secret address, made, replaced
or revoked from here."""

from __future__ import annotations

import calendar as calendar_module
import datetime
import re
from collections.abc import Mapping
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from hrdcase.dates import DEFAULT_RULE, IMPLAUSIBLE, parse_date_param
from work.selectors.calendar import events_for
from work.selectors.feed import live_feed_of
from work.services import calendar_feed_create, calendar_feed_revoke

_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")
#: how many days the agenda lists.
AGENDA_DAYS = 30


def parse_month_param(
    params: Mapping[str, Any], name: str, *, default: datetime.date
) -> datetime.date:
    """The first day of the month in query parameter ``name`` (YYYY-MM), ``default``'s month
    when absent or empty. A malformed month, or one whose first day the plausible-date rule
    refuses (hrdcase.dates), raises ``ValidationError({name: [message]})``."""
    raw = str(params.get(name) or "").strip()
    if not raw:
        return default.replace(day=1)
    match = _MONTH.match(raw)
    if match is None or int(match.group(1)) < 1 or not 1 <= int(match.group(2)) <= 12:
        raise ValidationError({name: [_("Enter a month as YYYY-MM.")]}, code="invalid")
    first = datetime.date(int(match.group(1)), int(match.group(2)), 1)
    error = DEFAULT_RULE.error(first)
    if error is not None:
        raise ValidationError({name: [error]}, code=IMPLAUSIBLE)
    return first


def _refused(request: HttpRequest, error: ValidationError) -> None:
    """A bad parameter: its message on the page, which answers 400 (nothing else changes)."""
    for message in error.messages:
        messages.error(request, message)


def _member(request: HttpRequest) -> User:
    """The signed-in user (``login_required`` runs first), a member of an organisation."""
    user = cast(User, request.user)
    # Platform staff belong to no organisation: they have no cases, hence no calendar.
    if user.organisation_id is None:
        raise Http404
    return user


def _within_rule(day: datetime.date) -> bool:
    earliest, latest = DEFAULT_RULE.bounds()
    return earliest <= day <= latest


def _month_context(first: datetime.date) -> dict[str, Any]:
    weeks = calendar_module.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = (first + datetime.timedelta(days=31)).replace(day=1)
    return {
        "month": first,
        "weeks": weeks,
        "previous": previous if _within_rule(previous) else None,
        "next": following if _within_rule(following) else None,
        "weekdays": [datetime.date(2024, 1, day) for day in range(1, 8)],  # a Monday first
    }


def _feed_context(user: User, new_feed_url: str = "") -> dict[str, Any]:
    return {"feed": live_feed_of(user), "new_feed_url": new_feed_url}


def _render_month(
    request: HttpRequest, first: datetime.date, *, status: int = 200, new_feed_url: str = ""
) -> HttpResponse:
    context = _month_context(first)
    weeks = context["weeks"]
    user = _member(request)
    found = events_for(user, start=weeks[0][0], end=weeks[-1][-1])
    by_day = found.by_day()
    context.update(
        weeks=[[(day, by_day.get(day, [])) for day in week] for week in weeks],
        events=by_day,
        truncated=found.truncated,
        today=timezone.localdate(),
        **_feed_context(user, new_feed_url),
    )
    return render(request, "work/calendar_month.html", context, status=status)


@login_required
@require_GET
def month(request: HttpRequest) -> HttpResponse:
    _member(request)
    today = timezone.localdate()
    try:
        first = parse_month_param(request.GET, "month", default=today)
    except ValidationError as error:
        _refused(request, error)
        return _render_month(request, today.replace(day=1), status=400)
    return _render_month(request, first)


@login_required
@require_GET
def agenda(request: HttpRequest) -> HttpResponse:
    user = _member(request)
    today = timezone.localdate()
    status = 200
    try:
        start = parse_date_param(request.GET, "from", default=today) or today
    except ValidationError as error:
        _refused(request, error)
        start, status = today, 400
    end = start + datetime.timedelta(days=AGENDA_DAYS - 1)
    found = events_for(user, start=start, end=end)
    previous = start - datetime.timedelta(days=AGENDA_DAYS)
    following = start + datetime.timedelta(days=AGENDA_DAYS)
    context = {
        "start": start,
        "end": end,
        "days": sorted(found.by_day().items()),
        "truncated": found.truncated,
        "today": today,
        "previous": previous if _within_rule(previous) else None,
        "next": following if _within_rule(following) else None,
        **_feed_context(user),
    }
    return render(request, "work/calendar_agenda.html", context, status=status)


@login_required
@require_POST
def feed_create(request: HttpRequest) -> HttpResponse:
    """A new secret address (the previous one stops answering), shown once on this page."""
    _feed, raw = calendar_feed_create(acting_user=_member(request))
    url = request.build_absolute_uri(reverse("work:feed", args=[raw]))
    messages.success(
        request, _("Your calendar's new private address is below. It is shown only this once.")
    )
    return _render_month(request, timezone.localdate().replace(day=1), new_feed_url=url)


@login_required
@require_POST
def feed_revoke(request: HttpRequest) -> HttpResponse:
    if calendar_feed_revoke(acting_user=_member(request)):
        messages.success(request, _("The private address stopped working."))
    else:
        messages.info(request, _("You had no private address."))
    return redirect("work:calendar")
