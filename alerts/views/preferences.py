"""The notification preferences page: which kinds of notification reach me by e-mail,
grouped by the inbox's categories (every notification reaches the inbox)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.models import User
from alerts.forms.preferences import NotificationPreferencesForm
from alerts.kinds import kinds_by_category
from alerts.selectors.preferences import email_choices_of
from alerts.services.preferences import notification_preferences_save
from hrdcase.forms import add_service_errors


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # login_required
    if user.organisation_id is None:
        raise Http404  # platform staff receive no notifications
    current = email_choices_of(user)
    form = NotificationPreferencesForm(
        # bound on every POST: unticking every box posts no "email" at all
        request.POST if request.method == "POST" else None,
        initial={"email": [kind for kind, on in current.items() if on]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            notification_preferences_save(user=user, email=form.email_choices(), acting_user=user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your e-mail preferences are saved."))
            return redirect("alerts:preferences")
    checked = set(form["email"].value() or []) if form.is_bound else None
    groups = [
        (
            category,
            [
                {
                    "kind": k,
                    "checked": current[k.kind]
                    if checked is None or k.urgent
                    else k.kind in checked,
                    "locked": k.urgent or k.in_app_only,
                }
                for k in kinds
            ],
        )
        for category, kinds in kinds_by_category()
    ]
    return render(
        request,
        "alerts/preferences.html",
        {"form": form, "groups": groups},
        status=400 if form.is_bound and form.errors else 200,
    )
