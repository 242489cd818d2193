"""The notification centre: my notifications, marked read one by one or all at once, and the
menu's unread badge."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from alerts.models import Notification
from alerts.selectors.notifications import notifications_of, unread_notification_count
from alerts.views import PAGE_SIZE
from hrdcase.pagination import paginate
from hrdcase.tenancy import get_object_for


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = notifications_of(request.user).select_related("alert")
    if request.GET.get("unread"):
        notifications = notifications.filter(read_at__isnull=True)
    page = paginate(request, notifications, PAGE_SIZE)
    return render(
        request,
        "alerts/notification_list.html",
        {
            "page": page,
            "notifications": page.object_list,
            "unread": unread_notification_count(request.user),
            "only_unread": bool(request.GET.get("unread")),
        },
    )


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("alerts:notifications")


@login_required
@require_POST
def notification_read(request: HttpRequest, pk) -> HttpResponse:
    notification = get_object_for(
        request.user, Notification.objects.for_recipient(request.user), pk
    )
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    if request.POST.get("open") and notification.url:
        return redirect(notification.url)
    return redirect(_back(request))


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = (
        Notification.objects.for_recipient(request.user)
        .filter(read_at__isnull=True)
        .update(read_at=timezone.now())
    )
    messages.success(request, _("%(count)s notification(s) marked as read.") % {"count": count})
    return redirect(_back(request))


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
        {"count": unread_notification_count(request.user), "url": reverse("alerts:unread_count")},
    )
