"""The notification preferences page: which kinds of notification reach me by e-mail and
by Signal, grouped by the inbox's categories (every notification reaches the inbox), and
my quiet hours."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.timezones import effective_time_zone_name
from alerts import conf
from alerts.forms.preferences import NotificationPreferencesForm
from alerts.kinds import kinds_by_category
from alerts.models import NotificationPreference
from alerts.selectors.channels import signal_choices_of, verified_signal_users
from alerts.selectors.preferences import email_choices_of
from alerts.services.preferences import notification_preferences_save
from hrdcase.forms import add_service_errors


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # login_required
    if user.organisation_id is None:
        raise Http404  # platform staff receive no notifications
    signal_usable = bool(verified_signal_users([user.pk]))
    current = email_choices_of(user)
    current_signal = signal_choices_of(user)
    stored = NotificationPreference.objects.filter(user=user).first()
    form = NotificationPreferencesForm(
        # bound on every POST: unticking every box posts no "email" at all
        request.POST if request.method == "POST" else None,
        initial={
            "email": [kind for kind, on in current.items() if on],
            "quiet_start": stored.quiet_start if stored else None,
            "quiet_end": stored.quiet_end if stored else None,
        },
        signal_usable=signal_usable,
    )
    if request.method == "POST" and form.is_valid():
        try:
            notification_preferences_save(
                user=user,
                email=form.email_choices(),
                signal=form.signal_choices(),
                quiet=form.quiet(),
                acting_user=user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your e-mail preferences are saved."))
            return redirect("alerts:preferences")
    groups = _groups(form, current, current_signal, signal_usable=signal_usable)
    return render(
        request,
        "alerts/preferences.html",
        {
            "form": form,
            "groups": groups,
            "signal_enabled": conf.signal_enabled(),
            "signal_usable": signal_usable,
            "time_zone": effective_time_zone_name(user),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _groups(form, current: dict, current_signal: dict, *, signal_usable: bool) -> list:
    """Per category, per kind: the e-mail box (checked, locked) and the Signal box, as
    stored or as just posted (a refused form shows what was posted)."""
    posted = set(form["email"].value() or []) if form.is_bound else None
    posted_signal = set(form["signal"].value() or []) if form.is_bound else None

    def item(k) -> dict:
        email_locked = k.in_app_only or (k.urgent and not signal_usable)
        return {
            "kind": k,
            "checked": current[k.kind] if posted is None or email_locked else k.kind in posted,
            "locked": email_locked,
            "signal": current_signal[k.kind] if posted_signal is None else k.kind in posted_signal,
        }

    return [(category, [item(k) for k in kinds]) for category, kinds in kinds_by_category()]
