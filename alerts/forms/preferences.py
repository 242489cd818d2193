"""The notification preferences form: one checkbox "by e-mail" per kind a user may choose."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from alerts.kinds import KINDS


def choosable_kinds() -> list[str]:
    """The kinds with a checkbox the user may change (urgent ones are always e-mailed, some
    are shown in the inbox only: both are drawn checked or unchecked and disabled)."""
    return [k.kind for k in KINDS.values() if not k.urgent and not k.in_app_only]


class NotificationPreferencesForm(forms.Form):
    email = forms.MultipleChoiceField(
        label=_("Send me an e-mail for"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["email"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(kind, KINDS[kind].label) for kind in choosable_kinds()]

    def email_choices(self) -> dict[str, bool]:
        """kind -> by e-mail, for every kind the form offers (unchecked: no e-mail)."""
        checked = set(self.cleaned_data["email"])
        return {kind: kind in checked for kind in choosable_kinds()}
