"""Forms of the risk part: they parse input; the service decides (and names bad fields)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms.case import DateInput
from cases.models import RiskLevel
from cases.models.case import NARRATIVE_MAX_LENGTH, OVERRIDE_REASON_MAX_LENGTH
from cases.models.risk import DIMENSIONS, Capacity, Dimension, Impact, Likelihood
from hrdcase.dates import PlausibleDateField


def _narrative(label, *, required: bool, help_text="") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=NARRATIVE_MAX_LENGTH,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class RiskAssessmentForm(forms.Form):
    """A new version of the assessment. Field names are the service's keyword arguments."""

    assessed_on = PlausibleDateField(label=_("Assessed on"), widget=DateInput)
    threats = _narrative(
        _("Threats"),
        required=True,
        help_text=_("Who could harm the defender, how, and what has happened so far."),
    )
    vulnerabilities = _narrative(
        _("Vulnerabilities"),
        required=True,
        help_text=_(
            "What exposes the defender to these threats: location, routines, devices, "
            "family, isolation."
        ),
    )
    capacities = _narrative(
        _("Capacities"),
        required=False,
        help_text=_(
            "What protects the defender: networks, secure communication, legal support, "
            "well-being support, visibility."
        ),
    )
    physical_likelihood = forms.TypedChoiceField(
        label=_("Likelihood"), choices=Likelihood.choices, coerce=int
    )
    physical_impact = forms.TypedChoiceField(label=_("Impact"), choices=Impact.choices, coerce=int)
    physical_capacity = forms.ChoiceField(label=_("Capacities"), choices=Capacity.choices)
    digital_likelihood = forms.TypedChoiceField(
        label=_("Likelihood"), choices=Likelihood.choices, coerce=int
    )
    digital_impact = forms.TypedChoiceField(label=_("Impact"), choices=Impact.choices, coerce=int)
    digital_capacity = forms.ChoiceField(label=_("Capacities"), choices=Capacity.choices)
    psychosocial_likelihood = forms.TypedChoiceField(
        label=_("Likelihood"), choices=Likelihood.choices, coerce=int
    )
    psychosocial_impact = forms.TypedChoiceField(
        label=_("Impact"), choices=Impact.choices, coerce=int
    )
    psychosocial_capacity = forms.ChoiceField(label=_("Capacities"), choices=Capacity.choices)
    mitigation = _narrative(
        _("Mitigation measures"),
        required=False,
        help_text=_("What the defender, the organisation and partners will do, and by when."),
    )
    next_review_date = PlausibleDateField(label=_("Next review"), widget=DateInput)

    def dimension_fields(self) -> list[tuple[str, list[forms.BoundField]]]:
        """(dimension label, its three bound fields), for the template's fieldsets."""
        return [
            (
                Dimension(dimension).label,
                [self[f"{dimension}_{part}"] for part in ("likelihood", "impact", "capacity")],
            )
            for dimension in DIMENSIONS
        ]


class RiskOverrideForm(forms.Form):
    """Set the case's level by hand (with a reason), or return to the assessed level."""

    risk_level = forms.ChoiceField(
        label=_("Risk level"),
        choices=[("", _("Follow the latest assessment")), *RiskLevel.choices],
        required=False,
    )
    risk_override_reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=OVERRIDE_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the assessed level does not apply. Shown with the level on the case."),
    )
