"""The form of an organisation's relocation settings."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from relocation.models.grants import GrantPurpose
from relocation.models.settings import MAX_SERVICE_HOURS


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
    grant_activities = forms.MultipleChoiceField(
        label=_("Activities we fund"),
        choices=GrantPurpose.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: all activity types."),
    )
    grant_cap_per_defender_year = forms.DecimalField(
        label=_("Cap per defender per calendar year"),
        max_digits=12,
        decimal_places=2,
        min_value=0.01,
        required=False,
        help_text=_("Granted and pending requests count; empty: no yearly cap."),
    )
    grant_eligibility = forms.CharField(
        label=_("Eligibility criteria"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown on the grant form; requesters confirm the request meets them."),
    )


def _hours(label) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=1, max_value=MAX_SERVICE_HOURS)


class ServiceLevelsForm(forms.Form):
    """How long each answer your organisation owes may take, per urgency: counted from the
    request's submission (review) or the referral (visa, shelter, grant)."""

    emergency_review_hours = _hours(_("Emergency: review of a request (hours)"))
    emergency_visa_days = forms.IntegerField(
        label=_("Emergency: visa decision (working days)"),
        min_value=1,
        max_value=60,
        help_text=_("Monday to Friday; a weekend does not count."),
    )
    emergency_shelter_hours = _hours(_("Emergency: shelter answer (hours)"))
    emergency_grant_hours = _hours(_("Emergency: grant decision (hours)"))
    urgent_review_hours = _hours(_("Urgent: review of a request (hours)"))
    urgent_visa_days = forms.IntegerField(
        label=_("Urgent: visa decision (days)"), min_value=1, max_value=90
    )
    urgent_shelter_hours = _hours(_("Urgent: shelter answer (hours)"))
    urgent_grant_hours = _hours(_("Urgent: grant decision (hours)"))
    routine_review_hours = _hours(_("Routine: review of a request (hours)"))
    routine_shelter_hours = _hours(_("Routine: shelter answer (hours)"))
    routine_grant_hours = _hours(_("Routine: grant decision (hours)"))
