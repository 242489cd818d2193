"""Forms of visa referrals: the requester's referral and the mission's decision."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from accounts.models import Organisation
from hrdcase.dates import PlausibleDateField
from relocation.forms.referral import DateInput, answer_field, reason_field, text_area
from relocation.models import VisaReferral


class VisaReferralForm(forms.Form):
    mission = forms.ModelChoiceField(
        label=_("Mission"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.MISSION).order_by("name"),
    )
    visa_type = forms.ChoiceField(label=_("Visa type"), choices=VisaReferral.VisaType.choices)
    requested_on = PlausibleDateField(
        label=_("Requested on"), widget=DateInput, initial=timezone.localdate
    )
    nationality = CountryField(blank=True).formfield(label=_("Nationality"), required=False)
    note_for_mission = text_area(
        _("Note for the mission"),
        help_text=_(
            "What the visa decision needs: why it is urgent, travel document details. "
            "The mission does not see the case file. Encrypted."
        ),
    )


class VisaDecisionForm(forms.Form):
    decision = answer_field(
        _("Decision"),
        [
            (VisaReferral.Status.GRANTED, _("Granted")),
            (VisaReferral.Status.REFUSED, _("Refused")),
        ],
    )
    reason = reason_field(_("Required for a refusal."))
    valid_from = PlausibleDateField(
        label=_("Valid from"),
        required=False,
        widget=DateInput,
        help_text=_("Default: today."),
    )
    valid_until = PlausibleDateField(
        label=_("Valid until"),
        required=False,
        widget=DateInput,
        help_text=_("Default: one year."),
    )
    multiple_entries = forms.BooleanField(label=_("Multiple entries"), required=False, initial=True)
    entries_until = PlausibleDateField(
        label=_("Entries possible until"),
        required=False,
        widget=DateInput,
        help_text=_("Multiple entries only. Default: three years from the start of validity."),
    )
