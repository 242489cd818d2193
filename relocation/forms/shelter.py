"""Forms of shelter referrals: the requester's proposal, the city's answer and the dates it
confirms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from hrdcase.dates import PlausibleDateField
from relocation.forms.referral import DateInput, answer_field, reason_field
from relocation.models import ShelterReferral


class ShelterReferralForm(forms.Form):
    city = forms.ModelChoiceField(
        label=_("Shelter city"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.SHELTER_CITY).order_by("name"),
    )
    start = PlausibleDateField(label=_("Arrival (planned)"), widget=DateInput)
    end = PlausibleDateField(label=_("Return (planned)"), widget=DateInput)
    override_reason = forms.CharField(
        label=_("Reason for a longer stay"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Only when the stay is longer than the city's programme allows; no stay lasts more "
            "than 12 months."
        ),
    )


class ShelterAnswerForm(forms.Form):
    answer = answer_field(
        _("Answer"),
        [
            (ShelterReferral.Status.ACCEPTED, _("Accept")),
            (ShelterReferral.Status.WAITLISTED, _("Waitlist")),
            (ShelterReferral.Status.DECLINED, _("Decline")),
        ],
    )
    reason = reason_field(_("Required to decline; the requester reads it."))


class StayDatesForm(forms.Form):
    start = PlausibleDateField(label=_("Arrival"), widget=DateInput)
    end = PlausibleDateField(label=_("Return"), widget=DateInput)
