"""Forms of a shelter city's programme and capacity periods."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hrdcase.dates import PlausibleDateField
from hrdcase.text import validate_single_line
from relocation.forms.referral import DateInput
from relocation.models import MAX_STAY_MONTHS


class ProgrammeForm(forms.Form):
    name = forms.CharField(
        label=_("Programme name"), max_length=120, validators=[validate_single_line]
    )
    stay_months = forms.IntegerField(
        label=_("Maximum stay (months)"),
        min_value=1,
        max_value=MAX_STAY_MONTHS,
        help_text=_(
            "Longer stays need a reason from the requester; no stay lasts more than 12 months."
        ),
    )
    languages = forms.CharField(
        label=_("Languages offered"),
        max_length=200,
        required=False,
        validators=[validate_single_line],
    )
    support_offered = forms.CharField(
        label=_("Support offered"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    active = forms.BooleanField(label=_("Accepting referrals"), required=False)


class CapacityForm(forms.Form):
    start = PlausibleDateField(label=_("From"), widget=DateInput)
    end = PlausibleDateField(label=_("Until"), widget=DateInput)
    places = forms.IntegerField(label=_("Places"), min_value=0, max_value=500)
