"""Grant pages: the requester's request form, the grantor's inbox and the grant's page (the
grantor decides, then records the disbursement)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from hrdcase.tenancy import get_object_for
from relocation.forms.grants import GrantDecisionForm, GrantRequestForm
from relocation.forms.referral import DayForm
from relocation.models import GrantRequest
from relocation.selectors.grants import grants_for, grants_inbox_for
from relocation.selectors.settings import settings_for
from relocation.services.grants import GRANT, GRANT_STEPS, grant_request_create
from relocation.views.referral import (
    form_status,
    posted_for,
    referral_form_view,
    referral_step_post,
    status_page,
)

grant_create = referral_form_view(
    GRANT,
    GrantRequestForm,
    grant_request_create,
    title=_("Ask for an emergency grant"),
    success=_("Grant request sent."),
)

SUCCESS = {
    "decide": _("Decision recorded; the requester is told."),
    "disburse": _("Disbursement recorded."),
}


@login_required
def grants_inbox(request: HttpRequest) -> HttpResponse:
    page, status = status_page(request, grants_inbox_for, GrantRequest.Status.values)
    return render(
        request,
        "relocation/grants_inbox.html",
        {"page": page, "status": status, "cap": settings_for(request.user.organisation_id)},
    )


@login_required
def grant_detail(request: HttpRequest, pk) -> HttpResponse:
    grant = get_object_for(request.user, grants_for(request.user), pk)
    user = request.user
    decision_form = GrantDecisionForm(posted_for(request, "decide"))
    day_form = DayForm(posted_for(request, "disburse"))
    if request.method == "POST":
        forms = {"decide": decision_form, "disburse": day_form}
        done = referral_step_post(request, grant, GRANT, GRANT_STEPS, forms, SUCCESS)
        if done is not None:
            return done
    return render(
        request,
        "relocation/grant_detail.html",
        {
            "grant": grant,
            "is_grantor": grant.grantor_id == user.organisation_id,
            "is_requester": grant.organisation_id == user.organisation_id,
            "decision_form": decision_form,
            "day_form": day_form,
        },
        status=form_status(decision_form, day_form),
    )
