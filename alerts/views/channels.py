"""The channels' pages: a user's own Signal number (set, verify with the code, remove) and
the organisation's webhook (its administrators)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.models import User
from alerts import conf
from alerts.channels.webhook import SIGNATURE_HEADER, TIMESTAMP_HEADER
from alerts.forms.channels import SignalCodeForm, SignalNumberForm, WebhookForm
from alerts.models import OrganisationWebhook, SignalNumber
from alerts.services.channels import (
    signal_number_remove,
    signal_number_start,
    signal_number_verify,
    webhook_remove,
    webhook_save,
)
from cases.access import require_org_admin
from hrdcase.forms import add_service_errors


def _member(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required
    if user.organisation_id is None:
        raise Http404  # platform staff receive no notifications
    return user


@login_required
def signal_number(request: HttpRequest) -> HttpResponse:
    user = _member(request)
    action = request.POST.get("action") if request.method == "POST" else None
    number_form = SignalNumberForm(request.POST if action == "send" else None)
    code_form = SignalCodeForm(request.POST if action == "verify" else None)
    if action is not None:
        done = _signal_action(request, user, action, number_form, code_form)
        if done is not None:
            return done
    row = SignalNumber.objects.filter(user=user).first()
    return render(
        request,
        "alerts/signal_number.html",
        {
            "signal_enabled": conf.signal_enabled(),
            "row": row,
            "code_pending": bool(row and row.code_hash),
            "number_form": number_form,
            "code_form": code_form,
        },
        status=400 if number_form.errors or code_form.errors else 200,
    )


def _signal_action(request, user: User, action: str, number_form, code_form):
    """Run the posted action; a redirect when done, None to show the page with errors."""
    try:
        if action == "send" and number_form.is_valid():
            signal_number_start(
                user=user, number=number_form.cleaned_data["number"], acting_user=user
            )
            messages.success(request, _("A code was sent to your number through Signal."))
        elif action == "verify" and code_form.is_valid():
            signal_number_verify(user=user, code=code_form.cleaned_data["code"], acting_user=user)
            messages.success(request, _("Your Signal number is verified: choose what it receives."))
            return redirect("alerts:preferences")
        elif action == "remove":
            signal_number_remove(user=user, acting_user=user)
            messages.success(request, _("Your Signal number is removed."))
        elif action not in ("send", "verify"):
            number_form.add_error(None, _("Unknown action."))
            return None
        else:
            return None  # the form's own errors
    except ValidationError as error:
        add_service_errors(number_form if action == "send" else code_form, error)
        return None
    return redirect("alerts:signal_number")


@login_required
def webhook(request: HttpRequest) -> HttpResponse:
    """The organisation's webhook: its administrators only (403 for the other members)."""
    user = _member(request)
    require_org_admin(user)
    organisation = user.organisation
    assert organisation is not None  # _member
    hook = OrganisationWebhook.objects.owned_by(organisation).first()
    initial = (
        {"url": hook.url, "kinds": hook.kinds, "active": hook.active}
        if hook
        else {"kinds": ["alert", "alert_escalation", "alert_reminder"], "active": True}
    )
    form = WebhookForm(
        request.POST if request.method == "POST" and "remove" not in request.POST else None,
        initial=initial,
    )
    if request.method == "POST" and "remove" in request.POST:
        webhook_remove(organisation=organisation, acting_user=user)
        messages.success(request, _("The webhook is removed."))
        return redirect("alerts:webhook")
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            webhook_save(
                organisation=organisation,
                url=data["url"],
                secret=data["secret"],
                kinds=data["kinds"],
                active=data["active"],
                acting_user=user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The webhook is saved."))
            return redirect("alerts:webhook")
    return render(
        request,
        "alerts/webhook.html",
        {
            "form": form,
            "hook": hook,
            "signature_header": SIGNATURE_HEADER,
            "timestamp_header": TIMESTAMP_HEADER,
        },
        status=400 if form.is_bound and form.errors else 200,
    )
