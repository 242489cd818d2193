"""Form of the retention policy page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models.retention import MAX_RETENTION_YEARS, MIN_RETENTION_YEARS


class RetentionPolicyForm(forms.Form):
    retention_years = forms.IntegerField(
        label=_("Retention period (years)"),
        min_value=MIN_RETENTION_YEARS,
        max_value=MAX_RETENTION_YEARS,
        help_text=_(
            "A closed case is purged this many years after its closing date: the defender's "
            "identity and every narrative are destroyed, an anonymous statistical record is kept."
        ),
    )
    confirm = forms.BooleanField(
        label=_("I understand that the cases listed as due will be purged at the next run."),
        required=False,
    )
