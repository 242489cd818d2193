"""The form of an incident: it validates input and the view hands it to
``cases.services.incident``."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms.case import DateInput
from cases.models import Incident
from cases.models.case import NARRATIVE_MAX_LENGTH
from hrdcase.dates import PlausibleDateField


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
