"""Forms of check-ins: the schedule and a check-in heard."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hrdcase.dates import PlausibleDateTimeField


class CheckInScheduleForm(forms.Form):
    interval_hours = forms.IntegerField(
        label=_("Check in every (hours)"),
        min_value=1,
        max_value=24 * 14,
        initial=12,
        help_text=_("E.g. every 12 hours during a journey or a trial week."),
    )
    grace_minutes = forms.IntegerField(
        label=_("Grace period (minutes)"),
        min_value=0,
        max_value=24 * 60,
        initial=60,
        help_text=_("How long after a missed check-in the alert is raised."),
    )
    ends_at = PlausibleDateTimeField(
        label=_("Ends"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Leave empty to keep it until stopped."),
    )


class CheckInForm(forms.Form):
    at = PlausibleDateTimeField(
        label=_("Heard from at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Leave empty for now."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        help_text=_("Optional; stored encrypted."),
    )
