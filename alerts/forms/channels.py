"""Forms of the channels' pages: a user's Signal number and its code, the organisation's
webhook."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from alerts.kinds import KINDS
from alerts.services.channels import webhook_kinds


class SignalNumberForm(forms.Form):
    number = forms.CharField(
        label=_("Signal number"),
        max_length=30,
        help_text=_("With its country code, e.g. +573001234567. A code is sent to it."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )


class SignalCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code received by Signal"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class WebhookForm(forms.Form):
    url = forms.CharField(
        label=_("URL"),
        max_length=500,
        help_text=_("Your on-call or chat tool's address for incoming webhooks (https://)."),
    )
    secret = forms.CharField(
        label=_("Signing secret"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least 16 random characters, shared with the receiver, which checks the "
            "signature. Leave empty to keep the current one."
        ),
    )
    kinds = forms.MultipleChoiceField(
        label=_("Send"), required=False, widget=forms.CheckboxSelectMultiple
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        kinds = self.fields["kinds"]
        assert isinstance(kinds, forms.MultipleChoiceField)
        kinds.choices = [(kind, KINDS[kind].label) for kind in webhook_kinds()]
