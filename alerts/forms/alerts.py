"""Forms of alerts: raise one, resolve it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from alerts.models import Alert
from alerts.services.alerts import MANUAL_KINDS, MESSAGE_MAX


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
