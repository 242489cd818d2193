"""Forms of relocation requests: the request itself and a step of its workflow."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hrdcase.dates import PlausibleDateField
from hrdcase.text import validate_single_line
from relocation.forms.referral import DateInput, reason_field, text_area
from relocation.models import PLAN_MAX_LENGTH, RequestStatus, Support, Urgency


class RequestForm(forms.Form):
    support = forms.MultipleChoiceField(
        label=_("Support asked"), choices=Support.choices, widget=forms.CheckboxSelectMultiple
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.URGENT)
    window_start = PlausibleDateField(label=_("Preferred from"), required=False, widget=DateInput)
    window_end = PlausibleDateField(label=_("Preferred until"), required=False, widget=DateInput)
    languages = forms.CharField(
        label=_("Languages the defender speaks"),
        required=False,
        max_length=200,
        validators=[validate_single_line],
    )
    family_members = forms.IntegerField(
        label=_("Accompanying family members"), min_value=0, max_value=20, initial=0
    )
    medical_needs = text_area(_("Medical needs"), rows=2, help_text=_("Encrypted."))
    accessibility_needs = text_area(_("Accessibility needs"), rows=2, help_text=_("Encrypted."))
    digital_security_needs = text_area(
        _("Digital-security support needed"), rows=2, help_text=_("Encrypted.")
    )
    visa_plan = text_area(_("Visa or stay-permit plan"), max_length=PLAN_MAX_LENGTH)
    journey_security_plan = text_area(
        _("Security plan for the journey"),
        max_length=PLAN_MAX_LENGTH,
        help_text=_("Route, escorts, communication during travel. Encrypted."),
    )
    family_support_plan = text_area(_("Family support"), max_length=PLAN_MAX_LENGTH)
    return_strategy = text_area(
        _("Return strategy"),
        max_length=PLAN_MAX_LENGTH,
        help_text=_("How and when the defender plans to return, and what makes it safe."),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("window_start"), data.get("window_end")
        if start and end and end < start:
            self.add_error("window_end", _("The preferred window ends before it starts."))
        return data


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(choices=RequestStatus.choices, widget=forms.HiddenInput)
    reason = reason_field(_("Required to decline or cancel; the other side reads it."))
