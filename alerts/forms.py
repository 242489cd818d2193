"""Forms of the alert pages: they validate input and the views call the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import ProtectionNetwork, Role
from alerts.models import Alert, EscalationStep
from alerts.services.alerts import MANUAL_KINDS, MESSAGE_MAX
from alerts.services.policy import MAX_MINUTES
from hrdcase.dates import PlausibleDateTimeField


class AlertRaiseForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What happened"),
        choices=[(k, Alert.Kind(k).label) for k in MANUAL_KINDS],
    )
    severity = forms.ChoiceField(
        label=_("Severity"), choices=Alert.Severity.choices, initial=Alert.Severity.HIGH
    )
    message = forms.CharField(
        label=_("Message"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "A few words for your colleagues. Stored encrypted; notifications and e-mails "
            "carry only the case's pseudonym and a link."
        ),
    )


class AlertResolveForm(forms.Form):
    note = forms.CharField(
        label=_("How was it resolved?"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. released without charge, located and safe. Stored encrypted."),
    )


class EscalationStepForm(forms.Form):
    after_minutes = forms.IntegerField(
        label=_("After (minutes unacknowledged)"),
        min_value=1,
        max_value=MAX_MINUTES,
        help_text=_("Counted from when the alert was raised. Each step needs its own delay."),
    )
    target = forms.ChoiceField(label=_("Notify"), choices=EscalationStep.Target.choices)
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[("", "—"), *Role.choices],
        required=False,
        help_text=_("With “a role of the organisation”: which members."),
    )
    network = forms.ModelChoiceField(
        label=_("Network"),
        queryset=ProtectionNetwork.objects.none(),
        required=False,
        empty_label=_("All networks of the organisation"),
        help_text=_("With “coordinators of a protection network”: which network."),
    )

    def __init__(self, *args, organisation=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if organisation is not None:
            self.fields["network"].queryset = ProtectionNetwork.objects.filter(members=organisation)


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
