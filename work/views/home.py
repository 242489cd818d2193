"""Home: the signed-in user's work queue (work.selectors.home), or what to do first."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.models import Organisation, Role, User
from work.selectors.home import LIMIT, work_queue


def persona(user: User) -> str:
    """Which first steps the empty Home suggests: what this user can do in hrdcase."""
    organisation = user.organisation
    if organisation is None:
        return "staff"
    if user.role == Role.COORDINATOR:
        return "coordinator"
    if user.role == Role.VIEWER:
        return "viewer"
    if organisation.kind == Organisation.Kind.SHELTER_CITY:
        return "city"
    if user.role == Role.ADMIN:
        return "admin"
    if organisation.kind == Organisation.Kind.NGO:
        return "ngo"
    return "officer"


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)  # login_required ran first
    return render(
        request,
        "work/home.html",
        {
            "queue": work_queue(user),
            "persona": persona(user),
            "can_act": user.can_write,
            "limit": LIMIT,
        },
    )
