"""Forms of incidents, detention, hearings and the benchmark template: they validate input and
the views hand it to ``cases.services.incident`` / ``cases.services.detention``."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import BenchmarkKind, Incident
from cases.models.case import NARRATIVE_MAX_LENGTH
from hrdcase.dates import PlausibleDateField


class DateInput(forms.DateInput):
    input_type = "date"


class IncidentForm(forms.Form):
    occurred_on = PlausibleDateField(label=_("Date"), widget=DateInput, initial=timezone.localdate)
    type = forms.ChoiceField(label=_("Type"), choices=[("", "—"), *Incident.Type.choices])
    perpetrator = forms.ChoiceField(
        label=_("Perpetrator"), choices=[("", "—"), *Incident.Perpetrator.choices]
    )
    place = forms.CharField(
        label=_("Place"),
        required=False,
        max_length=300,
        help_text=_("Encrypted. Only as precise as the follow-up needs."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=NARRATIVE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Encrypted. What happened, as the defender or a trusted source reported it."),
    )


class DetentionForm(forms.Form):
    detained_since = PlausibleDateField(label=_("Detained since"), widget=DateInput)
    place = forms.CharField(label=_("Place of detention"), required=False, max_length=1000)
    charges = forms.CharField(
        label=_("Charges"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    lawyer = forms.CharField(
        label=_("Lawyer"),
        required=False,
        max_length=1000,
        help_text=_("Name and how to reach them safely."),
    )


class DetentionUpdateForm(forms.Form):
    place = forms.CharField(label=_("Place of detention"), required=False, max_length=1000)
    charges = forms.CharField(
        label=_("Charges"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    lawyer = forms.CharField(label=_("Lawyer"), required=False, max_length=1000)
    released_on = PlausibleDateField(
        label=_("Released on"),
        required=False,
        widget=DateInput,
        help_text=_("Steps of the plan due after the release are set aside."),
    )


class HearingForm(forms.Form):
    date = PlausibleDateField(label=_("Hearing date"), widget=DateInput)
    court = forms.CharField(label=_("Court"), max_length=200)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class MilestoneDoneForm(forms.Form):
    evidence_ref = forms.CharField(
        label=_("Logbook entry"),
        required=False,
        max_length=500,
        help_text=_("Reference or link of the logbook entry that records what was done."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class BenchmarkRuleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=BenchmarkKind.choices)
    label = forms.CharField(
        label=_("Label"),
        required=False,
        max_length=200,
        help_text=_("Leave empty to use the kind's name."),
    )
    offset_days = forms.IntegerField(
        label=_("Due after (days)"),
        help_text=_(
            "Days after the arrest; for per-hearing rules, days after each hearing (0: that day)."
        ),
    )
    per_hearing = forms.BooleanField(label=_("At each hearing"), required=False)
    requires_public_consent = forms.BooleanField(
        label=_("Only with the defender's consent to public action"), required=False
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)
