"""Pages about sharing a case with other organisations and coordinating with them."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cases import selectors

#: the period the duplicate-hint report covers.
HINT_REPORT_DAYS = 30


@login_required
def duplicate_hints(request: HttpRequest) -> HttpResponse:
    """Admins: how many "another organisation follows this defender" checks and hints each
    member triggered (the hint can tell whether a named person is protected somewhere)."""
    if not request.user.is_org_admin:
        raise PermissionDenied
    since = timezone.now() - timedelta(days=HINT_REPORT_DAYS)
    return render(
        request,
        "cases/duplicate_hints.html",
        {
            "rows": selectors.duplicate_hint_counts(request.user.organisation, since=since),
            "days": HINT_REPORT_DAYS,
            "limit": settings.HRDCASE_DUPLICATE_HINT_DAILY_LIMIT,
        },
    )
