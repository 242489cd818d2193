"""Support request pages: ask from a case, the requester's list, the receiver's queue, one
request with its steps (accept, decline, report, withdraw, share the case). Thin: access
check, then a service or selector, then a template. Also the case page's panel."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from alerts.services.notifications import notifications_read_about
from cases.access import CaseAccess, get_case_for, require_writer
from cases.models import Case, CaseShare
from hrdcase.exceptions import StateConflict
from hrdcase.forms import add_service_errors
from hrdcase.pagination import paginate
from hrdcase.tenancy import get_object_for
from support import services
from support.forms import AcceptForm, AskForm, DeclineForm, ReportForm, ShareForm
from support.models import SupportRequest, SupportStatus
from support.selectors import case_requests_seen, requests_received, requests_sent

PAGE_SIZE = 25
#: the case part the panel reads (``cases.registries.parts``).
PANEL_REQUESTS = "support.panel_requests"


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # login_required: a signed-in user


@login_required
def support_ask(request: HttpRequest, pk: Any) -> HttpResponse:
    """Ask a mission (or a network's missions) for support on a case the organisation
    follows: the owner, or a partner whose share lets it add shared entries."""
    user = _user(request)
    case, access = get_case_for(user, pk, need=services.NEED_ASK)
    require_writer(user)
    form = AskForm(request.POST or None, user=user, case=case, access=access)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created = services.support_request_create(
                    case=case, acting_user=user, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Support asked of %(n)d mission(s).") % {"n": len(created)},
                )
                if len(created) == 1:
                    return redirect("support:detail", pk=created[0].pk)
                return redirect("support:sent")
        status = 400
    return render(request, "support/ask.html", {"case": case, "form": form}, status=status)


@login_required
def support_sent(request: HttpRequest) -> HttpResponse:
    """The requests the organisation made."""
    page = paginate(request, requests_sent(_user(request)), PAGE_SIZE)
    return render(request, "support/sent.html", {"page": page})


@login_required
def support_queue(request: HttpRequest) -> HttpResponse:
    """The requests addressed to the organisation: waiting ones first, by urgency then the
    day needed by."""
    page = paginate(request, requests_received(_user(request)), PAGE_SIZE)
    return render(request, "support/queue.html", {"page": page})


def _get(user: User, pk: Any) -> SupportRequest:
    return get_object_for(
        user,
        SupportRequest.objects.visible_to(user).select_related(
            "case", "organisation", "receiver", "hearing", "action", "requested_by"
        ),
        pk,
    )


def _detail_context(user: User, support: SupportRequest, **forms_: forms.Form) -> dict[str, Any]:
    is_receiver = user.organisation_id == support.receiver_id
    is_requester = user.organisation_id == support.organisation_id
    sees_case = Case.objects.visible_to(user).filter(pk=support.case_id).exists()
    owner_may_share = (
        support.case.organisation_id == user.organisation_id
        and user.can_write
        and not CaseShare.objects.owned_by(support.case.organisation)
        .live()
        .filter(case_id=support.case_id, partner_id=support.receiver_id)
        .exists()
    )
    writer = user.can_write
    context: dict[str, Any] = {
        "support": support,
        "is_receiver": is_receiver,
        "is_requester": is_requester,
        "sees_case": sees_case,
        "can_answer": is_receiver and writer and support.status == SupportStatus.OPEN,
        "can_report": is_receiver and writer and support.status == SupportStatus.ACCEPTED,
        "can_withdraw": is_requester and writer and support.status == SupportStatus.OPEN,
        "can_share": owner_may_share and support.status != SupportStatus.WITHDRAWN,
        "accept_form": AcceptForm(),
        "decline_form": DeclineForm(),
        "report_form": ReportForm(),
        "share_form": ShareForm(),
    }
    context.update(forms_)
    return context


@login_required
def support_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    user = _user(request)
    support = _get(user, pk)
    services.support_request_seen(request=support, user=user)
    notifications_read_about(user=user, source_ids=[support.pk])
    return render(request, "support/detail.html", _detail_context(user, support))


#: step -> (form, service call with the form's data, its message, the form's context name).
_Step = tuple[type[forms.Form], Callable[..., Any], str, str]


def _steps() -> dict[str, _Step]:
    return {
        "accept": (
            AcceptForm,
            services.support_request_accept,
            _("Accepted: the requester is told."),
            "accept_form",
        ),
        "decline": (
            DeclineForm,
            services.support_request_decline,
            _("Declined: the requester reads your reason."),
            "decline_form",
        ),
        "report": (
            ReportForm,
            services.support_request_report,
            _("Outcome reported to the requester."),
            "report_form",
        ),
        "withdraw": (forms.Form, services.support_request_withdraw, _("Withdrawn."), "withdraw"),
        "share": (
            ShareForm,
            services.support_request_share,
            _("Case shared with the mission."),
            "share_form",
        ),
    }


@login_required
@require_POST
def support_step(request: HttpRequest, pk: Any, step: str) -> HttpResponse:
    """One step on a request (its services decide who may take it: 403 otherwise)."""
    user = _user(request)
    support = _get(user, pk)
    steps = _steps()
    if step not in steps:
        raise Http404
    require_writer(user)
    form_class, service, done, name = steps[step]
    form = form_class(request.POST)
    if form.is_valid():
        try:
            service(request=support, acting_user=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except StateConflict as conflict:
            messages.error(request, conflict.message)
            return redirect("support:detail", pk=support.pk)
        else:
            messages.success(request, done)
            return redirect("support:detail", pk=support.pk)
    support.refresh_from_db()
    context = _detail_context(user, support, **{name: form})
    return render(request, "support/detail.html", context, status=400)


# --- the case page -------------------------------------------------------------------------------


def support_panel(request: HttpRequest, case: Case, access: CaseAccess) -> dict[str, Any] | None:
    """ "Diplomatic support": the requests the viewer's organisation made on the case, and
    "Ask for support" for its writers (owner, or a partner that may add shared entries)."""
    if not (access.is_owner or access.has(services.NEED_ASK)):
        return None
    user = _user(request)
    return {
        "case": case,
        # read only when the case has a request (``PANEL_REQUESTS`` is a part of the case).
        "requests": access.remember(PANEL_REQUESTS, lambda: case_requests_seen(case, user)),
        "can_ask": user.can_write and not case.is_closed and not case.purged_at,
    }
