"""The notification preferences form: per kind, "by e-mail" and (once the user's Signal
number is verified) "by Signal"; and the user's quiet hours."""

from __future__ import annotations

from datetime import time

from django import forms
from django.utils.translation import gettext_lazy as _

from alerts.kinds import KINDS


def choosable_kinds(*, urgent: bool = False) -> list[str]:
    """The kinds with an e-mail checkbox the user may change. Urgent ones are e-mailed
    unless Signal takes them (``urgent``: the user's Signal is verified, so they may be
    chosen); some are shown in the inbox only. The others are drawn disabled."""
    return [k.kind for k in KINDS.values() if not k.in_app_only and (urgent or not k.urgent)]


def signal_kinds() -> list[str]:
    """The kinds that may go by Signal: every kind sent outside the inbox."""
    return [k.kind for k in KINDS.values() if not k.in_app_only]


class NotificationPreferencesForm(forms.Form):
    email = forms.MultipleChoiceField(
        label=_("Send me an e-mail for"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    signal = forms.MultipleChoiceField(
        label=_("Send me a Signal message for"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    quiet_start = forms.TimeField(
        label=_("Quiet hours from"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    quiet_end = forms.TimeField(
        label=_("until"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def __init__(self, *args, signal_usable: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.signal_usable = signal_usable
        email = self.fields["email"]
        signal = self.fields["signal"]
        assert isinstance(email, forms.MultipleChoiceField)
        assert isinstance(signal, forms.MultipleChoiceField)
        email.choices = [(k, KINDS[k].label) for k in choosable_kinds(urgent=signal_usable)]
        signal.choices = [(k, KINDS[k].label) for k in signal_kinds()] if signal_usable else []

    def email_choices(self) -> dict[str, bool]:
        """kind -> by e-mail, for every kind the form offers (unchecked: no e-mail)."""
        checked = set(self.cleaned_data["email"])
        return {kind: kind in checked for kind in choosable_kinds(urgent=self.signal_usable)}

    def signal_choices(self) -> dict[str, bool] | None:
        """kind -> by Signal (None: Signal is not offered, nothing changes)."""
        if not self.signal_usable:
            return None
        checked = set(self.cleaned_data["signal"])
        return {kind: kind in checked for kind in signal_kinds()}

    def quiet(self) -> tuple[time | None, time | None]:
        return self.cleaned_data["quiet_start"], self.cleaned_data["quiet_end"]
