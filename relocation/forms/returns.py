"""The requester's "record the return" form (issue 20, item 5)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hrdcase.dates import PlausibleDateField
from relocation.forms.referral import DateInput


class ReturnForm(forms.Form):
    returned_on = PlausibleDateField(
        label=_("Returned home on"),
        widget=DateInput,
        required=False,
        help_text=_("Empty: today."),
    )
