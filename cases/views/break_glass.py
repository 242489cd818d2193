"""Break-glass pages: an admin of a ``feedback`` partner opens the full file in an emergency;
the owner (or the opener's admin) ends an opening early.

Who: a user who cannot see the case gets 404 (as for a case that does not exist); one who
sees it but may not break the glass (owner, officer or viewer, ``full`` partner) gets 403.
Thin: access check -> service -> template. Also what the case page shows of openings: the
break-glass panel and the owner's timeline.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.access import CaseAccess, get_case_for
from cases.forms.break_glass import BreakGlassForm
from cases.models import BreakGlassAccess, Case
from cases.registries.timeline import TimelineItem
from cases.selectors.break_glass import (
    break_glass_active,
    break_glass_openings,
    break_glass_refusal,
)
from cases.services.break_glass import BREAK_GLASS_DURATION, break_glass_end, break_glass_open
from hrdcase.exceptions import StateConflict
from hrdcase.forms import add_service_errors, form_status
from hrdcase.tenancy import get_object_for


@login_required
def break_glass(request: HttpRequest, pk) -> HttpResponse:
    case, _access = get_case_for(request.user, pk)
    refusal = break_glass_refusal(request.user, case)
    if refusal is not None:
        raise PermissionDenied(refusal)
    active = break_glass_active(request.user, case)
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST":
        if active is not None:
            messages.info(request, _("Break-glass access to this case is already open."))
            return redirect("cases:break_glass", pk=case.pk)
        if form.is_valid():
            try:
                break_glass_open(
                    case=case, reason=form.cleaned_data["reason"], acting_user=request.user
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except StateConflict as error:
                form.add_error(None, error.message)
            else:
                messages.warning(
                    request,
                    _(
                        "Break-glass access is open for 24 hours. The owner's administrators "
                        "have been told."
                    ),
                )
                return redirect("cases:break_glass", pk=case.pk)
    return render(
        request,
        "cases/break_glass/open.html",
        {
            "case": case,
            "form": form,
            "active": active,
            "hours": int(BREAK_GLASS_DURATION.total_seconds() // 3600),
        },
        status=form_status(form),
    )


@login_required
@require_POST
def break_glass_end_view(request: HttpRequest, pk, access_pk) -> HttpResponse:
    case, _access = get_case_for(request.user, pk)
    opening = get_object_for(
        request.user, BreakGlassAccess.objects.visible_to(request.user).filter(case=case), access_pk
    )
    try:
        break_glass_end(access=opening, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Break-glass access ended."))
    return redirect("cases:detail", pk=case.pk)


# --- the case page -------------------------------------------------------------------------------


def break_glass_panel(
    request: HttpRequest, case: Case, access: CaseAccess
) -> dict[str, Any] | None:
    """The owner: the openings in force, with their reasons (its writers may end them). A
    partner: its opening in force (its admins may end it), or the way to open the file."""
    if case.purged_at is not None:
        return None
    user = request.user
    if access.is_owner:
        now = timezone.now()
        openings = [o for o in break_glass_openings(case, access) if o.is_active_at(now)]
        return {"openings": openings, "can_end": user.can_write} if openings else None
    active = break_glass_active(user, case)
    eligible = active is None and break_glass_refusal(user, case) is None
    if active is None and not eligible:
        return None
    return {"active": active, "can_end": user.is_org_admin, "eligible": eligible}


def break_glass_timeline(case: Case, access: CaseAccess) -> Iterator[TimelineItem]:
    """Openings on the owner's timeline (partners see their own opening on the case page)."""
    for opening in break_glass_openings(case, access):
        yield TimelineItem(
            at=opening.opened_at,
            kind="break_glass",
            title=_("Break-glass access opened by %(user)s of %(org)s until %(until)s UTC")
            % {
                "user": opening.opened_by,
                "org": opening.opener_organisation,
                "until": f"{opening.expires_at:%Y-%m-%d %H:%M}",
            },
        )
        if opening.ended_at:
            yield TimelineItem(
                at=opening.ended_at,
                kind="break_glass",
                title=_("Break-glass access of %(org)s ended early")
                % {"org": opening.opener_organisation},
            )
