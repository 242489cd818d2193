"""The form adding a step to the escalation policy."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import ProtectionNetwork, Role
from alerts.models import EscalationStep
from alerts.services.policy import MAX_MINUTES


class EscalationStepForm(forms.Form):
    after_minutes = forms.IntegerField(
        label=_("After (minutes unacknowledged)"),
        min_value=1,
        max_value=MAX_MINUTES,
        help_text=_("Counted from when the alert was raised. Each step needs its own delay."),
    )
    target = forms.ChoiceField(label=_("Notify"), choices=EscalationStep.Target.choices)
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[("", "—"), *Role.choices],
        required=False,
        help_text=_("With “a role of the organisation”: which members."),
    )
    network = forms.ModelChoiceField(
        label=_("Network"),
        queryset=ProtectionNetwork.objects.none(),
        required=False,
        empty_label=_("All networks of the organisation"),
        help_text=_("With “coordinators of a protection network”: which network."),
    )

    def __init__(self, *args, organisation=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if organisation is not None:
            self.fields["network"].queryset = ProtectionNetwork.objects.filter(members=organisation)
