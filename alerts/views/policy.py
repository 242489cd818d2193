"""The escalation policy page: everyone reads it, the organisation's administrators edit it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alerts.forms.policy import EscalationStepForm
from alerts.models import EscalationStep
from alerts.services.policy import (
    escalation_policy_reset,
    escalation_step_add,
    escalation_step_remove,
    policy_for,
    policy_steps,
)
from cases.access import require_org_admin
from hrdcase.forms import add_service_errors
from hrdcase.tenancy import get_object_for


@login_required
def policy_view(request: HttpRequest) -> HttpResponse:
    """The organisation's escalation policy: everyone reads it, administrators edit it."""
    organisation = request.user.organisation
    if organisation is None:
        raise Http404
    policy = policy_for(organisation)
    form = EscalationStepForm(request.POST or None, organisation=organisation)
    if request.method == "POST":
        require_org_admin(request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                escalation_step_add(
                    organisation=organisation,
                    after_minutes=data["after_minutes"],
                    target=data["target"],
                    role=data["role"],
                    network=data["network"],
                    acting_user=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Step added."))
                return redirect("alerts:policy")
    return render(
        request,
        "alerts/policy.html",
        {
            "policy": policy,
            "steps": policy_steps(policy),
            "form": form,
            "can_edit": request.user.is_org_admin,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def policy_step_remove(request: HttpRequest, step_pk) -> HttpResponse:
    step = get_object_for(
        request.user,
        EscalationStep.objects.visible_to(request.user).select_related("policy"),
        step_pk,
    )
    require_org_admin(request.user)
    escalation_step_remove(step=step, acting_user=request.user)
    messages.success(request, _("Step removed."))
    return redirect("alerts:policy")


@login_required
@require_POST
def policy_reset(request: HttpRequest) -> HttpResponse:
    require_org_admin(request.user)
    escalation_policy_reset(organisation=request.user.organisation, acting_user=request.user)
    messages.success(request, _("The policy is back to the default steps."))
    return redirect("alerts:policy")
