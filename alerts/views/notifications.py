"""The inbox: every update that concerns me (alerts, decisions, partners' shared entries,
coordination, reminders), filtered by category and read/unread, marked read one by one or
all at once, and the menu's one unread badge."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from alerts.kinds import Category
from alerts.selectors.notifications import (
    inbox_badge_count,
    inbox_for,
    parse_category,
    unread_by_category,
)
from alerts.services.notifications import notification_read as read_one
from alerts.services.notifications import notifications_read_all
from alerts.views import PAGE_SIZE
from hrdcase.navigation import badge_text
from hrdcase.pagination import paginate
from hrdcase.redirects import redirect_back
from hrdcase.tenancy import get_object_for


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    try:
        category = parse_category(request.GET.get("category"))
    except ValidationError as error:
        # A filter nobody offered (an edited or stale link): say which exist, list nothing.
        return _inbox(request, None, error=error.messages[0])
    return _inbox(request, category)


def _inbox(request: HttpRequest, category: str | None, *, error: str = "") -> HttpResponse:
    only_unread = bool(request.GET.get("unread"))
    rows = inbox_for(request.user, category=category, unread=True if only_unread else None)
    page = paginate(request, rows.none() if error else rows, PAGE_SIZE)
    unread = unread_by_category(request.user)
    context: dict[str, Any] = {
        "page": page,
        "notifications": page.object_list,
        "unread": unread[category or "all"],
        "unread_all": unread["all"],
        "categories": [
            {"value": value, "label": label, "unread": unread[value]}
            for value, label in Category.choices
        ],
        "category": category or "",
        "only_unread": only_unread,
        "error": error,
    }
    return render(request, "alerts/notification_list.html", context, status=400 if error else 200)


@login_required
@require_POST
def notification_read(request: HttpRequest, pk) -> HttpResponse:
    notification = get_object_for(request.user, inbox_for(request.user), pk)
    read_one(notification=notification, user=request.user)
    if request.POST.get("open") and notification.url:
        return HttpResponseRedirect(notification.url)
    return redirect_back(request, reverse("alerts:notifications"))


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    """Mark all read: every unread notification, or those of the category the inbox shows."""
    try:
        category = parse_category(request.POST.get("category"))
    except ValidationError as error:
        return _inbox(request, None, error=error.messages[0])
    count = notifications_read_all(user=request.user, category=category)
    messages.success(request, _("%(count)s notification(s) marked as read.") % {"count": count})
    return redirect_back(request, reverse("alerts:notifications"))


@require_GET
def unread_count_view(request: HttpRequest) -> HttpResponse:
    """The menu badge again, for htmx polling (``X-Idle-Poll``: it does not keep the session
    alive). Signed out (the session timed out): 286 stops the polling and ``HX-Refresh``
    reloads the page, so the login page replaces whatever the screen showed."""
    if not request.user.is_authenticated:
        return HttpResponse(status=286, headers={"HX-Refresh": "true"})
    return render(
        request,
        "alerts/_unread_badge.html",
        {
            "count": badge_text(inbox_badge_count(request.user)),
            "url": reverse("alerts:unread_count"),
        },
    )
