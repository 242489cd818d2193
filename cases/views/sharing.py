"""Sharing pages: the owner shares a case with another organisation and revokes a share;
coordination between organisations that perhaps follow the same defender; the admins'
duplicate-hint counts. Also what the case page shows of them: the duplicate hint, the
"Consent and sharing" and "Who viewed this case" panels, the timeline's shares."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.access import (
    NEED_OWNER,
    CaseAccess,
    get_case_for,
    require_org_admin,
    require_writer,
)
from cases.forms.sharing import CoordinationAnswerForm, CoordinationRequestForm, ShareForm
from cases.models import Case, CaseShare, CoordinationRequest
from cases.registries.timeline import TimelineItem
from cases.selectors.consent import case_consents_seen
from cases.selectors.sharing import (
    access_log_of,
    case_shares_seen,
    duplicate_hint_counts,
    partner_share_of,
    shares_of,
)
from cases.selectors.sharing import (
    coordination_inbox as coordination_inbox_of,
)
from cases.services import sharing as sharing_services
from hrdcase.exceptions import StateConflict
from hrdcase.forms import add_service_errors, form_status
from hrdcase.pagination import paginate
from hrdcase.redirects import redirect_back
from hrdcase.tenancy import NEED_CHANGE, get_object_for

PAGE_SIZE = 25
#: the period the duplicate-hint report covers.
HINT_REPORT_DAYS = 30


@login_required
def case_shares(request: HttpRequest, pk) -> HttpResponse:
    need = NEED_CHANGE if request.method == "POST" else NEED_OWNER
    case, access = get_case_for(request.user, pk, need=need)
    form = ShareForm(request.POST or None, organisation=case.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            sharing_services.case_share(case=case, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Case shared."))
            return redirect("cases:shares", pk=case.pk)
    return render(
        request,
        "cases/shares.html",
        {"case": case, "access": access, "form": form, "shares": shares_of(case)},
        status=form_status(form),
    )


@login_required
@require_POST
def share_revoke(request: HttpRequest, pk, share_pk) -> HttpResponse:
    case, _access = get_case_for(request.user, pk, need=NEED_CHANGE)
    share = get_object_for(
        request.user, CaseShare.objects.owned_by(case.organisation).filter(case=case), share_pk
    )
    try:
        sharing_services.share_revoke(share=share, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Share with %(org)s revoked.") % {"org": share.partner})
    return redirect("cases:shares", pk=case.pk)


#: what a partner may do with a share made to its organisation (``share_answer``).
PARTNER_STEPS = {
    "accept": sharing_services.share_accept,
    "decline": sharing_services.share_decline,
    "leave": sharing_services.share_leave,
}


@login_required
@require_POST
def share_answer(request: HttpRequest, share_pk, step: str) -> HttpResponse:
    """The partner accepts, declines or leaves a live share made to its organisation (from the
    case page or Home). Another organisation's share, an ended one or a lapsed one: 404."""
    share = get_object_for(
        request.user,
        CaseShare.objects.visible_to(request.user)
        .live()
        .filter(partner_id=request.user.organisation_id)
        .select_related("case", "organisation", "partner"),
        share_pk,
    )
    if step not in PARTNER_STEPS:
        raise Http404
    require_writer(request.user)
    case_url = reverse("cases:detail", args=[share.case_id])
    try:
        PARTNER_STEPS[step](share=share, acting_user=request.user)
    except StateConflict as conflict:
        messages.error(request, conflict.message)
        return redirect(case_url)
    if step == "accept":
        messages.success(request, _("Share accepted: your organisation follows this case."))
        return redirect_back(request, case_url)
    told = (
        _("Share declined: %(owner)s is told.")
        if step == "decline"
        else _("You left the share: %(owner)s is told.")
    )
    messages.success(request, told % {"owner": share.organisation.name})
    # The case page answers 404 now: back where the user was, unless that was the case.
    return redirect_back(request, reverse("cases:list"), avoid=case_url)


@login_required
@require_POST
def case_coordinate(request: HttpRequest, pk) -> HttpResponse:
    case, _access = get_case_for(request.user, pk, need=NEED_CHANGE)
    form = CoordinationRequestForm(request.POST)
    if form.is_valid():
        sharing_services.coordination_request(
            case=case, message=form.cleaned_data["message"], acting_user=request.user
        )
        # The same answer whether or not anybody was asked (or had been asked before): the
        # requester learns nothing more than the hint told (as in the API).
        messages.success(
            request,
            _(
                "Coordination request recorded. If another organisation follows this defender, "
                "it reads your message; you will see its case here if it shares it."
            ),
        )
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("cases:detail", pk=case.pk)


@login_required
def coordination_inbox(request: HttpRequest) -> HttpResponse:
    page = paginate(request, coordination_inbox_of(request.user), PAGE_SIZE)
    return render(request, "cases/coordination_inbox.html", {"page": page})


@login_required
def coordination_answer(request: HttpRequest, request_pk) -> HttpResponse:
    coordination = get_object_for(request.user, coordination_inbox_of(request.user), request_pk)
    form = CoordinationAnswerForm(request.POST or None)
    if request.method == "POST":
        require_writer(request.user)
        if form.is_valid():
            answer = form.cleaned_data["answer"]
            try:
                sharing_services.coordination_answer(
                    request=coordination,
                    share_level=None if answer == "decline" else answer,
                    reason=form.cleaned_data["reason"],
                    acting_user=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Answer recorded."))
                return redirect("cases:coordination_inbox")
    return render(
        request,
        "cases/coordination_answer.html",
        {
            "coordination": coordination,
            "form": form,
            "open": coordination.status == CoordinationRequest.Status.OPEN,
        },
        status=form_status(form),
    )


@login_required
def duplicate_hints(request: HttpRequest) -> HttpResponse:
    """Admins: how many "another organisation follows this defender" checks and hints each
    member triggered (the hint can tell whether a named person is protected somewhere)."""
    require_org_admin(request.user)
    since = timezone.now() - timedelta(days=HINT_REPORT_DAYS)
    return render(
        request,
        "cases/duplicate_hints.html",
        {
            "rows": duplicate_hint_counts(request.user.organisation, since=since),
            "days": HINT_REPORT_DAYS,
            "limit": settings.HRDCASE_DUPLICATE_HINT_DAILY_LIMIT,
        },
    )


# --- the case page -------------------------------------------------------------------------------


def duplicate_hint_panel(
    request: HttpRequest, case: Case, access: CaseAccess
) -> dict[str, Any] | None:
    """ "Another organisation follows this defender" (or: the check did not run today), for
    the owner's members; its writers may ask to coordinate from it."""
    if not access.is_owner:
        return None
    hint = sharing_services.duplicate_hint_for(case=case, user=request.user)
    if not (hint.limited or hint.shown):
        return None
    return {"hint": hint, "form": CoordinationRequestForm()}


def sharing_panel(request: HttpRequest, case: Case, access: CaseAccess) -> dict[str, Any] | None:
    """The owner's "Consent and sharing": how many consents, the shares in force."""
    if not access.is_owner:
        return None
    return {
        "consents": case_consents_seen(case, access),
        "shares": case_shares_seen(case, access),
    }


def partner_share_panel(
    request: HttpRequest, case: Case, access: CaseAccess
) -> dict[str, Any] | None:
    """A partner's own share of the case: accept or decline it while it is new, leave it
    afterwards (its writers); what it is, for every member."""
    if access.is_owner:
        return None
    share = partner_share_of(case, request.user)
    if share is None:
        return None
    return {"share": share, "can_answer": access.can_write_role, "next": request.get_full_path()}


def access_log_panel(request: HttpRequest, case: Case, access: CaseAccess) -> dict[str, Any] | None:
    """The owner's "Who viewed this case"."""
    if not access.is_owner:
        return None
    return {"entries": access_log_of(case)}


def share_timeline(case: Case, access: CaseAccess) -> Iterator[TimelineItem]:
    if not access.is_owner:
        return
    for share in case_shares_seen(case, access):
        yield TimelineItem(
            at=share.created_at,
            kind="share",
            title=_("Shared with %(org)s (%(level)s)")
            % {"org": share.partner, "level": share.level},
        )
        if share.accepted_by_id and share.accepted_at:
            yield TimelineItem(
                at=share.accepted_at,
                kind="share",
                title=_("%(org)s accepted the share") % {"org": share.partner},
            )
        if share.ended_at:
            yield TimelineItem(
                at=share.ended_at,
                kind="share",
                title=_("Share with %(org)s ended: %(status)s")
                % {"org": share.partner, "status": share.get_status_display()},
            )
