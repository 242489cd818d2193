"""Visa referral pages: the requester's referral form, the mission's queue (nearest
fast-track deadline first) and the referral's page (the mission decides, the requester may
withdraw)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from hrdcase.forms import form_status
from hrdcase.tenancy import get_object_for
from relocation.forms.visa import VisaDecisionForm, VisaReferralForm
from relocation.models import VisaReferral
from relocation.selectors.visa import visa_queue_for, visa_referrals_for
from relocation.services.visa import VISA, VISA_STEPS, visa_referral_create
from relocation.views.referral import (
    posted_for,
    referral_form_view,
    referral_step_post,
    status_page,
)

visa_create = referral_form_view(
    VISA,
    VisaReferralForm,
    visa_referral_create,
    title=_("Refer for a fast-track visa"),
    success=_("Visa referral sent to the mission."),
)

SUCCESS = {
    "decide": _("Decision recorded; the requester is told."),
    "withdraw": _("Referral withdrawn."),
}


def _queue(user, *, status: str):
    return visa_queue_for(user, status="" if status == "all" else status)


@login_required
def visa_queue(request: HttpRequest) -> HttpResponse:
    """The mission's referrals, nearest fast-track deadline first."""
    if request.user.organisation_id is None:  # platform staff: no organisation, no queue
        raise Http404
    statuses = [*VisaReferral.Status.values, "all"]
    page, status, answer = status_page(
        request, _queue, statuses, default=VisaReferral.Status.PENDING
    )
    today = timezone.localdate()
    rows = [(referral, referral.flag(today), referral.days_left(today)) for referral in page]
    return render(
        request,
        "relocation/visa_queue.html",
        {
            "page": page,
            "rows": rows,
            "status": status,
            "statuses": VisaReferral.Status.choices,
            "is_mission": request.user.organisation.kind == Organisation.Kind.MISSION,
        },
        status=answer,
    )


@login_required
def visa_detail(request: HttpRequest, pk) -> HttpResponse:
    referral = get_object_for(request.user, visa_referrals_for(request.user), pk)
    user = request.user
    form = VisaDecisionForm(posted_for(request, "decide"))
    if request.method == "POST":
        done = referral_step_post(request, referral, VISA, VISA_STEPS, {"decide": form}, SUCCESS)
        if done is not None:
            return done
    today = timezone.localdate()
    return render(
        request,
        "relocation/visa_detail.html",
        {
            "referral": referral,
            "is_mission": referral.mission_id == user.organisation_id,
            "is_requester": referral.organisation_id == user.organisation_id,
            "form": form,
            "flag": referral.flag(today),
            "days_left": referral.days_left(today),
        },
        status=form_status(form),
    )
