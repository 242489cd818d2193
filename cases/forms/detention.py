"""Forms of detention, hearings, benchmark steps and the benchmark template: they validate
input and the views hand it to ``cases.services.detention``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms.case import DateInput
from cases.models import BenchmarkKind
from hrdcase.dates import PlausibleDateField


def _lawyer(help_text: str = "") -> forms.CharField:
    return forms.CharField(label=_("Lawyer"), required=False, max_length=1000, help_text=help_text)


class _PlaceAndCharges(forms.Form):
    place = forms.CharField(label=_("Place of detention"), required=False, max_length=1000)
    charges = forms.CharField(
        label=_("Charges"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DetentionForm(_PlaceAndCharges):
    # The arrest's date comes first on the form (field_order: Django puts a subclass's
    # fields after its base's).
    field_order = ["detained_since", "place", "charges", "lawyer"]
    detained_since = PlausibleDateField(label=_("Detained since"), widget=DateInput)
    lawyer = _lawyer(help_text=_("Name and how to reach them safely."))


class DetentionUpdateForm(_PlaceAndCharges):
    lawyer = _lawyer()
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
