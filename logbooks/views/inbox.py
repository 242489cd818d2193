"""The updates inbox: partners' shared entries on the cases I see, unread ones marked."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hrdcase.pagination import paginate
from logbooks.selectors.inbox import inbox_for
from logbooks.services.inbox import inbox_mark_all_read
from logbooks.views import PAGE_SIZE


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    entries = inbox_for(request.user)
    if request.GET.get("unread"):
        entries = entries.filter(is_unread=True)
    page = paginate(request, entries, PAGE_SIZE)
    return render(
        request,
        "logbooks/inbox.html",
        {"page": page, "unread_only": bool(request.GET.get("unread"))},
    )


@login_required
@require_POST
def inbox_read_all(request: HttpRequest) -> HttpResponse:
    count = inbox_mark_all_read(user=request.user)
    messages.success(request, _("%(n)d updates marked read.") % {"n": count})
    return redirect("logbooks:inbox")
