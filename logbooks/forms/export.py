"""The form of the briefing export."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"), choices=[("pdf", _("PDF briefing")), ("csv", _("CSV"))], initial="pdf"
    )
    include_identity = forms.BooleanField(
        label=_("Include the defender's identity"),
        required=False,
        help_text=_(
            "Off by default: the briefing uses the pseudonym. Including the identity is "
            "recorded in the case's access log."
        ),
    )
