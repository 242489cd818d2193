"""Form of the break-glass page: it parses input; the service decides (and names bad fields)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models.break_glass import REASON_MAX_LENGTH


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Why the defender's life is at immediate risk, and how you tried to reach the "
            "owner organisation. Its administrators read this."
        ),
    )
    confirm = forms.BooleanField(
        label=_(
            "I confirm that the defender's life is at immediate risk and that the owner "
            "organisation cannot be reached."
        ),
    )
