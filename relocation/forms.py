"""Forms of the relocation pages: they validate input; the views hand it to the services."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from accounts.models import Organisation
from hrdcase.dates import PlausibleDateField
from hrdcase.text import validate_single_line
from relocation.models import (
    MAX_STAY_MONTHS,
    NEEDS_MAX_LENGTH,
    PLAN_MAX_LENGTH,
    GrantPurpose,
    GrantRequest,
    RequestStatus,
    ShelterReferral,
    Support,
    Urgency,
    VisaReferral,
)


class DateInput(forms.DateInput):
    input_type = "date"


def _text(label, *, rows=3, max_length=NEEDS_MAX_LENGTH, help_text=""):
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


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
    medical_needs = _text(_("Medical needs"), rows=2, help_text=_("Encrypted."))
    accessibility_needs = _text(_("Accessibility needs"), rows=2, help_text=_("Encrypted."))
    digital_security_needs = _text(
        _("Digital-security support needed"), rows=2, help_text=_("Encrypted.")
    )
    visa_plan = _text(_("Visa or stay-permit plan"), max_length=PLAN_MAX_LENGTH)
    journey_security_plan = _text(
        _("Security plan for the journey"),
        max_length=PLAN_MAX_LENGTH,
        help_text=_("Route, escorts, communication during travel. Encrypted."),
    )
    family_support_plan = _text(_("Family support"), max_length=PLAN_MAX_LENGTH)
    return_strategy = _text(
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
    reason = _text(
        _("Reason"), rows=2, help_text=_("Required to decline or cancel; the other side reads it.")
    )


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
    note_for_mission = _text(
        _("Note for the mission"),
        help_text=_(
            "What the visa decision needs: why it is urgent, travel document details. "
            "The mission does not see the case file. Encrypted."
        ),
    )


class VisaDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (VisaReferral.Status.GRANTED, _("Granted")),
            (VisaReferral.Status.REFUSED, _("Refused")),
        ],
        widget=forms.RadioSelect,
    )
    reason = _text(_("Reason"), rows=2, help_text=_("Required for a refusal."))
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
    answer = forms.ChoiceField(
        label=_("Answer"),
        choices=[
            (ShelterReferral.Status.ACCEPTED, _("Accept")),
            (ShelterReferral.Status.WAITLISTED, _("Waitlist")),
            (ShelterReferral.Status.DECLINED, _("Decline")),
        ],
        widget=forms.RadioSelect,
    )
    reason = _text(_("Reason"), rows=2, help_text=_("Required to decline; the requester reads it."))


class StayDatesForm(forms.Form):
    start = PlausibleDateField(label=_("Arrival"), widget=DateInput)
    end = PlausibleDateField(label=_("Return"), widget=DateInput)


class DayForm(forms.Form):
    day = PlausibleDateField(label=_("Date"), widget=DateInput, initial=timezone.localdate)


class GrantRequestForm(forms.Form):
    grantor = forms.ModelChoiceField(
        label=_("Granting organisation"),
        queryset=Organisation.objects.none(),
        help_text=_("Organisations that offer emergency grants."),
    )

    def __init__(self, *args, **kwargs):
        from relocation.services import grantors

        super().__init__(*args, **kwargs)
        self.fields["grantor"].queryset = grantors()

    purpose = forms.ChoiceField(label=_("Purpose"), choices=GrantPurpose.choices)
    amount = forms.DecimalField(label=_("Amount"), max_digits=12, decimal_places=2, min_value=0.01)
    currency = forms.CharField(
        label=_("Currency"), max_length=3, initial="EUR", help_text=_("ISO code, e.g. EUR.")
    )
    justification = _text(
        _("Justification"),
        help_text=_("What the grantor needs to decide. It does not see the case file. Encrypted."),
    )


class GrantDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (GrantRequest.Status.APPROVED, _("Approve")),
            (GrantRequest.Status.DECLINED, _("Decline")),
        ],
        widget=forms.RadioSelect,
    )
    reason = _text(_("Reason"), rows=2, help_text=_("Required to decline; the requester reads it."))


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
