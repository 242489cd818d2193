"""The page a notification's acknowledge/resolve link opens (``alerts.services.links``).

Behind the normal login and second factor (``login_required``; the two-factor middleware
sends a session without it to the OTP step, then back here). GET shows what the link will
do and changes nothing; the POST of its button does it, once.
"""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import User
from alerts.forms.alerts import AlertResolveForm
from alerts.selectors.alerts import get_alert_for
from alerts.services.links import (
    ACKNOWLEDGE,
    LinkError,
    action_link_open,
    action_link_use,
)
from hrdcase.exceptions import StateConflict
from hrdcase.forms import add_service_errors


def _refused(request: HttpRequest, error: LinkError) -> HttpResponse:
    return render(
        request, "alerts/link_refused.html", {"message": error.message}, status=error.status
    )


@login_required
@require_http_methods(["GET", "POST"])
def alert_act(request: HttpRequest, token: str) -> HttpResponse:
    user = cast(User, request.user)  # login_required
    try:
        link = action_link_open(token=token, user=user)
    except LinkError as error:
        return _refused(request, error)
    alert, _access = get_alert_for(user, link.alert.pk)  # 404 once it is not theirs
    form = AlertResolveForm(request.POST or None) if link.action != ACKNOWLEDGE else None
    if request.method == "POST" and (form is None or form.is_valid()):
        note = form.cleaned_data["note"] if form is not None else ""
        try:
            action_link_use(token=token, acting_user=user, note=note)
        except LinkError as error:
            return _refused(request, error)
        except StateConflict as conflict:
            messages.warning(request, conflict.message)
            return redirect("alerts:detail", pk=alert.pk)
        except ValidationError as error:
            if form is None:
                raise
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Acknowledged: the escalation has stopped.")
                if link.action == ACKNOWLEDGE
                else _("Alert resolved."),
            )
            return redirect("alerts:detail", pk=alert.pk)
    return render(
        request,
        "alerts/alert_act.html",
        {"alert": alert, "case": alert.case, "action": link.action, "form": form},
        status=400 if form is not None and form.errors else 200,
    )
