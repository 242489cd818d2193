"""The consent form: what the defender agreed to; the view hands it to
``cases.services.consent``."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, ProtectionNetwork
from cases.forms.case import DateInput
from cases.models import Consent
from hrdcase.dates import PlausibleDateField


class ConsentForm(forms.Form):
    scope = forms.ChoiceField(label=_("The defender agreed to"), choices=Consent.Scope.choices)
    partner = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
        help_text=_("For sharing with a named organisation."),
    )
    network = forms.ModelChoiceField(
        label=_("Protection network"),
        queryset=ProtectionNetwork.objects.all(),
        required=False,
        help_text=_("For sharing within a protection network."),
    )
    channel = forms.CharField(
        label=_("Channel"), required=False, max_length=200, help_text=_("For contact, e.g. Signal.")
    )
    given_on = PlausibleDateField(label=_("Given on"), widget=DateInput, initial=timezone.localdate)
    method = forms.ChoiceField(label=_("How it was obtained"), choices=Consent.Method.choices)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Organisation.objects.filter(is_active=True).exclude(
            pk=organisation.pk
        )
