"""The form of an organisation's relocation settings."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SettingsForm(forms.Form):
    visa_service_days = forms.IntegerField(
        label=_("Visa service level (days)"),
        min_value=1,
        max_value=90,
        help_text=_("Fast-track deadline of visa referrals addressed to you."),
    )
    grant_cap_amount = forms.DecimalField(
        label=_("Grant cap"), max_digits=12, decimal_places=2, min_value=0.01
    )
    grant_cap_currency = forms.CharField(label=_("Grant currency"), max_length=3)
    offers_grants = forms.BooleanField(
        label=_("We offer emergency grants"),
        required=False,
        help_text=_("Only organisations that offer grants can be asked for one."),
    )
