"""Grant pages: the requester's request form, the grantor's inbox and the grant's page (the
grantor decides, then records the disbursement)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from cases.access import get_case_for, require_writer
from hrdcase.forms import add_service_errors, form_status
from hrdcase.tenancy import get_object_for
from relocation.forms.grants import CaseGrantForm, GrantDecisionForm, GrantRequestForm
from relocation.forms.referral import DayForm
from relocation.models import GrantPurpose, GrantRequest
from relocation.selectors.grants import grantor_offers, grants_for, grants_inbox_for
from relocation.selectors.settings import settings_for
from relocation.services.access import REFERRAL_PERMISSION
from relocation.services.grants import (
    GRANT,
    GRANT_STEPS,
    grant_request_create,
    grant_request_on_case,
)
from relocation.views.referral import (
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


@login_required
def case_grant_create(request: HttpRequest, case_pk) -> HttpResponse:
    """A grant asked on a case on its own (issue 20): the case owner's writers, or a
    partner's whose live share grants referrals (404 otherwise); each grantor's activities,
    caps and eligibility criteria shown; the service re-checks access when it writes."""
    case, _access = get_case_for(request.user, case_pk, need=REFERRAL_PERMISSION)
    require_writer(request.user)
    form = CaseGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = grant_request_on_case(
                case=case, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Grant request sent."))
            return redirect("relocation:grant_detail", pk=created.pk)
    labels = dict(GrantPurpose.choices)
    offers = [
        {
            "grantor": org,
            "settings": row,
            "activities": [labels[a] for a in row.grant_activities if a in labels]
            or [_("All activity types")],
        }
        for org, row in grantor_offers()
    ]
    return render(
        request,
        "relocation/case_grant_form.html",
        {"form": form, "case": case, "offers": offers, "title": _("Ask for an emergency grant")},
        status=form_status(form),
    )


SUCCESS = {
    "decide": _("Decision recorded; the requester is told."),
    "disburse": _("Disbursement recorded."),
}


@login_required
def grants_inbox(request: HttpRequest) -> HttpResponse:
    page, status, answer = status_page(request, grants_inbox_for, GrantRequest.Status.values)
    return render(
        request,
        "relocation/grants_inbox.html",
        {"page": page, "status": status, "cap": settings_for(request.user.organisation_id)},
        status=answer,
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
