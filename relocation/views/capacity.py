"""A shelter city's capacity pages: the calendar (8 weeks day by day, 12 months ahead, the
waiting list) and removing a capacity period (its programme and periods are edited on the
settings page)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Organisation
from hrdcase.dates import DEFAULT_RULE, parse_date_param
from hrdcase.tenancy import get_object_for
from relocation.models import CapacityPeriod, ShelterReferral
from relocation.selectors.capacity import city_calendar as calendar_weeks
from relocation.selectors.capacity import city_months, waiting_list
from relocation.selectors.shelter import city_inbox_for
from relocation.services.capacity import capacity_period_remove

#: the months the calendar plans ahead, and the longest waiting list it shows (the rest are
#: in the city's inbox).
PLAN_MONTHS = 12
WAITING_LIST_SIZE = 25


@login_required
def city_calendar(request: HttpRequest) -> HttpResponse:
    organisation = request.user.organisation  # None for platform staff
    if organisation is None or organisation.kind != Organisation.Kind.SHELTER_CITY:
        raise Http404
    status = 200
    try:
        start = parse_date_param(request.GET, "from", default=timezone.localdate())
    except ValidationError as error:
        # A bad ``from`` shows this week's calendar with the reason, never a 500 (issue 17).
        for message in error.messages:
            messages.error(request, message)
        start, status = timezone.localdate(), 400
    start = start - datetime.timedelta(days=start.weekday())
    weeks = calendar_weeks(request.user.organisation, start=start, weeks=8)
    earliest, latest = DEFAULT_RULE.bounds()
    previous = start - datetime.timedelta(weeks=8)
    following = start + datetime.timedelta(weeks=8)
    # 12 months ahead from the week's month: arrivals, departures, places used / offered.
    months = city_months(request.user.organisation, first=start, months=PLAN_MONTHS)
    # the first of the waiting list (one more row read tells whether there are more)
    waiting = waiting_list(request.user, limit=WAITING_LIST_SIZE + 1)
    guests = city_inbox_for(request.user, status=ShelterReferral.Status.HOSTING)
    arrivals = city_inbox_for(request.user, status=ShelterReferral.Status.CONFIRMED)
    return render(
        request,
        "relocation/city_calendar.html",
        {
            "weeks": weeks,
            "start": start,
            # No link to weeks the ``from`` parameter would refuse.
            "previous": previous if previous >= earliest else None,
            "next": following if following <= latest else None,
            "guests": guests[:50],
            "arrivals": arrivals[:50],
            "months": months,
            "waiting": waiting[:WAITING_LIST_SIZE],
            "more_waiting": len(waiting) > WAITING_LIST_SIZE,
        },
        status=status,
    )


@login_required
@require_POST
def capacity_remove(request: HttpRequest, pk) -> HttpResponse:
    user = request.user
    period = get_object_for(user, CapacityPeriod.objects.owned_by(user.organisation), pk)
    try:
        capacity_period_remove(period=period, acting_user=user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Capacity period removed."))
    return redirect("relocation:settings")
