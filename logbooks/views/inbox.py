"""The old updates inbox: partners' shared entries are in the one inbox now (alerts), filtered
on shared entries; its links and bookmarks lead there."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alerts.kinds import Category
from logbooks.services.inbox import inbox_mark_all_read


def _shared_entries(unread: bool = False) -> str:
    query = {"category": Category.SHARED_ENTRIES.value, **({"unread": "1"} if unread else {})}
    return f"{reverse('alerts:notifications')}?{urlencode(query)}"


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    return redirect(_shared_entries(unread=bool(request.GET.get("unread"))))


@login_required
@require_POST
def inbox_read_all(request: HttpRequest) -> HttpResponse:
    count = inbox_mark_all_read(user=request.user)
    messages.success(request, _("%(n)d updates marked read.") % {"n": count})
    return redirect(_shared_entries())
